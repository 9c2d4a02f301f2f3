/**
 * The acceptor: the memory of Paxos. It promises (phase 1) and accepts (phase 2), and answers
 * only once what it answers for is on its disk: a promise or a vote it could forget in a crash
 * is worth nothing.
 */
import type { Durable, NodeId } from '../sim/types';
import { fmt, ge, gt, isZero, maxBallot, same, ZERO, type Ballot } from './ballot';
import type { AcceptedEntry, PaxosMessage, Value } from './messages';
import { DISK, note, send, type AcceptorState, type AcceptorWrite, type AcceptRecord, type Env } from './state';
import type { DiskOp } from '../sim/types';

/** Restart: the promise and the votes come back from the disk (unless the ablation forgets the promise). */
export function startAcceptor(id: NodeId, d: Durable, env: Env): AcceptorState {
  const accepted: AcceptorState['accepted'] = [];
  let lastVote = ZERO;
  for (const r of (d[DISK.accepts] as AcceptRecord[] | undefined) ?? []) {
    while (accepted.length < r.slot) accepted.push(null);
    accepted[r.slot] = { ballot: r.ballot, value: r.value, chosen: false };
    lastVote = maxBallot(lastVote, r.ballot);
  }
  let promised = (d[DISK.promised] as Ballot | undefined) ?? ZERO;
  if (env.cfg.ablations?.forgetPromise && !isZero(promised)) {
    note(env, 'paxos.forgot', { promised: fmt(promised) });
    promised = ZERO;
  }
  return { role: 'acceptor', id, promised, promising: ZERO, lastVote, accepted, writes: {}, nextWrite: 1 };
}

/** Nothing below this may be promised or accepted: the durable promise, or one being written. */
function bar(a: AcceptorState): Ballot {
  return maxBallot(a.promised, a.promising);
}

function write(a: AcceptorState, env: Env, ops: DiskOp[], w: AcceptorWrite): void {
  const n = a.nextWrite++;
  a.writes[n] = w;
  env.ctx.persist(ops, { kind: 'acceptor', write: n, what: w.what });
}

function nack(a: AcceptorState, env: Env, to: NodeId, ballot: Ballot): void {
  const promised = bar(a);
  env.ctx.send(to, { kind: 'NACK', ballot, promised });
  note(env, 'paxos.rejected', { ballot: fmt(ballot), promised: fmt(promised) });
}

/** PREPARE(n): promise if n is above anything promised; the PROMISE waits for the disk. */
export function onPrepare(a: AcceptorState, env: Env, from: NodeId, msg: Extract<PaxosMessage, { kind: 'PREPARE' }>): void {
  if (gt(msg.ballot, bar(a))) {
    a.promising = msg.ballot;
    return write(a, env, [{ op: 'set', key: DISK.promised, value: msg.ballot }], { what: 'promise', to: from, ballot: msg.ballot, from: msg.from });
  }
  // the same PREPARE again (its PROMISE was lost): the promise stands, answer it again
  if (same(msg.ballot, a.promised) && !gt(a.promising, a.promised)) return sendPromise(a, env, from, msg.ballot, msg.from);
  if (same(msg.ballot, a.promising)) return; // its PROMISE is on the way
  nack(a, env, from, msg.ballot);
}

function sendPromise(a: AcceptorState, env: Env, to: NodeId, ballot: Ballot, from: number): void {
  const accepted: AcceptedEntry[] = [];
  for (let slot = from; slot < a.accepted.length; slot++) {
    const e = a.accepted[slot];
    if (e) accepted.push({ slot, ...e });
  }
  env.ctx.send(to, { kind: 'PROMISE', ballot, from, accepted });
}

/** ACCEPT(n, slot, v): accept unless bound to a higher ballot; ACCEPTED waits for the disk. */
export function onAccept(a: AcceptorState, env: Env, from: NodeId, msg: Extract<PaxosMessage, { kind: 'ACCEPT' }>): void {
  if (!ge(msg.ballot, bar(a))) return nack(a, env, from, msg.ballot);
  const cur = a.accepted[msg.slot];
  if (cur && same(cur.ballot, msg.ballot)) return sendAccepted(env, from, msg.ballot, msg.slot, cur.value); // a re-sent ACCEPT
  const pending = Object.values(a.writes).some((w) => w.what === 'accept' && w.slot === msg.slot && same(w.ballot, msg.ballot));
  if (pending) return;
  const ops: DiskOp[] = [];
  // accepting n promises n as well
  if (gt(msg.ballot, a.promised)) ops.push({ op: 'set', key: DISK.promised, value: msg.ballot });
  const rec: AcceptRecord = { slot: msg.slot, ballot: msg.ballot, value: msg.value };
  ops.push({ op: 'append', key: DISK.accepts, items: [rec] });
  a.promising = maxBallot(a.promising, msg.ballot);
  write(a, env, ops, { what: 'accept', to: from, ballot: msg.ballot, slot: msg.slot, value: msg.value });
}

function sendAccepted(env: Env, to: NodeId, ballot: Ballot, slot: number, value: Value): void {
  const msg: PaxosMessage = { kind: 'ACCEPTED', ballot, slot, value };
  env.ctx.send(to, msg);
  // basic Paxos: learners count the votes themselves; Multi-Paxos: the leader announces CHOSEN
  if (env.cfg.mode === 'basic') send(env, env.cfg.learners, msg);
}

/** A promise or a vote reached the disk (or failed to: then it was never made, and nothing is sent). */
export function onAcceptorDisk(a: AcceptorState, env: Env, write: number, ok: boolean): void {
  const w = a.writes[write];
  if (!w) return;
  delete a.writes[write];
  if (!ok) {
    note(env, 'paxos.diskFailed', { what: w.what === 'promise' ? 'PROMISE' : 'ACCEPTED', detail: fmt(w.ballot) });
    return;
  }
  a.promised = maxBallot(a.promised, w.ballot);
  if (w.what === 'promise') {
    sendPromise(a, env, w.to, w.ballot, w.from);
    note(env, 'paxos.promised', { ballot: fmt(w.ballot), to: w.to });
    return;
  }
  while (a.accepted.length < w.slot) a.accepted.push(null);
  a.accepted[w.slot] = { ballot: w.ballot, value: w.value, chosen: false };
  a.lastVote = maxBallot(a.lastVote, w.ballot);
  sendAccepted(env, w.to, w.ballot, w.slot, w.value);
  if (env.cfg.mode === 'basic') note(env, 'paxos.accepted', { ballot: fmt(w.ballot), value: w.value, slot: w.slot });
}

/** CHOSEN: mark the matching votes, so a later PROMISE tells a new leader they need no phase 2. */
export function onChosenAtAcceptor(a: AcceptorState, slot: number, values: Value[]): void {
  values.forEach((v, i) => {
    const e = a.accepted[slot + i];
    if (e && e.value === v) e.chosen = true;
  });
}
