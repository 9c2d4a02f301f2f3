/** A 2PC run for tests and tools: the simulator, its checker, and a loop that drives both. */
import { runChecked } from '../check/types';
import type { TimedAction } from '../sim/actions';
import { Simulator, type DiskConfig, type NetConfig } from '../sim/simulator';
import { TwoPcChecker, type TwoPcSim } from './checker';
import { twoPcConfig, twoPcNodes, type TwoPcAblations, type TwoPcTiming } from './config';
import { createTwoPc } from './twopc';

export interface TwoPcRun {
  sim: TwoPcSim;
  checker: TwoPcChecker;
}

export interface TwoPcRunOptions {
  n: number;
  seed?: number | string;
  net?: Partial<NetConfig>;
  disk?: Partial<DiskConfig>;
  timing?: Partial<TwoPcTiming>;
  ablations?: TwoPcAblations;
  actions?: TimedAction[];
  /** collect trace records (event log notes) */
  records?: boolean;
}

export function startRun(o: TwoPcRunOptions): TwoPcRun {
  const sim = new Simulator(createTwoPc(twoPcConfig(o.n, o.timing, o.ablations)), {
    seed: o.seed ?? 1,
    nodes: twoPcNodes(o.n),
    net: { latencyMin: 10, latencyMax: 30, loss: 0, ...o.net },
    disk: { latencyMin: 1, latencyMax: 4, ...o.disk },
  });
  sim.log.keepsSent = true;
  if (o.records) sim.records = [];
  sim.start(o.actions ?? []);
  return { sim, checker: new TwoPcChecker() };
}

/** Step until simulated time `t`, checking the invariants after every step. */
export function runUntil(r: TwoPcRun, t: number, stopOnViolation = false): void {
  runChecked(r.sim, r.checker, t, { stopOnViolation });
}
