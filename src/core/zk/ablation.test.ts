/**
 * The checker finds what each ZAB ablation breaks. For each switch: a fault-schedule family shaped
 * around the danger it opens, with random timings, searched over a fixed seed budget; the switch
 * on must break the named invariant for some seed, and the same schedules with every switch off
 * must break nothing. Handler-level tests show each branch doing what its comment says.
 */
import fc from 'fast-check';
import { knownBugs } from '../explore/knownBugs';
import { describe, expect, it } from 'vitest';
import type { TimedAction } from '../sim/actions';
import { parseActions } from '../scenario/actionText';
import { defaultScenario } from '../scenario/scenario';
import { buildZabRun, runTo } from '../scenario/run';
import { FakeCtx } from '../testing/fakeCtx';
import type { NodeId } from '../sim/types';
import { ensemble, type ZabAblations } from './config';
import { onLeaderInfo } from './discovery';
import type { ZkMessage } from './messages';
import { QuorumVerifier, quorumNow } from './quorum';
import type { Env, ZkServer } from './state';
import { totalOrderPredicate } from './vote';
import { makeZxid } from './zxid';

const w = (at: number, count: number, node?: number): TimedAction => ({ at, action: { verb: 'write', count, ...(node ? { node } : {}) } });

type Family = { voters: number; until: number; schedules: fc.Arbitrary<TimedAction[]> };

/** liveQuorum: the established leader (S5 of 5) is cut off with one follower; writes reach both sides. */
const minorityLeader: Family = {
  voters: 5,
  until: 26_000,
  schedules: fc
    .record({
      part: fc.integer({ min: 2000, max: 3500 }),
      mate: fc.integer({ min: 1, max: 4 }),
      minority: fc.array(fc.integer({ min: 100, max: 2000 }), { minLength: 1, maxLength: 3 }),
      majority: fc.integer({ min: 12_000, max: 14_000 }),
      heal: fc.integer({ min: 15_000, max: 18_000 }),
    })
    .map(({ part, mate, minority, majority, heal }) => [
      w(1000, 2),
      { at: part, action: { verb: 'partition' as const, groups: [[5, mate]] } },
      ...minority.map((t) => w(part + t, 1, 5)),
      w(part + majority, 2),
      { at: part + heal, action: { verb: 'heal' as const } },
    ].sort((a, b) => a.at - b.at)),
};

/** commitEarly: writes, then the leader (S3 of 3) crashes right after, and comes back later. */
const leaderCrashAfterWrite: Family = {
  voters: 3,
  until: 14_000,
  schedules: fc
    .record({ write: fc.integer({ min: 800, max: 1500 }), n: fc.integer({ min: 1, max: 3 }), crash: fc.integer({ min: 0, max: 40 }), back: fc.integer({ min: 3000, max: 6000 }), later: fc.integer({ min: 7000, max: 9000 }) })
    .map(({ write, n, crash, back, later }) => [
      w(write, n),
      { at: write + crash, action: { verb: 'crash' as const, id: 3 } },
      { at: write + back, action: { verb: 'restart' as const, id: 3 } },
      w(later, 2),
    ].sort((a, b) => a.at - b.at)),
};

/** noTrunc: the leader (S3 of 3) is cut off alone and logs proposals nobody ACKs; it rejoins; writes follow. */
const isolatedLeaderRejoins: Family = {
  voters: 3,
  until: 24_000,
  schedules: fc
    .record({
      part: fc.integer({ min: 1800, max: 2500 }),
      alone: fc.array(fc.integer({ min: 50, max: 600 }), { minLength: 1, maxLength: 3 }),
      heal: fc.integer({ min: 12_500, max: 15_000 }),
      after: fc.integer({ min: 1500, max: 3000 }),
    })
    .map(({ part, alone, heal, after }) => [
      w(1000, 1),
      { at: part, action: { verb: 'partition' as const, groups: [[3]] } },
      ...alone.map((t) => w(part + t, 1, 3)),
      { at: part + heal, action: { verb: 'heal' as const } },
      w(part + heal + after, 2),
    ].sort((a, b) => a.at - b.at)),
};

