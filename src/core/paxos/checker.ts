/**
 * Paxos's safety rules, checked after every step. "Chosen" is judged globally, from the
 * acceptors' disks (a crashed acceptor's included: its votes are what it will answer with):
 * a value is chosen in a slot once a majority of acceptors has accepted one ballot with it.
 */
import { InvariantChecker, type CheckerStateBase } from '../check/checker';
import { say } from '../check/types';
import type { Simulator } from '../sim/simulator';
import type { NodeId } from '../sim/types';
import { fmt, gt, ZERO, type Ballot } from './ballot';
import { quorumSize, type PaxosConfig } from './config';
import { NOOP, type PaxosMessage, type Value } from './messages';
import type { PaxosView } from './paxos';
import { DISK, type AcceptRecord, type PaxosNode } from './state';

export const PAXOS_INVARIANTS = {
  Agreement: 'at most one value is chosen per slot (a majority of acceptors accepted the same ballot), and learners learn only that value',
  Validity: "a chosen value was proposed by a client write (or is a leader's no-op filling a gap)",
  PromiseKept: "an acceptor's promised ballot never decreases, across crashes too, and it never accepts below its promise",
} as const;
export type PaxosInvariant = keyof typeof PAXOS_INVARIANTS;

export type PaxosSim = Simulator<PaxosNode, PaxosMessage, PaxosView>;

/** Everything the checker remembers: plain data. */
export interface PaxosCheckerState extends CheckerStateBase {
  /** values proposers took from client writes */
  proposed: Record<Value, true>;
  /** slot → "ballot|value" → acceptors that accepted it */
  votes: Record<number, Record<string, NodeId[]>>;
  /** slot → the first value found chosen there */
  chosen: Record<number, { value: Value; ballot: string; by: NodeId[] }>;
  /** acceptor → records of its accept log already read */
  read: Record<NodeId, number>;
  /** acceptor → the highest promise it ever held (on disk or in memory) */
  maxPromised: Record<NodeId, Ballot>;
}

export class PaxosChecker extends InvariantChecker<PaxosSim, PaxosCheckerState, PaxosInvariant> {
  st: PaxosCheckerState = { violations: [], reported: {}, proposed: {}, votes: {}, chosen: {}, read: {}, maxPromised: {} };
  private readonly quorum: number;
  /** not state: how far each in-memory array was read (a new array, after a restart or a restore, is read again) */
  private seen = new WeakMap<unknown[], number>();

  constructor(private readonly cfg: Pick<PaxosConfig, 'acceptors' | 'proposers' | 'learners'>) {
    super();
    this.quorum = quorumSize(cfg as PaxosConfig);
  }

  protected override forget(): void {
    this.seen = new WeakMap();
  }

  afterStep(sim: PaxosSim): void {
    // client values first: a value reaches an acceptor's disk steps after a proposer took it
    for (const id of this.cfg.proposers) {
      const s = upState(sim, id);
      if (s?.role !== 'proposer') continue;
      this.readNew(s.received, (v) => (this.st.proposed[v] = true));
      if (s.decided !== null) this.checkKnown(sim, id, 0, s.decided, 'decided');
    }
    for (const id of this.cfg.acceptors) this.checkAcceptor(sim, id);
    for (const id of this.cfg.learners) {
      const s = upState(sim, id);
      if (s?.role !== 'learner') continue;
      this.readNew(s.learned, (v, slot) => this.checkKnown(sim, id, slot, v, 'learned'));
    }
  }

  private readNew<T>(arr: T[], f: (x: T, i: number) => void): void {
    for (let i = this.seen.get(arr) ?? 0; i < arr.length; i++) f(arr[i]!, i);
    this.seen.set(arr, arr.length);
  }

  private checkAcceptor(sim: PaxosSim, id: NodeId): void {
    const n = sim.node(id);
    const max = this.st.maxPromised[id] ?? ZERO;
    const log = (n.durable[DISK.accepts] as AcceptRecord[] | undefined) ?? [];
    for (let i = this.st.read[id] ?? 0; i < log.length; i++) {
      const r = log[i]!;
      if (gt(max, r.ballot)) this.report(sim, 'PromiseKept', [id], say('acceptedAfterPromise', { id, ballot: fmt(r.ballot), value: r.value, slot: r.slot, promised: fmt(max) }, `acceptor ${id} accepted ${fmt(r.ballot)} ${r.value} in slot ${r.slot} after promising ${fmt(max)}`));
      this.onVote(sim, id, r);
    }
    this.st.read[id] = log.length;
    let high = max;
    const disk = (n.durable[DISK.promised] as Ballot | undefined) ?? ZERO;
    if (gt(max, disk)) this.report(sim, 'PromiseKept', [id], say('promiseFell', { id, from: fmt(max), to: fmt(disk) }, `acceptor ${id}'s promise on disk fell from ${fmt(max)} to ${fmt(disk)}`));
    else high = disk;
    const s = upState(sim, id);
    if (s?.role === 'acceptor') {
      if (gt(high, s.promised)) this.report(sim, 'PromiseKept', [id], say('promiseLower', { id, holds: fmt(s.promised), promised: fmt(high) }, `acceptor ${id} holds promise ${fmt(s.promised)} after promising ${fmt(high)}`));
      else high = s.promised;
    }
    this.st.maxPromised[id] = high;
  }

  private onVote(sim: PaxosSim, id: NodeId, r: AcceptRecord): void {
    const bySlot = (this.st.votes[r.slot] ??= {});
    const key = `${fmt(r.ballot)}|${r.value}`;
    const by = (bySlot[key] ??= []);
    if (by.includes(id)) return;
    by.push(id);
    if (by.length < this.quorum) return;
    const first = this.st.chosen[r.slot];
    if (!first) {
      this.st.chosen[r.slot] = { value: r.value, ballot: fmt(r.ballot), by: [...by] };
      if (r.value !== NOOP && !this.st.proposed[r.value]) this.report(sim, 'Validity', [...by], say('chosenUnwritten', { value: r.value, slot: r.slot, ballot: fmt(r.ballot) }, `${r.value} was chosen in slot ${r.slot} (ballot ${fmt(r.ballot)}) but no client wrote it`));
    } else if (first.value !== r.value) {
      const nodes = [...first.by, ...by.filter((x) => !first.by.includes(x))];
      this.report(sim, 'Agreement', nodes, say('chosenTwice', { slot: r.slot, first: first.value, at: first.ballot, by: first.by.join(','), value: r.value, ballot: fmt(r.ballot), by2: by.join(',') }, `slot ${r.slot}: ${first.value} was chosen at ${first.ballot} by {${first.by.join(',')}}, then ${r.value} at ${fmt(r.ballot)} by {${by.join(',')}}`));
    }
  }

  /** A node learned / decided `value` for `slot`: it must be the value chosen there. */
  private checkKnown(sim: PaxosSim, id: NodeId, slot: number, value: Value, how: string): void {
    const c = this.st.chosen[slot];
    if (!c) this.report(sim, 'Agreement', [id], say(`${how}Unchosen`, { id, value, slot }, `server ${id} ${how} ${value} in slot ${slot}, which no majority accepted`));
    else if (c.value !== value) this.report(sim, 'Agreement', [id, ...c.by], say(`${how}Other`, { id, value, slot, chosen: c.value, ballot: c.ballot }, `server ${id} ${how} ${value} in slot ${slot}, where ${c.value} was chosen at ${c.ballot}`));
  }

}

function upState(sim: PaxosSim, id: NodeId): PaxosNode | null {
  const n = sim.st.nodes[id];
  return n && n.up ? n.state : null;
}
