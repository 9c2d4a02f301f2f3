/**
 * 2PC's safety rules, checked after every step against what is on the nodes' disks (a crashed
 * node's disk included: its log is what it will act on when it comes back) and against the
 * messages as they are sent.
 */
import { InvariantChecker, type CheckerStateBase } from '../check/checker';
import { say, type Said } from '../check/types';
import type { Simulator } from '../sim/simulator';
import type { NodeId } from '../sim/types';
import type { TwoPcMessage } from './messages';
import { decisionIn, DISK_LOG, hasRecord, type LogRecord, type TwoPcNode } from './state';
import type { TwoPcView } from './twopc';

export const TWOPC_INVARIANTS = {
  Atomicity: 'no transaction is committed on one node and aborted on another (durable logs, crashed nodes included)',
  CommitValidity: 'a transaction commits only if every participant voted yes (has PREPARED on its disk)',
  WriteAheadLog: 'a node sends a yes vote, a COMMIT or an ACK only once the record it stands for is on its disk',
} as const;
export type TwoPcInvariant = keyof typeof TWOPC_INVARIANTS;

export type TwoPcSim = Simulator<TwoPcNode, TwoPcMessage, TwoPcView>;

/** Everything the checker remembers: plain data. */
export interface TwoPcCheckerState extends CheckerStateBase {
  /** per node: how many records of its disk log were read */
  read: Record<NodeId, number>;
  /** tx → nodes with that record on disk */
  prepared: Record<number, NodeId[]>;
  committed: Record<number, NodeId[]>;
  aborted: Record<number, NodeId[]>;
}

export class TwoPcChecker extends InvariantChecker<TwoPcSim, TwoPcCheckerState, TwoPcInvariant> {
  st: TwoPcCheckerState = { violations: [], read: {}, prepared: {}, committed: {}, aborted: {}, reported: {} };

  afterStep(sim: TwoPcSim): void {
    const fresh: { id: NodeId; r: LogRecord }[] = [];
    for (const id of sim.nodeIds()) {
      const log = (sim.node(id).durable[DISK_LOG] as LogRecord[] | undefined) ?? [];
      const from = Math.min(this.st.read[id] ?? 0, log.length);
      for (let i = from; i < log.length; i++) fresh.push({ id, r: log[i]! });
      this.st.read[id] = log.length;
    }
    // votes before decisions: disks read together (the first step over an inherited history)
    // must not look like a COMMIT that came before its PREPAREDs
    for (const { id, r } of fresh) if (r.rec === 'PREPARED') add(this.st.prepared, r.tx, id);
    for (const { id, r } of fresh) if (r.rec === 'COMMIT' || r.rec === 'ABORT') this.onDecision(sim, id, r);
    this.checkSent(sim);
  }

  private onDecision(sim: TwoPcSim, id: NodeId, r: LogRecord): void {
    const { tx } = r;
    if (r.rec === 'COMMIT') {
      if (!this.st.committed[tx]) {
        // at the first COMMIT anywhere, every participant must already have voted yes
        const missing = sim.nodeIds().filter((p) => sim.node(p).spec.role === 'participant' && !this.st.prepared[tx]?.includes(p));
        if (missing.length) this.reportTx(sim, 'CommitValidity', tx, [id, ...missing], say('commitWithoutVote', { tx, id, missing: missing.join(',') }, `T${tx} committed on ${id} without a yes vote (PREPARED on disk) from {${missing.join(',')}}`));
      }
      add(this.st.committed, tx, id);
    } else add(this.st.aborted, tx, id);
    const c = this.st.committed[tx] ?? [];
    const a = this.st.aborted[tx] ?? [];
    if (c.length && a.length) this.reportTx(sim, 'Atomicity', tx, [...c, ...a.filter((x) => !c.includes(x))], say('committedAndAborted', { tx, c: c.join(','), a: a.join(',') }, `T${tx} is committed on {${c.join(',')}} and aborted on {${a.join(',')}}`));
  }

  /** One report per rule and transaction. */
  private reportTx(sim: TwoPcSim, invariant: TwoPcInvariant, tx: number, nodes: NodeId[], said: Said): void {
    this.report(sim, invariant, nodes, said, `${invariant}:${tx}`);
  }

  /** Each message as it is sent (the step's record): a promise on the wire must be on disk first. */
  private checkSent(sim: TwoPcSim): void {
    if (!sim.lastStep.keepsSent) throw new Error('the 2PC checker reads what each step sent: set sim.log.keepsSent on its simulator');
    for (const { from, msg } of sim.lastStep.sent) {
      const m = msg as TwoPcMessage;
      const log = (sim.node(from).durable[DISK_LOG] as LogRecord[] | undefined) ?? [];
      const need =
        m.kind === 'VOTE' && m.vote === 'yes' ? hasRecord(log, m.tx, 'PREPARED')
        : m.kind === 'COMMIT' ? hasRecord(log, m.tx, 'COMMIT')
        : m.kind === 'ACK' ? decisionIn(log, m.tx) !== null
        : true;
      if (!need) this.reportTx(sim, 'WriteAheadLog', m.tx, [from], say('sentWithoutRecord', { id: from, kind: `${m.kind}${m.kind === 'VOTE' ? ' yes' : ''}`, tx: m.tx }, `${from} sent ${m.kind}${m.kind === 'VOTE' ? ' yes' : ''} for T${m.tx} with no record of it on its disk`));
    }
  }

}

function add(m: Record<number, NodeId[]>, tx: number, id: NodeId): void {
  const xs = (m[tx] ??= []);
  if (!xs.includes(id)) xs.push(id);
}
