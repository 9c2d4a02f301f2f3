/**
 * Paxos as a simulator Protocol: routes each message, timer and disk completion to the handler
 * of the node's role (acceptor.ts, basic.ts or multi.ts for proposers, learner.ts), and draws
 * a node's view.
 */
import type { Ctx, Durable, NodeId, NodeSpec, Protocol } from '../sim/types';
import { fmt, same } from './ballot';
import { quorumSize, type PaxosConfig, type PaxosMode, type PaxosRole } from './config';
import { labelOf, type PaxosMessage } from './messages';
import * as acceptor from './acceptor';
import * as basic from './basic';
import * as learner from './learner';
import * as multi from './multi';
import { emptyProposer, onCatchup, onRoundWritten } from './proposer';
import { note, type AcceptorState, type Env, type LearnerState, type PaxosDisk, type PaxosNode, type ProposerState } from './state';

/**
 * State names. Acceptor: ACCEPTOR (has promised nothing), PROMISED (its promise is above every
 * vote it cast), ACCEPTED (its latest act was a vote at its promised ballot).
 * Proposer: IDLE (no value / following a leader), PREPARING (phase 1: its round is being written
 * or PREPARE is out), ACCEPTING (basic phase 2), BACKOFF (preempted or timed out: waiting to
 * retry higher), DECIDED (basic: knows its ballot's value is chosen, and stops), LEADER (multi:
 * phase 1 done, runs phase 2 per write). Learner: LEARNER (nothing learned yet), LEARNED.
 */
export const ACCEPTOR_STATES = ['ACCEPTOR', 'PROMISED', 'ACCEPTED'] as const;
export const PROPOSER_STATES = ['IDLE', 'PREPARING', 'ACCEPTING', 'BACKOFF', 'DECIDED', 'LEADER'] as const;
export const LEARNER_STATES = ['LEARNER', 'LEARNED'] as const;
export type PaxosState = (typeof ACCEPTOR_STATES)[number] | (typeof PROPOSER_STATES)[number] | (typeof LEARNER_STATES)[number];

export type SlotStatus = 'committed' | 'pending' | 'aborted';

export interface PaxosFace {
  /** 1–2 short lines of protocol terms and numbers, drawn under the node */
  lines: string[];
  /** the tail of its slots, oldest first: chosen = committed, voted / proposed but not known chosen = pending */
  log: { label: string; status: SlotStatus }[];
}

export interface PaxosSlotView {
  slot: number;
  value: string;
  /** acceptor: the ballot of its vote */
  ballot: string | null;
  /** known chosen (acceptor: told CHOSEN; proposer: a majority accepted; learner: learned) */
  chosen: boolean;
}

export interface PaxosView {
  id: NodeId;
  role: PaxosRole;
  state: PaxosState;
  mode: PaxosMode;
  /** a majority of the acceptors */
  quorum: number;
  acceptors: number;
  /** acceptor: the highest ballot durably promised */
  promised: string | null;
  /** proposer: the ballot of its current (or last) attempt, and its highest round */
  ballot: string | null;
  round: number;
  /** basic proposer: the value of the current ballot (its own or adopted) and its client's value */
  value: string | null;
  own: string | null;
  /** proposer: acceptors that promised its ballot; that accepted it (basic) or the oldest open slot (multi) */
  promises: NodeId[];
  accepts: NodeId[];
  preemptions: number;
  /** multi: the leader this node follows (itself when leading) */
  leader: NodeId | null;
  /** proposer: slots 0..n-1 known chosen; learner: slots learned; acceptor: slots with a vote */
  upTo: number;
  /** the tail of its slots */
  slots: PaxosSlotView[];
  face: PaxosFace;
}

const FACE_TAIL = 12;
const DETAIL_TAIL = 64;

