import type { ZabSim } from '../scenario/scenario';
import type { NodeId } from '../sim/types';
import type { LogEntry, SnapshotFile } from '../zk/peer';
import type { ZkServer } from '../zk/state';
import { counterOf, epochOf, zxidHex, type Zxid } from '../zk/zxid';

/**
 * Live safety checks, evaluated after every step. Each is a named predicate, as in
 * zookeeper-specifications (Zab.tla, ZkV3_7_0.tla) and the Zab paper (DSN 2011).
 * "Delivered" means applied to a serving server's data tree (it is in BROADCAST).
 */
export interface Violation {
  invariant: string;
  time: number;
  step: number;
  nodes: NodeId[];
  message: string;
}

export const INVARIANTS = {
  Leadership: 'at most one established leader per epoch',
  PrefixConsistency: 'servers deliver the same txns in the same order (agreement, total order)',
  GlobalPrimaryOrder: "each server's delivered zxids strictly increase",
  LocalPrimaryOrder: "a leader's txns are delivered in the order it proposed them, with no gap in its epoch",
  PrimaryIntegrity: 'a leader holds every txn committed in earlier epochs before it proposes',
  NoCommittedLoss: 'an established leader holds every committed txn',
  Durability: 'a committed txn is on the disk of a quorum of voters',
} as const;
export type InvariantName = keyof typeof INVARIANTS;

interface Tracked {
  history: Zxid[] | null;
  checked: number;
}

export class Checker {
  readonly violations: Violation[] = [];
  /** epoch → the server established as its leader */
  private leaderOfEpoch: Record<number, NodeId> = {};
  /** the committed sequence, as first delivered by any server */
  private committed: Zxid[] = [];
  private tracked: Record<NodeId, Tracked> = {};
  /** per leader incarnation: the last zxid it proposed, and whether it was checked */
  private proposed: Record<string, Zxid> = {};
  private establishedChecked = new Set<string>();
  private integrityChecked = new Set<string>();
  private lastCommittedSeen: Record<string, Zxid> = {};

  constructor(private readonly voters: ReadonlySet<NodeId> = new Set()) {}

  afterStep(sim: ZabSim): void {
    for (const id of sim.nodeIds()) {
      const n = sim.st.nodes[id]!;
      const s = n.state;
      if (!n.up || !s) {
        delete this.tracked[id];
        continue;
      }
      if (s.state === 'LEADING' && s.leader?.established) this.checkLeader(sim, id, s);
      if (s.zabState === 'BROADCAST' && s.state !== 'LOOKING') this.checkDelivered(sim, id, s);
    }
  }

  private checkLeader(sim: ZabSim, id: NodeId, s: ZkServer): void {
    const l = s.leader!;
    const epoch = l.epoch;
    const prev = this.leaderOfEpoch[epoch];
    if (prev === undefined) this.leaderOfEpoch[epoch] = id;
    else if (prev !== id) this.report(sim, 'Leadership', [prev, id], `servers ${prev} and ${id} were both established leaders of epoch ${epoch}`);

    const key = `${id}@${epoch}`;
    if (!this.establishedChecked.has(key)) {
      this.establishedChecked.add(key);
      this.checkHolds(sim, id, s, 'NoCommittedLoss', this.committed.length, `leader ${id} of epoch ${epoch} was established without`);
    }
    const prevProposed = this.proposed[key];
    if (prevProposed === undefined) this.proposed[key] = l.lastProposed;
    else if (l.lastProposed !== prevProposed) {
      if (l.lastProposed < prevProposed || epochOf(l.lastProposed) !== epoch) {
        this.report(sim, 'LocalPrimaryOrder', [id], `leader ${id} of epoch ${epoch} proposed ${zxidHex(l.lastProposed)} after ${zxidHex(prevProposed)}`);
      }
      if (!this.integrityChecked.has(key)) {
        this.integrityChecked.add(key);
        const earlier = this.committed.filter((z) => epochOf(z) < epoch).length;
        this.checkHolds(sim, id, s, 'PrimaryIntegrity', earlier, `leader ${id} proposed ${zxidHex(l.lastProposed)} without`);
      }
      this.proposed[key] = l.lastProposed;
    }
    // Durability: each newly committed txn must be on the disk of a quorum of voters
    const seen = this.lastCommittedSeen[key] ?? l.lastCommitted;
    if (l.lastCommitted > seen && counterOf(l.lastCommitted) > 0) {
      const z = l.lastCommitted;
      const holders = sim.nodeIds().filter((v) => this.voters.has(v) && durablyHolds(sim.st.nodes[v]!.durable, z));
      if (this.voters.size && holders.length * 2 <= this.voters.size) {
        this.report(sim, 'Durability', [id], `${zxidHex(z)} committed by ${id} is on the disk of only {${holders.join(',')}}`);
      }
    }
    this.lastCommittedSeen[key] = l.lastCommitted;
  }

  /** Does `s`'s tree start with the first `count` committed txns? */
  private checkHolds(sim: ZabSim, id: NodeId, s: ZkServer, inv: InvariantName, count: number, what: string): void {
    for (let i = 0; i < count; i++) {
      if (s.history[i] !== this.committed[i]) {
        this.report(sim, inv, [id], `${what} committed txn ${zxidHex(this.committed[i]!)}`);
        return;
      }
    }
  }

  private checkDelivered(sim: ZabSim, id: NodeId, s: ZkServer): void {
    let t = this.tracked[id];
    if (!t || t.history !== s.history) t = this.tracked[id] = { history: s.history, checked: 0 };
    const h = s.history;
    for (let i = t.checked; i < h.length; i++) {
      const z = h[i]!;
      const prev = i > 0 ? h[i - 1]! : null;
      if (prev !== null && z <= prev) {
        this.report(sim, 'GlobalPrimaryOrder', [id], `server ${id} delivered ${zxidHex(z)} after ${zxidHex(prev)}`);
      } else if (prev !== null && epochOf(prev) === epochOf(z) && z !== prev + 1) {
        this.report(sim, 'LocalPrimaryOrder', [id], `server ${id} delivered ${zxidHex(z)} after ${zxidHex(prev)}: a gap within epoch ${epochOf(z)}`);
      }
      if (i < this.committed.length) {
        if (this.committed[i] !== z) {
          this.report(sim, 'PrefixConsistency', [id], `server ${id} delivered ${zxidHex(z)} as txn #${i + 1}, where others delivered ${zxidHex(this.committed[i]!)}`);
          t.checked = h.length;
          return;
        }
      } else this.committed.push(z);
    }
    t.checked = h.length;
  }

  private report(sim: ZabSim, invariant: InvariantName, nodes: NodeId[], message: string): void {
    if (this.violations.some((v) => v.invariant === invariant && v.message === message)) return;
    if (this.violations.length >= 100) return;
    this.violations.push({ invariant, time: sim.now, step: sim.st.step, nodes, message });
  }
}

function durablyHolds(d: Record<string, unknown>, z: Zxid): boolean {
  const snap = d.snapshot as SnapshotFile | undefined;
  if (snap && snap.zxid >= z && snap.history.includes(z)) return true;
  const log = (d.log as LogEntry[] | undefined) ?? [];
  for (let i = log.length - 1; i >= 0; i--) {
    const e = log[i]!.zxid;
    if (e === z) return true;
    if (e < z) return false;
  }
  return false;
}
