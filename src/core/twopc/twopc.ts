/**
 * Two-phase commit as a simulator Protocol: routes each message, timer and disk completion to
 * the coordinator's or a participant's handler, and draws a node's view.
 */
import type { Ctx, Durable, NodeId, NodeSpec, Protocol } from '../sim/types';
import type { TwoPcConfig } from './config';
import { onAck, onBeginLogged, onClientWrite, onDecisionLogged, onDecisionReq, onRetry, onVote, onVoteTimeout, recoverCoordinator } from './coordinator';
import { labelOf, txLabel, type Decision, type TwoPcMessage } from './messages';
import { onAskTimer, onDecision, onDecisionApplied, onPrepare, onVoteLogged, recoverParticipant } from './participant';
import { DISK_LOG, diskLabel, emptyNode, type Env, type LogRecord, type TwoPcDisk, type TwoPcNode } from './state';

/**
 * Coordinator: IDLE (no tx) → WAITING_VOTES (BEGIN logged, PREPARE sent) → COMMITTING or
 * ABORTING (deciding, then waiting for ACKs) → IDLE.
 * Participant: IDLE (no tx yet) → VOTING (its vote going to disk) → PREPARED (voted yes, holds
 * the lock, cannot decide alone) → COMMITTED or ABORTED (the outcome of its latest tx).
 */
export const COORDINATOR_STATES = ['IDLE', 'WAITING_VOTES', 'COMMITTING', 'ABORTING'] as const;
export const PARTICIPANT_STATES = ['IDLE', 'VOTING', 'PREPARED', 'COMMITTED', 'ABORTED'] as const;
export type TwoPcState = (typeof COORDINATOR_STATES)[number] | (typeof PARTICIPANT_STATES)[number];

export interface TwoPcFace {
  /** 1–2 short lines of protocol terms and numbers, drawn under the node */
  lines: string[];
  /** the node's latest txs, oldest first */
  log: { label: string; status: 'committed' | 'pending' | 'aborted' }[];
}

export interface TwoPcView {
  id: NodeId;
  role: 'coordinator' | 'participant';
  state: TwoPcState;
  /** the tx the state is about (null when IDLE) */
  tx: number | null;
  decision: Decision | null;
  /** coordinator: votes received for the current tx, of `participants` */
  votes: { id: NodeId; vote: 'yes' | 'no' }[];
  participants: number;
  /** coordinator: participants that have not ACKed the decision yet */
  awaitingAck: NodeId[];
  /** coordinator: client writes waiting for their turn */
  queued: number[];
  /** participant: the tx whose lock it holds (PREPARED), if any */
  lock: number | null;
  /** the log on disk: its length and its tail */
  logLength: number;
  log: LogRecord[];
  face: TwoPcFace;
}

export type TwoPcCtx = Ctx<TwoPcMessage, TwoPcDisk>;

const LOG_TAIL = 64;
const FACE_TAIL = 12;

