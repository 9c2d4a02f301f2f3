import type { Action } from '../core/sim/actions';
import type { Flight, TraceRecord } from '../core/sim/simulator';
import type { Scenario } from '../core/scenario/scenario';
import type { Violation } from '../core/check/invariants';
import type { ZkView } from '../core/zk/zab';

/** UI → worker. */
export type Command =
  | { type: 'load'; scenario: Scenario; runTo?: number }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'speed'; value: number }
  | { type: 'step' }
  | { type: 'action'; action: Action };

export type NodeSnap =
  | (ZkView & { up: true; diskFailed: boolean })
  | { id: number; role: string; state: 'DOWN'; up: false; diskFailed: boolean };

/** Worker → UI: everything the page draws, small and structured-clone friendly. */
export interface Snapshot {
  time: number;
  step: number;
  traceHash: string;
  playing: boolean;
  /** simulated ms per wall-clock second */
  speed: number;
  nodes: NodeSnap[];
  flights: Flight[];
  /** group number per server id (all 0 when whole) */
  groups: Record<number, number>;
  /** trace records since the previous snapshot */
  events: TraceRecord[];
  violations: Violation[];
  /** the run is waiting for `runTo` */
  runTo: number | null;
  actions: number;
}

export type WorkerOut = { type: 'snapshot'; snapshot: Snapshot } | { type: 'error'; message: string };
