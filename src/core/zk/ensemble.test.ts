/**
 * Whole-ensemble behaviour through the simulator: the outcomes ZooKeeper 3.8 shows for the
 * same steps (who leads, who follows, the epochs), and the liveness rules after an election.
 */
import { describe, expect, it } from 'vitest';
import { parseActions } from '../scenario/actionText';
import { defaultScenario } from '../scenario/scenario';
import { buildZabRun, runTo, type ZabRun } from '../scenario/run';
import { makeZxid } from './zxid';

function run(voters: number, until: number, actions = '', observers = 0, seed: number | string = 1): ZabRun {
  const r = buildZabRun(defaultScenario({ voters, observers, seed, actions: parseActions(actions) }));
  runTo(r, until);
  return r;
}

function states(r: ZabRun): Record<number, string> {
  const out: Record<number, string> = {};
  for (const id of r.sim.nodeIds()) {
    const n = r.sim.node(id);
    out[id] = n.up && n.state ? `${n.state.state}${n.state.state === 'LOOKING' ? '' : ':' + n.state.currentVote.leader}` : 'DOWN';
  }
  return out;
}

describe('a fresh ensemble', () => {
  it('three servers elect the highest myid (all zxids equal) and establish epoch 1', () => {
    const r = run(3, 5000);
    expect(states(r)).toEqual({ 1: 'FOLLOWING:3', 2: 'FOLLOWING:3', 3: 'LEADING:3' });
    for (const id of [1, 2, 3]) {
      const s = r.sim.node(id).state!;
      expect(s.acceptedEpoch).toBe(1);
      expect(s.currentEpoch).toBe(1);
      expect(s.zabState).toBe('BROADCAST');
      expect(r.sim.node(id).durable).toMatchObject({ acceptedEpoch: 1, currentEpoch: 1 });
    }
    expect(r.sim.node(3).state!.lastZxid).toBe(makeZxid(1, 0));
    expect(r.checker.violations).toEqual([]);
  });

  it('servers started one by one (3, then 1, then 2) elect 3, as a real ensemble does', () => {
    // checked against ZooKeeper 3.8.0: 1 (synced by DIFF) reports zxid 0x0, 2 (joined after the
    // epoch was established, synced by SNAP) reports 0x100000000, like the leader
    const r = run(3, 10_000, '0 crash 1; 0 crash 2; 2000 restart 1; 4000 restart 2');
    expect(states(r)).toEqual({ 1: 'FOLLOWING:3', 2: 'FOLLOWING:3', 3: 'LEADING:3' });
    expect([1, 2, 3].map((id) => r.sim.node(id).state!.lastZxid)).toEqual([0, makeZxid(1, 0), makeZxid(1, 0)]);
  });

  it('observers learn the leader and never count toward a quorum', () => {
    const r = run(3, 5000, '', 2);
    expect(states(r)).toMatchObject({ 3: 'LEADING:3', 4: 'OBSERVING:3', 5: 'OBSERVING:3' });
    // one voter and two observers are not a quorum of three voters
    const lone = run(3, 60_000, '0 crash 2; 0 crash 3', 2);
    expect(Object.values(states(lone)).filter((s) => s.startsWith('LEADING'))).toHaveLength(0);
  });

  it('a 5-server ensemble with 3 down cannot elect; with 2 down it can', () => {
    const three = run(5, 120_000, '0 crash 3; 0 crash 4; 0 crash 5');
    expect(states(three)).toEqual({ 1: 'LOOKING', 2: 'LOOKING', 3: 'DOWN', 4: 'DOWN', 5: 'DOWN' });
    const two = run(5, 120_000, '0 crash 4; 0 crash 5');
    expect(states(two)).toEqual({ 1: 'FOLLOWING:3', 2: 'FOLLOWING:3', 3: 'LEADING:3', 4: 'DOWN', 5: 'DOWN' });
  });

  it('four servers tolerate no more failures than three: two down leaves no quorum', () => {
    const r = run(4, 120_000, '0 crash 3; 0 crash 4');
    expect(Object.values(states(r)).some((s) => s.startsWith('LEADING'))).toBe(false);
  });
});

