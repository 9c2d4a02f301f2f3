/**
 * FastLeaderElection, rule by rule, as ZooKeeper 3.8 behaves (Q/FastLeaderElection.java).
 * Each test drives one server's handlers directly and looks at what it sends and decides.
 */
import type { ZkServer } from './state';
import { describe, expect, it } from 'vitest';
import { FakeCtx } from '../testing/fakeCtx';
import { DEFAULT_TIMING, ensemble } from './config';
import type { Notification, ServerState, ZkMessage } from './messages';
import { totalOrderPredicate } from './vote';
import { createZab } from './zab';
import { makeZxid, NO_ZXID } from './zxid';
import { NO_SID } from './election';

function server(id: number, voters = 3, observers = 0, durable: Record<string, unknown> = {}) {
  const cfg = ensemble(voters, observers);
  const zab = createZab(cfg);
  const ctx = new FakeCtx<ZkMessage>(id);
  const role = id <= voters ? 'voter' : 'observer';
  const s = zab.init({ id, role }, durable, ctx) as ZkServer;
  return { zab, ctx, s, cfg };
}

function note(leader: number, zxid: number, electionEpoch: number, peerEpoch: number, state: ServerState = 'LOOKING'): Notification {
  return { kind: 'NOTIFICATION', leader, zxid, electionEpoch, peerEpoch, state };
}

function deliver(t: ReturnType<typeof server>, from: number, n: Notification) {
  t.zab.onMessage(t.s, from, n, null, t.ctx);
}

/** Fire a named timer the handler armed. */
function fire(t: ReturnType<typeof server>, name: string) {
  const at = t.ctx.timers.get(name);
  expect(at, `timer ${name} is armed`).toBeDefined();
  t.ctx.now = at!;
  t.ctx.timers.delete(name);
  t.zab.onTimer(t.s, name, t.ctx);
}

const notifications = (ctx: FakeCtx<ZkMessage>) => ctx.sent.filter((x) => x.msg.kind === 'NOTIFICATION') as { to: number; msg: Notification }[];

describe('vote order (totalOrderPredicate)', () => {
  it('a higher peerEpoch wins even against a higher zxid and a higher sid', () => {
    expect(totalOrderPredicate(1, makeZxid(1, 1), 2, 3, makeZxid(1, 9), 1)).toBe(true);
    expect(totalOrderPredicate(3, makeZxid(1, 9), 1, 1, makeZxid(1, 1), 2)).toBe(false);
  });
  it('with equal epochs a larger zxid beats a larger myid', () => {
    expect(totalOrderPredicate(1, makeZxid(1, 5), 1, 3, makeZxid(1, 4), 1)).toBe(true);
    expect(totalOrderPredicate(3, makeZxid(1, 4), 1, 1, makeZxid(1, 5), 1)).toBe(false);
  });
  it('with equal epoch and zxid the larger sid wins; a vote never beats itself', () => {
    expect(totalOrderPredicate(3, 7, 1, 2, 7, 1)).toBe(true);
    expect(totalOrderPredicate(2, 7, 1, 3, 7, 1)).toBe(false);
    expect(totalOrderPredicate(2, 7, 1, 2, 7, 1)).toBe(false);
  });
});

describe('starting an election (lookForLeader)', () => {
  it('bumps logicalclock and votes for itself with (currentEpoch, last zxid, myid), to every voter including itself', () => {
    const t = server(2, 3, 2, { currentEpoch: 4, acceptedEpoch: 4, log: [makeZxid(4, 7)] });
    expect(t.s.state).toBe('LOOKING');
    expect(t.s.election.logicalclock).toBe(1);
    const sent = notifications(t.ctx);
    expect(sent.map((x) => x.to).sort()).toEqual([1, 2, 3]); // observers 4, 5 get nothing
    for (const x of sent) expect(x.msg).toMatchObject({ leader: 2, zxid: makeZxid(4, 7), peerEpoch: 4, electionEpoch: 1, state: 'LOOKING' });
  });

  it('peerEpoch is currentEpoch, not acceptedEpoch', () => {
    const t = server(1, 3, 0, { currentEpoch: 2, acceptedEpoch: 3 });
    expect(notifications(t.ctx)[0]!.msg.peerEpoch).toBe(2);
  });

  it('an observer proposes nobody (Long.MIN_VALUE) and notifies only the voters', () => {
    const t = server(4, 3, 1);
    const sent = notifications(t.ctx);
    expect(sent.map((x) => x.to).sort()).toEqual([1, 2, 3]);
    expect(sent[0]!.msg).toMatchObject({ leader: NO_SID, zxid: NO_ZXID, peerEpoch: NO_ZXID });
  });

  it('uses ZooKeeper timing defaults', () => {
    expect(DEFAULT_TIMING).toMatchObject({ tickTime: 2000, initLimit: 10, syncLimit: 5, finalizeWait: 200, maxNotificationInterval: 60_000 });
  });
});

