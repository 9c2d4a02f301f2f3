/**
 * A participant: votes on PREPARE, applies the decision, ACKs. A yes vote is a promise to commit
 * if told to, so PREPARED goes to disk before the vote, and from then on the participant may not
 * decide alone: it holds the tx's lock and waits (asking the coordinator) for as long as it takes.
 * That is 2PC's blocking problem. A no vote is a unilateral abort: nothing to wait for.
 */
import type { Decision } from './messages';
import { decisionIn, writeLog, type Env, type TwoPcNode } from './state';

export function onPrepare(s: TwoPcNode, env: Env, tx: number): void {
  const done = decisionIn(s.log, tx);
  if (done) {
    // our no vote (or the ABORT) may not have arrived: say it again
    if (done === 'ABORT') env.ctx.send(env.cfg.coordinator, { kind: 'VOTE', tx, vote: 'no' });
    return;
  }
  const p = s.open[tx];
  if (p) {
    // a re-sent PREPARE: our yes vote was lost (while VOTING the vote is on its way to disk)
    if (p.phase === 'PREPARED') env.ctx.send(env.cfg.coordinator, { kind: 'VOTE', tx, vote: 'yes' });
    return;
  }
  if (s.applying[tx] !== undefined) return;
  const vote = env.ctx.flag('voteNo') ? 'no' : 'yes';
  s.open[tx] = { phase: 'VOTING', vote, blocked: false };
  writeLog(env, 'vote', { tx, rec: vote === 'yes' ? 'PREPARED' : 'ABORT' });
}

/** The vote's record (PREPARED, or ABORT for a no) reached the disk, or failed to. */
export function onVoteLogged(s: TwoPcNode, env: Env, tx: number, ok: boolean): void {
  const p = s.open[tx];
  if (!p || p.phase !== 'VOTING') return;
  // a decision overtook the vote (another participant vetoed): no vote is needed any more
  const decided = s.applying[tx] !== undefined;
  if (p.vote === 'no' || !ok) {
    // A no needs nothing on disk to be safe: without this yes nobody can commit. So a
    // participant that cannot log PREPARED votes no rather than stay silent (which would only
    // make the coordinator wait for its timeout); its ABORT record, if written, answers re-sent PREPAREs.
    delete s.open[tx];
    env.ctx.note(p.vote === 'no' ? 'twopc.votedNo' : 'twopc.prepareFailed', { tx });
    if (!decided) env.ctx.send(env.cfg.coordinator, { kind: 'VOTE', tx, vote: 'no' });
    return;
  }
  p.phase = 'PREPARED';
  env.ctx.note('twopc.prepared', { tx });
  if (!decided) env.ctx.send(env.cfg.coordinator, { kind: 'VOTE', tx, vote: 'yes' });
  env.ctx.setTimer('ask', env.cfg.timing.inquiryInterval);
}

/** COMMIT or ABORT from the coordinator: log it, and ACK once it is on disk. */
export function onDecision(s: TwoPcNode, env: Env, tx: number, decision: Decision): void {
  const done = decisionIn(s.log, tx);
  if (done) {
    // a re-sent decision (our ACK was lost); a different one is a coordinator bug, shown not hidden
    if (done !== decision) env.ctx.note('twopc.conflict', { tx, have: done, got: decision });
    env.ctx.send(env.cfg.coordinator, { kind: 'ACK', tx });
    return;
  }
  if (s.applying[tx] !== undefined) return;
  const p = s.open[tx];
  // our own no is on its way to disk: the re-sent decision will be answered from the log
  if (p?.vote === 'no') return;
  // a COMMIT for a tx we never prepared: only a broken coordinator sends it; the coordinator is the authority
  if (!p && decision === 'COMMIT') env.ctx.note('twopc.commitUnprepared', { tx });
  s.applying[tx] = decision;
  writeLog(env, 'decision', { tx, rec: decision });
}

export function onDecisionApplied(s: TwoPcNode, env: Env, tx: number, ok: boolean): void {
  const d = s.applying[tx];
  if (d === undefined) return;
  delete s.applying[tx];
  // not durable: no ACK (the coordinator would forget the tx); it re-sends, we write again
  if (!ok) return env.ctx.note('twopc.logFailed', { tx, rec: d });
  delete s.open[tx];
  env.ctx.note(d === 'COMMIT' ? 'twopc.committed' : 'twopc.aborted', { tx });
  env.ctx.send(env.cfg.coordinator, { kind: 'ACK', tx });
}

/** Still PREPARED with no decision: blocked. Ask the coordinator, again and again. */
export function onAskTimer(s: TwoPcNode, env: Env): void {
  let waiting = false;
  for (const [k, p] of Object.entries(s.open)) {
    if (p.phase !== 'PREPARED') continue;
    waiting = true;
    const tx = Number(k);
    if (s.applying[tx] !== undefined) continue;
    if (!p.blocked) {
      p.blocked = true;
      env.ctx.note('twopc.blocked', { tx });
    }
    env.ctx.send(env.cfg.coordinator, { kind: 'DECISION_REQ', tx });
  }
  if (waiting) env.ctx.setTimer('ask', env.cfg.timing.inquiryInterval);
}

/** After a restart: a PREPARED tx with no decision on disk is still PREPARED, lock and all. */
export function recoverParticipant(s: TwoPcNode, env: Env): void {
  const prepared = new Set<number>();
  for (const r of s.log) {
    if (r.rec === 'PREPARED') prepared.add(r.tx);
    else if (r.rec === 'COMMIT' || r.rec === 'ABORT') prepared.delete(r.tx);
  }
  for (const tx of prepared) {
    s.open[tx] = { phase: 'PREPARED', vote: 'yes', blocked: true };
    env.ctx.note('twopc.stillPrepared', { tx });
    env.ctx.send(env.cfg.coordinator, { kind: 'DECISION_REQ', tx });
  }
  if (prepared.size) env.ctx.setTimer('ask', env.cfg.timing.inquiryInterval);
}
