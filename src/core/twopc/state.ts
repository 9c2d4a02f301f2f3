import type { Ctx, Durable, NodeId } from '../sim/types';
import type { TwoPcConfig } from './config';
import type { Decision, TwoPcMessage } from './messages';

/**
 * One record of a node's write-ahead log. Coordinator: BEGIN, COMMIT | ABORT, END.
 * Participant: PREPARED (it voted yes and holds the lock), then COMMIT | ABORT.
 */
export interface LogRecord {
  tx: number;
  rec: 'BEGIN' | 'PREPARED' | Decision | 'END';
}

/** The one key of a node's disk: its log, append-only. */
export const DISK_LOG = 'log';

export interface CoordinatorTx {
  tx: number;
  /**
   * BEGIN: BEGIN being logged; VOTING: PREPARE sent, votes coming in; DECIDING: the decision
   * being logged (nothing sent yet); DECIDED: the decision is durable and sent, ACKs coming in
   */
  phase: 'BEGIN' | 'VOTING' | 'DECIDING' | 'DECIDED';
  votes: Record<NodeId, 'yes' | 'no'>;
  decision: Decision | null;
  /** the decision's write is in flight; false after it failed, until the retry timer writes it again */
  writing: boolean;
  acks: NodeId[];
}

export interface ParticipantTx {
  /** VOTING: the vote's record is being written; PREPARED: on disk, voted yes, lock held */
  phase: 'VOTING' | 'PREPARED';
  vote: 'yes' | 'no';
  /** it already told the event log it is blocked (once per tx and life) */
  blocked: boolean;
}

export interface TwoPcNode {
  id: NodeId;
  role: 'coordinator' | 'participant';
  /** the records whose write completed, as on disk: handlers cannot read the disk */
  log: LogRecord[];
  // ---- coordinator (in memory: lost on a crash) ----
  /** client writes waiting for their turn */
  queue: number[];
  /** unfinished txs found in the log at restart, resolved before any new one */
  recover: { tx: number; decision: Decision | null }[];
  /** the one tx in progress */
  cur: CoordinatorTx | null;
  // ---- participant ----
  /** txs voted on but not decided here */
  open: Record<number, ParticipantTx>;
  /** decision records being written: tx → decision */
  applying: Record<number, Decision>;
}

/**
 * A log record being written and why (twopc.ts onDisk): the coordinator's BEGIN, decision or END;
 * a participant's vote, or a decision it applies.
 */
export interface TwoPcDisk {
  what: 'begin' | 'decision' | 'end' | 'vote';
  record: LogRecord;
}

export interface Env {
  cfg: TwoPcConfig;
  ctx: Ctx<TwoPcMessage, TwoPcDisk>;
}

export function emptyNode(id: NodeId, role: TwoPcNode['role'], durable: Durable): TwoPcNode {
  return { id, role, log: [...((durable[DISK_LOG] as LogRecord[] | undefined) ?? [])], queue: [], recover: [], cur: null, open: {}, applying: {} };
}

/** Append a record; it reaches the disk later, and onDisk gets `what` and the record back. */
export function writeLog(env: Env, what: TwoPcDisk['what'], record: LogRecord): void {
  env.ctx.persist([{ op: 'append', key: DISK_LOG, items: [record] }], { what, record });
}

/** The event log's name for a record being written (`<what>:<rec>:<tx>`). */
export function diskLabel(w: TwoPcDisk): string {
  return `${w.what}:${w.record.rec}:${w.record.tx}`;
}

/** The decision on record for tx, if any. */
export function decisionIn(log: readonly LogRecord[], tx: number): Decision | null {
  for (let i = log.length - 1; i >= 0; i--) {
    const r = log[i]!;
    if (r.tx === tx && (r.rec === 'COMMIT' || r.rec === 'ABORT')) return r.rec;
  }
  return null;
}

export function hasRecord(log: readonly LogRecord[], tx: number, rec: LogRecord['rec']): boolean {
  for (let i = log.length - 1; i >= 0; i--) if (log[i]!.tx === tx && log[i]!.rec === rec) return true;
  return false;
}
