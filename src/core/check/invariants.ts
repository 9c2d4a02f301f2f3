import type { ZabSim } from '../scenario/scenario';
import type { NodeId } from '../sim/types';

/**
 * Live safety checks, evaluated after every step. Each is a named predicate, as in
 * zookeeper-specifications (Zab.tla, ZkV3_7_0.tla).
 */
export interface Violation {
  invariant: string;
  time: number;
  step: number;
  nodes: NodeId[];
  message: string;
}

export class Checker {
  readonly violations: Violation[] = [];
  /** epoch → the server established as its leader (Leadership: at most one per epoch) */
  private leaderOfEpoch: Record<number, NodeId> = {};

  afterStep(sim: ZabSim): void {
    for (const id of sim.nodeIds()) {
      const n = sim.st.nodes[id]!;
      const s = n.state;
      if (!n.up || !s || s.state !== 'LEADING' || !s.leader?.established) continue;
      const epoch = s.leader.epoch;
      const prev = this.leaderOfEpoch[epoch];
      if (prev === undefined) this.leaderOfEpoch[epoch] = id;
      else if (prev !== id) this.report(sim, 'Leadership', [prev, id], `servers ${prev} and ${id} were both established leaders of epoch ${epoch}`);
    }
  }

  private report(sim: ZabSim, invariant: string, nodes: NodeId[], message: string): void {
    if (this.violations.some((v) => v.invariant === invariant && v.message === message)) return;
    this.violations.push({ invariant, time: sim.now, step: sim.st.step, nodes, message });
  }
}