const BUDGET = 12;

function search(f: Family, ablations: ZabAblations | undefined, budget = BUDGET) {
  const found: { seed: number; invariants: string[] }[] = [];
  for (let seed = 0; seed < budget; seed++) {
    const actions = fc.sample(f.schedules, { seed, numRuns: 1 })[0]!;
    const r = buildZabRun(defaultScenario({ voters: f.voters, seed, actions, ...(ablations ? { ablations: { zab: ablations } } : {}) }));
    runTo(r, f.until);
    if (r.checker.violations.length) found.push({ seed, invariants: [...new Set(r.checker.violations.map((v) => v.invariant))] });
  }
  return found;
}

const some = (found: { invariants: string[] }[], inv: string) => found.filter((x) => x.invariants.includes(inv)).length;

describe('ablation liveQuorum (a majority of the voters in contact, not of the configured ones)', () => {
  it(`a minority partition keeps its leader and commits: Durability, then PrefixConsistency, within ${BUDGET} seeds`, () => {
    const found = search(minorityLeader, { liveQuorum: true });
    expect(some(found, 'Durability')).toBeGreaterThan(0);
    expect(some(found, 'PrefixConsistency')).toBeGreaterThan(0);
  });

  it('the same schedules without it break nothing', () => {
    expect(search(minorityLeader, undefined)).toEqual([]);
  });

  it('quorumNow counts the voters in contact; without the switch, the configured ones', () => {
    const ctx = new FakeCtx<ZkMessage>(1);
    const inContact = (): NodeId[] => [1, 2];
    Object.assign(ctx, { inContact });
    const env = (ablations?: ZabAblations): Env => {
      const cfg = ensemble(5, 0, {}, ablations);
      return { cfg, qv: new QuorumVerifier(cfg.voters), ctx };
    };
    expect(quorumNow(env({ liveQuorum: true })).containsQuorum([1, 2])).toBe(true);
    expect(quorumNow(env({ liveQuorum: true })).containsQuorum([1])).toBe(false);
    expect(quorumNow(env()).containsQuorum([1, 2])).toBe(false);
  });
});

describe('ablation commitEarly (commit on the leader\'s own log write)', () => {
  it(`breaks Durability at every commit, and NoCommittedLoss after the leader crashes, within ${BUDGET} seeds`, () => {
    const found = search(leaderCrashAfterWrite, { commitEarly: true });
    expect(found.length).toBe(BUDGET);
    expect(found.every((x) => x.invariants.includes('Durability'))).toBe(true);
    expect(some(found, 'NoCommittedLoss')).toBeGreaterThan(0);
  });

  it('the same schedules without it break nothing', () => {
    expect(search(leaderCrashAfterWrite, undefined)).toEqual([]);
  });

  it('a leader cut off alone commits with it, never without it', () => {
    for (const on of [true, false]) {
      const r = buildZabRun(defaultScenario({ voters: 3, actions: [{ at: 1000, action: { verb: 'partition', groups: [[3]] } }, w(1100, 1)], ...(on ? { ablations: { zab: { commitEarly: true } } } : {}) }));
      runTo(r, 1500);
      expect(r.sim.node(3).state!.leader!.lastCommitted).toBe(on ? makeZxid(1, 1) : makeZxid(1, 0));
    }
  });
});

