import { ensemble, type ZkTiming } from '../zk/config';
import { createZab, type ZkView } from '../zk/zab';
import type { ZkMessage } from '../zk/messages';
import type { ZkServer } from '../zk/state';
import { Simulator, type DiskConfig, type NetConfig } from '../sim/simulator';
import type { TimedAction } from '../sim/actions';
import type { Durable } from '../sim/types';
import { Checker } from '../check/invariants';

/** Everything needed to replay a run exactly. */
export interface Scenario {
  protocol: 'zab';
  voters: number;
  observers: number;
  seed: number | string;
  net: NetConfig;
  disk: DiskConfig;
  timing: Partial<ZkTiming>;
  actions: TimedAction[];
  /** what each server's disk holds before the run (a history from an earlier life) */
  initial?: Record<number, Durable>;
}

export const LIMITS = {
  voters: { min: 1, max: 101 },
  observers: { min: 0, max: 100 },
  /** simulated milliseconds */
  until: { min: 0, max: 24 * 3600 * 1000 },
};

export const DEFAULT_NET: NetConfig = { latencyMin: 10, latencyMax: 30, loss: 0 };
export const DEFAULT_DISK: DiskConfig = { latencyMin: 1, latencyMax: 4 };

export function defaultScenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    protocol: 'zab',
    voters: 3,
    observers: 0,
    seed: 1,
    net: { ...DEFAULT_NET },
    disk: { ...DEFAULT_DISK },
    timing: {},
    actions: [],
    ...overrides,
  };
}

export type ZabSim = Simulator<ZkServer, ZkMessage, ZkView>;

/** A simulator with its invariant checker, started and ready to step. */
export interface Run {
  sim: ZabSim;
  checker: Checker;
}

export function buildRun(sc: Scenario): Run {
  const cfg = ensemble(sc.voters, sc.observers, sc.timing);
  const nodes = [...cfg.voters.map((id) => ({ id, role: 'voter' })), ...cfg.observers.map((id) => ({ id, role: 'observer' }))];
  const sim = new Simulator(createZab(cfg), { seed: sc.seed, nodes, net: sc.net, disk: sc.disk }, sc.initial ?? {});
  sim.start(sc.actions);
  return { sim, checker: new Checker(new Set(cfg.voters)) };
}

/** Run to `until`, checking invariants after every step. */
export function runTo(run: Run, until: number): void {
  const { sim, checker } = run;
  for (;;) {
    const t = sim.nextEventTime();
    if (t === null || t > until) break;
    sim.step();
    checker.afterStep(sim);
  }
  if (until > sim.now) sim.runUntil(until);
}