export function createPaxos(cfg: PaxosConfig): Protocol<PaxosNode, PaxosMessage, PaxosView, PaxosDisk> {
  const quorum = quorumSize(cfg);
  const env = (ctx: Ctx<PaxosMessage, PaxosDisk>): Env => ({ cfg, ctx, quorum });
  const isMulti = cfg.mode === 'multi';
  const fromAcceptor = (id: NodeId) => cfg.acceptors.includes(id);
  const fromProposer = (id: NodeId) => cfg.proposers.includes(id);
  const P = isMulti ? multi : basic;

  function roleOf(id: NodeId): PaxosRole {
    if (cfg.acceptors.includes(id)) return 'acceptor';
    if (cfg.proposers.includes(id)) return 'proposer';
    if (cfg.learners.includes(id)) return 'learner';
    throw new Error(`server ${id} has no Paxos role`);
  }

  function onProposerMessage(p: ProposerState, e: Env, from: NodeId, msg: PaxosMessage): void {
    switch (msg.kind) {
      case 'PROMISE':
        return fromAcceptor(from) ? P.onPromise(p, e, from, msg) : undefined;
      case 'NACK':
        return fromAcceptor(from) ? P.onNack(p, e, msg) : undefined;
      case 'ACCEPTED':
        return fromAcceptor(from) ? P.onAccepted(p, e, from, msg) : undefined;
      case 'CATCHUP':
        return onCatchup(p, e, from, msg.from);
      case 'HEARTBEAT':
        return isMulti && fromProposer(from) ? multi.onHeartbeat(p, e, from, msg) : undefined;
      case 'CHOSEN':
        return isMulti ? multi.onChosen(p, msg.slot, msg.values) : undefined;
    }
  }

  return {
    name: 'paxos',
    appendOnly: { state: ['learned', 'received'], durable: ['accepts', 'learned'] },

    init(spec: NodeSpec, durable: Durable, ctx): PaxosNode {
      const e = env(ctx);
      const role = roleOf(spec.id);
      if (role === 'acceptor') return acceptor.startAcceptor(spec.id, durable, e);
      if (role === 'learner') return learner.startLearner(spec.id, durable);
      const p = emptyProposer(spec.id, durable);
      if (isMulti) multi.armSilence(e);
      return p;
    },

    onMessage(s, from, msg, _conn, ctx) {
      const e = env(ctx);
      if (s.role === 'proposer') return onProposerMessage(s, e, from, msg);
      if (s.role === 'acceptor') {
        if (msg.kind === 'PREPARE' && fromProposer(from)) return acceptor.onPrepare(s, e, from, msg);
        if (msg.kind === 'ACCEPT' && fromProposer(from)) return acceptor.onAccept(s, e, from, msg);
        if (msg.kind === 'CHOSEN') return acceptor.onChosenAtAcceptor(s, msg.slot, msg.values);
        return;
      }
      if (msg.kind === 'ACCEPTED' && fromAcceptor(from)) return learner.onAccepted(s, e, from, msg);
      if (msg.kind === 'CHOSEN') return learner.onChosen(s, e, msg.slot, msg.values);
      if (msg.kind === 'HEARTBEAT' && isMulti) return learner.onHeartbeat(s, e, from, msg);
    },

    onTimer(s, name, ctx) {
      const e = env(ctx);
      if (s.role === 'learner') return name === 'retry' ? learner.onRetry(s, e) : undefined;
      if (s.role !== 'proposer') return;
      switch (name) {
        case 'phase':
          return P.onPhaseTimeout(s, e);
        case 'backoff':
          return P.onBackoffOver(s, e);
        case 'silence':
          return multi.onSilence(s, e);
        case 'heartbeat':
          return multi.heartbeat(s, e);
        case 'resend':
          return multi.onResend(s, e);
      }
    },

    onDisk(s, then, ok, ctx) {
      const e = env(ctx);
      if (then.kind === 'acceptor' && s.role === 'acceptor') return acceptor.onAcceptorDisk(s, e, then.write, ok);
      if (then.kind === 'learned') return learner.onLearnedWritten(e, then.slot, ok);
      if (then.kind === 'round' && s.role === 'proposer') onRoundWritten(s, e, then.round, ok);
    },

    diskLabel(then) {
      // the event log's words, as they were when these were string tags
      if (then.kind === 'acceptor') return `${then.what}#${then.write}`;
      if (then.kind === 'round') return `round:${then.round}`;
      return `learned:${then.slot}`;
    },

    onClosed() {
      // Paxos here uses datagrams only
    },

    onClient(s, op, ctx) {
      const e = env(ctx);
      if (s.role === 'proposer') return P.onClientWrite(s, e, op);
      note(e, 'paxos.notLeader', { req: op.reqId, leader: '—' });
    },

    isClientTarget(s) {
      if (s.role !== 'proposer') return false;
      return isMulti ? s.phase === 'LEADER' : s.id === cfg.proposers[0];
    },

    label: (msg) => labelOf(msg, isMulti),

    view(s, _durable, detail = true): PaxosView {
      const tail = detail ? DETAIL_TAIL : FACE_TAIL;
      const base = {
        id: s.id,
        role: s.role,
        mode: cfg.mode,
        quorum,
        acceptors: cfg.acceptors.length,
        promised: null,
        ballot: null,
        round: 0,
        value: null,
        own: null,
        promises: [],
        accepts: [],
        preemptions: 0,
        leader: null,
      };
      if (s.role === 'acceptor') return { ...base, ...acceptorView(s, isMulti, tail) };
      if (s.role === 'learner') return { ...base, ...learnerView(s, isMulti, tail) };
      return { ...base, ...proposerView(s, isMulti, cfg.acceptors.length, tail) };
    },
  };
}

const slotLabel = (multi: boolean, slot: number, value: string) => (multi ? `${slot}:${value}` : value);

