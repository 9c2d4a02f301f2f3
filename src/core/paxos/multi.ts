/**
 * Multi-Paxos, the proposers' side: a log of instances (slots) 0, 1, 2, ... A proposer becomes
 * the stable leader by running phase 1 once, for every slot from its first unchosen one; each
 * PROMISE reports the acceptor's votes in those slots. The leader re-proposes what it found
 * (a NOOP fills a hole), then handles each write with phase 2 only: ACCEPT(n, slot, v) →
 * a majority of ACCEPTED → CHOSEN to acceptors and learners (ZAB's PROPOSAL → ACK → COMMIT).
 * It sends HEARTBEATs; a proposer that hears none for a while runs phase 1 with a higher ballot,
 * and a leader that gets a NACK (an acceptor promised a higher ballot) steps down.
 */
import type { ClientOp, NodeId } from '../sim/types';
import { fmt, ge, gt, same, type Ballot } from './ballot';
import { NOOP, valueOf, type PaxosMessage, type Value } from './messages';
import { backOff, beginRound } from './proposer';
import { note, send, type Env, type ProposerState } from './state';

/** At most this many open slots are re-sent per resend tick. */
const RESEND_MAX = 16;

/** Wait for a leader's HEARTBEAT; randomized, so that proposers do not all try at once. */
export function armSilence(env: Env): void {
  const t = env.cfg.timing.leaderTimeout;
  env.ctx.setTimer('silence', t + Math.floor(env.ctx.random() * t));
}

export function onClientWrite(p: ProposerState, env: Env, op: ClientOp): void {
  const value = valueOf(op.reqId);
  if (p.phase === 'LEADER') {
    p.received.push(value);
    const slot = propose(p, env, value);
    return note(env, 'paxos.propose', { req: op.reqId, value, slot });
  }
  if (p.phase === 'PREPARING') {
    p.received.push(value);
    p.queue.push({ req: op.reqId, value });
    return note(env, 'paxos.queued', { req: op.reqId, value });
  }
  note(env, 'paxos.notLeader', { req: op.reqId, leader: p.leader ?? '—' });
}

/** Phase 2 for one value in the next free slot. */
function propose(p: ProposerState, env: Env, value: Value): number {
  const slot = p.nextSlot++;
  proposeAt(p, env, slot, value);
  return slot;
}

function proposeAt(p: ProposerState, env: Env, slot: number, value: Value): void {
  while (p.log.length < slot) p.log.push(null);
  p.log[slot] = { value, chosen: false, accepts: [] };
  send(env, env.cfg.acceptors, { kind: 'ACCEPT', ballot: p.ballot!, slot, value });
  env.ctx.setTimer('resend', env.cfg.timing.acceptTimeout);
}

/** The silence timer: no leader heard, so try to become one. */
export function onSilence(p: ProposerState, env: Env): void {
  if (p.phase !== 'IDLE') return;
  note(env, 'paxos.leaderSilent', { leader: p.leader ?? '—' });
  p.leader = null;
  p.leaderBallot = null;
  beginRound(p, env);
}

export function onPromise(p: ProposerState, env: Env, from: NodeId, msg: Extract<PaxosMessage, { kind: 'PROMISE' }>): void {
  if (p.phase !== 'PREPARING' || !p.ballotReady || !same(msg.ballot, p.ballot) || msg.from !== p.from || p.promises.includes(from)) return;
  p.promises.push(from);
  for (const e of msg.accepted) {
    if (e.slot < p.from) continue;
    const cur = p.merged[e.slot];
    // a vote known chosen settles the slot; otherwise the highest ballot wins
    if (!cur || (!cur.chosen && (e.chosen || gt(e.ballot, cur.ballot)))) p.merged[e.slot] = e;
  }
  if (p.promises.length >= env.quorum) becomeLeader(p, env);
}

/**
 * A majority promised: lead. Every slot from `from` up to the highest one reported is settled
 * first: known chosen, or re-proposed with the highest vote found, or a NOOP if nobody voted.
 */
function becomeLeader(p: ProposerState, env: Env): void {
  p.phase = 'LEADER';
  p.leader = p.id;
  p.leaderBallot = p.ballot;
  env.ctx.cancelTimer('phase');
  env.ctx.cancelTimer('silence');
  const reported = Object.keys(p.merged).map(Number);
  const end = Math.max(p.from, p.log.length, ...reported.map((s) => s + 1));
  let reproposed = 0;
  let noops = 0;
  for (let slot = p.from; slot < end; slot++) {
    if (p.log[slot]?.chosen) continue;
    const m = p.merged[slot];
    if (m?.chosen) {
      while (p.log.length < slot) p.log.push(null);
      p.log[slot] = { value: m.value, chosen: true, accepts: [] };
      continue;
    }
    if (m) reproposed++;
    else {
      noops++;
      note(env, 'paxos.noop', { slot });
    }
    proposeAt(p, env, slot, m ? m.value : NOOP);
  }
  advanceChosen(p);
  p.nextSlot = end;
  note(env, 'paxos.leader', { ballot: fmt(p.ballot), from: p.from, reproposed, noops });
  heartbeat(p, env);
  for (const w of p.queue.splice(0)) note(env, 'paxos.propose', { req: w.req, value: w.value, slot: propose(p, env, w.value) });
}

