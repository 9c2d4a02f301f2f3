/** The CLI is a public contract: these tests pin its flags, its JSON fields and its exit codes. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function sim(...args: string[]) {
  const r = spawnSync(process.execPath, ['scripts/cli.mjs', 'sim', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Out {
  time: number;
  traceHash: string;
  nodes: { id: number; role: string; up: boolean; state: string | null; leader: number | null; electionEpoch: number | null; acceptedEpoch: number; currentEpoch: number; lastZxid: string | null }[];
  violations: unknown[];
}

describe('npm run sim', () => {
  it('three voters: server 3 leads, 1 and 2 follow it, with every contract field', () => {
    const r = sim('--voters', '3', '--until', '5000');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as Out;
    expect(o.time).toBe(5000);
    expect(o.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(o.violations).toEqual([]);
    expect(o.nodes.map((n) => [n.id, n.state, n.leader])).toEqual([
      [1, 'FOLLOWING', 3],
      [2, 'FOLLOWING', 3],
      [3, 'LEADING', 3],
    ]);
    for (const n of o.nodes) {
      expect(Object.keys(n)).toEqual(expect.arrayContaining(['id', 'role', 'up', 'state', 'leader', 'electionEpoch', 'acceptedEpoch', 'currentEpoch', 'lastZxid']));
      expect(n.role).toBe('voter');
      expect(n.lastZxid).toMatch(/^0x[0-9a-f]+$/);
    }
  });

  it('crashing 3 at 5000 ms makes 2 the leader of epoch 2', () => {
    const o = JSON.parse(sim('--voters', '3', '--until', '12000', '--actions', '5000 crash 3').out) as Out;
    expect(o.nodes.map((n) => [n.id, n.up, n.state, n.leader])).toEqual([
      [1, true, 'FOLLOWING', 2],
      [2, true, 'LEADING', 2],
      [3, false, null, null],
    ]);
    expect(o.nodes[1]!.currentEpoch).toBe(2);
    expect(o.nodes[1]!.lastZxid).toBe('0x200000000');
  });

  it('observers are reported with role "observer" and state OBSERVING; the same run gives the same hash', () => {
    const a = sim('--voters', '3', '--observers', '2', '--seed', '42', '--until', '8000');
    const b = sim('--voters', '3', '--observers', '2', '--seed', '42', '--until', '8000');
    const o = JSON.parse(a.out) as Out;
    expect(o.nodes.slice(3).map((n) => [n.role, n.state])).toEqual([
      ['observer', 'OBSERVING'],
      ['observer', 'OBSERVING'],
    ]);
    expect(JSON.parse(b.out).traceHash).toBe(o.traceHash);
  });

  it.each([
    [['--voters', 'x'], '--voters must be a whole number'],
    [['--voters', '0'], '--voters must be from'],
    [['--voters', '3', '--bogus'], 'Unknown option'],
    [['--voters', '3', '--actions', '10 crash 7'], 'no server 7'],
    [['--voters', '3', '--actions', '10 fly 1'], 'unknown verb'],
    [[], '--voters is required'],
  ])('a bad flag or action (%j) prints a clear error on stderr and exits 2', (args, msg) => {
    const r = sim(...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(msg);
    expect(r.out).toBe('');
  });

  it('--protocol 2pc: node 1 coordinates; a vote no aborts; outcome names each transaction', () => {
    const r = sim('--protocol', '2pc', '--voters', '4', '--until', '5000', '--actions', '1000 write 1; 2000 flag 3 voteNo; 2500 write 1');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as { protocol: string; nodes: { id: number; role: string; state: string }[]; outcome: { transactions: Record<string, { decision: string }> }; violations: unknown[] };
    expect(o.protocol).toBe('2pc');
    expect(o.nodes.map((n) => n.role)).toEqual(['coordinator', 'participant', 'participant', 'participant']);
    expect(o.outcome.transactions.T1?.decision).toBe('COMMIT');
    expect(o.outcome.transactions.T2?.decision).toBe('ABORT');
    expect(o.violations).toEqual([]);
  });

  it('--protocol paxos: acceptors, proposers and learners; each slot chosen once, in order', () => {
    const r = sim('--protocol', 'paxos', '--voters', '3', '--proposers', '2', '--mode', 'multi', '--until', '4000', '--actions', '1000 write 3 @4');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as { traceHash: string; nodes: { role: string }[]; outcome: { chosen: Record<string, string[]> } };
    expect(o.nodes.map((n) => n.role)).toEqual(['acceptor', 'acceptor', 'acceptor', 'proposer', 'proposer', 'learner']);
    expect(Object.values(o.outcome.chosen)).toEqual([['v1'], ['v2'], ['v3']]);
  });

  it('rejects an unknown protocol, and observers outside ZAB, with exit code 2', () => {
    expect(sim('--protocol', 'raft', '--voters', '3').code).toBe(2);
    expect(sim('--protocol', '2pc', '--voters', '3', '--observers', '1').code).toBe(2);
    expect(sim('--protocol', '2pc', '--voters', '1').code).toBe(2);
  });

  it('lastSync: each learner names the sync its leader chose (mode, zxid, leader); a leader and a fresh process have none', () => {
    // 3 misses five writes while down, then comes back: it is synced by 2, the leader of epoch 2
    const o = JSON.parse(sim('--voters', '3', '--until', '8000', '--actions', '0 crash 3; 1000 write 5; 3000 restart 3').out) as { nodes: { id: number; state: string; lastSync: { mode: string; zxid: string; leader: number } | null }[] };
    const [n1, n2, n3] = o.nodes;
    expect(n2!.state).toBe('LEADING');
    expect(n2!.lastSync).toBeNull();
    expect(n1!.lastSync).toMatchObject({ leader: 2 });
    expect(n3!.lastSync).toMatchObject({ leader: 2 });
    expect(['DIFF', 'TRUNC', 'SNAP']).toContain(n3!.lastSync!.mode);
    expect(n3!.lastSync!.zxid).toMatch(/^0x[0-9a-f]+$/);
    const down = JSON.parse(sim('--voters', '3', '--until', '2000', '--actions', '1500 crash 1').out) as { nodes: { lastSync: unknown }[] };
    expect(down.nodes[0]!.lastSync).toBeNull();
  });

  it('--events: the event log as JSON lines, then the same result (same trace hash) as the last line', () => {
    const args = ['--voters', '3', '--until', '3000', '--actions', '1000 write 1'];
    const plain = JSON.parse(sim(...args).out) as { traceHash: string; steps: number };
    const lines = sim(...args, '--events').out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const result = lines.pop()!;
    expect(result.traceHash).toBe(plain.traceHash);
    expect(result.steps).toBe(plain.steps);
    for (const e of lines) expect(Object.keys(e)).toEqual(['time', 'step', 'event', 'node', 'kind', 'from', 'to', 'msgId', 'label', 'code', 'args']);
    // in time order, from the servers' start at 0 to the end of the run
    expect(lines[0]!.time).toBe(0);
    expect(lines.every((e, i) => i === 0 || (e.time as number) >= (lines[i - 1]!.time as number))).toBe(true);
    // the election's notifications, and the write's PROPOSAL from leader 3 to each follower
    expect(lines.some((e) => e.event === 'send' && e.kind === 'NOTIFICATION')).toBe(true);
    const proposals = lines.filter((e) => e.event === 'deliver' && e.kind === 'PROPOSAL');
    expect(proposals.map((e) => [e.from, e.to]).sort()).toEqual([[3, 1], [3, 2]]);
    expect(proposals.every((e) => typeof e.label === 'string' && (e.label as string).length > 0)).toBe(true);
  });

  it('--zk names the release the servers behave as; the JSON says which (3.8.0 by default); a bad one exits 2', () => {
    const args = ['--voters', '3', '--until', '6000', '--actions', '1000 write 2; 2000 crash 1; 3000 write 5; 5000 restart 1'];
    const dflt = JSON.parse(sim(...args).out) as { zk: string; traceHash: string };
    const old = JSON.parse(sim(...args, '--zk', '3.8.0').out) as { zk: string; traceHash: string };
    const newest = JSON.parse(sim(...args, '--zk', '3.9').out) as { zk: string; traceHash: string };
    expect(dflt.zk).toBe('3.8.0');
    expect(old).toEqual(dflt);
    expect(newest.zk).toBe('3.9');
    expect(newest.traceHash).not.toBe(old.traceHash); // the sync of server 1 differs (ZOOKEEPER-4785, -4394)
    const bad = sim('--voters', '3', '--zk', '4.0');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--zk must be one of 3.8.0, 3.8.5, 3.9');
    expect(sim('--protocol', '2pc', '--voters', '3', '--zk', '3.9').code).toBe(2);
    expect(JSON.parse(sim('--protocol', '2pc', '--voters', '3', '--until', '100').out)).not.toHaveProperty('zk');
  });

  it('--list-guided prints every guided story; --guided replays one to its end, and a museum story on another release', () => {
    const ids = sim('--list-guided').out.trim().split('\n');
    expect(ids).toContain('first-election');
    expect(ids).toContain('zookeeper-4646');
    const bug = JSON.parse(sim('--guided', 'zookeeper-4646').out) as { zk: string; time: number; violations: { invariant: string }[] };
    expect(bug.zk).toBe('3.8.0');
    expect(bug.time).toBe(8000);
    expect(bug.violations.map((v) => v.invariant)).toContain('NoCommittedLoss');
    const fixed = JSON.parse(sim('--guided', 'zookeeper-4646', '--zk', '3.8.5').out) as { zk: string; violations: unknown[] };
    expect(fixed.zk).toBe('3.8.5');
    expect(fixed.violations).toEqual([]);
    const unknown = sim('--guided', 'no-such-story');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no guided story "no-such-story"');
  });
});