describe('after the election', () => {
  it('the leader crashes: its followers see the connection reset and elect a new leader in a new epoch', () => {
    const r = run(3, 12_000, '5000 crash 3');
    expect(states(r)).toEqual({ 1: 'FOLLOWING:2', 2: 'LEADING:2', 3: 'DOWN' });
    expect(r.sim.node(2).state!.currentEpoch).toBe(2);
    expect(r.sim.node(2).state!.lastZxid).toBe(makeZxid(2, 0));
  });

  it('a restarted server follows the established leader, whatever its myid', () => {
    const r = run(3, 30_000, '5000 crash 3; 15000 restart 3');
    expect(states(r)).toEqual({ 1: 'FOLLOWING:2', 2: 'LEADING:2', 3: 'FOLLOWING:2' });
    expect(r.sim.node(3).state!.currentEpoch).toBe(2);
  });

  it('a partitioned follower gets no PING for syncLimit ticks and goes LOOKING; the leader keeps its quorum', () => {
    const r = buildZabRun(defaultScenario({ voters: 3, actions: parseActions('5000 partition 1|2,3') }));
    let lookingAt: number | null = null;
    while (r.sim.now < 30_000 && r.sim.step()) {
      const s = r.sim.node(1).state!;
      if (lookingAt === null && r.sim.now > 5000 && s.state === 'LOOKING') lookingAt = r.sim.now;
    }
    // syncLimit (5) × tickTime (2000) after the last packet it got from the leader
    expect(lookingAt).not.toBeNull();
    expect(lookingAt!).toBeGreaterThan(5000 + 8000);
    expect(lookingAt!).toBeLessThanOrEqual(5000 + 10_100);
    expect(states(r)[3]).toBe('LEADING:3');
  });

  it('a leader cut off from its quorum steps down after syncLimit ticks, and the majority elects another', () => {
    const r = buildZabRun(defaultScenario({ voters: 5, actions: parseActions('5000 partition 5|1,2,3,4') }));
    let steppedDown: number | null = null;
    while (r.sim.now < 60_000 && r.sim.step()) {
      r.checker.afterStep(r.sim);
      const s = r.sim.node(5).state!;
      if (steppedDown === null && r.sim.now > 5000 && s.state === 'LOOKING') steppedDown = r.sim.now;
    }
    expect(steppedDown).not.toBeNull();
    expect(steppedDown!).toBeGreaterThan(5000 + 8000);
    expect(steppedDown!).toBeLessThan(5000 + 14_000);
    const st = states(r);
    expect(st[5]).toBe('LOOKING');
    expect(st[4]).toBe('LEADING:4');
    expect(r.sim.node(4).state!.currentEpoch).toBe(2);
    expect(r.checker.violations).toEqual([]);
  });

  it('the old leader rejoins after the partition heals: it cannot rule again, it follows the new epoch', () => {
    const r = run(5, 150_000, '5000 partition 5|1,2,3,4; 40000 heal');
    const st = states(r);
    expect(st[5]).toBe('FOLLOWING:4');
    expect(r.sim.node(5).state!.acceptedEpoch).toBe(2);
  });

  it('split brain prevented: a stale leader in a minority commits nothing, steps down, and is truncated on healing', () => {
    const r = buildZabRun(defaultScenario({ voters: 5, actions: parseActions('2000 write 2; 4000 partition 5|1,2,3,4; 4100 write 3; 30000 heal') }));
    r.sim.records = [];
    runTo(r, 60_000);
    const rec = r.sim.records;
    // the old leader proposed 1:3..1:5 but never committed them
    expect(rec.filter((x) => x.node === 5 && x.code === 'write.proposed' && x.time > 4000).map((x) => x.args.zxid)).toEqual(['0x100000003', '0x100000004', '0x100000005']);
    expect(rec.some((x) => x.code === 'commits' && x.node === 5 && x.time > 4000)).toBe(false);
    expect(rec.some((x) => x.node === 5 && x.code === 'goesLooking' && x.args.reason === 'notSynced')).toBe(true);
    // the majority elected 4 in epoch 2; on healing 5 follows and its uncommitted tail is cut
    expect(states(r)).toEqual({ 1: 'FOLLOWING:4', 2: 'FOLLOWING:4', 3: 'FOLLOWING:4', 4: 'LEADING:4', 5: 'FOLLOWING:4' });
    expect(rec.some((x) => x.node === 5 && x.type === 'deliver' && x.kind === 'TRUNC')).toBe(true);
    for (const id of [1, 2, 3, 4, 5]) expect(r.sim.node(id).state!.history).toEqual([makeZxid(1, 1), makeZxid(1, 2)]);
    expect(r.checker.violations).toEqual([]);
  });

  it('a restarted server with the highest myid and a higher zxid still follows, and is truncated (TRUNC)', () => {
    const sc = defaultScenario({ voters: 3, actions: parseActions('0 crash 3; 20000 restart 3') });
    const r = buildZabRun(sc);
    // before it restarts, give server 3 a log from an earlier life: epoch 1, five transactions
    r.sim.node(3).durable = { acceptedEpoch: 1, currentEpoch: 1, log: [1, 2, 3, 4, 5].map((c) => makeZxid(1, c)) };
    r.sim.records = [];
    runTo(r, 40_000);
    expect(states(r)).toEqual({ 1: 'FOLLOWING:2', 2: 'LEADING:2', 3: 'FOLLOWING:2' });
    expect(r.sim.records.some((x) => x.node === 3 && x.kind === 'TRUNC')).toBe(true);
  });

  it('a leader whose acceptedEpoch write fails gives up leading', () => {
    const r = run(3, 3000, '0 diskfail 3');
    expect(r.sim.node(3).state!.state).not.toBe('LEADING');
  });
});