describe('notifications from LOOKING peers', () => {
  it('adopts a better vote in the same round and tells every voter', () => {
    const t = server(1);
    t.ctx.clear();
    deliver(t, 2, note(2, 0, 1, 0));
    expect(t.s.election.proposedLeader).toBe(2);
    expect(notifications(t.ctx).map((x) => x.to).sort()).toEqual([1, 2, 3]);
    expect(t.s.election.recvset[2]).toMatchObject({ leader: 2 });
  });

  it('says why the adopted vote wins: by zxid, or by myid when the zxids tie', () => {
    const a = server(3);
    a.ctx.clear();
    deliver(a, 1, note(1, 5, 1, 0));
    expect(a.ctx.notes).toContain('adopts.zxid');
    const b = server(1);
    b.ctx.clear();
    deliver(b, 2, note(2, 0, 1, 0));
    expect(b.ctx.notes).toContain('adopts.myid');
  });

  it('records a worse vote without changing its own or sending anything', () => {
    const t = server(3);
    t.ctx.clear();
    deliver(t, 1, note(1, 0, 1, 0));
    expect(t.s.election.proposedLeader).toBe(3);
    expect(notifications(t.ctx)).toHaveLength(0);
    expect(t.s.election.recvset[1]).toMatchObject({ leader: 1 });
  });

  it('a higher electionEpoch: joins that round, clears recvset, and re-decides against its own initial vote', () => {
    const t = server(2);
    deliver(t, 3, note(3, 0, 1, 0)); // adopts 3 in round 1
    deliver(t, 1, note(1, 0, 1, 0));
    expect(t.s.election.proposedLeader).toBe(3);
    t.ctx.clear();
    // round 5 from server 1, voting for itself: worse than our *initial* vote (2), so we vote 2, not the stale 3
    deliver(t, 1, note(1, 0, 5, 0));
    expect(t.s.election.logicalclock).toBe(5);
    expect(t.s.election.proposedLeader).toBe(2);
    expect(Object.keys(t.s.election.recvset)).toEqual(['1']);
    expect(notifications(t.ctx).every((x) => x.msg.electionEpoch === 5 && x.msg.leader === 2)).toBe(true);
  });

  it('a lower electionEpoch from a LOOKING peer is answered with our proposal and round, and not recorded', () => {
    const t = server(2);
    deliver(t, 1, note(1, 0, 4, 0)); // now in round 4
    t.ctx.clear();
    deliver(t, 3, note(3, 0, 2, 0));
    const replies = notifications(t.ctx);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ to: 3, msg: { electionEpoch: 4, leader: 2, state: 'LOOKING' } });
    expect(t.s.election.recvset[3]).toBeUndefined();
    expect(t.s.election.proposedLeader).toBe(2); // 3's vote was better but from an old round
  });

  it('ignores a vote for a server that is not a voter', () => {
    const t = server(1, 3, 1);
    deliver(t, 2, note(4, 0, 1, 0));
    expect(t.s.election.recvset[2]).toBeUndefined();
  });
});

describe('termination: quorum of configured voters, then finalizeWait', () => {
  it('counts a quorum over the configured voters, not the live ones: 2 of 5 never finish', () => {
    const t = server(5, 5);
    deliver(t, 5, note(5, 0, 1, 0)); // our own vote, looped back
    deliver(t, 4, note(5, 0, 1, 0));
    expect(t.s.election.finalizing).toBe(false);
    expect(t.ctx.timers.has('finalize')).toBe(false);
    deliver(t, 3, note(5, 0, 1, 0));
    expect(t.s.election.finalizing).toBe(true);
  });

  it('waits finalizeWait after reaching a quorum; silence decides', () => {
    const t = server(3);
    t.ctx.now = 10;
    deliver(t, 3, note(3, 0, 1, 0));
    deliver(t, 1, note(3, 0, 1, 0));
    expect(t.ctx.timers.get('finalize')).toBe(10 + 200);
    expect(t.s.state).toBe('LOOKING');
    fire(t, 'finalize');
    expect(t.s.state).toBe('LEADING');
  });

  it('during finalizeWait a worse notification is discarded and restarts the wait', () => {
    const t = server(3);
    deliver(t, 3, note(3, 0, 1, 0));
    deliver(t, 1, note(3, 0, 1, 0));
    t.ctx.now = 150;
    deliver(t, 2, note(2, 0, 1, 0));
    expect(t.s.election.recvset[2]).toBeUndefined(); // discarded, not recorded
    expect(t.ctx.timers.get('finalize')).toBe(350);
    fire(t, 'finalize');
    expect(t.s.state).toBe('LEADING');
  });

  it('during finalizeWait a better vote resumes the election', () => {
    const t = server(2);
    deliver(t, 2, note(2, 0, 1, 0));
    deliver(t, 1, note(2, 0, 1, 0));
    expect(t.s.election.finalizing).toBe(true);
    deliver(t, 3, note(3, 0, 1, 0));
    expect(t.s.election.finalizing).toBe(false);
    expect(t.s.election.proposedLeader).toBe(3);
    expect(t.ctx.timers.has('finalize')).toBe(false);
  });

  it('a decided follower follows the leader, an observer observes it', () => {
    const t = server(1);
    deliver(t, 3, note(3, 0, 1, 0));
    deliver(t, 1, note(3, 0, 1, 0));
    fire(t, 'finalize');
    expect(t.s.state).toBe('FOLLOWING');
    expect(t.s.currentVote.leader).toBe(3);
    expect(t.ctx.streamed.at(-1)!.msg).toMatchObject({ kind: 'FOLLOWERINFO' });
  });
});