export function createTwoPc(cfg: TwoPcConfig): Protocol<TwoPcNode, TwoPcMessage, TwoPcView, TwoPcDisk> {
  const env = (ctx: TwoPcCtx): Env => ({ cfg, ctx });

  return {
    name: 'twopc',
    appendOnly: { state: ['log'], durable: [DISK_LOG] },

    init(spec: NodeSpec, durable: Durable, ctx: TwoPcCtx): TwoPcNode {
      const s = emptyNode(spec.id, spec.id === cfg.coordinator ? 'coordinator' : 'participant', durable);
      if (s.role === 'coordinator') recoverCoordinator(s, env(ctx));
      else recoverParticipant(s, env(ctx));
      return s;
    },

    onMessage(s, from, msg, _conn, ctx) {
      const e = env(ctx);
      if (s.role === 'coordinator') {
        if (!cfg.participants.includes(from)) return;
        if (msg.kind === 'VOTE') return onVote(s, e, from, msg);
        if (msg.kind === 'ACK') return onAck(s, e, from, msg.tx);
        if (msg.kind === 'DECISION_REQ') return onDecisionReq(s, e, from, msg.tx);
        return;
      }
      if (from !== cfg.coordinator) return;
      if (msg.kind === 'PREPARE') return onPrepare(s, e, msg.tx);
      if (msg.kind === 'COMMIT' || msg.kind === 'ABORT') return onDecision(s, e, msg.tx, msg.kind);
    },

    onTimer(s, name, ctx) {
      const e = env(ctx);
      if (name === 'voteTimeout') return onVoteTimeout(s, e);
      if (name === 'retry') return onRetry(s, e);
      if (name === 'ask') return onAskTimer(s, e);
    },

    diskLabel,

    onDisk(s, t, ok, ctx) {
      if (ok) s.log.push(t.record);
      const e = env(ctx);
      const tx = t.record.tx;
      if (s.role === 'coordinator') {
        if (t.what === 'begin') return onBeginLogged(s, e, tx, ok);
        if (t.what === 'decision') return onDecisionLogged(s, e, tx, ok);
        // a lost END only costs a re-sent decision after a restart
        if (t.what === 'end' && !ok) ctx.note('twopc.logFailed', { tx, rec: 'END' });
        return;
      }
      if (t.what === 'vote') return onVoteLogged(s, e, tx, ok);
      if (t.what === 'decision') return onDecisionApplied(s, e, tx, ok);
    },

    onClosed() {
      // 2PC here uses datagrams only
    },

    onClient(s, op, ctx) {
      if (s.role === 'coordinator') return onClientWrite(s, env(ctx), op);
      ctx.note('twopc.notCoordinator', { req: op.reqId, coordinator: cfg.coordinator });
    },

    isClientTarget(s) {
      return s.role === 'coordinator';
    },

    label: labelOf,

    view(s, durable, detail = true): TwoPcView {
      const log = (durable[DISK_LOG] as LogRecord[] | undefined) ?? [];
      const n = cfg.participants.length;
      const base = {
        id: s.id,
        role: s.role,
        participants: n,
        logLength: log.length,
        log: log.slice(-(detail ? LOG_TAIL : FACE_TAIL)),
      };
      const faceLog = faceTail(log);
      if (s.role === 'coordinator') {
        const c = s.cur;
        const votes = c ? Object.entries(c.votes).map(([id, vote]) => ({ id: Number(id), vote })) : [];
        const state: TwoPcState = !c ? 'IDLE' : c.decision === null ? 'WAITING_VOTES' : c.decision === 'COMMIT' ? 'COMMITTING' : 'ABORTING';
        const lines =
          !c ? ['IDLE', ...(s.queue.length ? [`queued ${s.queue.length}`] : [])]
          : c.decision === null ? [`${txLabel(c.tx)} PREPARE`, `votes ${votes.length}/${n}`]
          : [`${txLabel(c.tx)} ${c.decision}`, `ACK ${c.acks.length}/${n}`];
        return {
          ...base,
          state,
          tx: c?.tx ?? null,
          decision: c?.phase === 'DECIDED' ? c.decision : null,
          votes,
          awaitingAck: c?.phase === 'DECIDED' ? cfg.participants.filter((p) => !c.acks.includes(p)) : [],
          queued: [...s.queue],
          lock: null,
          face: { lines, log: faceLog },
        };
      }
      const open = Object.entries(s.open).map(([tx, p]) => ({ tx: Number(tx), phase: p.phase }));
      const prepared = open.filter((p) => p.phase === 'PREPARED').map((p) => p.tx);
      const voting = open.filter((p) => p.phase === 'VOTING').map((p) => p.tx);
      const last = log.length ? lastDecided(log) : null;
      let state: TwoPcState = 'IDLE';
      let tx: number | null = null;
      if (prepared.length) [state, tx] = ['PREPARED', Math.max(...prepared)];
      else if (voting.length) [state, tx] = ['VOTING', Math.max(...voting)];
      else if (last) [state, tx] = [last.rec === 'COMMIT' ? 'COMMITTED' : 'ABORTED', last.tx];
      const lock = prepared.length ? Math.min(...prepared) : null;
      const lines =
        state === 'IDLE' ? ['IDLE']
        : state === 'PREPARED' ? [`${txLabel(tx!)} PREPARED`, `lock ${txLabel(lock!)}`]
        : state === 'VOTING' ? [`${txLabel(tx!)} PREPARE`]
        : [`${txLabel(tx!)} ${state === 'COMMITTED' ? 'COMMIT' : 'ABORT'}`];
      return {
        ...base,
        state,
        tx,
        decision: state === 'COMMITTED' ? 'COMMIT' : state === 'ABORTED' ? 'ABORT' : null,
        votes: [],
        awaitingAck: [],
        queued: [],
        lock,
        face: { lines, log: faceLog },
      };
    },
  };
}

function lastDecided(log: readonly LogRecord[]): LogRecord | null {
  for (let i = log.length - 1; i >= 0; i--) if (log[i]!.rec === 'COMMIT' || log[i]!.rec === 'ABORT') return log[i]!;
  return null;
}

/** The last FACE_TAIL txs on disk with their outcome so far, oldest first. */
function faceTail(log: readonly LogRecord[]): TwoPcFace['log'] {
  const status = new Map<number, 'committed' | 'pending' | 'aborted'>();
  // a tx's records sit close together: a short window back finds the decisions of the last few
  const from = Math.max(0, log.length - 8 * FACE_TAIL);
  for (let i = log.length - 1; i >= from; i--) {
    const r = log[i]!;
    const outcome = r.rec === 'COMMIT' ? 'committed' : r.rec === 'ABORT' ? 'aborted' : null;
    const known = status.get(r.tx);
    if (known === undefined && status.size < FACE_TAIL) status.set(r.tx, outcome ?? 'pending');
    else if (known === 'pending' && outcome) status.set(r.tx, outcome);
  }
  return [...status].reverse().map(([tx, st]) => ({ label: txLabel(tx), status: st }));
}
