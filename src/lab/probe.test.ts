import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LAB_MNTR_KEYS } from '../core/lab/wire';
import { readMntr, readZabState } from './probe';

describe('what a server reports of itself, read as untrusted text', () => {
  it('mntr: the figures shown, by name without zk_, nothing else', () => {
    // release-3.8.0-1's mntr on a leader (MonitorCommand: zk_name<TAB>value)
    const text = 'zk_version\t3.8.0-5a02a05\nzk_server_state\tleader\nzk_znode_count\t12\nzk_learners\t2\nzk_synced_followers\t2\nzk_open_file_descriptor_count\t77\nzk_avg_election_time\t215.0\n';
    expect(readMntr(text)).toEqual({ server_state: 'leader', znode_count: '12', learners: '2', synced_followers: '2', avg_election_time: '215.0' });
  });

  it('mntr: any text gives only known names and short values', () => {
    const line = fc.oneof(fc.constantFrom(...LAB_MNTR_KEYS).map((k) => `zk_${k}`), fc.string()).chain((k) => fc.string({ maxLength: 120 }).map((v) => `${k}\t${v}`));
    fc.assert(
      fc.property(fc.array(fc.oneof(line, fc.string()), { maxLength: 30 }), (lines) => {
        const out = readMntr(lines.join('\n'));
        for (const [k, v] of Object.entries(out)) {
          expect(LAB_MNTR_KEYS).toContain(k);
          expect(v.length).toBeLessThanOrEqual(80);
        }
      }),
    );
  });

  it('zabstate: a phase, "not serving" between roles, nothing for an answer it does not know', () => {
    expect(readZabState({ myid: 2, zabstate: 'synchronization', is_leader: false })).toEqual({ zab: 'synchronization', myid: 2 });
    // JettyAdminServer with no ZooKeeperServer to ask (Commands.runCommand), or ZabStateCommand outside a quorum server
    expect(readZabState({ command: 'zabstate', error: 'This ZooKeeper instance is not currently serving requests' })).toEqual({ zab: 'not serving', myid: null });
    expect(readZabState({ voting: false, zabstate: '' })).toEqual({ zab: 'not serving', myid: null });
    for (const odd of [null, 'broadcast', 7, [], { zabstate: 'BROADCAST' }, { zabstate: '<b>x</b>' }, { myid: 1.5, zabstate: 'election' }]) {
      const r = readZabState(odd);
      expect(r.zab === null || r.zab === 'election').toBe(true);
      expect(r.myid).toBeNull();
    }
  });
});
