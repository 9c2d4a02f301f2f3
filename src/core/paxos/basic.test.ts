/** The Basic Paxos proposer's handlers one by one (proposer 4; acceptors 1-3; learner 6). */
import { describe, expect, it } from 'vitest';
import { FakeCtx } from '../testing/fakeCtx';
import type { Durable } from '../sim/types';
import { onAccepted, onBackoffOver, onClientWrite, onNack, onPhaseTimeout, onPromise } from './basic';
import { fmt, type Ballot } from './ballot';
import { paxosConfig } from './config';
import type { AcceptedEntry, PaxosMessage } from './messages';
import { emptyProposer, onCatchup, onRoundWritten } from './proposer';
import type { Env, PaxosDisk } from './state';

const b = (round: number, proposer: number): Ballot => ({ round, proposer });

function setup(d: Durable = {}) {
  const cfg = paxosConfig(3, 2, 1, { timing: { backoffMin: 10, backoffMax: 50 } });
  const ctx = new FakeCtx<PaxosMessage, PaxosDisk>(4);
  const env: Env = { cfg, ctx, quorum: 2 };
  const p = emptyProposer(4, d);
  /** the round write completes */
  const roundWritten = (ok = true) => {
    const w = ctx.persisted.splice(0).find((x) => x.then.kind === 'round')!.then as Extract<PaxosDisk, { kind: 'round' }>;
    onRoundWritten(p, env, w.round, ok);
  };
  return { p, env, ctx, roundWritten };
}

const promise = (ballot: Ballot, accepted: AcceptedEntry[] = []) => ({ kind: 'PROMISE' as const, ballot, from: 0, accepted });
const accepted = (ballot: Ballot, value: string) => ({ kind: 'ACCEPTED' as const, ballot, slot: 0, value });

describe('basic proposer: phase 1', () => {
  it('a write: the new round goes to disk first, then PREPARE(n) to every acceptor', () => {
    const { p, env, ctx, roundWritten } = setup();
    onClientWrite(p, env, { kind: 'write', reqId: 7 });
    expect(p.phase).toBe('PREPARING');
    expect(ctx.persisted[0]!.ops).toEqual([{ op: 'set', key: 'round', value: 1 }]);
    expect(ctx.sent).toEqual([]);
    roundWritten();
    expect(ctx.sent.map((s) => [s.to, s.msg])).toEqual([1, 2, 3].map((to) => [to, { kind: 'PREPARE', ballot: b(1, 4), from: 0 }]));
    expect(ctx.timers.has('phase')).toBe(true);
    expect(p.received).toEqual(['v7']);
  });

  it('one decree per proposer: a second write is refused while proposing, and after deciding', () => {
    const { p, env, ctx } = setup();
    onClientWrite(p, env, { kind: 'write', reqId: 1 });
    onClientWrite(p, env, { kind: 'write', reqId: 2 });
    expect(ctx.notes).toContain('paxos.busy');
    p.decided = 'v1';
    onClientWrite(p, env, { kind: 'write', reqId: 3 });
    expect(ctx.notes).toContain('paxos.alreadyChosen');
    expect(p.received).toEqual(['v1']);
  });

  it('a failed round write sends no PREPARE: it backs off and tries a higher round', () => {
    const { p, env, ctx, roundWritten } = setup();
    onClientWrite(p, env, { kind: 'write', reqId: 1 });
    roundWritten(false);
    expect(ctx.sent).toEqual([]);
    expect(p.phase).toBe('BACKOFF');
    onBackoffOver(p, env);
    expect(fmt(p.ballot)).toBe('2.4');
  });

  it('restarts above the round on its disk, so its ballots stay unique', () => {
    const { p, env } = setup({ round: 5 });
    onClientWrite(p, env, { kind: 'write', reqId: 1 });
    expect(fmt(p.ballot)).toBe('6.4');
  });
});

