/**
 * The bug hunter: run many simulations of one scenario under random fault schedules (each run
 * with its own mix of faults, schedule.ts, and faults placed as it goes just after protocol
 * events), checking every invariant after every step; then heal everything, restart what is
 * down, and require a commit within a bound, and again after restarting every server (the
 * liveness phase, liveness.ts). Stop at the first violation, then shrink its schedule to a
 * minimal one that still breaks the same invariant (fewest actions, earliest times) and hand it
 * back as an ordinary scenario and link, with the note codes the search reached (coverage.ts).
 * Pure and deterministic: same options, same answer; schedule i depends on (seed, i) alone.
 * (Wall-clock figures such as runs per second are the caller's: the core has no clock.)
 */
import { runChecked, type Violation } from '../check/types';
import type { TimedAction } from '../sim/actions';
import { prngFloat, prngInit, type PrngState } from '../sim/prng';
import { queueEvents } from '../sim/eventQueue';
import type { NodeId } from '../sim/types';
import { encodeScenario } from '../scenario/codec';
import { kitOf, type AnySim } from '../scenario/kits';
import { nodeIds, type Scenario } from '../scenario/scenario';
import { buildRun } from '../scenario/run';
import { Busy, faultMoves, faultStart, logUniform, pick, pickWeighted, planRun, sortActions, type Swarm } from './schedule';
import { coverageOf, type Coverage } from './coverage';
import { healActions, livenessOf } from './liveness';
import { knownBugs, type KnownBugId } from './knownBugs';
import { CLIENT_RULES } from '../zk/config';

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
  /** after the faults, heal everything and require a commit within a bound (default true) */
  liveness?: boolean;
  /** ZooKeeper's clients in every schedule (default: when a rule of theirs is switched off) */
  clients?: boolean;
  /** called after each schedule tried; return false to stop early */
  progress?(tried: number): boolean | void;
}

export interface Counterexample {
  scenario: Scenario;
  violation: Violation;
  /** the schedule as found, before shrinking, and the run's fault mix */
  found: { actions: number; seed: number | string; swarm?: Swarm };
  /** runs spent shrinking */
  shrinkRuns: number;
  /** `v2.…` token of a link that opens the scenario at the moment of the violation */
  token: string;
  /** a Liveness violation: when the heal came, and how long the ensemble had to commit after it */
  liveness?: { healAt: number; bound: number };
  /** ZooKeeper's own bugs the shrunk schedule shows (knownBugs.ts); empty: something else */
  knownBugs: KnownBugId[];
}

export interface ExploreResult {
  tried: number;
  counterexample: Counterexample | null;
  /** the liveness phase's bound, and the longest any schedule tried took to commit after its heal (ms) */
  liveness: { bound: number; slowest: number } | null;
  /** the note codes the schedules tried reached, and those they never did */
  coverage: Coverage;
}

/** The invariant a run breaks when, healed and restarted, it commits nothing within the bound. */
export const LIVENESS = 'Liveness';

/** How long after the faults' horizon a run goes on at least, for the damage to show (ms). */
const AFTERMATH = 8000;
/** The liveness phase begins this long after the horizon (ms). */
const HEAL_AFTER = 2000;
/** Once the healed ensemble commits, every server restarts this long after (ms). */
const RESTART_AFTER = 1000;
/** Once the ensemble commits again, the run goes on this long (ms). */
const TAIL = 1000;
/** How often the liveness phase looks for a commit (simulated ms). */
const LOOK_EVERY = 50;

