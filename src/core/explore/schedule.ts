/**
 * Random fault schedules for the bug hunter: crashes and restarts, partitions and heals, cut
 * links, message loss, disk failures and client writes, drawn from one seeded PRNG. A schedule is
 * plain timed actions, the same a person's clicks become, so a counterexample is an ordinary
 * scenario that opens on the canvas and replays in the CLI.
 */
import type { Action, TimedAction } from '../sim/actions';
import { prngFloat, prngInit, prngInt, type PrngState } from '../sim/prng';
import type { NodeId } from '../sim/types';

export interface ScheduleOptions {
  /** the servers faults may hit */
  nodes: NodeId[];
  /** where client writes go: undefined for the protocol's own choice (the leader / coordinator) */
  writeTargets?: NodeId[];
  /** the simulated span faults are drawn over (ms) */
  horizon: number;
  /** how many fault actions at most (writes come on top) */
  maxFaults: number;
  /** how many client writes at most */
  maxWrites: number;
}

/** Faults start after the first election has had a chance (ms). */
const SETTLE = 1500;

export function randomSchedule(seed: number, o: ScheduleOptions): TimedAction[] {
  const rng = prngInit(seed);
  const out: TimedAction[] = [];
  const at = () => prngInt(rng, SETTLE, o.horizon);
  const pick = <T>(xs: readonly T[]): T => xs[prngInt(rng, 0, xs.length - 1)]!;
  const down = new Set<NodeId>();
  const faults = prngInt(rng, 1, o.maxFaults);
  for (let i = 0; i < faults; i++) {
    const t = at();
    const a = fault(rng, pick, o.nodes);
    out.push({ at: t, action: a });
    // most faults are undone later: a crash is restarted, a partition healed, a disk mended
    const undo = undoOf(a);
    if (undo && prngFloat(rng) < 0.8) out.push({ at: Math.min(o.horizon + 2000, t + prngInt(rng, 100, 6000)), action: undo });
    if (a.verb === 'crash') down.add(a.id);
  }
  const writes = prngInt(rng, 1, o.maxWrites);
  for (let i = 0; i < writes; i++) {
    const node = o.writeTargets?.length ? pick(o.writeTargets) : undefined;
    out.push({ at: prngInt(rng, SETTLE - 500, o.horizon), action: { verb: 'write', count: prngInt(rng, 1, 3), ...(node !== undefined ? { node } : {}) } });
  }
  return sortActions(out);
}

function fault(rng: PrngState, pick: <T>(xs: readonly T[]) => T, nodes: NodeId[]): Action {
  const r = prngFloat(rng);
  if (r < 0.35) return { verb: 'crash', id: pick(nodes) };
  if (r < 0.6) {
    // a random split into two sides, each non-empty
    const side = nodes.filter(() => prngFloat(rng) < 0.5);
    const a = side.length === 0 || side.length === nodes.length ? [nodes[0]!] : side;
    return { verb: 'partition', groups: [a] };
  }
  if (r < 0.7) {
    const a = pick(nodes);
    const others = nodes.filter((n) => n !== a);
    return others.length ? { verb: 'cut', a, b: pick(others) } : { verb: 'crash', id: a };
  }
  if (r < 0.8) return { verb: 'diskfail', id: pick(nodes) };
  if (r < 0.9) return { verb: 'loss', p: Math.round(prngFloat(rng) * 30) / 100 };
  return { verb: 'latency', min: prngInt(rng, 1, 20), max: prngInt(rng, 20, 400) };
}

function undoOf(a: Action): Action | null {
  switch (a.verb) {
    case 'crash':
      return { verb: 'restart', id: a.id };
    case 'partition':
      return { verb: 'heal' };
    case 'cut':
      return { verb: 'mend', a: a.a, b: a.b };
    case 'diskfail':
      return { verb: 'diskok', id: a.id };
    case 'loss':
      return { verb: 'loss', p: 0 };
    case 'latency':
      return { verb: 'latency', min: 10, max: 30 };
    default:
      return null;
  }
}

/** By time; equal times keep their order (the simulator applies them as listed). */
export function sortActions(xs: TimedAction[]): TimedAction[] {
  return xs.map((a, i) => ({ a, i })).sort((x, y) => x.a.at - y.a.at || x.i - y.i).map((x) => x.a);
}
