/**
 * syncFollower's decision table (Q/LearnerHandler.java), case by case, and the learner side of
 * each mode through the simulator.
 */
import { describe, expect, it } from 'vitest';
import { parseActions } from '../scenario/actionText';
import { defaultScenario } from '../scenario/scenario';
import { buildZabRun, runTo } from '../scenario/run';
import type { Durable } from '../sim/types';
import { ensemble } from './config';
import { planSync } from './sync';
import { makeZxid } from './zxid';

const z = makeZxid;
const range = (e: number, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => z(e, from + i));

describe('planSync (syncFollower)', () => {
  const committed = [...range(1, 1, 5), ...range(2, 1, 3)];

  it('an empty DIFF when the learner is exactly where the leader is', () => {
    expect(planSync(z(2, 3), z(2, 3), committed, [])).toEqual({ mode: 'DIFF', zxid: z(2, 3), proposals: [] });
  });

  it('DIFF plus the missing txns when the learner is behind within the committed log', () => {
    expect(planSync(z(1, 4), z(2, 3), committed, [])).toEqual({ mode: 'DIFF', zxid: z(2, 3), proposals: [z(1, 5), ...range(2, 1, 3)] });
  });

  it('TRUNC to the leader\'s last committed txn when the learner is ahead (on a non-zero counter)', () => {
    expect(planSync(z(2, 7), z(2, 3), committed, [])).toEqual({ mode: 'TRUNC', zxid: z(2, 3), proposals: [] });
  });

  it('never TRUNC for an epoch-start zxid (counter 0): DIFF instead', () => {
    expect(planSync(z(2, 0), z(2, 3), committed, [])).toEqual({ mode: 'DIFF', zxid: z(2, 3), proposals: range(2, 1, 3) });
  });

  it('TRUNC the diverged tail within an epoch, then send what follows', () => {
    // the learner logged 1:6 and 1:7, which the new leader never had; the leader went on in epoch 2
    const c = [...range(1, 1, 5), ...range(2, 1, 2)];
    const plan = planSync(z(1, 7), z(2, 2), c, []);
    expect(plan).toEqual({ mode: 'SNAP', zxid: z(2, 2), proposals: [] }); // TRUNC across an epoch is forbidden
    const sameEpoch = [...range(1, 1, 5), z(1, 9)];
    expect(planSync(z(1, 7), z(1, 9), sameEpoch, [])).toEqual({ mode: 'TRUNC', zxid: z(1, 5), proposals: [z(1, 9)] });
  });

  it('SNAP when the learner is older than the committed log and the txn log', () => {
    expect(planSync(z(1, 1), z(2, 3), range(2, 1, 3), [])).toEqual({ mode: 'SNAP', zxid: z(2, 3), proposals: [] });
  });

  it('the txn log is replayed up to minCommittedLog inclusive: with an empty committedLog, its last txn too', () => {
    // a leader restarted after its snapshot has an empty committedLog (min = max = lastProcessedZxid)
    expect(planSync(z(1, 2), z(1, 3), [], range(1, 1, 3))).toEqual({ mode: 'DIFF', zxid: z(1, 3), proposals: [z(1, 3)] });
    // a gap between the log's end and the committedLog's start: SNAP
    expect(planSync(z(1, 1), z(1, 9), range(1, 7, 9), range(1, 1, 3))).toEqual({ mode: 'SNAP', zxid: z(1, 9), proposals: [] });
  });

  it('an epoch-start zxid newer than the whole committed log is no TRUNC and no log replay: SNAP', () => {
    // seen by lab mode on a real 3.8.0 ensemble: a leader of epoch 2 that logged nothing in it,
    // paused and replaced, comes back with lastProcessedZxid 0x200000000 (Leader.startZkServer
    // set it); the new leader of epoch 3 holds 1:1..1:25 in its committedLog and its txn log.
    // LearnerHandler.syncFollower replays the txn log only for a peer older than minCommittedLog:
    // "Synchronizing with Learner sid: 3 maxCommittedLog=0x100000019 minCommittedLog=0x100000001
    // lastProcessedZxid=0x300000000 peerLastZxid=0x200000000", then "Sending snapshot"
    const c = range(1, 1, 25);
    expect(planSync(z(2, 0), z(3, 0), c, c)).toEqual({ mode: 'SNAP', zxid: z(3, 0), proposals: [] });
  });

  it('older than the committed log but within the txn log: DIFF from the log', () => {
    const plan = planSync(z(1, 2), z(2, 3), range(2, 1, 3), [...range(1, 1, 5), ...range(2, 1, 3)]);
    expect(plan).toEqual({ mode: 'DIFF', zxid: z(2, 3), proposals: [...range(1, 3, 5), ...range(2, 1, 3)] });
  });
});