describe('ablation noTrunc (DIFF instead of TRUNC for a learner ahead of the leader)', () => {
  it(`the old leader keeps and delivers txns nobody committed: PrefixConsistency within ${BUDGET} seeds`, () => {
    const found = search(isolatedLeaderRejoins, { noTrunc: true });
    expect(some(found, 'PrefixConsistency')).toBeGreaterThan(0);
  });

  it('the same schedules without it break nothing', () => {
    expect(search(isolatedLeaderRejoins, undefined)).toEqual([]);
  });

  it('the rejoining server is synced with DIFF with it, TRUNC without it', () => {
    for (const on of [true, false]) {
      const actions = fc.sample(isolatedLeaderRejoins.schedules, { seed: 0, numRuns: 1 })[0]!;
      const r = buildZabRun(defaultScenario({ voters: 3, actions, ...(on ? { ablations: { zab: { noTrunc: true } } } : {}) }));
      r.sim.records = [];
      runTo(r, isolatedLeaderRejoins.until);
      const modes = r.sim.records.filter((x) => x.code === 'synced' && x.node === 3).map((x) => x.args.mode);
      expect(modes).toContain(on ? 'DIFF' : 'TRUNC');
      expect(modes).not.toContain(on ? 'TRUNC' : 'never');
    }
  });
});

describe('ablation voteByMyid (votes ordered by myid alone)', () => {
  it('totalOrderPredicate ignores epoch and zxid with it', () => {
    const big = makeZxid(1, 9);
    expect(totalOrderPredicate(1, big, 1, 2, 0, 0)).toBe(true);
    expect(totalOrderPredicate(1, big, 1, 2, 0, 0, true)).toBe(false);
    expect(totalOrderPredicate(3, 0, 0, 2, big, 1, true)).toBe(true);
  });
});

describe('ablation noEpochFencing (accept a leader older than our acceptedEpoch)', () => {
  function learner(): ZkServer {
    const r = buildZabRun(defaultScenario({ voters: 3 }));
    runTo(r, 3000);
    const s = structuredClone(r.sim.node(1).state!);
    s.acceptedEpoch = 5;
    s.learner!.conn = 7;
    return s;
  }
  const env = (ctx: FakeCtx<ZkMessage>, ablations?: ZabAblations): Env => {
    const cfg = ensemble(3, 0, {}, ablations);
    return { cfg, qv: new QuorumVerifier(cfg.voters), ctx };
  };

  it('LEADERINFO of epoch 3 after accepting 5: ACKEPOCH with it, back to LOOKING without it', () => {
    const on = new FakeCtx<ZkMessage>(1);
    const s1 = learner();
    onLeaderInfo(s1, env(on, { noEpochFencing: true }), { kind: 'LEADERINFO', zxid: makeZxid(3, 0) });
    expect(on.streamed).toContainEqual({ conn: 7, msg: { kind: 'ACKEPOCH', currentEpoch: s1.currentEpoch, zxid: s1.lastZxid } });
    expect(s1.state).toBe('FOLLOWING');

    const off = new FakeCtx<ZkMessage>(1);
    const s2 = learner();
    onLeaderInfo(s2, env(off), { kind: 'LEADERINFO', zxid: makeZxid(3, 0) });
    expect(off.streamed.some((x) => x.msg.kind === 'ACKEPOCH')).toBe(false);
    expect(s2.state).toBe('LOOKING');
  });
});

/**
 * Random faults that can open an election race (crashes, restarts, partitions, loss, and unless
 * `quiet`, disk failures and single cut links), then everything healed and two more writes: for
 * the switches the shaped families could not break, the search that found nothing. `quiet` leaves
 * out the two faults that reach known model bugs, independent of any ablation: a stream whose
 * held segments are overtaken by later ones when a cut link heals, and a learner whose NEWLEADER
 * write fails after SNAP keeping the snapshot's tree in memory.
 */
