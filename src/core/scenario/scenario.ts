import type { ZabAblations, ZkTiming } from '../zk/config';
import type { ZkView } from '../zk/zab';
import type { ZkMessage } from '../zk/messages';
import type { ZkServer } from '../zk/state';
import type { Simulator, DiskConfig, NetConfig } from '../sim/simulator';
import type { TimedAction } from '../sim/actions';
import type { Durable } from '../sim/types';
import type { Checker } from '../zk/checker';
import { runChecked } from '../check/types';
import type { TwoPcAblations, TwoPcTiming } from '../twopc';
import { DEFAULT_LEARNERS, DEFAULT_PROPOSERS, type PaxosTiming } from '../paxos';
import { kitOf, type ProtocolName, type Run } from './kits';

export type { Run, ProtocolName } from './kits';

/** Everything needed to replay a run exactly. */
export interface Scenario {
  protocol: ProtocolName;
  /** ZAB: voting servers; 2PC: nodes (1 coordinates); Paxos: acceptors */
  voters: number;
  observers: number;
  seed: number | string;
  net: NetConfig;
  disk: DiskConfig;
  timing: Partial<ZkTiming>;
  actions: TimedAction[];
  twopc?: { timing?: Partial<TwoPcTiming> };
  paxos?: { proposers?: number; learners?: number; mode?: 'basic' | 'multi'; timing?: Partial<PaxosTiming> };
  /** the guided scenario (preset id) this run started from */
  guide?: string;
  /**
   * Pause points: playing stops at each, showing its caption: `key` names a caption in the
   * message catalogue (guided scenarios), `text` is a person's own (plain text, never HTML).
   */
  pauses?: PausePoint[];
  /** rules switched off on purpose, to see what breaks (the bug hunter) */
  ablations?: { twopc?: TwoPcAblations; paxos?: { forgetPromise?: boolean }; zab?: ZabAblations };
  /** what each server's disk holds before the run (a history from an earlier life) */
  initial?: Record<number, Durable>;
}

export interface PausePoint {
  at: number;
  key?: string;
  text?: string;
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

/** Every node id of a scenario: ZAB's voters then observers, 2PC's nodes, or Paxos's acceptors, proposers, learners. */
export function nodeIds(sc: Pick<Scenario, 'protocol' | 'voters' | 'observers' | 'paxos'>): Set<number> {
  const paxos = sc.protocol === 'paxos' ? (sc.paxos?.proposers ?? DEFAULT_PROPOSERS) + (sc.paxos?.learners ?? DEFAULT_LEARNERS) : 0;
  const n = sc.voters + (sc.protocol === 'zab' ? sc.observers : 0) + paxos;
  return new Set(Array.from({ length: n }, (_, i) => i + 1));
}

/** A simulator of the scenario's protocol with its invariant checker, started and ready to step. */
export function buildRun(sc: Scenario): Run {
  const run = kitOf(sc.protocol).build(sc);
  run.sim.start(sc.actions);
  return run;
}

/** A ZAB run typed as ZooKeeper's: for tests and tools that look inside its servers. */
export interface ZabRun {
  protocol: 'zab';
  sim: ZabSim;
  checker: Checker;
}

export function buildZabRun(sc: Scenario): ZabRun {
  if (sc.protocol !== 'zab') throw new Error(`not a ZAB scenario (${sc.protocol})`);
  return buildRun(sc) as unknown as ZabRun;
}

/** The ZAB simulator of a ZAB run (tests and tools that look inside ZooKeeper's state). */
export function zabSim(run: Run): ZabSim {
  if (run.protocol !== 'zab') throw new Error(`not a ZAB run (${run.protocol})`);
  return run.sim as unknown as ZabSim;
}

/** Run to `until`, checking invariants after every step. */
export function runTo(run: Run | ZabRun, until: number, maxStep = Infinity): void {
  const { sim, checker } = run as Run;
  runChecked(sim, checker, until, { maxStep });
}