function history(id: number, r: ReturnType<typeof buildZabRun>) {
  return r.sim.node(id).state!.history;
}

describe('synchronization end to end', () => {
  it('a late joiner is synced by DIFF with the txns it missed', () => {
    const r = buildZabRun(defaultScenario({ voters: 3, actions: parseActions('2000 write 2; 3000 crash 1; 4000 write 4; 5000 restart 1') }));
    r.sim.records = [];
    runTo(r, 20_000);
    expect(r.sim.records.filter((x) => x.node === 1 && x.type === 'deliver' && /^(DIFF|TRUNC|SNAP)$/.test(x.kind ?? '')).map((x) => x.kind)).toEqual(['DIFF', 'DIFF']);
    expect(history(1, r)).toEqual(range(1, 1, 6));
    expect(r.sim.node(1).durable.log).toHaveLength(6);
    expect(r.checker.violations).toEqual([]);
  });

  it('a brand-new joiner is older than the leader\'s whole txn log: SNAP', () => {
    const r = buildZabRun(defaultScenario({ voters: 3, actions: parseActions('0 crash 1; 2000 write 6; 9000 restart 1') }));
    r.sim.records = [];
    runTo(r, 30_000);
    expect(r.sim.records.filter((x) => x.node === 1 && x.type === 'deliver' && x.kind === 'SNAP')).toHaveLength(1);
    expect(history(1, r)).toEqual(range(1, 1, 6));
    expect(r.sim.node(1).durable.snapshot).toMatchObject({ history: range(1, 1, 6) });
    expect(r.checker.violations).toEqual([]);
  });

  it('a diverged server (uncommitted txns of an old epoch) is synced by SNAP when the epoch moved on, TRUNC within it', () => {
    // server 3 led epoch 1 and logged two proposals nobody else got
    const initial: Record<number, Durable> = {
      1: { acceptedEpoch: 1, currentEpoch: 1, log: range(1, 1, 3) },
      2: { acceptedEpoch: 1, currentEpoch: 1, log: range(1, 1, 3) },
      3: { acceptedEpoch: 1, currentEpoch: 1, log: range(1, 1, 5) },
    };
    const r = buildZabRun(defaultScenario({ voters: 3, initial, actions: parseActions('0 crash 3; 5000 restart 3') }));
    r.sim.records = [];
    runTo(r, 20_000);
    // 2 leads epoch 2 with 1:1..1:3; 3's 1:4, 1:5 are beyond the leader's committed log: TRUNC(1:3)
    expect(r.sim.records.some((x) => x.node === 3 && x.kind === 'TRUNC')).toBe(true);
    expect(history(3, r)).toEqual(range(1, 1, 3));
    expect((r.sim.node(3).durable.log as unknown[]).length).toBe(3);
    expect(r.checker.violations).toEqual([]);
  });

  it('writes reach every server; a new leader keeps them and starts its zxids in the new epoch', () => {
    const r = buildZabRun(defaultScenario({ voters: 3, actions: parseActions('3000 write 5; 6000 crash 3; 12000 write 2') }));
    runTo(r, 20_000);
    expect(history(1, r)).toEqual([...range(1, 1, 5), ...range(2, 1, 2)]);
    expect(history(2, r)).toEqual(history(1, r));
    expect(r.checker.violations).toEqual([]);
  });

  it('a proposal that never reaches a quorum of ACKs is never committed', () => {
    const r = buildZabRun(defaultScenario({ voters: 3, actions: parseActions('3000 partition 3|1,2; 3100 write 2') }));
    r.sim.records = [];
    runTo(r, 30_000);
    expect(r.sim.records.some((x) => x.node === 3 && x.code === 'write.proposed' && x.args.zxid === '0x100000001')).toBe(true);
    expect(r.sim.records.some((x) => x.code === 'commits' && x.args.zxid === '0x100000001')).toBe(false);
    // the majority elected a new leader without it; the old leader still has it, in its log only
    for (const id of [1, 2]) expect(history(id, r)).not.toContain(z(1, 1));
    expect(r.sim.node(3).state!.log).toContain(z(1, 1));
    expect(r.sim.node(3).state!.zabState).not.toBe('BROADCAST');
  });

  it('the leader whose own log write fails shuts down; the write is not acknowledged by it', () => {
    const r = buildZabRun(defaultScenario({ voters: 3, actions: parseActions('3000 diskfail 3; 3100 write 1') }));
    r.sim.records = [];
    runTo(r, 4000);
    expect(r.sim.records.some((x) => x.node === 3 && x.code === 'goesLooking' && x.args.reason === 'leaderLogFailed' && x.args.zxid === '0x100000001')).toBe(true);
    expect(r.sim.node(3).state!.state).not.toBe('LEADING');
    expect(r.checker.violations).toEqual([]);
  });

  it('zxid counter rollover forces a new election; the counter restarts in a new epoch', () => {
    const r = buildZabRun(defaultScenario({ voters: 3, timing: { initialZxidCounter: 0xfffffffb }, actions: parseActions('3000 write 5; 8000 write 1') }));
    r.sim.records = [];
    runTo(r, 20_000);
    expect(r.sim.records.some((x) => x.code === 'goesLooking' && x.args.reason === 'rollover')).toBe(true);
    const leader = [1, 2, 3].map((id) => r.sim.node(id).state!).find((s) => s.state === 'LEADING')!;
    expect(leader.currentEpoch).toBe(2);
    // the proposals made before the rollover survive on the old leader's log, which wins the
    // election (highest zxid) and commits them in the new epoch
    expect(leader.history).toEqual([z(1, 0xfffffffc), z(1, 0xfffffffd), z(1, 0xfffffffe), z(2, 0xfffffffc)]);
    expect(r.checker.violations).toEqual([]);
  });

  it('observers receive INFORM and hold the same history, and never count toward a commit quorum', () => {
    const r = buildZabRun(defaultScenario({ voters: 3, observers: 2, actions: parseActions('3000 crash 1; 3000 crash 2; 3100 write 1; 9000 restart 1; 9000 restart 2; 40000 write 2') }));
    r.sim.records = [];
    runTo(r, 60_000);
    expect(r.sim.records.some((x) => x.kind === 'INFORM' && (x.node === 4 || x.node === 5))).toBe(true);
    expect(history(4, r)).toEqual(history(r.sim.nodeIds().find((id) => r.sim.node(id).state!.state === 'LEADING')!, r));
    expect(r.checker.violations).toEqual([]);
  });

  it("a learner's read timeout becomes syncLimit once NEWLEADER arrives, not at UPTODATE (Learner.syncWithLeader)", () => {
    // a slow disk keeps the learner between NEWLEADER and UPTODATE long enough to look
    const r = buildZabRun(defaultScenario({ voters: 3, disk: { latencyMin: 300, latencyMax: 300 } }));
    const { tickTime, initLimit, syncLimit } = ensemble(3, 0).timing;
    expect(syncLimit).not.toBe(initLimit);
    let checked = 0;
    while (r.sim.now < 10_000 && r.sim.step()) {
      r.checker.afterStep(r.sim);
      const d = r.sim.lastStep.delivered;
      if (!d || (d.msg.kind !== 'NEWLEADER' && d.msg.kind !== 'LEADERINFO')) continue;
      const n = r.sim.node(d.to);
      const limit = n.timers.leaderSilence! - r.sim.now;
      expect(limit, d.msg.kind).toBe((d.msg.kind === 'NEWLEADER' ? syncLimit : initLimit) * tickTime);
      expect(n.state!.zabState).not.toBe('BROADCAST');
      checked++;
    }
    expect(checked).toBe(4); // LEADERINFO and NEWLEADER at each of the two followers
  });
});
