/** The coordinator's handlers one by one, on a hand-driven context. */
import { describe, expect, it } from 'vitest';
import { FakeCtx } from '../testing/fakeCtx';
import { twoPcConfig, type TwoPcAblations } from './config';
import { onAck, onBeginLogged, onClientWrite, onDecisionLogged, onDecisionReq, onRetry, onVote, onVoteTimeout, recoverCoordinator } from './coordinator';
import type { TwoPcMessage } from './messages';
import { diskLabel, emptyNode, type Env, type LogRecord, type TwoPcDisk, type TwoPcNode } from './state';

/** Coordinator 1 with participants 2, 3, 4. */
function coordinator(log: LogRecord[] = [], ablations?: TwoPcAblations): { s: TwoPcNode; env: Env; ctx: FakeCtx<TwoPcMessage, TwoPcDisk> } {
  const ctx = new FakeCtx<TwoPcMessage, TwoPcDisk>(1);
  const s = emptyNode(1, 'coordinator', { log });
  return { s, env: { cfg: twoPcConfig(4, {}, ablations), ctx }, ctx };
}

const yes = (tx: number) => ({ kind: 'VOTE' as const, tx, vote: 'yes' as const });
const no = (tx: number) => ({ kind: 'VOTE' as const, tx, vote: 'no' as const });
const sent = (ctx: FakeCtx<TwoPcMessage, TwoPcDisk>) => ctx.sent.map((m) => `${m.to}:${m.msg.kind}${'vote' in m.msg ? ' ' + m.msg.vote : ''}`);

/** Through BEGIN: PREPARE is out, votes are due. */
function voting(ablations?: TwoPcAblations) {
  const c = coordinator([], ablations);
  onClientWrite(c.s, c.env, { kind: 'write', reqId: 7 });
  c.s.log.push({ tx: 7, rec: 'BEGIN' });
  onBeginLogged(c.s, c.env, 7, true);
  c.ctx.clear();
  return c;
}

describe('coordinator: phase 1', () => {
  it('a client write logs BEGIN first, and sends PREPARE only once it is on disk', () => {
    const { s, env, ctx } = coordinator();
    onClientWrite(s, env, { kind: 'write', reqId: 7 });
    expect(ctx.persisted).toEqual([{ ops: [{ op: 'append', key: 'log', items: [{ tx: 7, rec: 'BEGIN' }] }], then: { what: 'begin', record: { tx: 7, rec: 'BEGIN' } } }]);
    expect(ctx.sent).toEqual([]);
    onBeginLogged(s, env, 7, true);
    expect(sent(ctx)).toEqual(['2:PREPARE', '3:PREPARE', '4:PREPARE']);
    expect(ctx.timers.get('voteTimeout')).toBe(env.cfg.timing.voteTimeout);
    expect(s.cur).toMatchObject({ tx: 7, phase: 'VOTING' });
    expect(ctx.notes).toEqual(['twopc.queued', 'twopc.prepare']);
  });

  it('queues writes while a tx is in progress', () => {
    const { s, env, ctx } = voting();
    onClientWrite(s, env, { kind: 'write', reqId: 8 });
    onClientWrite(s, env, { kind: 'write', reqId: 9 });
    expect(s.queue).toEqual([8, 9]);
    expect(ctx.persisted).toEqual([]);
  });

  it('a failed BEGIN drops the tx before any PREPARE and starts the next', () => {
    const { s, env, ctx } = coordinator();
    onClientWrite(s, env, { kind: 'write', reqId: 1 });
    onClientWrite(s, env, { kind: 'write', reqId: 2 });
    onBeginLogged(s, env, 1, false);
    expect(ctx.sent).toEqual([]);
    expect(ctx.notes).toContain('twopc.beginFailed');
    expect(s.cur).toMatchObject({ tx: 2, phase: 'BEGIN' });
  });

  it('all yes: logs COMMIT, and sends it only once it is on disk', () => {
    const { s, env, ctx } = voting();
    onVote(s, env, 2, yes(7));
    onVote(s, env, 3, yes(7));
    expect(ctx.persisted).toEqual([]);
    onVote(s, env, 4, yes(7));
    expect(ctx.persisted.map((p) => diskLabel(p.then))).toEqual(['decision:COMMIT:7']);
    expect(ctx.sent).toEqual([]);
    expect(ctx.timers.has('voteTimeout')).toBe(false);
    onDecisionLogged(s, env, 7, true);
    expect(sent(ctx)).toEqual(['2:COMMIT', '3:COMMIT', '4:COMMIT']);
    expect(ctx.notes).toContain('twopc.decided');
  });

  it('one no aborts at once, without waiting for the other votes', () => {
    const { s, env, ctx } = voting();
    onVote(s, env, 2, yes(7));
    onVote(s, env, 3, no(7));
    expect(ctx.persisted.map((p) => diskLabel(p.then))).toEqual(['decision:ABORT:7']);
    expect(ctx.notes).toEqual(['twopc.gotNo']);
    onVote(s, env, 4, yes(7)); // too late to matter
    onDecisionLogged(s, env, 7, true);
    expect(sent(ctx)).toEqual(['2:ABORT', '3:ABORT', '4:ABORT']);
  });

  it('ignores votes for another tx, from non-participants, and a second vote from the same server', () => {
    const { s, env, ctx } = voting();
    onVote(s, env, 2, no(6));
    onVote(s, env, 2, yes(7));
    onVote(s, env, 2, no(7));
    expect(s.cur!.votes).toEqual({ 2: 'yes' });
    expect(ctx.persisted).toEqual([]);
  });

  it('a vote timeout with a vote missing aborts', () => {
    const { s, env, ctx } = voting();
    onVote(s, env, 2, yes(7));
    onVote(s, env, 3, yes(7));
    onVoteTimeout(s, env);
    expect(ctx.persisted.map((p) => diskLabel(p.then))).toEqual(['decision:ABORT:7']);
    expect(ctx.notes).toEqual(['twopc.voteTimeout']);
  });

  it('ablation presumeCommit: a vote timeout commits instead', () => {
    const { s, env, ctx } = voting({ presumeCommit: true });
    onVoteTimeout(s, env);
    expect(ctx.persisted.map((p) => diskLabel(p.then))).toEqual(['decision:COMMIT:7']);
  });

  it('the retry timer re-sends PREPARE to the servers that have not voted', () => {
    const { s, env, ctx } = voting();
    onVote(s, env, 3, yes(7));
    onRetry(s, env);
    expect(sent(ctx)).toEqual(['2:PREPARE', '4:PREPARE']);
    expect(ctx.timers.has('retry')).toBe(true);
  });
});