describe('basic proposer: phase 2', () => {
  it('a majority of PROMISEs with no votes: ACCEPT its own value', () => {
    const { p, env, ctx, roundWritten } = setup();
    onClientWrite(p, env, { kind: 'write', reqId: 7 });
    roundWritten();
    ctx.clear();
    onPromise(p, env, 1, promise(b(1, 4)));
    expect(ctx.sent).toEqual([]);
    onPromise(p, env, 1, promise(b(1, 4))); // a duplicate does not count twice
    expect(p.phase).toBe('PREPARING');
    onPromise(p, env, 2, promise(b(1, 4)));
    expect(p.phase).toBe('ACCEPTING');
    expect(ctx.sent.map((s) => s.msg)).toEqual([1, 2, 3].map(() => ({ kind: 'ACCEPT', ballot: b(1, 4), slot: 0, value: 'v7' })));
  });

  it('adopts the value of the highest ballot any PROMISE reports', () => {
    const { p, env, ctx, roundWritten } = setup({ round: 4 });
    onClientWrite(p, env, { kind: 'write', reqId: 7 });
    roundWritten();
    onPromise(p, env, 1, promise(b(5, 4), [{ slot: 0, ballot: b(2, 5), value: 'v2', chosen: false }]));
    onPromise(p, env, 3, promise(b(5, 4), [{ slot: 0, ballot: b(3, 5), value: 'v3', chosen: false }]));
    expect(p.value).toBe('v3');
    expect(ctx.notes).toContain('paxos.adopted');
    expect(ctx.sent.at(-1)!.msg).toEqual({ kind: 'ACCEPT', ballot: b(5, 4), slot: 0, value: 'v3' });
  });

  it('ignores PROMISEs of another ballot', () => {
    const { p, env, roundWritten } = setup();
    onClientWrite(p, env, { kind: 'write', reqId: 7 });
    roundWritten();
    onPromise(p, env, 1, promise(b(1, 5)));
    onPromise(p, env, 2, promise(b(1, 5)));
    expect(p.promises).toEqual([]);
  });

  it('a majority of ACCEPTEDs: DECIDED, and CHOSEN goes to acceptors and learners', () => {
    const { p, env, ctx, roundWritten } = setup();
    onClientWrite(p, env, { kind: 'write', reqId: 7 });
    roundWritten();
    onPromise(p, env, 1, promise(b(1, 4)));
    onPromise(p, env, 2, promise(b(1, 4)));
    ctx.clear();
    onAccepted(p, env, 3, accepted(b(1, 4), 'v7'));
    onAccepted(p, env, 3, accepted(b(1, 4), 'v7'));
    expect(p.phase).toBe('ACCEPTING');
    onAccepted(p, env, 1, accepted(b(1, 4), 'v7'));
    expect(p.phase).toBe('DECIDED');
    expect(p.decided).toBe('v7');
    expect(ctx.sent.map((s) => s.to)).toEqual([1, 2, 3, 6]);
    expect(ctx.sent[0]!.msg).toEqual({ kind: 'CHOSEN', slot: 0, values: ['v7'] });
    expect(ctx.timers.has('phase')).toBe(false);
    ctx.clear();
    onCatchup(p, env, 6, 0);
    expect(ctx.sent).toEqual([{ to: 6, msg: { kind: 'CHOSEN', slot: 0, values: ['v7'] } }]);
  });
});

describe('basic proposer: preemption', () => {
  it('a NACK for its ballot: preempted, randomized back-off, then a round above the one that beat it', () => {
    const { p, env, ctx, roundWritten } = setup();
    onClientWrite(p, env, { kind: 'write', reqId: 7 });
    roundWritten();
    onNack(p, env, { kind: 'NACK', ballot: b(1, 4), promised: b(3, 5) });
    expect(p.phase).toBe('BACKOFF');
    expect(p.preemptions).toBe(1);
    expect(ctx.notes).toEqual(expect.arrayContaining(['paxos.preempted', 'paxos.backoff']));
    expect(ctx.timers.get('backoff')).toBe(30); // 10 + 0.5 * 41, rounded down
    onBackoffOver(p, env);
    expect(fmt(p.ballot)).toBe('4.4');
    expect(p.value).toBe('v7');
  });

  it('a NACK for an older ballot changes nothing but what it has seen', () => {
    const { p, env, roundWritten } = setup({ round: 1 });
    onClientWrite(p, env, { kind: 'write', reqId: 7 });
    roundWritten();
    onNack(p, env, { kind: 'NACK', ballot: b(1, 4), promised: b(9, 5) });
    expect(p.phase).toBe('PREPARING');
    expect(p.seenRound).toBe(9);
  });

  it('a phase timeout (lost messages, crashed acceptors) backs off too', () => {
    const { p, env, ctx, roundWritten } = setup();
    onClientWrite(p, env, { kind: 'write', reqId: 7 });
    roundWritten();
    onPhaseTimeout(p, env);
    expect(p.phase).toBe('BACKOFF');
    expect(ctx.notes).toContain('paxos.timeout');
  });
});