export function explore(o: ExploreOptions): ExploreResult {
  const horizon = o.horizon ?? 12_000;
  const nodes = [...nodeIds(o.base)];
  const writeTargets = clientTargets(o.base);
  // ZooKeeper's clients take part when a rule that guards what they see is switched off
  const clients = o.clients ?? (o.base.protocol === 'zab' && CLIENT_RULES.some((k) => o.base.ablations?.zab?.[k]));
  const first = o.first ?? 0;
  const counts: Record<string, number> = {};
  const healAt = o.liveness === false ? null : horizon + HEAL_AFTER;
  let slowest = 0;
  const done = (tried: number, counterexample: Counterexample | null): ExploreResult => ({
    tried,
    counterexample,
    liveness: healAt === null ? null : { bound: livenessOf(o.base).bound, slowest },
    coverage: coverageOf(o.base.protocol, counts),
  });
  for (let n = 0; n < o.runs; n++) {
    const i = first + n;
    const runSeed = (Math.imul(o.seed, 0x9e3779b1) + i) >>> 0;
    const plan = planRun(runSeed, { nodes, writeTargets, horizon, maxFaults: o.maxFaults ?? 6, maxWrites: o.maxWrites ?? 6, clients });
    const sc: Scenario = { ...o.base, seed: runSeed, actions: plan.actions, pauses: [], guide: undefined };
    const anchor: Anchoring | null =
      plan.swarm.anchors > 0 ? { rng: prngInit(runSeed ^ 0x2545f491), from: faultStart(plan.swarm), swarm: plan.swarm, left: plan.swarm.anchors, seen: {}, horizon, nodes } : null;
    const r = play({ sc, healAt, until: horizon + AFTERMATH, counts, anchor });
    slowest = Math.max(slowest, r.recovered);
    const stop = o.progress?.(n + 1) === false;
    if (r.violation) {
      const found = { actions: r.actions.length, seed: runSeed, swarm: plan.swarm };
      return done(n + 1, counterexample(sc, r, healAt, horizon + AFTERMATH, o.shrink !== false, found));
    }
    if (stop) return done(n + 1, null);
  }
  return done(o.runs, null);
}

function counterexample(sc: Scenario, r: Played, healAt: number | null, until: number, shrinking: boolean, found: Counterexample['found']): Counterexample {
  const v = r.violation!;
  let out: { scenario: Scenario; violation: Violation; runs: number };
  let liveness: Counterexample['liveness'];
  if (v.invariant === LIVENESS && healAt !== null) {
    // shrink the faults; the heal is worked out again for each candidate
    const faults = r.actions.filter((a) => a.at < healAt);
    const replay = (actions: TimedAction[]) => play({ sc: { ...sc, actions }, healAt, until });
    const s = shrinking ? shrinkWith(faults, v, (xs) => replay(xs).violation) : { actions: faults, violation: v, runs: 0 };
    out = { scenario: { ...sc, actions: sortActions(replay(s.actions).actions) }, violation: s.violation, runs: s.runs };
    liveness = { healAt, bound: livenessOf(sc).bound };
  } else {
    const all = { ...sc, actions: sortActions(r.actions) };
    out = shrinking ? shrink(all, v) : { scenario: all, violation: v, runs: 0 };
  }
  return {
    scenario: out.scenario,
    violation: out.violation,
    found,
    shrinkRuns: out.runs,
    token: encodeScenario(out.scenario, out.violation.time, out.violation.step),
    ...(liveness ? { liveness } : {}),
    knownBugs: liveness ? [] : [...knownBugs(out.scenario, out.violation.time)].sort(),
  };
}

/** Run a scenario, checking every step, to its first violation (or `until`). */
export function firstViolation(sc: Scenario, until: number): Violation | null {
  const r = buildRun(sc);
  runChecked(r.sim, r.checker, until, { stopOnViolation: true });
  return r.checker.violations[0] ?? null;
}

/**
 * A scenario's first safety or Liveness violation, with its liveness phase at `healAt` (the heal
 * and the restarts worked out from the state then, as the explorer does).
 */
export function firstViolationWithLiveness(sc: Scenario, healAt: number): Violation | null {
  return play({ sc, healAt, until: healAt }).violation;
}

/** Replay a counterexample as the explorer judged it: to its violation, the liveness phase included. */
export function replay(c: Counterexample): Violation | null {
  if (!c.liveness) return firstViolation(c.scenario, c.violation.time + 1);
  const healAt = c.liveness.healAt;
  return firstViolationWithLiveness({ ...c.scenario, actions: c.scenario.actions.filter((a) => a.at < healAt) }, healAt);
}

interface Anchoring {
  rng: PrngState;
  /** no anchor before the run's faults may start */
  from: number;
  swarm: Swarm;
  /** anchors this run may still place */
  left: number;
  /** how many times each code was noted so far in this run */
  seen: Record<string, number>;
  horizon: number;
  nodes: NodeId[];
}

interface Played {
  violation: Violation | null;
  /** the longest a commit took to come after the heal or the restart (ms), in the phases passed */
  recovered: number;
  /** every action of the run: the schedule's, those placed at anchors, and the heal */
  actions: TimedAction[];
}

/**
 * One run: the schedule, with faults placed at anchors as it goes; then, if asked, the liveness
 * phase. Actions added while running are scheduled as the link will list them (by time, after
 * those already there), so that the returned actions replay the very same run.
 */
