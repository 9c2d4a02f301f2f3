/**
 * Random fault schedules for the bug hunter: crashes and restarts, partitions and heals, short
 * pauses, cut links, message loss, slow networks, disk failures and client writes, drawn from one
 * seeded PRNG. A schedule is plain timed actions, the same a person's clicks become, so a
 * counterexample is an ordinary scenario that opens on the canvas and replays in the CLI.
 *
 * Swarm testing (Groce et al., as TigerBeetle's VOPR does): each run first draws its own mix of
 * fault kinds, each on or off, with its own weight, tempo and fault lengths. A run that may only
 * crash crashes often, and reaches states that a run spreading the same budget over every kind
 * of fault seldom does (one kind's faults undo another's: a partition hides a crash).
 */
import type { Action, TimedAction } from '../sim/actions';
import { prngFloat, prngInit, prngInt, type PrngState } from '../sim/prng';
import type { NodeId } from '../sim/types';

/** 'drop' drops one message in flight: its id is known only as the run goes, so only anchors drop (explorer.ts). */
export const FAULT_KINDS = ['crash', 'partition', 'pause', 'cut', 'drop', 'disk', 'loss', 'latency'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One run's mix: which faults it uses, how often, how fast and for how long. */
export interface Swarm {
  /** each kind's weight among this run's faults; 0: the run never uses it */
  weights: Record<FaultKind, number>;
  /** the weight of a burst of client writes among the moves */
  writes: number;
  /** the most writes one burst sends */
  burst: number;
  /** faults may start at 0 ms, before the first election (a server down from the start, as one that joins late) */
  early: boolean;
  /** gaps between moves are log-uniform from 1 ms to this: the run's tempo (ms) */
  maxGap: number;
  /** a fault lasts log-uniform from 1 ms to this before it is undone (ms) */
  maxLength: number;
  /** the chance that a fault is undone within the run (if not, the liveness phase undoes it) */
  undo: number;
  /** how many faults the run places just after protocol events it reaches (explorer.ts), 0: none */
  anchors: number;
}

export interface ScheduleOptions {
  /** the servers faults may hit */
  nodes: NodeId[];
  /** where client writes go: undefined for the protocol's own choice (the leader / coordinator) */
  writeTargets?: NodeId[];
  /** the simulated span faults are drawn over (ms) */
  horizon: number;
  /** how many fault actions at most (their undoing and writes come on top) */
  maxFaults: number;
  /** how many client write bursts at most */
  maxWrites: number;
  /** the run's mix; drawn from the seed when absent */
  swarm?: Swarm;
  /**
   * ZooKeeper's clients join the run: they connect, make and change znodes (some ephemeral),
   * read and sync, drawn from a stream of their own (the rest of the schedule is the same with
   * or without them). On for the rules that guard what a client sees.
   */
  clients?: boolean;
}

/** Without early faults, they start once the first election has had a chance (ms). */
const SETTLE = 1500;

/** When a run's faults may begin (ms). */
export function faultStart(swarm: Swarm): number {
  return swarm.early ? 0 : SETTLE;
}

/** Log-uniform in [1, max]: as many gaps of 1–10 ms as of 100–1000 ms, since both scales matter. */
export function logUniform(rng: PrngState, max: number): number {
  return Math.max(1, Math.floor(Math.exp(prngFloat(rng) * Math.log(Math.max(1, max)))));
}

/** Each kind on or off with even odds (at least one on), then a weight for those on. */
export function drawSwarm(rng: PrngState): Swarm {
  const on = FAULT_KINDS.map(() => prngFloat(rng) < 0.5);
  if (!on.some(Boolean)) on[prngInt(rng, 0, on.length - 1)] = true;
  // two decimals: a report shows them
  const weight = () => Math.round(10 + 90 * prngFloat(rng)) / 100;
  const weights = {} as Record<FaultKind, number>;
  FAULT_KINDS.forEach((k, i) => (weights[k] = on[i] ? weight() : 0));
  return {
    weights,
    writes: weight(),
    burst: 1 << prngInt(rng, 0, 3),
    early: prngFloat(rng) < 1 / 3,
    maxGap: 100 + logUniform(rng, 8000),
    maxLength: 200 + logUniform(rng, 10_000),
    undo: Math.round(50 + 50 * prngFloat(rng)) / 100,
    // a run that drops messages needs anchors to drop them at
    anchors: prngFloat(rng) < 0.5 && !on[FAULT_KINDS.indexOf('drop')] ? 0 : prngInt(rng, 1, 3),
  };
}

/** A schedule and the mix it was drawn from. */
export interface Plan {
  swarm: Swarm;
  actions: TimedAction[];
}

export function randomSchedule(seed: number, o: ScheduleOptions): TimedAction[] {
  return planRun(seed, o).actions;
}

/**
 * A walk through time: each move comes a log-uniform gap after the one before, and is a write
 * burst or a fault of a kind the run uses, on a target that is free then (a server not already
 * down, a disk not already failing). Most faults are undone a log-uniform length later.
 */
export function planRun(seed: number, o: ScheduleOptions): Plan {
  const rng = prngInit(seed);
  const swarm = o.swarm ?? drawSwarm(rng);
  const out: TimedAction[] = [];
  const busy = new Busy();
  const end = o.horizon;
  let faults = prngInt(rng, 1, o.maxFaults);
  let writes = prngInt(rng, 1, o.maxWrites);
  let t = faultStart(swarm);
  // a fault, and most times its undo a log-uniform length later; one not undone holds until the liveness phase
  const hold = (res: string, at: number, act: Action, undo: Action | null, length = logUniform(rng, swarm.maxLength)) => {
    out.push({ at, action: act });
    const back = undo && prngFloat(rng) < swarm.undo && at + length <= end ? at + length : Infinity;
    busy.take(res, at, back);
    if (back !== Infinity) out.push({ at: back, action: undo! });
  };
  // half the early runs begin with a server that never started
  if (swarm.early && swarm.weights.crash > 0 && prngFloat(rng) < 0.5) {
    const id = pick(rng, o.nodes);
    hold(`down:${id}`, 0, { verb: 'crash', id }, { verb: 'restart', id });
    faults--;
  }
  for (let guard = 0; guard < 200 && (faults > 0 || writes > 0); guard++) {
    t += logUniform(rng, swarm.maxGap);
    if (t > end) break;
    const moves: [number, () => void][] = [];
    if (writes > 0)
      moves.push([
        swarm.writes,
        () => {
          const node = o.writeTargets?.length ? pick(rng, o.writeTargets) : undefined;
          out.push({ at: t, action: { verb: 'write', count: prngInt(rng, 1, swarm.burst), ...(node !== undefined ? { node } : {}) } });
          writes--;
        },
      ]);
    if (faults > 0) for (const m of faultMoves(rng, swarm, o.nodes, busy, t, hold)) moves.push([m[0], () => (m[1](), faults--)]);
    if (moves.length === 0) continue;
    pickWeighted(rng, moves)();
  }
  if (o.clients) out.push(...clientMoves(seed, o));
  return { swarm, actions: sortActions(out) };
}

const PATHS = ['/a', '/b', '/a/x'];

/**
 * What one or two clients do in a run: connect (to one server, or a connect string of several,
 * with a short or long session timeout), then a few requests at log-uniform gaps: creates (half
 * of them ephemeral), sets, deletes, reads and syncs.
 */
export function clientMoves(seed: number, o: Pick<ScheduleOptions, 'nodes' | 'horizon'>): TimedAction[] {
  const rng = prngInit((seed ^ 0x5bd1e995) >>> 0);
  const out: TimedAction[] = [];
  const clients = prngInt(rng, 1, 2);
  for (let c = 1; c <= clients; c++) {
    // a connect string: a random order of some of the servers (Fisher–Yates)
    const servers = [...o.nodes];
    for (let i = servers.length - 1; i > 0; i--) {
      const j = prngInt(rng, 0, i);
      [servers[i], servers[j]] = [servers[j]!, servers[i]!];
    }
    servers.length = prngInt(rng, 1, servers.length);
    out.push({ at: prngInt(rng, 500, 1500), action: { verb: 'client', client: c, cmd: { op: 'connect', servers, timeout: pick(rng, [4000, 6000, 10_000]) } } });
  }
  let t = 1600;
  for (let n = prngInt(rng, 3, 10); n > 0; n--) {
    t += logUniform(rng, 2000);
    if (t > o.horizon) break;
    const client = prngInt(rng, 1, clients);
    const path = pick(rng, PATHS);
    const data = `v${n}`;
    const cmd = pickWeighted(rng, [
      [3, { op: 'create', path, data, ephemeral: prngFloat(rng) < 0.5 }],
      [3, { op: 'setData', path, data }],
      [1, { op: 'delete', path }],
      [3, { op: 'getData', path }],
      [2, { op: 'sync' }],
    ] as [number, import('../sim/actions').ClientCommand][]);
    out.push({ at: t, action: { verb: 'client', client, cmd } });
  }
  return out;
}

type Hold = (res: string, at: number, act: Action, undo: Action | null, length?: number) => void;

/** The faults of the run's kinds that have a free target at time t, each with its weight. */
export function faultMoves(rng: PrngState, swarm: Swarm, nodes: NodeId[], busy: Busy, t: number, hold: Hold, prefer?: NodeId[]): [number, () => void][] {
  const w = swarm.weights;
  const out: [number, () => void][] = [];
  const free = (res: (id: NodeId) => string) => nodes.filter((id) => busy.free(res(id), t));
  // an anchor's servers, in order, are the targets half the time, a quarter, ...; else any free one
  const target = (xs: NodeId[]) => {
    for (const id of prefer ?? []) if (prngFloat(rng) < 0.5 && xs.includes(id)) return id;
    return pick(rng, xs);
  };
  const up = free((id) => `down:${id}`);
  if (w.crash > 0 && up.length) out.push([w.crash, () => ((id) => hold(`down:${id}`, t, { verb: 'crash', id }, { verb: 'restart', id }))(target(up))]);
  const netFree = busy.free('net', t);
  if (w.partition > 0 && netFree && nodes.length > 1)
    out.push([
      w.partition,
      () => {
        // a random split into two sides, each non-empty
        const side = nodes.filter(() => prngFloat(rng) < 0.5);
        const a = side.length === 0 || side.length === nodes.length ? [target(nodes)] : side;
        hold('net', t, { verb: 'partition', groups: [a] }, { verb: 'heal' });
      },
    ]);
  // a server cut off from all for a moment: its messages wait (as a stalled process looks to its
  // peers), though its own timers still run, unlike a real GC pause
  if (w.pause > 0 && netFree && nodes.length > 1) out.push([w.pause, () => hold('net', t, { verb: 'partition', groups: [[target(nodes)]] }, { verb: 'heal' }, 20 + logUniform(rng, 3000))]);
  if (w.cut > 0 && nodes.length > 1)
    out.push([
      w.cut,
      () => {
        const a = target(nodes);
        const others = nodes.filter((n) => n !== a && busy.free(`cut:${Math.min(a, n)}-${Math.max(a, n)}`, t));
        if (!others.length) return;
        const b = pick(rng, others);
        hold(`cut:${Math.min(a, b)}-${Math.max(a, b)}`, t, { verb: 'cut', a, b }, { verb: 'mend', a, b });
      },
    ]);
  const disks = free((id) => `disk:${id}`);
  if (w.disk > 0 && disks.length) out.push([w.disk, () => ((id) => hold(`disk:${id}`, t, { verb: 'diskfail', id }, { verb: 'diskok', id }))(target(disks))]);
  if (w.loss > 0 && busy.free('loss', t)) out.push([w.loss, () => hold('loss', t, { verb: 'loss', p: Math.round((0.05 + prngFloat(rng) * 0.45) * 100) / 100 }, { verb: 'loss', p: 0 })]);
  if (w.latency > 0 && busy.free('latency', t)) out.push([w.latency, () => hold('latency', t, { verb: 'latency', min: prngInt(rng, 1, 20), max: prngInt(rng, 40, 400) }, { verb: 'latency', min: 10, max: 30 })]);
  return out;
}

/** When each resource (a server's life, its disk, the network, one link) is taken by a fault. */
export class Busy {
  private spans: Record<string, [number, number][]> = {};

  free(res: string, t: number): boolean {
    return !(this.spans[res] ?? []).some(([a, b]) => a <= t && t < b);
  }

  take(res: string, from: number, to: number): void {
    (this.spans[res] ??= []).push([from, to]);
  }
}

export function pick<T>(rng: PrngState, xs: readonly T[]): T {
  return xs[prngInt(rng, 0, xs.length - 1)]!;
}

export function pickWeighted<T>(rng: PrngState, xs: readonly [number, T][]): T {
  const total = xs.reduce((s, x) => s + x[0], 0);
  let r = prngFloat(rng) * total;
  for (const [w, x] of xs) if ((r -= w) < 0) return x;
  return xs[xs.length - 1]![1];
}

/** By time; equal times keep their order (the simulator applies them as listed). */
export function sortActions(xs: TimedAction[]): TimedAction[] {
  return xs.map((a, i) => ({ a, i })).sort((x, y) => x.a.at - y.a.at || x.i - y.i).map((x) => x.a);
}
