/** A Paxos run for tests and tools: the simulator, its checker, and a loop that drives both. */
import { runChecked } from '../check/types';
import type { TimedAction } from '../sim/actions';
import { Simulator, type DiskConfig, type NetConfig } from '../sim/simulator';
import { PaxosChecker, type PaxosSim } from './checker';
import { DEFAULT_ACCEPTORS, DEFAULT_LEARNERS, DEFAULT_PROPOSERS, paxosConfig, paxosNodes, type PaxosConfig, type PaxosOptions } from './config';
import { createPaxos } from './paxos';

export interface PaxosRun {
  sim: PaxosSim;
  checker: PaxosChecker;
  cfg: PaxosConfig;
}

export interface PaxosRunOptions extends PaxosOptions {
  acceptors?: number;
  proposers?: number;
  learners?: number;
  seed?: number | string;
  net?: Partial<NetConfig>;
  disk?: Partial<DiskConfig>;
  actions?: TimedAction[];
  /** collect trace records (event log notes) */
  records?: boolean;
}

export function startRun(o: PaxosRunOptions = {}): PaxosRun {
  const [a, p, l] = [o.acceptors ?? DEFAULT_ACCEPTORS, o.proposers ?? DEFAULT_PROPOSERS, o.learners ?? DEFAULT_LEARNERS];
  const cfg = paxosConfig(a, p, l, o);
  const sim = new Simulator(createPaxos(cfg), {
    seed: o.seed ?? 1,
    nodes: paxosNodes(a, p, l),
    net: { latencyMin: 10, latencyMax: 30, loss: 0, ...o.net },
    disk: { latencyMin: 1, latencyMax: 4, ...o.disk },
  });
  if (o.records) sim.records = [];
  sim.start(o.actions ?? []);
  return { sim, checker: new PaxosChecker(cfg), cfg };
}

/** Step until simulated time `t`, checking the invariants after every step. */
export function runUntil(r: PaxosRun, t: number, stopOnViolation = false): void {
  runChecked(r.sim, r.checker, t, { stopOnViolation });
}