function randomFaults(n: number, quiet = false): fc.Arbitrary<TimedAction[]> {
  const id = fc.integer({ min: 1, max: n });
  const at = fc.integer({ min: 0, max: 29_999 });
  const half = Math.ceil(n / 2);
  const quietOnes: fc.WeightedArbitrary<TimedAction>[] = [
    { weight: 3, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('write' as const), count: fc.integer({ min: 1, max: 5 }) }) }) },
    { weight: 3, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('crash' as const), id }) }) },
    { weight: 3, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('restart' as const), id }) }) },
    { weight: 2, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('partition' as const), groups: fc.subarray(Array.from({ length: n }, (_, i) => i + 1), { minLength: 1 }).map((g) => [g]) }) }) },
    { weight: 1, arbitrary: fc.record({ at, action: fc.constant({ verb: 'heal' as const }) }) },
    { weight: 2, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('loss' as const), p: fc.double({ min: 0, max: 0.3, noNaN: true }) }) }) },
  ];
  const others: fc.WeightedArbitrary<TimedAction>[] = [
    { weight: 2, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('diskfail' as const), id }) }) },
    { weight: 2, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('diskok' as const), id }) }) },
    { weight: 4, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('cut' as const), a: fc.integer({ min: 1, max: half }), b: fc.integer({ min: half + 1, max: n }) }) }) },
    { weight: 2, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('mend' as const), a: fc.integer({ min: 1, max: half }), b: fc.integer({ min: half + 1, max: n }) }) }) },
  ];
  const action = fc.oneof(...(quiet ? quietOnes : [...quietOnes, ...others]));
  const settle: TimedAction[] = [
    { at: 30_000, action: { verb: 'heal' } },
    { at: 30_000, action: { verb: 'loss', p: 0 } },
    ...Array.from({ length: n }, (_, i) => [
      { at: 30_000, action: { verb: 'diskok' as const, id: i + 1 } },
      { at: 30_000, action: { verb: 'restart' as const, id: i + 1 } },
    ]).flat(),
    w(60_000, 2),
  ];
  return fc.array(action, { minLength: 10, maxLength: 40 }).map((xs) => [...xs.sort((a, b) => a.at - b.at), ...settle]);
}

function randomRun(seed: number, ablations?: ZabAblations, quiet = false) {
  const voters = 3 + (seed % 3);
  const actions = fc.sample(randomFaults(voters, quiet), { seed, numRuns: 1 })[0]!;
  const sc = defaultScenario({ voters, seed, net: { latencyMin: 1, latencyMax: 60, loss: 0 }, actions, ...(ablations ? { ablations: { zab: ablations } } : {}) });
  const r = buildZabRun(sc);
  r.sim.records = [];
  runTo(r, 65_000);
  // event codes, and each reason for going back to LOOKING as `goesLooking.<reason>`
  const codes = new Set(r.sim.records.map((x) => (x.code === 'goesLooking' ? `goesLooking.${x.args.reason}` : x.code)));
  return { violations: r.checker.violations, codes, scenario: sc };
}

const RANDOM_BUDGET = 400;

describe('ablation noEpochFencing: the refusal fires rarely, and no schedule found breaks safety without it', () => {
  it(`over ${RANDOM_BUDGET} random fault schedules, learners accept older leaders in some, and nothing is violated`, () => {
    const accepted: number[] = [];
    for (let seed = 0; seed < RANDOM_BUDGET; seed++) {
      const { violations, codes } = randomRun(seed, { noEpochFencing: true });
      expect(violations, `seed ${seed}`).toEqual([]);
      if (codes.has('acceptsOlderEpoch')) accepted.push(seed);
    }
    expect(accepted.length).toBeGreaterThan(0);
    // a run diverges only once a learner meets an older leader, so the runs without the switch refuse there
    for (const seed of accepted) expect(randomRun(seed).codes.has('goesLooking.epochLower'), `seed ${seed}`).toBe(true);
    // the same schedules without the switch: learners refuse instead ("Leaders epoch, x, is less than accepted epoch, y")
    let refused = 0;
    for (let seed = 0; seed < RANDOM_BUDGET; seed++) if (randomRun(seed).codes.has('goesLooking.epochLower')) refused++;
    expect(refused).toBeGreaterThan(0);
  });
});

