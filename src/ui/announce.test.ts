import { describe, expect, it } from 'vitest';
import { announcements } from './announce';
import type { Snapshot } from '../worker/messages';

const snap = (o: Partial<Snapshot> & { up?: boolean[] }): Snapshot =>
  ({
    protocol: 'zab',
    reset: false,
    runTo: null,
    lead: { id: null, epoch: 0 },
    violations: [],
    ...o,
    nodes: (o.up ?? [true, true, true]).map((up, i) => ({ id: i + 1, up })),
  }) as unknown as Snapshot;

describe('announcements', () => {
  it('says a leader elected with its epoch, and a new epoch under another leader', () => {
    expect(announcements(snap({}), snap({ lead: { id: 3, epoch: 1 } }))).toEqual([{ key: 'announce.leader', vars: { id: 3, epoch: 1 } }]);
    expect(announcements(snap({ lead: { id: 3, epoch: 1 } }), snap({ lead: { id: 2, epoch: 2 } }))).toEqual([{ key: 'announce.leader', vars: { id: 2, epoch: 2 } }]);
  });
  it('says a server down, the leader gone, and a server back', () => {
    expect(announcements(snap({ lead: { id: 3, epoch: 1 } }), snap({ up: [true, true, false] }))).toEqual([
      { key: 'announce.down', vars: { id: 3 } },
      { key: 'announce.noLeader', vars: { id: 3 } },
    ]);
    expect(announcements(snap({ up: [false, true, true] }), snap({}))).toEqual([{ key: 'announce.up', vars: { id: 1 } }]);
  });
  it('says each new violation', () => {
    const v = { invariant: 'Agreement', time: 1, step: 1, nodes: [1], message: '' };
    expect(announcements(snap({}), snap({ violations: [v] }))).toEqual([{ key: 'announce.violation', vars: { invariant: 'Agreement' } }]);
  });
  it('says nothing when the run jumps (load, seek, back) or runs ahead to a moment, or nothing changed', () => {
    expect(announcements(snap({}), snap({ reset: true, lead: { id: 3, epoch: 1 } }))).toEqual([]);
    expect(announcements(snap({}), snap({ runTo: 5000, lead: { id: 3, epoch: 1 } }))).toEqual([]);
    expect(announcements(null, snap({ lead: { id: 3, epoch: 1 } }))).toEqual([]);
    expect(announcements(snap({ lead: { id: 3, epoch: 1 } }), snap({ lead: { id: 3, epoch: 1 } }))).toEqual([]);
  });
  it('says a Paxos leader with its round; 2PC has no election to say', () => {
    expect(announcements(snap({ protocol: 'paxos' }), snap({ protocol: 'paxos', lead: { id: 4, epoch: 2 } }))).toEqual([{ key: 'announce.leaderPaxos', vars: { id: 4, epoch: 2 } }]);
    expect(announcements(snap({ protocol: '2pc' }), snap({ protocol: '2pc', lead: { id: 1, epoch: 0 } }))).toEqual([]);
  });
});
