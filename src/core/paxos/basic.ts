/**
 * Basic (single-decree) Paxos, the proposer's side: one instance (slot 0), one value.
 * Phase 1 PREPARE(n) → a majority of PROMISEs; phase 2 ACCEPT(n, v) with v the value of the
 * highest ballot the PROMISEs report (else its own) → a majority of ACCEPTEDs: v is chosen.
 * A NACK or a timeout means another proposer got ahead: back off, then a higher round.
 */
import type { ClientOp, NodeId } from '../sim/types';
import { fmt, gt, same } from './ballot';
import { valueOf, type PaxosMessage } from './messages';
import { backOff, beginRound } from './proposer';
import { note, send, type Env, type ProposerState } from './state';

/** A client write: propose its value, unless this proposer already has one. */
export function onClientWrite(p: ProposerState, env: Env, op: ClientOp): void {
  if (p.decided !== null) return note(env, 'paxos.alreadyChosen', { req: op.reqId, value: p.decided });
  if (p.own !== null) return note(env, 'paxos.busy', { req: op.reqId, value: p.own });
  const value = valueOf(op.reqId);
  p.received.push(value);
  p.own = value;
  note(env, 'paxos.write', { req: op.reqId, value });
  beginRound(p, env);
}

export function onPromise(p: ProposerState, env: Env, from: NodeId, msg: Extract<PaxosMessage, { kind: 'PROMISE' }>): void {
  if (p.phase !== 'PREPARING' || !p.ballotReady || !same(msg.ballot, p.ballot) || p.promises.includes(from)) return;
  p.promises.push(from);
  const e = msg.accepted.find((x) => x.slot === 0);
  if (e && (!p.highest || gt(e.ballot, p.highest.ballot))) p.highest = { ballot: e.ballot, value: e.value };
  if (p.promises.length < env.quorum) return;
  // a value some acceptor may already have helped choose must be carried forward
  if (p.highest && p.highest.value !== p.value) {
    p.value = p.highest.value;
    note(env, 'paxos.adopted', { value: p.value, ballot: fmt(p.highest.ballot) });
  }
  p.phase = 'ACCEPTING';
  p.accepts = [];
  env.ctx.setTimer('phase', env.cfg.timing.acceptTimeout);
  send(env, env.cfg.acceptors, { kind: 'ACCEPT', ballot: p.ballot!, slot: 0, value: p.value! });
  note(env, 'paxos.accept', { ballot: fmt(p.ballot), value: p.value!, slot: 0 });
}

/** NACK: an acceptor promised a higher ballot. This ballot is lost. */
export function onNack(p: ProposerState, env: Env, msg: Extract<PaxosMessage, { kind: 'NACK' }>): void {
  p.seenRound = Math.max(p.seenRound, msg.promised.round);
  if ((p.phase !== 'PREPARING' && p.phase !== 'ACCEPTING') || !same(msg.ballot, p.ballot)) return;
  p.preemptions++;
  note(env, 'paxos.preempted', { ballot: fmt(p.ballot), promised: fmt(msg.promised) });
  backOff(p, env);
}

export function onAccepted(p: ProposerState, env: Env, from: NodeId, msg: Extract<PaxosMessage, { kind: 'ACCEPTED' }>): void {
  if (p.phase !== 'ACCEPTING' || !same(msg.ballot, p.ballot) || msg.slot !== 0 || p.accepts.includes(from)) return;
  p.accepts.push(from);
  if (p.accepts.length >= env.quorum) decide(p, env);
}

/** A majority accepted this ballot: its value is chosen. Tell acceptors and learners, and stop. */
function decide(p: ProposerState, env: Env): void {
  const value = p.value!;
  p.phase = 'DECIDED';
  p.decided = value;
  env.ctx.cancelTimer('phase');
  note(env, 'paxos.chosen', { slot: 0, value, ballot: fmt(p.ballot) });
  send(env, [...env.cfg.acceptors, ...env.cfg.learners], { kind: 'CHOSEN', slot: 0, values: [value] });
}

export function onPhaseTimeout(p: ProposerState, env: Env): void {
  if (p.phase !== 'PREPARING' && p.phase !== 'ACCEPTING') return;
  note(env, 'paxos.timeout', { ballot: fmt(p.ballot), phase: p.phase === 'PREPARING' ? 'PREPARE' : 'ACCEPT' });
  backOff(p, env);
}

export function onBackoffOver(p: ProposerState, env: Env): void {
  if (p.phase === 'BACKOFF') beginRound(p, env);
}
