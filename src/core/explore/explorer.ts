/**
 * The bug hunter: run many simulations of one scenario under random fault schedules, checking
 * every invariant after every step, stop at the first violation, then shrink its schedule to a
 * minimal one that still breaks the same invariant (fewest actions, earliest times) and hand it
 * back as an ordinary scenario and link. Pure and deterministic: same options, same answer.
 * (Wall-clock figures such as runs per second are the caller's: the core has no clock.)
 */
import { runChecked, type Violation } from '../check/types';
import type { TimedAction } from '../sim/actions';
import type { NodeId } from '../sim/types';
import { encodeScenario } from '../scenario/codec';
import { nodeIds, type Scenario } from '../scenario/scenario';
import { buildRun } from '../scenario/run';
import { randomSchedule, sortActions } from './schedule';

export interface ExploreOptions {
  /** protocol, ensemble, ablations and timing; its own actions are replaced by each schedule */
  base: Scenario;
  /** the explorer's seed: schedule i of seed s is always the same */
  seed: number;
  /** how many schedules to try */
  runs: number;
  /** the index of the first schedule (a caller that works in slices continues where it stopped) */
  first?: number;
  /** faults are drawn over this many simulated ms (default 12 s) */
  horizon?: number;
  maxFaults?: number;
  maxWrites?: number;
  /** shrink the counterexample (default true) */
  shrink?: boolean;
  /** called after each schedule tried; return false to stop early */
  progress?(tried: number): boolean | void;
}

export interface Counterexample {
  scenario: Scenario;
  violation: Violation;
  /** the schedule as found, before shrinking */
  found: { actions: number; seed: number | string };
  /** runs spent shrinking */
  shrinkRuns: number;
  /** `v2.…` token of a link that opens the scenario at the moment of the violation */
  token: string;
}

export interface ExploreResult {
  tried: number;
  counterexample: Counterexample | null;
}

/** How long after the last fault a run goes on, for the damage to show (ms). */
const AFTERMATH = 8000;

export function explore(o: ExploreOptions): ExploreResult {
  const horizon = o.horizon ?? 12_000;
  const nodes = [...nodeIds(o.base)];
  const writeTargets = clientTargets(o.base);
  const first = o.first ?? 0;
  for (let n = 0; n < o.runs; n++) {
    const i = first + n;
    const runSeed = (Math.imul(o.seed, 0x9e3779b1) + i) >>> 0;
    const actions = randomSchedule(runSeed, { nodes, writeTargets, horizon, maxFaults: o.maxFaults ?? 6, maxWrites: o.maxWrites ?? 6 });
    const sc: Scenario = { ...o.base, seed: runSeed, actions, pauses: [], guide: undefined };
    const v = firstViolation(sc, horizon + AFTERMATH);
    const stop = o.progress?.(n + 1) === false;
    if (v) {
      const shrunk = o.shrink === false ? { scenario: sc, violation: v, runs: 0 } : shrink(sc, v);
      return {
        tried: n + 1,
        counterexample: {
          scenario: shrunk.scenario,
          violation: shrunk.violation,
          found: { actions: actions.length, seed: runSeed },
          shrinkRuns: shrunk.runs,
          token: encodeScenario(shrunk.scenario, shrunk.violation.time, shrunk.violation.step),
        },
      };
    }
    if (stop) return { tried: n + 1, counterexample: null };
  }
  return { tried: o.runs, counterexample: null };
}

/** Run a scenario, checking every step, to its first violation (or `until`). */
export function firstViolation(sc: Scenario, until: number): Violation | null {
  const r = buildRun(sc);
  runChecked(r.sim, r.checker, until, { stopOnViolation: true });
  return r.checker.violations[0] ?? null;
}

/** Where client writes go: Paxos writes to a proposer; ZAB and 2PC let the protocol choose. */
function clientTargets(sc: Scenario): NodeId[] | undefined {
  if (sc.protocol !== 'paxos') return undefined;
  const r = buildRun(sc);
  return r.sim.nodeIds().filter((id) => r.sim.st.nodes[id]!.spec.role === 'proposer');
}

/** Shrinking gives up after this many runs, keeping the smallest schedule found so far. */
const SHRINK_BUDGET = 600;

/**
 * Greedy shrinking: drop actions one by one while the same invariant still breaks (repeated
 * until no drop works), then move each action as early as it can go, then lower write counts.
 * The run is cut just after the violation, so a shrunk scenario ends where the story does.
 */
export function shrink(sc: Scenario, v: Violation): { scenario: Scenario; violation: Violation; runs: number } {
  let runs = 0;
  let best = { actions: sc.actions, violation: v };
  const test = (actions: TimedAction[]): Violation | null => {
    if (runs >= SHRINK_BUDGET) return null;
    runs++;
    const w = firstViolation({ ...sc, actions }, best.violation.time + AFTERMATH);
    return w && w.invariant === v.invariant ? w : null;
  };
  // 1. fewest actions
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = best.actions.length - 1; i >= 0; i--) {
      const fewer = best.actions.filter((_, j) => j !== i);
      const w = test(fewer);
      if (w) {
        best = { actions: fewer, violation: w };
        changed = true;
      }
    }
  }
  // 2. earliest times: each action as early as it can go, not before the one before it
  for (let i = 0; i < best.actions.length; i++) {
    let lo = i === 0 ? 0 : best.actions[i - 1]!.at;
    let hi = best.actions[i]!.at;
    while (hi - lo > 50) {
      const mid = Math.floor((lo + hi) / 2 / 10) * 10;
      if (mid <= lo) break;
      const moved = best.actions.map((a, j) => (j === i ? { ...a, at: mid } : a));
      const w = test(moved);
      if (w) {
        best = { actions: moved, violation: w };
        hi = mid;
      } else lo = mid;
    }
  }
  // 3. one write where several were sent at once
  best.actions.forEach((a, i) => {
    if (a.action.verb !== 'write' || a.action.count === 1) return;
    const one = best.actions.map((x, j) => (j === i ? { ...x, action: { ...a.action, count: 1 } as TimedAction['action'] } : x));
    const w = test(one);
    if (w) best = { actions: one, violation: w };
  });
  return { scenario: { ...sc, actions: sortActions(best.actions) }, violation: best.violation, runs };
}
