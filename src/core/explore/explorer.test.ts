import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Action } from '../sim/actions';
import { parseActions } from '../scenario/actionText';
import { defaultScenario, type Scenario } from '../scenario/scenario';
import { decodeScenario } from '../scenario/decode';
import { buildRun } from '../scenario/run';
import { KNOWN_BUGS, knownBugs } from './knownBugs';
import { PRESETS } from '../scenario/presets';
import { explore, firstViolation, firstViolationWithLiveness, LIVENESS, replay, type Counterexample, type ExploreOptions } from './explorer';
import { FAULT_KINDS, planRun, randomSchedule, type FaultKind } from './schedule';
import { ABLATIONS, ablationsOn, withAblations } from './ablations';
import { healActions, livenessOf } from './liveness';
import { KNOWN_NOTES } from './coverage';

/** One small ensemble per protocol, as the page's "Find a bug" would search it. */
const BASES: Record<string, Scenario> = {
  zab: defaultScenario({ voters: 3 }),
  '2pc': defaultScenario({ protocol: '2pc', voters: 4 }),
  paxos: defaultScenario({ protocol: 'paxos', voters: 3, paxos: { proposers: 2, learners: 1, mode: 'multi' } }),
};
/** The fixed budget every ablation must be found within, and the explorer's seed. */
const BUDGET = 150;
const SEED = 1;
/** Rules whose violation needs a longer search: their own budget and seed. */
// seed 1 meets the model's known bugs (4394, the sync cut short) before liveQuorum's own violation
// syncLocally: 3.8.0's known bugs come first at every seed tried; on 3.9 (none of them) seed 2 finds it
const SEARCH: Record<string, { runs: number; seed: number; zk?: '3.9' }> = { 'zab.noTrunc': { runs: 1500, seed: 2 }, 'zab.liveQuorum': { runs: BUDGET, seed: 2 }, 'zab.syncLocally': { runs: BUDGET, seed: 2, zk: '3.9' } };
/**
 * Rules that, in this model, guard liveness rather than safety: switched off, no invariant breaks
 * (src/core/zk/ablation.test.ts shows what they change instead, and docs/PROTOCOL.md says why).
 */
const SAFE = new Set(['zab.noEpochFencing', 'zab.voteByMyid', 'zab.noFinalizeWait']);

/** Every violation a search meets in its budget, searching on past each one (not shrunk). */
function everyViolation(o: ExploreOptions): Counterexample[] {
  return search(o).found;
}

/** The same, with the longest any run took to commit after its heal or restart. */
function search(o: ExploreOptions): { found: Counterexample[]; slowest: number } {
  const found: Counterexample[] = [];
  let slowest = 0;
  const end = (o.first ?? 0) + o.runs;
  for (let first = o.first ?? 0; first < end; ) {
    const r = explore({ ...o, first, runs: end - first, shrink: false });
    first += r.tried;
    slowest = Math.max(slowest, r.liveness?.slowest ?? 0);
    if (r.counterexample) found.push(r.counterexample);
  }
  return { found, slowest };
}

/** ZooKeeper's known bugs a counterexample shows (knownBugs.ts). */
const knownIn = (c: Counterexample) => knownBugs(c.scenario, c.violation.time);

/** The fault kind an action belongs to (both halves of a pause are a partition and a heal). */
function kindsOf(a: Action): FaultKind[] {
  switch (a.verb) {
    case 'crash':
    case 'restart':
      return ['crash'];
    case 'partition':
    case 'heal':
      return ['partition', 'pause'];
    case 'cut':
    case 'mend':
      return ['cut'];
    case 'diskfail':
    case 'diskok':
      return ['disk'];
    case 'loss':
      return ['loss'];
    case 'latency':
      return ['latency'];
    default:
      return [];
  }
}

