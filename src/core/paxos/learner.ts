/**
 * The learner: finds out which value each slot chose and delivers them in slot order.
 * Basic mode: it counts the ACCEPTEDs itself (a majority for one ballot means chosen).
 * Multi mode: the leader announces CHOSEN; HEARTBEATs say how far the log is chosen, and a
 * learner that is behind (a lost CHOSEN, a restart) asks the leader with CATCHUP.
 */
import type { Durable, NodeId } from '../sim/types';
import { fmt } from './ballot';
import type { PaxosMessage, Value } from './messages';
import { DISK, note, send, type Env, type LearnedRecord, type LearnerState } from './state';

export function startLearner(id: NodeId, d: Durable): LearnerState {
  const bySlot = new Map<number, Value>();
  for (const r of (d[DISK.learned] as LearnedRecord[] | undefined) ?? []) bySlot.set(r.slot, r.value);
  // only the gap-free prefix counts: a failed write may have left a hole
  const learned: Value[] = [];
  while (bySlot.has(learned.length)) learned.push(bySlot.get(learned.length)!);
  return { role: 'learner', id, learned, ahead: {}, votes: {}, leader: null, retryDelay: 0 };
}

/** Basic mode: count a vote; a majority of acceptors on one ballot chose its value. */
export function onAccepted(l: LearnerState, env: Env, from: NodeId, msg: Extract<PaxosMessage, { kind: 'ACCEPTED' }>): void {
  if (msg.slot < l.learned.length || l.ahead[msg.slot] !== undefined) return;
  const key = `${fmt(msg.ballot)}|${msg.value}`;
  const bySlot = (l.votes[msg.slot] ??= {});
  const ids = (bySlot[key] ??= []);
  if (!ids.includes(from)) ids.push(from);
  if (ids.length >= env.quorum) return learn(l, env, msg.slot, [msg.value]);
  // some acceptor voted: if the outcome never reaches us, ask the proposers
  if (!l.retryDelay) {
    l.retryDelay = env.cfg.timing.learnerRetry;
    env.ctx.setTimer('retry', l.retryDelay);
  }
}

export function onChosen(l: LearnerState, env: Env, slot: number, values: Value[]): void {
  learn(l, env, slot, values);
}

/** Record chosen values; deliver every slot that no longer has a gap before it, and persist them. */
function learn(l: LearnerState, env: Env, slot: number, values: Value[]): void {
  values.forEach((v, i) => {
    if (slot + i >= l.learned.length) l.ahead[slot + i] = v;
  });
  const items: LearnedRecord[] = [];
  while (l.ahead[l.learned.length] !== undefined) {
    const s = l.learned.length;
    const value = l.ahead[s]!;
    delete l.ahead[s];
    delete l.votes[s];
    l.learned.push(value);
    items.push({ slot: s, value });
  }
  if (!items.length) return;
  if (l.retryDelay) {
    l.retryDelay = 0;
    env.ctx.cancelTimer('retry');
  }
  env.ctx.persist([{ op: 'append', key: DISK.learned, items }], { kind: 'learned', slot: items[0]!.slot });
  // a catch-up delivers many at once: one line for the batch
  const last = items[items.length - 1]!;
  note(env, 'paxos.learned', { slot: items.length === 1 ? String(last.slot) : `${items[0]!.slot}–${last.slot}`, value: last.value });
}

export function onLearnedWritten(env: Env, slot: number, ok: boolean): void {
  // learning is not a promise to anyone: a lost record is learned again after a restart
  if (!ok) note(env, 'paxos.diskFailed', { what: 'learned', detail: `slot ${slot}` });
}

/** Multi mode: the leader's HEARTBEAT; ask for what it has chosen beyond what we learned. */
export function onHeartbeat(l: LearnerState, env: Env, from: NodeId, msg: Extract<PaxosMessage, { kind: 'HEARTBEAT' }>): void {
  l.leader = from;
  if (msg.chosenUpTo > l.learned.length) env.ctx.send(from, { kind: 'CATCHUP', from: l.learned.length });
}

/** Basic mode: votes were seen but no majority: ask every proposer whether it decided (less and less often). */
export function onRetry(l: LearnerState, env: Env): void {
  if (l.learned.length > 0) return;
  send(env, env.cfg.proposers, { kind: 'CATCHUP', from: 0 });
  l.retryDelay = Math.min(2 * l.retryDelay, 16 * env.cfg.timing.learnerRetry);
  env.ctx.setTimer('retry', l.retryDelay);
}
