/** A participant's handlers one by one, on a hand-driven context. */
import { describe, expect, it } from 'vitest';
import { FakeCtx } from '../testing/fakeCtx';
import { twoPcConfig } from './config';
import type { TwoPcMessage } from './messages';
import { onAskTimer, onDecision, onDecisionApplied, onPrepare, onVoteLogged, recoverParticipant } from './participant';
import { diskLabel, emptyNode, type Env, type LogRecord, type TwoPcDisk, type TwoPcNode } from './state';

/** Participant 3; the coordinator is 1. */
function participant(log: LogRecord[] = []): { s: TwoPcNode; env: Env; ctx: FakeCtx<TwoPcMessage, TwoPcDisk> } {
  const ctx = new FakeCtx<TwoPcMessage, TwoPcDisk>(3);
  return { s: emptyNode(3, 'participant', { log }), env: { cfg: twoPcConfig(4), ctx }, ctx };
}

const sent = (ctx: FakeCtx<TwoPcMessage, TwoPcDisk>) => ctx.sent.map((m) => `${m.to}:${m.msg.kind}${'vote' in m.msg ? ' ' + m.msg.vote : ''}`);
const tags = (ctx: FakeCtx<TwoPcMessage, TwoPcDisk>) => ctx.persisted.map((p) => diskLabel(p.then));

/** What the router does on a disk completion: mirror the record, then call the handler. */
function logged(s: TwoPcNode, rec: LogRecord, ok = true): void {
  if (ok) s.log.push(rec);
}

function prepared() {
  const p = participant();
  onPrepare(p.s, p.env, 5);
  logged(p.s, { tx: 5, rec: 'PREPARED' });
  onVoteLogged(p.s, p.env, 5, true);
  p.ctx.clear();
  return p;
}

describe('participant: PREPARE and the vote', () => {
  it('logs PREPARED and votes yes only once it is on disk, then holds the lock', () => {
    const { s, env, ctx } = participant();
    onPrepare(s, env, 5);
    expect(tags(ctx)).toEqual(['vote:PREPARED:5']);
    expect(ctx.sent).toEqual([]);
    expect(s.open[5]).toMatchObject({ phase: 'VOTING', vote: 'yes' });
    logged(s, { tx: 5, rec: 'PREPARED' });
    onVoteLogged(s, env, 5, true);
    expect(sent(ctx)).toEqual(['1:VOTE yes']);
    expect(s.open[5]!.phase).toBe('PREPARED');
    expect(ctx.timers.get('ask')).toBe(env.cfg.timing.inquiryInterval);
    expect(ctx.notes).toEqual(['twopc.prepared']);
  });

  it('with the voteNo flag: logs ABORT, votes no, and forgets the tx', () => {
    const { s, env, ctx } = participant();
    ctx.flags.add('voteNo');
    onPrepare(s, env, 5);
    expect(tags(ctx)).toEqual(['vote:ABORT:5']);
    logged(s, { tx: 5, rec: 'ABORT' });
    onVoteLogged(s, env, 5, true);
    expect(sent(ctx)).toEqual(['1:VOTE no']);
    expect(s.open).toEqual({});
    expect(ctx.notes).toEqual(['twopc.votedNo']);
    // a re-sent PREPARE gets the same answer, from the log
    ctx.clear();
    onPrepare(s, env, 5);
    expect(sent(ctx)).toEqual(['1:VOTE no']);
    expect(ctx.persisted).toEqual([]);
  });

  it('cannot log PREPARED (disk failure): votes no, holds nothing', () => {
    const { s, env, ctx } = participant();
    onPrepare(s, env, 5);
    onVoteLogged(s, env, 5, false);
    expect(sent(ctx)).toEqual(['1:VOTE no']);
    expect(s.open).toEqual({});
    expect(ctx.notes).toEqual(['twopc.prepareFailed']);
  });

  it('a re-sent PREPARE: PREPARED votes yes again; VOTING waits for its disk', () => {
    const { s, env, ctx } = participant();
    onPrepare(s, env, 5);
    onPrepare(s, env, 5);
    expect(tags(ctx)).toEqual(['vote:PREPARED:5']);
    expect(ctx.sent).toEqual([]);
    logged(s, { tx: 5, rec: 'PREPARED' });
    onVoteLogged(s, env, 5, true);
    onPrepare(s, env, 5);
    expect(sent(ctx)).toEqual(['1:VOTE yes', '1:VOTE yes']);
  });
});