describe('a stop-the-world pause', () => {
  it('a paused leader is replaced; resumed, it works through its backlog, gives up leading and follows the new epoch', () => {
    const r = buildZabRun(defaultScenario({ voters: 3, actions: parseActions('2000 write 3; 3000 pause 3; 5000 write 2; 30000 resume 3; 35000 write 1') }));
    r.sim.records = [];
    runTo(r, 29_000);
    // alive and still LEADING in its own eyes (it runs nothing), while 1 and 2 moved on without it
    expect(r.sim.node(3).up).toBe(true);
    expect(r.sim.node(3).state!.state).toBe('LEADING');
    expect(r.sim.view(3)).toMatchObject({ paused: { backlog: expect.any(Number) } });
    expect(states(r)).toMatchObject({ 1: 'FOLLOWING:2', 2: 'LEADING:2' });
    // the followers gave up on it only once it had been silent for their read timeout
    const silent = r.sim.records.filter((x) => x.code === 'goesLooking' && x.args.reason === 'leaderSilent');
    expect(silent.map((x) => x.node).sort()).toEqual([1, 2]);
    expect(Math.min(...silent.map((x) => x.time))).toBeGreaterThan(3000 + 5000);
    // nothing the paused server does shows before it resumes
    expect(r.sim.records.filter((x) => x.node === 3 && x.time > 3000 && x.type !== 'action')).toEqual([]);
    runTo(r, 45_000);
    expect(states(r)).toEqual({ 1: 'FOLLOWING:2', 2: 'LEADING:2', 3: 'FOLLOWING:2' });
    // the writes sent to it while paused were handled late, in its old epoch, and never committed
    const late = r.sim.records.filter((x) => x.node === 3 && x.code === 'write.proposed' && x.time > 3000);
    expect(late.every((x) => x.time === 30_000)).toBe(true);
    expect(late.map((x) => x.args.zxid)).toEqual(['0x100000004', '0x100000005']);
    expect(r.sim.view(3)).not.toHaveProperty('paused');
    expect(r.checker.violations).toEqual([]);
  });

  it("a paused follower's handler leaves the leader after syncLimit of silence (LearnerHandler's socket timeout); the leader keeps its quorum", () => {
    const r = buildZabRun(defaultScenario({ voters: 3, actions: parseActions('3000 pause 1') }));
    r.sim.records = [];
    runTo(r, 20_000);
    const dropped = r.sim.records.filter((x) => x.node === 3 && x.code === 'closesSilentLearner');
    expect(dropped.map((x) => x.args.sid)).toEqual([1]);
    // silent since its last PING reply before 3000: gone 10 s (syncLimit 5 × tickTime 2000) after that
    expect(dropped[0]!.time).toBeGreaterThan(3000 + 8000);
    expect(dropped[0]!.time).toBeLessThanOrEqual(3000 + 10_000);
    expect(r.sim.node(3).state!.leader!.handlers[1]).toBeUndefined();
    expect(states(r)).toMatchObject({ 2: 'FOLLOWING:3', 3: 'LEADING:3' });
    expect(r.checker.violations).toEqual([]);
  });

  it('a paused follower is dropped by nobody until it is silent too long; resumed at once, it carries on', () => {
    const r = run(3, 12_000, '2000 pause 1; 2500 write 2; 3000 resume 1');
    expect(states(r)).toEqual({ 1: 'FOLLOWING:3', 2: 'FOLLOWING:3', 3: 'LEADING:3' });
    // it logged and applied the writes that reached it while it was stopped
    expect(r.sim.node(1).state!.lastZxid).toBe(makeZxid(1, 2));
    expect(r.checker.violations).toEqual([]);
  });
});