function play(o: { sc: Scenario; healAt: number | null; until: number; counts?: Record<string, number>; anchor?: Anchoring | null }): Played {
  // built, then started once the counter is on: the first notes come as the servers boot
  const r = kitOf(o.sc.protocol).build(o.sc);
  const sim = r.sim;
  const added: TimedAction[] = [];
  const actions = () => [...o.sc.actions, ...added];
  if (o.counts) sim.noteCounts = o.counts;
  const anchor = o.anchor ?? null;
  if (anchor) sim.records = [];
  sim.start(o.sc.actions);
  const add = (a: TimedAction) => {
    sim.schedule(a);
    added.push(a);
  };
  const stepTo = (t: number): Violation | null => {
    for (;;) {
      const next = sim.nextEventTime();
      if (next === null || next > t) break;
      sim.step();
      r.checker.afterStep(sim);
      if (r.checker.violations.length) return r.checker.violations[0]!;
      if (anchor && sim.records?.length) {
        if (anchor.left > 0) anchorOn(sim, anchor, add);
        sim.records.length = 0;
      }
    }
    if (t > sim.st.now) sim.runUntil(t);
    return null;
  };
  if (o.healAt === null) return { violation: stepTo(o.until), actions: actions(), recovered: 0 };
  const live = livenessOf(o.sc);
  let recovered = 0;
  const done = (violation: Violation | null): Played => ({ violation, actions: actions(), recovered });
  // first heal and restart those down; once that commits, restart every server: a commit must follow each
  let at = o.healAt;
  let t = at;
  for (const everyone of [false, true]) {
    // everything due before runs first: these actions then come before anything else due at the
    // same ms, as they will in a replay
    const v = stepTo(at - 1);
    if (v) return done(v);
    sim.records = null; // no anchors after the faults
    for (const action of healActions(sim, o.sc, everyone)) add({ at, action });
    const committed = live.mark(sim);
    const deadline = at + live.bound;
    for (t = at; !committed(sim); ) {
      if (t >= deadline) return done(stall(sim, o.sc, at, live.bound, everyone));
      t = Math.min(deadline, t + LOOK_EVERY);
      const w = stepTo(t);
      if (w) return done(w);
    }
    recovered = Math.max(recovered, t - at);
    at = t + RESTART_AFTER;
  }
  // the writes stop (their cost is most of a run's), and the run goes on a little, for what the
  // restart broke to show
  add({ at: t + 1, action: { verb: 'rate', perSecond: 0 } });
  return done(stepTo(t + TAIL));
}

function stall(sim: AnySim, sc: Scenario, healAt: number, bound: number, everyone: boolean): Violation {
  const leader = kitOf(sc.protocol).summary(sim).leader;
  return {
    invariant: LIVENESS,
    time: sim.st.now,
    step: sim.st.step,
    nodes: leader ? [leader.id] : [],
    message: `nothing sent after ${everyone ? 'every server restarted' : 'the heal'} at ${healAt} ms was committed within ${bound} ms (${leader ? `leader ${leader.id}, epoch ${leader.epoch}` : 'no leader'})`,
  };
}

/**
 * A fault placed just after a protocol event: random times seldom land inside a window a few
 * ms wide, open only between two packets of one exchange (a snapshot and the NEWLEADER behind
 * it, say), but a fault 1 ms after the first of them is delivered does. So a note made while
 * handling a packet whose exchange goes on (more packets from the same sender on their way, due
 * later) often draws one, tearing the exchange: the sender crashes, or the next packet is
 * dropped, or another fault of the run's kinds falls on the two servers; any other note seldom
 * does, and a code less often each time it comes again in the run.
 */
function anchorOn(sim: AnySim, a: Anchoring, add: (x: TimedAction) => void): void {
  let sender: NodeId | undefined;
  for (const rec of sim.records!) {
    if (rec.type === 'deliver') sender = rec.peer;
    if (rec.type !== 'note' || a.left <= 0 || rec.time < a.from) continue;
    const seen = (a.seen[rec.code] = (a.seen[rec.code] ?? 0) + 1);
    const rest = sender === undefined ? [] : following(sim, sender, rec.node, rec.time);
    if (prngFloat(a.rng) >= (rest.length ? MID_P : OTHER_P) / seen) continue;
    const t = rec.time + (rest.length || prngFloat(a.rng) < 0.5 ? 1 : logUniform(a.rng, 64));
    if (t >= a.horizon) continue;
    const moves = faultMoves(a.rng, a.swarm, a.nodes, busyNow(sim), t, hold(a, add), sender === undefined ? [rec.node] : [sender, rec.node]);
    // a server down now may be brought back at the anchor, as a fault may take one away
    const down = a.nodes.filter((id) => !sim.st.nodes[id]!.up);
    if (a.swarm.weights.crash > 0 && down.length) moves.push([a.swarm.weights.crash, () => add({ at: t, action: { verb: 'restart', id: down.includes(rec.node) ? rec.node : down[0]! } })]);
    const drop = a.swarm.weights.drop > 0 ? (rest[0] ?? dropTarget(sim, a.rng, t, rec.node)) : undefined;
    if (drop !== undefined) moves.push([a.swarm.weights.drop, () => add({ at: t, action: { verb: 'drop', msg: drop } })]);
    if (!moves.length) continue;
    pickWeighted(a.rng, moves)();
    a.left--;
  }
}