describe('random fault schedules', () => {
  const o = { nodes: [1, 2, 3], horizon: 12_000, maxFaults: 6, maxWrites: 6 };

  it('are the same for the same seed, differ across seeds, and stay inside the horizon', () => {
    expect(randomSchedule(7, o)).toEqual(randomSchedule(7, o));
    expect(randomSchedule(8, o)).not.toEqual(randomSchedule(7, o));
    for (let s = 0; s < 50; s++) {
      const xs = randomSchedule(s, o);
      expect(xs.length).toBeGreaterThan(1);
      expect(xs.every((a, i) => i === 0 || xs[i - 1]!.at <= a.at)).toBe(true);
      expect(xs.every((a) => a.at <= o.horizon + 2000)).toBe(true);
    }
  });

  it('each draw their own mix of faults (swarm testing), and use only the kinds their mix has on', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const p = planRun(seed, o);
        expect(planRun(seed, o)).toEqual(p);
        for (const a of p.actions) {
          const kinds = kindsOf(a.action);
          if (kinds.length) expect(kinds.some((k) => p.swarm.weights[k] > 0), `${a.action.verb} in a run without it`).toBe(true);
        }
        // no fault before the first election has had its chance, unless the run may start early
        if (!p.swarm.early) expect(p.actions.every((a) => a.at >= 1500)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('differ in mix from run to run: some fault with one kind only, each kind is off in some, some start with a server down', () => {
    const plans = Array.from({ length: 300 }, (_, s) => planRun(s, o));
    const single = plans.filter((p) => FAULT_KINDS.filter((k) => p.swarm.weights[k] > 0).length === 1);
    expect(single.length).toBeGreaterThan(5);
    for (const k of FAULT_KINDS) {
      expect(plans.some((p) => p.swarm.weights[k] === 0), `${k} never off`).toBe(true);
      expect(plans.some((p) => p.swarm.weights[k] > 0), `${k} never on`).toBe(true);
    }
    // a server down from the start (a crash at 0 ms, before the first election)
    expect(plans.some((p) => p.actions.some((a) => a.at === 0 && a.action.verb === 'crash'))).toBe(true);
    // bursts of writes larger than one at a time, and runs that only crash and write
    expect(plans.some((p) => p.actions.some((a) => a.action.verb === 'write' && a.action.count > 3))).toBe(true);
    expect(plans.some((p) => p.actions.every((a) => ['crash', 'restart', 'write'].includes(a.action.verb)) && p.actions.some((a) => a.action.verb === 'crash'))).toBe(true);
  });
});

describe('the liveness phase', () => {
  it('undoes only what still stands, and restarting everyone crashes and restarts the servers still up', () => {
    const sc = { ...BASES.zab!, actions: parseActions('100 partition 1|2,3; 200 crash 2; 300 diskfail 3; 400 loss 0.2') };
    const r = buildRun(sc);
    r.sim.runUntil(1000);
    expect(healActions(r.sim, sc)).toEqual([{ verb: 'heal' }, { verb: 'loss', p: 0 }, { verb: 'diskok', id: 3 }, { verb: 'restart', id: 2 }, { verb: 'rate', perSecond: 2 }]);
    expect(healActions(r.sim, sc, true).filter((a) => a.verb === 'crash' || a.verb === 'restart')).toEqual([
      { verb: 'crash', id: 1 },
      { verb: 'crash', id: 3 },
      { verb: 'restart', id: 1 },
      { verb: 'restart', id: 2 },
      { verb: 'restart', id: 3 },
    ]);
  });

  it('breaks Liveness where zab.voteByMyid stalls, and not with the rule on', () => {
    // S3 is cut off from the start and logs nothing; once everyone restarts, votes by myid elect
    // S3, and Leader.waitForEpochAck refuses S1 and S2, which are ahead of it, again and again
    const sc = { ...BASES.zab!, seed: 4055616906, actions: parseActions('1 cut 2 3; 23 cut 1 3') };
    const w = withAblations(sc, ['zab.voteByMyid']);
    if (!w.ok) throw new Error(w.error);
    const v = firstViolationWithLiveness(w.scenario, 14_000);
    // the heal commits (S2 still leads); the stall comes once every server has restarted
    expect(v).toMatchObject({ invariant: LIVENESS, message: expect.stringMatching(/after every server restarted/) });
    expect(v!.time).toBeGreaterThan(14_000 + livenessOf(sc).bound);
    expect(firstViolationWithLiveness(sc, 14_000)).toBeNull();
  });

  // (docs/PROTOCOL.md gives the figures of a longer search: thousands of schedules each)
  for (const [name, base, runs] of [
    ['zab, 3 voters', BASES.zab!, 40],
    ['zab, 5 voters and an observer', defaultScenario({ voters: 5, observers: 1 }), 12],
    ['2pc', BASES['2pc']!, 40],
    ['paxos (multi)', BASES.paxos!, 30],
    ['paxos (basic)', defaultScenario({ protocol: 'paxos', voters: 3, paxos: { proposers: 2, learners: 1, mode: 'basic' } }), 20],
  ] as const) {
    it(`gives no false alarm in ${name}, over many seeds, well inside its bound`, () => {
      let slowest = 0;
      for (let seed = 11; seed < 19; seed++) {
        // the safety bugs ZAB's model still has are searched past (they are other tests' business)
        const s = search({ base, seed, runs });
        expect(s.found.filter((c) => c.violation.invariant === LIVENESS)).toEqual([]);
        slowest = Math.max(slowest, s.slowest);
      }
      expect(slowest).toBeGreaterThan(0);
      expect(slowest).toBeLessThan(livenessOf(base).bound / 2);
    });
  }
});

describe('the explorer', () => {
  for (const a of ABLATIONS.filter((x) => SAFE.has(x.name) && x.name !== 'zab.voteByMyid')) {
    it(`finds nothing of its own with ${a.name}: in this model it is not a safety rule (what it finds is the model's known bugs)`, () => {
      const w = withAblations(BASES[a.protocol]!, [a.name]);
      if (!w.ok) throw new Error(w.error);
      for (const c of everyViolation({ base: w.scenario, seed: SEED, runs: 300 })) {
        expect(c.violation.invariant).not.toBe(LIVENESS);
        expect(knownIn(c).size, `${c.violation.invariant}: ${c.violation.message}`).toBeGreaterThan(0);
      }
    });
  }

  it('finds the stall zab.voteByMyid causes, shrinks it, and the rule switched back on, the same faults commit', () => {
    const w = withAblations(BASES.zab!, ['zab.voteByMyid']);
    if (!w.ok) throw new Error(w.error);
    // seed 8 meets the stall first (schedule 3); most other seeds meet 3.8.0's known bugs before it
    const r = explore({ base: w.scenario, seed: 8, runs: BUDGET });
    const c = r.counterexample!;
    expect(c.violation).toMatchObject({ invariant: LIVENESS });
    expect(c.liveness).toEqual({ healAt: 14_000, bound: livenessOf(w.scenario).bound });
    expect(c.scenario.actions.filter((a) => a.at < 14_000).length).toBeLessThanOrEqual(2);
    expect(replay(c)).toMatchObject({ invariant: LIVENESS, time: c.violation.time, step: c.violation.step });
    const faults = c.scenario.actions.filter((a) => a.at < 14_000);
    expect(firstViolationWithLiveness({ ...c.scenario, ablations: {}, actions: faults }, 14_000)).toBeNull();
    // the link opens the stalled run at its deadline
    const d = decodeScenario(c.token);
    if (!d.ok) throw new Error(d.error);
    expect(d).toMatchObject({ time: c.violation.time, step: c.violation.step });
  });

  for (const a of ABLATIONS.filter((x) => !SAFE.has(x.name))) {
    const { runs, seed, zk } = SEARCH[a.name] ?? { runs: BUDGET, seed: SEED };
    it(`finds what ${a.name} breaks within ${runs} schedules, shrinks it, and the link replays to the same violation`, () => {
      const w = withAblations({ ...BASES[a.protocol]!, ...(zk ? { zk } : {}) }, [a.name]);
      if (!w.ok) throw new Error(w.error);
      const r = explore({ base: w.scenario, seed, runs });
      const c = r.counterexample;
      expect(c, `nothing found for ${a.name}`).not.toBeNull();
      expect(ablationsOn(c!.scenario)).toEqual([a.name]);
      // shrunk: no more actions than found, and no action can be dropped any more
      expect(c!.scenario.actions.length).toBeLessThanOrEqual(c!.found.actions);
      for (let i = 0; i < c!.scenario.actions.length; i++) {
        const fewer = { ...c!.scenario, actions: c!.scenario.actions.filter((_, j) => j !== i) };
        expect(firstViolation(fewer, c!.violation.time + 8000)?.invariant).not.toBe(c!.violation.invariant);
      }
      // the rule's own doing: switched back on, the same schedule breaks nothing of the kind,
      // and it is none of the model's known bugs
      expect(firstViolation({ ...c!.scenario, ablations: {} }, c!.violation.time + 8000)?.invariant).not.toBe(c!.violation.invariant);
      if (a.protocol === 'zab') expect([...knownIn(c!)]).toEqual([]);
      // the link opens the same scenario, and replaying it breaks the same invariant at the same step
      const d = decodeScenario(c!.token);
      if (!d.ok) throw new Error(d.error);
      expect(d.step).toBe(c!.violation.step);
      const again = firstViolation(d.scenario, d.time! + 1);
      expect(again).toMatchObject({ invariant: c!.violation.invariant, time: c!.violation.time, step: c!.violation.step });
    });
  }

  for (const protocol of ['2pc', 'paxos']) {
    it(`finds nothing in ${protocol} with no rule switched off, in the same budget`, () => {
      const r = explore({ base: BASES[protocol]!, seed: SEED, runs: BUDGET });
      expect(r.counterexample?.violation ?? null).toBeNull();
      expect(r.tried).toBe(BUDGET);
    });
  }

  it("finds only ZooKeeper's known bugs in zab with no rule switched off", () => {
    const found = everyViolation({ base: BASES.zab!, seed: SEED, runs: 400 });
    expect(found.length).toBeGreaterThan(0);
    for (const c of found) expect(knownIn(c).size, `${c.violation.invariant}: ${c.violation.message}`).toBeGreaterThan(0);
  });

  it("finds a museum bug by itself on 3.8.0 at 3 voters, shrinks it to a story-sized schedule, and names it", () => {
    // seed 1, schedule 4: a COMMIT between NEWLEADER and UPTODATE (ZOOKEEPER-4394) ends the
    // sync before UPTODATE, with the sync's txns still queued for the log (ZOOKEEPER-4712); the
    // rejoin logs them again, and a restart replays 1:3 after 1:4
    const r = explore({ base: BASES.zab!, seed: SEED, runs: 400 });
    const c = r.counterexample!;
    expect(c.knownBugs.length).toBeGreaterThan(0);
    expect([...knownIn(c)].sort()).toEqual(c.knownBugs);
    for (const id of c.knownBugs) expect(PRESETS.some((p) => p.id === KNOWN_BUGS[id].story), id).toBe(true);
    expect(c.scenario.actions.length).toBeLessThanOrEqual(10);
    expect(replay(c)).toMatchObject({ invariant: c.violation.invariant, time: c.violation.time, step: c.violation.step });
  });

  it('finds known bugs on every release; on 3.9, where 4394 and 4712 are fixed, ZOOKEEPER-4882', () => {
    for (const [seed, zk] of [[3, '3.8.0'], [4, '3.8.5'], [8, '3.9'], [2, '3.9']] as const) {
      const r = explore({ base: { ...BASES.zab!, zk }, seed, runs: 1500, shrink: false });
      expect(r.counterexample, `seed ${seed} on ${zk}`).not.toBeNull();
      const bugs = [...knownIn(r.counterexample!)];
      expect(bugs.length, `seed ${seed} on ${zk}`).toBeGreaterThan(0);
      if (zk === '3.9') expect(bugs, `seed ${seed} on ${zk}`).toEqual(['ZOOKEEPER-4882']);
    }
  });

  it('counts the note codes its schedules reach, and names the known ones they never reach', () => {
    // a seed whose 20 schedules break nothing, so that every one of them runs
    const r = explore({ base: BASES.zab!, seed: 2, runs: 20 });
    expect(r.counterexample).toBeNull();
    const { counts, neverReached, unknown } = r.coverage;
    expect(counts.looking).toBeGreaterThan(20);
    expect(unknown).toEqual([]);
    // no observer in the ensemble: an observer's codes are never reached
    expect(neverReached).toEqual(expect.arrayContaining(['lookingObserver', 'decides.OBSERVING']));
    expect([...neverReached, ...Object.keys(counts)].sort()).toEqual([...KNOWN_NOTES.zab].sort());
    expect(explore({ base: defaultScenario({ voters: 3, observers: 1 }), seed: SEED, runs: 5 }).coverage.neverReached).not.toContain('lookingObserver');
  });

  it('is deterministic, and a search in slices finds what one search finds', () => {
    const w = withAblations(BASES['2pc']!, ['twopc.presumeCommit']);
    if (!w.ok) throw new Error(w.error);
    // zab's runs place faults at anchors as they go: those too depend on (seed, index) alone
    for (const [base, seed, runs] of [[w.scenario, 5, 40], [BASES.zab!, 1, 400]] as const) {
      const one = explore({ base, seed, runs, shrink: false });
      expect(one.counterexample).not.toBeNull();
      expect(explore({ base, seed, runs, shrink: false })).toEqual(one);
      let tried = 0;
      let found = null;
      while (!found && tried < runs) {
        const r = explore({ base, seed, first: tried, runs: Math.min(runs / 10, runs - tried), shrink: false });
        tried += r.tried;
        found = r.counterexample;
      }
      expect(tried).toBe(one.tried);
      expect(found).toEqual(one.counterexample);
    }
  });

  it('replays a counterexample found with faults placed as the run went (anchors, drops) to the very same step', () => {
    // seed 1, schedule 4: faults of its were placed at protocol notes as the run went
    const r = explore({ base: BASES.zab!, seed: SEED, runs: 40, shrink: false });
    const c = r.counterexample!;
    expect(c.found.swarm!.anchors).toBeGreaterThan(0);
    const planned = new Set(planRun(Number(c.scenario.seed), { nodes: [1, 2, 3], horizon: 12_000, maxFaults: 6, maxWrites: 6 }).actions.map((a) => JSON.stringify(a)));
    expect(c.scenario.actions.filter((a) => !planned.has(JSON.stringify(a))).length).toBeGreaterThan(0);
    expect(firstViolation(c.scenario, c.violation.time + 1)).toMatchObject({ invariant: c.violation.invariant, time: c.violation.time, step: c.violation.step });
  });

  it('refuses an unknown rule, or one of another protocol', () => {
    expect(withAblations(BASES.zab!, ['noSuchRule'])).toMatchObject({ ok: false });
    expect(withAblations(BASES.zab!, ['twopc.presumeCommit'])).toMatchObject({ ok: false, error: expect.stringContaining('2pc') });
  });
});