describe('coordinator: phase 2', () => {
  function decided() {
    const c = voting();
    for (const p of [2, 3, 4]) onVote(c.s, c.env, p, yes(7));
    c.s.log.push({ tx: 7, rec: 'COMMIT' });
    onDecisionLogged(c.s, c.env, 7, true);
    c.ctx.clear();
    return c;
  }

  it('a failed decision write sends nothing; the retry timer writes it again', () => {
    const { s, env, ctx } = voting();
    for (const p of [2, 3, 4]) onVote(s, env, p, yes(7));
    onDecisionLogged(s, env, 7, false);
    expect(ctx.sent).toEqual([]);
    expect(ctx.notes).toContain('twopc.logFailed');
    ctx.clear();
    onRetry(s, env);
    expect(ctx.persisted.map((p) => diskLabel(p.then))).toEqual(['decision:COMMIT:7']);
    expect(ctx.sent).toEqual([]);
  });

  it('re-sends the decision to those that have not ACKed; every ACK in: END (lazily) and the next tx', () => {
    const { s, env, ctx } = decided();
    onClientWrite(s, env, { kind: 'write', reqId: 8 });
    onAck(s, env, 3, 7);
    onAck(s, env, 3, 7);
    onRetry(s, env);
    expect(sent(ctx)).toEqual(['2:COMMIT', '4:COMMIT']);
    onAck(s, env, 2, 7);
    onAck(s, env, 4, 7);
    expect(ctx.persisted.map((p) => diskLabel(p.then))).toEqual(['end:END:7', 'begin:BEGIN:8']);
    expect(s.cur).toMatchObject({ tx: 8, phase: 'BEGIN' });
    expect(ctx.notes).toContain('twopc.end');
  });

  it('answers a DECISION_REQ: the current decision, one from the log, or presumed ABORT', () => {
    const { s, env, ctx } = decided();
    onDecisionReq(s, env, 2, 7);
    s.log.push({ tx: 3, rec: 'BEGIN' }, { tx: 3, rec: 'COMMIT' }, { tx: 3, rec: 'END' });
    onDecisionReq(s, env, 3, 3);
    onDecisionReq(s, env, 4, 99);
    expect(sent(ctx)).toEqual(['2:COMMIT', '3:COMMIT', '4:ABORT']);
    expect(ctx.notes).toEqual(['twopc.presumedAbort']);
  });

  it('says nothing to a DECISION_REQ while the tx is undecided', () => {
    const { s, env, ctx } = voting();
    onDecisionReq(s, env, 2, 7);
    expect(ctx.sent).toEqual([]);
  });
});

describe('coordinator: restart', () => {
  it('an undecided tx in the log is presumed aborted: ABORT logged, then sent', () => {
    const { s, env, ctx } = coordinator([{ tx: 1, rec: 'BEGIN' }, { tx: 1, rec: 'COMMIT' }, { tx: 1, rec: 'END' }, { tx: 2, rec: 'BEGIN' }]);
    recoverCoordinator(s, env);
    expect(ctx.notes).toEqual(['twopc.presumedAbort']);
    expect(ctx.persisted.map((p) => diskLabel(p.then))).toEqual(['decision:ABORT:2']);
    expect(ctx.sent).toEqual([]);
    onDecisionLogged(s, env, 2, true);
    expect(sent(ctx)).toEqual(['2:ABORT', '3:ABORT', '4:ABORT']);
  });

  it('a decided, unfinished tx has its decision sent again', () => {
    const { s, env, ctx } = coordinator([{ tx: 5, rec: 'BEGIN' }, { tx: 5, rec: 'COMMIT' }]);
    recoverCoordinator(s, env);
    expect(ctx.notes).toEqual(['twopc.resend']);
    expect(ctx.persisted).toEqual([]);
    expect(sent(ctx)).toEqual(['2:COMMIT', '3:COMMIT', '4:COMMIT']);
    expect(s.cur).toMatchObject({ tx: 5, phase: 'DECIDED', decision: 'COMMIT' });
  });

  it('ablation presumeCommit: an undecided tx found at restart is committed', () => {
    const { s, env, ctx } = coordinator([{ tx: 2, rec: 'BEGIN' }], { presumeCommit: true });
    recoverCoordinator(s, env);
    expect(ctx.notes).toEqual(['twopc.presumedCommit']);
    expect(ctx.persisted.map((p) => diskLabel(p.then))).toEqual(['decision:COMMIT:2']);
  });

  it('a clean log: nothing to do', () => {
    const { s, env, ctx } = coordinator([{ tx: 1, rec: 'BEGIN' }, { tx: 1, rec: 'ABORT' }, { tx: 1, rec: 'END' }]);
    recoverCoordinator(s, env);
    expect(s.cur).toBeNull();
    expect(ctx.persisted).toEqual([]);
  });
});
