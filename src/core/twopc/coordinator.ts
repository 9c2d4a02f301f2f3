/**
 * The coordinator: queues client writes and runs them one at a time through both phases.
 * Phase 1: log BEGIN, send PREPARE, collect VOTEs (one no, or a missing vote at the timeout,
 * aborts). Phase 2: log the decision, and only then send it; re-send it until every participant
 * ACKs; then log END and forget. Presumed abort: with no decision on record, the answer is ABORT.
 */
import type { ClientOp, NodeId } from '../sim/types';
import type { Decision, TwoPcMessage } from './messages';
import { decisionIn, writeLog, type Env, type TwoPcNode } from './state';

export function onClientWrite(s: TwoPcNode, env: Env, op: ClientOp): void {
  const tx = op.reqId;
  s.queue.push(tx);
  env.ctx.note('twopc.queued', { tx, queued: s.queue.length });
  startNext(s, env);
}

/** When idle: first finish what a crash interrupted, then begin the next queued tx. */
export function startNext(s: TwoPcNode, env: Env): void {
  if (s.cur) return;
  const r = s.recover.shift();
  if (r) return resume(s, env, r.tx, r.decision);
  const tx = s.queue.shift();
  if (tx === undefined) return;
  s.cur = { tx, phase: 'BEGIN', votes: {}, decision: null, writing: false, acks: [] };
  // BEGIN is forced before any PREPARE: a restarted coordinator then knows which participants
  // may be PREPARED and aborts them at once, instead of leaving them to time out and ask
  writeLog(env, 'begin', { tx, rec: 'BEGIN' });
}

export function onBeginLogged(s: TwoPcNode, env: Env, tx: number, ok: boolean): void {
  const c = s.cur;
  if (!c || c.tx !== tx || c.phase !== 'BEGIN') return;
  if (!ok) {
    // no PREPARE went out, so nobody holds anything: drop the write and move on
    env.ctx.note('twopc.beginFailed', { tx });
    s.cur = null;
    return startNext(s, env);
  }
  c.phase = 'VOTING';
  for (const p of env.cfg.participants) env.ctx.send(p, { kind: 'PREPARE', tx });
  env.ctx.setTimer('voteTimeout', env.cfg.timing.voteTimeout);
  env.ctx.setTimer('retry', env.cfg.timing.retryInterval);
  env.ctx.note('twopc.prepare', { tx, n: env.cfg.participants.length });
}

export function onVote(s: TwoPcNode, env: Env, from: NodeId, msg: Extract<TwoPcMessage, { kind: 'VOTE' }>): void {
  const c = s.cur;
  if (!c || c.tx !== msg.tx || c.phase !== 'VOTING' || c.votes[from] !== undefined) return;
  c.votes[from] = msg.vote;
  // one veto aborts
  if (msg.vote === 'no') {
    env.ctx.note('twopc.gotNo', { tx: c.tx, from });
    return decide(s, env, 'ABORT');
  }
  if (env.cfg.participants.every((p) => c.votes[p] === 'yes')) decide(s, env, 'COMMIT');
}

export function onVoteTimeout(s: TwoPcNode, env: Env): void {
  const c = s.cur;
  if (!c || c.phase !== 'VOTING') return;
  const missing = env.cfg.participants.filter((p) => c.votes[p] === undefined);
  env.ctx.note('twopc.voteTimeout', { tx: c.tx, missing: missing.join(',') });
  // a missing vote may be a no: only abort is safe (the ablation gets this wrong on purpose)
  decide(s, env, env.cfg.ablations?.presumeCommit ? 'COMMIT' : 'ABORT');
}

/** Decide, and log the decision; nothing is sent until it is on disk (onDecisionLogged). */
function decide(s: TwoPcNode, env: Env, decision: Decision): void {
  const c = s.cur!;
  c.phase = 'DECIDING';
  c.decision = decision;
  c.writing = true;
  env.ctx.cancelTimer('voteTimeout');
  env.ctx.setTimer('retry', env.cfg.timing.retryInterval);
  writeLog(env, 'decision', { tx: c.tx, rec: decision });
}