describe('notification timeouts', () => {
  it('resends its vote and doubles the timeout up to maxNotificationInterval', () => {
    const t = server(1, 3);
    const seen: number[] = [t.ctx.timers.get('poll')!];
    for (let i = 0; i < 11; i++) {
      t.ctx.clear();
      fire(t, 'poll');
      expect(notifications(t.ctx)).toHaveLength(3);
      seen.push(t.ctx.timers.get('poll')! - t.ctx.now);
    }
    expect(seen).toEqual([200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000, 60000]);
  });
});

describe('servers already FOLLOWING / LEADING', () => {
  function follower(): ReturnType<typeof server> {
    const t = server(1);
    deliver(t, 3, note(3, 0, 1, 0));
    deliver(t, 1, note(3, 0, 1, 0));
    fire(t, 'finalize');
    t.ctx.clear();
    return t;
  }

  it('answer a LOOKING peer with their current vote and state', () => {
    const t = follower();
    deliver(t, 2, note(2, 0, 7, 0));
    expect(notifications(t.ctx)).toEqual([{ to: 2, msg: { kind: 'NOTIFICATION', leader: 3, zxid: 0, electionEpoch: 1, peerEpoch: 0, state: 'FOLLOWING' } }]);
  });

  it('ignore notifications of peers that are not LOOKING', () => {
    const t = follower();
    deliver(t, 2, note(3, 0, 1, 0, 'FOLLOWING'));
    expect(notifications(t.ctx)).toHaveLength(0);
  });

  it('a voter answers an observer with its current vote and does not count it', () => {
    const t = server(2, 3, 1);
    t.ctx.clear();
    deliver(t, 4, note(NO_SID, NO_ZXID, 1, NO_ZXID));
    expect(notifications(t.ctx)).toHaveLength(1);
    expect(notifications(t.ctx)[0]!.to).toBe(4);
    expect(t.s.election.recvset[4]).toBeUndefined();
  });

  it('a joining server follows an established leader whatever its own myid and zxid (outofelection + checkLeader)', () => {
    // server 3 has the highest myid and a higher zxid than the ensemble 1,2 that elected 2
    const t = server(3, 3, 0, { currentEpoch: 1, acceptedEpoch: 1, log: [makeZxid(1, 9)] });
    // a FOLLOWING vote alone is not enough: 1 alone is not a quorum, and we have not heard from the leader
    deliver(t, 1, note(2, 0, 1, 1, 'FOLLOWING'));
    expect(t.s.state).toBe('LOOKING');
    // the leader's own LEADING notification: {1, 2} is a quorum and checkLeader passes
    deliver(t, 2, note(2, makeZxid(1, 0), 1, 1, 'LEADING'));
    expect(t.s.state).toBe('FOLLOWING');
    expect(t.s.currentVote.leader).toBe(2);
    expect(t.s.election.logicalclock).toBe(1);
  });

  it('checkLeader refuses a leader we have not heard from as LEADING', () => {
    const t = server(3, 5);
    deliver(t, 1, note(2, 0, 9, 1, 'FOLLOWING'));
    deliver(t, 4, note(2, 0, 9, 1, 'FOLLOWING'));
    deliver(t, 5, note(2, 0, 9, 1, 'FOLLOWING'));
    // three followers are a quorum of five, but server 2 itself never said it is LEADING
    expect(t.s.state).toBe('LOOKING');
  });

  it('notifications of observers are ignored by the election loop', () => {
    const t = server(4, 3, 1);
    deliver(t, 1, note(3, 0, 1, 0, 'OBSERVING'));
    expect(t.s.election.recvset[1]).toBeUndefined();
  });
});