describe('ablation voteByMyid: a shorter log can win the election, but cannot establish', () => {
  // S1 holds three committed txns that S2 lacks; S3 (which has them too) is down until 6 s
  const actions = '500 crash 2; 1000 write 3; 2000 crash 3; 2000 crash 1; 3000 restart 1; 3000 restart 2; 6000 restart 3';
  const run = (ablations?: ZabAblations) => {
    const r = buildZabRun(defaultScenario({ voters: 3, actions: parseActions(actions), ...(ablations ? { ablations: { zab: ablations } } : {}) }));
    r.sim.records = [];
    runTo(r, 6000);
    return r;
  };

  it('S2 (larger myid, shorter log) is elected, refuses S1 as ahead of it, and no epoch is established until S3 returns', () => {
    const r = run({ voteByMyid: true });
    const notes = r.sim.records!.filter((x) => x.time >= 3000);
    expect(notes.some((x) => x.code === 'decides.LEADING' && x.node === 2)).toBe(true);
    // Leader.waitForEpochAck: "Follower is ahead of the leader", the check that keeps this safe
    expect(notes.some((x) => x.code === 'refusesAhead' && x.node === 2 && x.args.sid === 1)).toBe(true);
    expect(notes.some((x) => x.code === 'established')).toBe(false);
    expect(r.checker.violations).toEqual([]);
  });

  it('without it S1 (larger zxid) leads within a second', () => {
    const r = run();
    expect(r.sim.records!.some((x) => x.code === 'established' && x.node === 1 && x.time < 4000)).toBe(true);
  });

  it(`over ${RANDOM_BUDGET} random fault schedules, nothing is violated with it`, () => {
    for (let seed = 0; seed < RANDOM_BUDGET; seed++) {
      const { violations, scenario } = randomRun(seed, { voteByMyid: true });
      // a disk failure can show one of ZooKeeper's own bugs; those are not this rule's doing
      if (violations.length) expect([...knownBugs(scenario, violations[0]!.time)], `seed ${seed}: ${violations[0]!.message}`).not.toEqual([]);
    }
  });
});

describe('ablation noFinalizeWait: elections end sooner, on a worse vote, and stay safe', () => {
  // S5, the best vote, starts 20 to 160 ms after the others
  const SEEDS = 30;
  const firstLeaders = (ablations?: ZabAblations) => {
    const out: { leader: number; at: number; violations: number }[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const late = 20 + ((seed * 37) % 140);
      const r = buildZabRun(defaultScenario({ voters: 5, seed, actions: [{ at: 0, action: { verb: 'crash', id: 5 } }, { at: late, action: { verb: 'restart', id: 5 } }], ...(ablations ? { ablations: { zab: ablations } } : {}) }));
      r.sim.records = [];
      runTo(r, 8000);
      const est = r.sim.records.find((x) => x.code === 'established')!;
      out.push({ leader: est.node, at: est.time, violations: r.checker.violations.length });
    }
    return out;
  };

  it(`with it, the first leader is mostly not S5 and is established sooner; without it, always S5 (${SEEDS} seeds)`, () => {
    const on = firstLeaders({ noFinalizeWait: true });
    const off = firstLeaders();
    expect(off.every((x) => x.leader === 5)).toBe(true);
    expect(on.filter((x) => x.leader !== 5).length).toBeGreaterThan(SEEDS / 2);
    const mean = (xs: { at: number }[]) => xs.reduce((a, x) => a + x.at, 0) / xs.length;
    expect(mean(on)).toBeLessThan(mean(off));
    expect([...on, ...off].every((x) => x.violations === 0)).toBe(true);
  });

  // with disk failures and cut links, seeds 375 and 849 of this family break invariants with it on;
  // both were traced to the two model bugs named above (randomFaults), not to the missing wait
  it(`over ${RANDOM_BUDGET} random fault schedules without disk failures or cut links, nothing is violated with it`, () => {
    for (let seed = 0; seed < RANDOM_BUDGET; seed++) expect(randomRun(seed, { noFinalizeWait: true }, true).violations, `seed ${seed}`).toEqual([]);
  });
});