export function onAccepted(p: ProposerState, env: Env, from: NodeId, msg: Extract<PaxosMessage, { kind: 'ACCEPTED' }>): void {
  if (p.phase !== 'LEADER' || !same(msg.ballot, p.ballot)) return;
  const e = p.log[msg.slot];
  if (!e || e.chosen || e.value !== msg.value || e.accepts.includes(from)) return;
  e.accepts.push(from);
  if (e.accepts.length < env.quorum) return;
  e.chosen = true;
  advanceChosen(p);
  note(env, 'paxos.chosen', { slot: msg.slot, value: e.value, ballot: fmt(p.ballot) });
  send(env, [...env.cfg.acceptors, ...env.cfg.learners], { kind: 'CHOSEN', slot: msg.slot, values: [e.value] });
}

function advanceChosen(p: ProposerState): void {
  while (p.log[p.chosenUpTo]?.chosen) p.chosenUpTo++;
}

/** CHOSEN (a catch-up reply): record what is settled. */
export function onChosen(p: ProposerState, slot: number, values: Value[]): void {
  values.forEach((value, i) => {
    const s = slot + i;
    if (p.log[s]?.chosen) return;
    while (p.log.length < s) p.log.push(null);
    p.log[s] = { value, chosen: true, accepts: [] };
  });
  advanceChosen(p);
  p.nextSlot = Math.max(p.nextSlot, p.log.length);
}

/** NACK: some acceptor promised a higher ballot. A leader steps down, a candidate backs off. */
export function onNack(p: ProposerState, env: Env, msg: Extract<PaxosMessage, { kind: 'NACK' }>): void {
  p.seenRound = Math.max(p.seenRound, msg.promised.round);
  if (!same(msg.ballot, p.ballot)) return;
  if (p.phase === 'LEADER') return stepDown(p, env, msg.promised);
  if (p.phase !== 'PREPARING') return;
  p.preemptions++;
  note(env, 'paxos.preempted', { ballot: fmt(p.ballot), promised: fmt(msg.promised) });
  backOff(p, env);
}

/** No longer the leader: open slots are left to the next leader, who will find them in phase 1. */
function stepDown(p: ProposerState, env: Env, higher: Ballot): void {
  p.preemptions++;
  const open = p.log.filter((e) => e && !e.chosen).length;
  note(env, 'paxos.stepDown', { ballot: fmt(p.ballot), promised: fmt(higher), open });
  p.log = p.log.map((e) => (e?.chosen ? e : null));
  while (p.log.length && p.log[p.log.length - 1] === null) p.log.pop();
  p.nextSlot = p.log.length;
  p.phase = 'IDLE';
  p.leader = null;
  p.leaderBallot = null;
  for (const t of ['heartbeat', 'resend', 'phase']) env.ctx.cancelTimer(t);
  armSilence(env);
}

/** HEARTBEAT: a leader is alive. Follow the highest one, and catch up on what it has chosen. */
export function onHeartbeat(p: ProposerState, env: Env, from: NodeId, msg: Extract<PaxosMessage, { kind: 'HEARTBEAT' }>): void {
  p.seenRound = Math.max(p.seenRound, msg.ballot.round);
  if (p.phase === 'LEADER' || p.phase === 'PREPARING' || p.phase === 'BACKOFF') {
    // a candidate with a higher ballot goes on: it is taking over from a leader it stopped hearing
    if (!p.ballot || !gt(msg.ballot, p.ballot)) return;
    if (p.phase === 'LEADER') stepDown(p, env, msg.ballot);
    p.phase = 'IDLE';
    for (const t of ['phase', 'backoff']) env.ctx.cancelTimer(t);
  }
  if (p.leaderBallot && !ge(msg.ballot, p.leaderBallot)) return; // an old leader, not yet told
  // below a ballot we used ourselves: acceptors may have promised ours, so that leader is stale
  if (gt({ round: p.round, proposer: p.id }, msg.ballot)) return;
  if (p.leader !== from) note(env, 'paxos.follow', { leader: from, ballot: fmt(msg.ballot) });
  p.leader = from;
  p.leaderBallot = msg.ballot;
  p.queue = [];
  armSilence(env);
  if (msg.chosenUpTo > p.chosenUpTo) env.ctx.send(from, { kind: 'CATCHUP', from: p.chosenUpTo });
}

/** The leader's beat: to the other proposers and to the learners. */
export function heartbeat(p: ProposerState, env: Env): void {
  if (p.phase !== 'LEADER') return;
  const msg: PaxosMessage = { kind: 'HEARTBEAT', ballot: p.ballot!, chosenUpTo: p.chosenUpTo };
  send(env, [...env.cfg.proposers.filter((id) => id !== p.id), ...env.cfg.learners], msg);
  env.ctx.setTimer('heartbeat', env.cfg.timing.heartbeat);
}

/** ACCEPTs or ACCEPTEDs may be lost: send the open slots again to the acceptors yet to answer. */
export function onResend(p: ProposerState, env: Env): void {
  if (p.phase !== 'LEADER') return;
  let n = 0;
  for (let slot = p.chosenUpTo; slot < p.log.length && n < RESEND_MAX; slot++) {
    const e = p.log[slot];
    if (!e || e.chosen) continue;
    n++;
    const missing = env.cfg.acceptors.filter((a) => !e.accepts.includes(a));
    send(env, missing, { kind: 'ACCEPT', ballot: p.ballot!, slot, value: e.value });
  }
  if (n) env.ctx.setTimer('resend', env.cfg.timing.acceptTimeout);
}

export function onPhaseTimeout(p: ProposerState, env: Env): void {
  if (p.phase !== 'PREPARING') return;
  note(env, 'paxos.timeout', { ballot: fmt(p.ballot), phase: 'PREPARE' });
  backOff(p, env);
}

export function onBackoffOver(p: ProposerState, env: Env): void {
  if (p.phase === 'BACKOFF') beginRound(p, env);
}