function acceptorView(a: AcceptorState, isMulti: boolean, tail: number) {
  const slots: PaxosSlotView[] = [];
  for (let slot = a.accepted.length - 1; slot >= 0 && slots.length < tail; slot--) {
    const e = a.accepted[slot];
    if (e) slots.unshift({ slot, value: e.value, ballot: fmt(e.ballot), chosen: e.chosen });
  }
  const state: PaxosState = a.promised.round === 0 ? 'ACCEPTOR' : same(a.lastVote, a.promised) ? 'ACCEPTED' : 'PROMISED';
  const last = slots.filter((x) => x.ballot === fmt(a.lastVote)).at(-1);
  const lines = [`promised ${fmt(a.promised)}`];
  if (last) lines.push(isMulti ? `acc ${last.ballot} slot ${last.slot}` : `acc ${last.ballot} ${last.value}`);
  return {
    state,
    promised: fmt(a.promised),
    upTo: a.accepted.length,
    slots,
    face: { lines, log: slots.slice(-FACE_TAIL).map((x) => ({ label: slotLabel(isMulti, x.slot, x.value), status: x.chosen ? ('committed' as const) : ('pending' as const) })) },
  };
}

function proposerView(p: ProposerState, isMulti: boolean, acceptors: number, tail: number) {
  const common = { state: p.phase as PaxosState, ballot: p.ballot ? fmt(p.ballot) : null, round: p.round, promises: [...p.promises], preemptions: p.preemptions };
  const n = `n=${fmt(p.ballot)}`;
  if (!isMulti) {
    const v = p.decided ?? p.value ?? '';
    const lines =
      p.phase === 'IDLE' ? [`round ${p.round}`]
      : p.phase === 'DECIDED' ? [`chosen ${p.decided}`, n]
      : p.phase === 'PREPARING' ? [`${n} ${v}`, `promises ${p.promises.length}/${acceptors}`]
      : p.phase === 'ACCEPTING' ? [`${n} ${v}`, `accepts ${p.accepts.length}/${acceptors}`]
      : [`${n} ${v}`, 'backoff'];
    const log: PaxosFace['log'] = [];
    if (p.own !== null && p.decided !== null && p.own !== p.decided) log.push({ label: p.own, status: 'aborted' });
    if (p.decided !== null) log.push({ label: p.decided, status: 'committed' });
    else if (p.value !== null) log.push({ label: p.value, status: 'pending' });
    const slots: PaxosSlotView[] = v ? [{ slot: 0, value: v, ballot: null, chosen: p.decided !== null }] : [];
    return { ...common, value: p.value, own: p.own, accepts: [...p.accepts], leader: null, upTo: p.decided !== null ? 1 : 0, slots, face: { lines, log } };
  }
  const slots: PaxosSlotView[] = [];
  for (let slot = p.log.length - 1; slot >= 0 && slots.length < tail; slot--) {
    const e = p.log[slot];
    if (e) slots.unshift({ slot, value: e.value, ballot: null, chosen: e.chosen });
  }
  const open = p.log.slice(p.chosenUpTo).filter((e) => e && !e.chosen);
  const lines =
    p.phase === 'LEADER' ? [n, `chosen ${p.chosenUpTo} open ${open.length}`]
    : p.phase === 'PREPARING' ? [`${n} from ${p.from}`, `promises ${p.promises.length}/${acceptors}`]
    : p.phase === 'BACKOFF' ? [n, 'backoff']
    : [p.leader !== null ? `leader ${p.leader}` : `round ${p.round}`, `chosen ${p.chosenUpTo}`];
  return {
    ...common,
    value: null,
    own: null,
    accepts: p.phase === 'LEADER' && open[0] ? [...open[0].accepts] : [],
    leader: p.leader,
    upTo: p.chosenUpTo,
    slots,
    face: { lines, log: slots.slice(-FACE_TAIL).map((x) => ({ label: slotLabel(true, x.slot, x.value), status: x.chosen ? ('committed' as const) : ('pending' as const) })) },
  };
}

function learnerView(l: LearnerState, isMulti: boolean, tail: number) {
  const slots: PaxosSlotView[] = [];
  const from = Math.max(0, l.learned.length - tail);
  for (let slot = from; slot < l.learned.length; slot++) slots.push({ slot, value: l.learned[slot]!, ballot: null, chosen: true });
  // known chosen beyond a gap: not delivered yet
  const ahead = Object.keys(l.ahead).map(Number).sort((a, b) => a - b);
  const log: PaxosFace['log'] = [
    ...slots.map((x) => ({ label: slotLabel(isMulti, x.slot, x.value), status: 'committed' as const })),
    ...ahead.map((slot) => ({ label: slotLabel(isMulti, slot, l.ahead[slot]!), status: 'pending' as const })),
  ].slice(-FACE_TAIL);
  const lines = isMulti ? [`learned ${l.learned.length}`] : [l.learned.length ? `learned ${l.learned[0]}` : 'learned —'];
  return { state: (l.learned.length ? 'LEARNED' : 'LEARNER') as PaxosState, leader: l.leader, upTo: l.learned.length, slots, face: { lines, log } };
}