export function onDecisionLogged(s: TwoPcNode, env: Env, tx: number, ok: boolean): void {
  const c = s.cur;
  if (!c || c.tx !== tx || c.phase !== 'DECIDING' || !c.decision) return;
  c.writing = false;
  // not durable, so not decided: a crash now must still end in ABORT. The retry timer writes again
  if (!ok) return env.ctx.note('twopc.logFailed', { tx, rec: c.decision });
  c.phase = 'DECIDED';
  env.ctx.note('twopc.decided', { tx, decision: c.decision });
  sendDecision(env, c.tx, c.decision, env.cfg.participants);
  env.ctx.setTimer('retry', env.cfg.timing.retryInterval);
}

export function onAck(s: TwoPcNode, env: Env, from: NodeId, tx: number): void {
  const c = s.cur;
  if (!c || c.tx !== tx || c.phase !== 'DECIDED') return;
  if (!c.acks.includes(from)) c.acks.push(from);
  if (!env.cfg.participants.every((p) => c.acks.includes(p))) return;
  // everyone has the decision on disk: END need not be forced (if it is lost, a restart re-sends
  // the decision and the participants ACK again), so the next tx starts now
  writeLog(env, 'end', { tx, rec: 'END' });
  env.ctx.note('twopc.end', { tx, decision: c.decision! });
  env.ctx.cancelTimer('retry');
  s.cur = null;
  startNext(s, env);
}

/** A blocked participant asks what was decided. */
export function onDecisionReq(s: TwoPcNode, env: Env, from: NodeId, tx: number): void {
  const c = s.cur;
  if (c && c.tx === tx) {
    // still undecided: it will hear the decision once there is one
    if (c.phase === 'DECIDED') sendDecision(env, tx, c.decision!, [from]);
    return;
  }
  if (s.recover.some((r) => r.tx === tx && r.decision === null)) return;
  const d = decisionIn(s.log, tx);
  if (d) return sendDecision(env, tx, d, [from]);
  // presumed abort: no COMMIT on record means none was ever sent
  env.ctx.note('twopc.presumedAbort', { tx });
  sendDecision(env, tx, 'ABORT', [from]);
}

/** Re-send whatever the current phase is waiting on; datagrams get lost. */
export function onRetry(s: TwoPcNode, env: Env): void {
  const c = s.cur;
  if (!c || c.phase === 'BEGIN') return;
  if (c.phase === 'VOTING') {
    for (const p of env.cfg.participants) if (c.votes[p] === undefined) env.ctx.send(p, { kind: 'PREPARE', tx: c.tx });
  } else if (c.phase === 'DECIDING' && !c.writing) {
    c.writing = true;
    writeLog(env, 'decision', { tx: c.tx, rec: c.decision! });
  } else if (c.phase === 'DECIDED') {
    sendDecision(env, c.tx, c.decision!, env.cfg.participants.filter((p) => !c.acks.includes(p)));
  }
  env.ctx.setTimer('retry', env.cfg.timing.retryInterval);
}

/**
 * After a restart: the log's unfinished txs (BEGIN, no END). A decided one has its decision
 * re-sent; an undecided one is presumed aborted, since no COMMIT can have gone out.
 */
export function recoverCoordinator(s: TwoPcNode, env: Env): void {
  const open = new Map<number, Decision | null>();
  for (const r of s.log) {
    if (r.rec === 'BEGIN') open.set(r.tx, null);
    else if (r.rec === 'END') open.delete(r.tx);
    else if ((r.rec === 'COMMIT' || r.rec === 'ABORT') && open.has(r.tx)) open.set(r.tx, r.rec);
  }
  s.recover = [...open].map(([tx, decision]) => ({ tx, decision }));
  startNext(s, env);
}

function resume(s: TwoPcNode, env: Env, tx: number, decision: Decision | null): void {
  s.cur = { tx, phase: 'DECIDED', votes: {}, decision, writing: false, acks: [] };
  if (decision) {
    env.ctx.note('twopc.resend', { tx, decision });
    sendDecision(env, tx, decision, env.cfg.participants);
    env.ctx.setTimer('retry', env.cfg.timing.retryInterval);
    return;
  }
  const presumeCommit = env.cfg.ablations?.presumeCommit === true;
  env.ctx.note(presumeCommit ? 'twopc.presumedCommit' : 'twopc.presumedAbort', { tx });
  decide(s, env, presumeCommit ? 'COMMIT' : 'ABORT');
}

function sendDecision(env: Env, tx: number, decision: Decision, to: NodeId[]): void {
  for (const p of to) env.ctx.send(p, { kind: decision, tx });
}
