import type { NodeId } from '../sim/types';

/** A broken safety rule, found after a step of the simulation. */
export interface Violation {
  invariant: string;
  time: number;
  step: number;
  nodes: NodeId[];
  message: string;
}

/**
 * What every protocol's invariant checker offers the engine, the CLI and the explorer: it looks
 * at the simulator after each step, and its memory is plain data, checkpointed with the run.
 */
export interface RunChecker<Sim> {
  readonly violations: Violation[];
  afterStep(sim: Sim): void;
  checkpoint(): unknown;
  restore(cp: unknown): void;
}