/** The chance that a note draws an anchor, mid-exchange or not, the first time its code comes in a run. */
const MID_P = 0.5;
const OTHER_P = 0.03;

/** Stream packets from `from` to `to` due after `t`, oldest first: the rest of an exchange. */
function following(sim: AnySim, from: NodeId, to: NodeId, t: number): number[] {
  const out: number[] = [];
  for (const ev of queueEvents(sim.st.queue)) if (ev.type === 'deliver' && ev.conn !== null && ev.from === from && ev.to === to && ev.time > t && sim.st.conns[ev.conn]?.open) out.push(ev.msgId);
  for (const c of Object.values(sim.st.conns)) for (const h of c.held) if (h.from === from && h.to === to) out.push(h.msgId);
  return out.sort((x, y) => x - y);
}

/** A message to or from a server, still in flight at t, to drop (a stream's segment: its connection breaks). */
function dropTarget(sim: AnySim, rng: PrngState, t: number, node: NodeId): number | undefined {
  const fl = sim.flights().filter((f) => (f.deliverAt === null || f.deliverAt >= t) && (f.from === node || f.to === node));
  return fl.length ? pick(rng, fl).id : undefined;
}

function hold(a: Anchoring, add: (x: TimedAction) => void) {
  return (_res: string, at: number, act: TimedAction['action'], undo: TimedAction['action'] | null, length = logUniform(a.rng, a.swarm.maxLength)) => {
    add({ at, action: act });
    if (undo && prngFloat(a.rng) < a.swarm.undo && at + length < a.horizon) add({ at: at + length, action: undo });
  };
}

/** What is taken now, for faultMoves: servers down, disks failing, the network split. */
function busyNow(sim: AnySim): Busy {
  const b = new Busy();
  const st = sim.st;
  for (const id of st.order) {
    if (!st.nodes[id]!.up) b.take(`down:${id}`, 0, Infinity);
    if (st.nodes[id]!.diskFailed) b.take(`disk:${id}`, 0, Infinity);
  }
  if (st.order.some((id) => st.group[id] !== 0)) b.take('net', 0, Infinity);
  for (const k of Object.keys(st.cut)) b.take(`cut:${k}`, 0, Infinity);
  if (st.net.loss > 0) b.take('loss', 0, Infinity);
  return b;
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
 * until no drop works), then move each action as early as it can go, then lower write counts,
 * and drop again (an action moved earlier can make another one needless).
 * The run is cut just after the violation, so a shrunk scenario ends where the story does.
 */
export function shrink(sc: Scenario, v: Violation): { scenario: Scenario; violation: Violation; runs: number } {
  const s = shrinkWith(sc.actions, v, (actions, best) => firstViolation({ ...sc, actions }, best.time + AFTERMATH));
  return { scenario: { ...sc, actions: sortActions(s.actions) }, violation: s.violation, runs: s.runs };
}

/** shrink's search over actions, with the replay to judge each candidate by. */
function shrinkWith(actions: TimedAction[], v: Violation, replay: (actions: TimedAction[], best: Violation) => Violation | null): { actions: TimedAction[]; violation: Violation; runs: number } {
  let runs = 0;
  let best = { actions, violation: v };
  const test = (xs: TimedAction[]): Violation | null => {
    if (runs >= SHRINK_BUDGET) return null;
    runs++;
    const w = replay(xs, best.violation);
    return w && w.invariant === v.invariant ? w : null;
  };
  const drop = (): boolean => {
    let any = false;
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = best.actions.length - 1; i >= 0; i--) {
        const fewer = best.actions.filter((_, j) => j !== i);
        const w = test(fewer);
        if (w) {
          best = { actions: fewer, violation: w };
          changed = any = true;
        }
      }
    }
    return any;
  };
  // 1. fewest actions
  drop();
  for (let round = 0; round < 3; round++) {
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
    // moved earlier, an action may have become one too many
    if (!drop()) break;
  }
  return { ...best, runs };
}