describe('participant: the decision', () => {
  it('COMMIT: logged, then lock released and ACK', () => {
    const { s, env, ctx } = prepared();
    onDecision(s, env, 5, 'COMMIT');
    expect(tags(ctx)).toEqual(['decision:COMMIT:5']);
    expect(ctx.sent).toEqual([]);
    expect(s.open[5]!.phase).toBe('PREPARED');
    onDecision(s, env, 5, 'COMMIT'); // a re-send while the write is in flight
    expect(tags(ctx)).toHaveLength(1);
    logged(s, { tx: 5, rec: 'COMMIT' });
    onDecisionApplied(s, env, 5, true);
    expect(sent(ctx)).toEqual(['1:ACK']);
    expect(s.open).toEqual({});
    expect(ctx.notes).toEqual(['twopc.committed']);
  });

  it('a failed decision write: no ACK, still PREPARED; the next re-send writes again', () => {
    const { s, env, ctx } = prepared();
    onDecision(s, env, 5, 'ABORT');
    onDecisionApplied(s, env, 5, false);
    expect(ctx.sent).toEqual([]);
    expect(s.open[5]!.phase).toBe('PREPARED');
    onDecision(s, env, 5, 'ABORT');
    expect(tags(ctx)).toEqual(['decision:ABORT:5', 'decision:ABORT:5']);
  });

  it('a decision already on disk is ACKed again; a contradicting one is noted and ignored', () => {
    const { s, env, ctx } = participant([{ tx: 5, rec: 'ABORT' }]);
    onDecision(s, env, 5, 'ABORT');
    onDecision(s, env, 5, 'COMMIT');
    expect(sent(ctx)).toEqual(['1:ACK', '1:ACK']);
    expect(ctx.persisted).toEqual([]);
    expect(ctx.notes).toEqual(['twopc.conflict']);
  });

  it('ABORT for a tx it never saw is logged (a late PREPARE is then answered no) and ACKed', () => {
    const { s, env, ctx } = participant();
    onDecision(s, env, 9, 'ABORT');
    logged(s, { tx: 9, rec: 'ABORT' });
    onDecisionApplied(s, env, 9, true);
    onPrepare(s, env, 9);
    expect(sent(ctx)).toEqual(['1:ACK', '1:VOTE no']);
  });

  it('a decision that overtakes the vote: no vote is sent, the decision is ACKed', () => {
    const { s, env, ctx } = participant();
    onPrepare(s, env, 5);
    onDecision(s, env, 5, 'ABORT');
    logged(s, { tx: 5, rec: 'PREPARED' });
    onVoteLogged(s, env, 5, true);
    logged(s, { tx: 5, rec: 'ABORT' });
    onDecisionApplied(s, env, 5, true);
    expect(sent(ctx)).toEqual(['1:ACK']);
    expect(s.open).toEqual({});
  });
});

describe('participant: blocked', () => {
  it('PREPARED with no decision: notes it is blocked once, and keeps asking', () => {
    const { s, env, ctx } = prepared();
    onAskTimer(s, env);
    onAskTimer(s, env);
    expect(sent(ctx)).toEqual(['1:DECISION_REQ', '1:DECISION_REQ']);
    expect(ctx.notes).toEqual(['twopc.blocked']);
    expect(ctx.timers.has('ask')).toBe(true);
  });

  it('stops asking once decided', () => {
    const { s, env, ctx } = prepared();
    onDecision(s, env, 5, 'COMMIT');
    logged(s, { tx: 5, rec: 'COMMIT' });
    onDecisionApplied(s, env, 5, true);
    ctx.clear();
    ctx.timers.clear();
    onAskTimer(s, env);
    expect(ctx.sent).toEqual([]);
    expect(ctx.timers.has('ask')).toBe(false);
  });

  it('restarts still PREPARED (lock held) and asks at once; a decided tx stays decided', () => {
    const { s, env, ctx } = participant([{ tx: 1, rec: 'PREPARED' }, { tx: 1, rec: 'COMMIT' }, { tx: 2, rec: 'PREPARED' }]);
    recoverParticipant(s, env);
    expect(Object.keys(s.open)).toEqual(['2']);
    expect(s.open[2]!.phase).toBe('PREPARED');
    expect(sent(ctx)).toEqual(['1:DECISION_REQ']);
    expect(ctx.notes).toEqual(['twopc.stillPrepared']);
    expect(ctx.timers.has('ask')).toBe(true);
  });
});
