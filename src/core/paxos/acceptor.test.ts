/** The acceptor's handlers one by one: promises and votes are answered only once on disk. */
import { describe, expect, it } from 'vitest';
import { FakeCtx } from '../testing/fakeCtx';
import { applyDiskOps } from '../sim/simulator';
import type { Durable } from '../sim/types';
import { onAccept, onAcceptorDisk, onChosenAtAcceptor, onPrepare, startAcceptor } from './acceptor';
import { fmt, type Ballot } from './ballot';
import { paxosConfig, type PaxosOptions } from './config';
import type { PaxosMessage } from './messages';
import type { Env, PaxosDisk } from './state';

const b = (round: number, proposer: number): Ballot => ({ round, proposer });

/** Acceptor 1 of 3 acceptors, proposers 4 and 5, learner 6; its disk is applied by hand. */
function setup(o: PaxosOptions = {}, d: Durable = {}) {
  const cfg = paxosConfig(3, 2, 1, o);
  const ctx = new FakeCtx<PaxosMessage, PaxosDisk>(1);
  const env: Env = { cfg, ctx, quorum: 2 };
  const a = startAcceptor(1, d, env);
  const disk: Durable = structuredClone(d);
  /** complete every queued write, as the disk would, in order */
  const flush = (ok = true) => {
    const ps = ctx.persisted.splice(0);
    for (const p of ps) {
      if (ok) applyDiskOps(disk, p.ops);
      if (p.then.kind === 'acceptor') onAcceptorDisk(a, env, p.then.write, ok);
    }
  };
  return { a, env, ctx, disk, flush };
}

const prepare = (ballot: Ballot, from = 0) => ({ kind: 'PREPARE' as const, ballot, from });
const accept = (ballot: Ballot, slot: number, value: string) => ({ kind: 'ACCEPT' as const, ballot, slot, value });

describe('acceptor: PREPARE', () => {
  it('promises a higher ballot, but only answers PROMISE once the promise is on disk', () => {
    const { a, env, ctx, disk, flush } = setup();
    onPrepare(a, env, 4, prepare(b(1, 4)));
    expect(ctx.sent).toEqual([]);
    expect(ctx.persisted[0]!.ops).toEqual([{ op: 'set', key: 'promised', value: b(1, 4) }]);
    flush();
    expect(ctx.sent).toEqual([{ to: 4, msg: { kind: 'PROMISE', ballot: b(1, 4), from: 0, accepted: [] } }]);
    expect(fmt(a.promised)).toBe('1.4');
    expect(disk.promised).toEqual(b(1, 4));
    expect(ctx.notes).toContain('paxos.promised');
  });

  it('refuses a ballot not above its promise with NACK(promised), even one still being written', () => {
    const { a, env, ctx, flush } = setup();
    onPrepare(a, env, 5, prepare(b(2, 5)));
    onPrepare(a, env, 4, prepare(b(1, 4))); // the promise to 2.5 is not on disk yet
    expect(ctx.sent).toEqual([{ to: 4, msg: { kind: 'NACK', ballot: b(1, 4), promised: b(2, 5) } }]);
    flush();
    ctx.clear();
    onPrepare(a, env, 4, prepare(b(2, 4)));
    expect(ctx.sent).toEqual([{ to: 4, msg: { kind: 'NACK', ballot: b(2, 4), promised: b(2, 5) } }]);
    expect(ctx.persisted).toEqual([]);
  });

  it('answers a repeated PREPARE of its promised ballot again, without a new write', () => {
    const { a, env, ctx, flush } = setup();
    onPrepare(a, env, 4, prepare(b(1, 4)));
    flush();
    ctx.clear();
    onPrepare(a, env, 4, prepare(b(1, 4)));
    expect(ctx.persisted).toEqual([]);
    expect(ctx.sent.map((s) => s.msg.kind)).toEqual(['PROMISE']);
  });

  it('reports its votes in slots ≥ from (Multi-Paxos phase 1 for many slots at once)', () => {
    const { a, env, ctx, flush } = setup({ mode: 'multi' });
    for (const [slot, v] of [[0, 'v1'], [1, 'v2'], [2, 'v3']] as const) onAccept(a, env, 4, accept(b(1, 4), slot, v));
    flush();
    onChosenAtAcceptor(a, 1, ['v2']);
    ctx.clear();
    onPrepare(a, env, 5, prepare(b(2, 5), 1));
    flush();
    const promise = ctx.sent.find((s) => s.msg.kind === 'PROMISE')!.msg;
    expect(promise).toEqual({
      kind: 'PROMISE',
      ballot: b(2, 5),
      from: 1,
      accepted: [
        { slot: 1, ballot: b(1, 4), value: 'v2', chosen: true },
        { slot: 2, ballot: b(1, 4), value: 'v3', chosen: false },
      ],
    });
  });

  it('a failed promise write is never acted on: no PROMISE, the promise is not raised', () => {
    const { a, env, ctx, disk, flush } = setup();
    onPrepare(a, env, 4, prepare(b(1, 4)));
    flush(false);
    expect(ctx.sent).toEqual([]);
    expect(a.promised.round).toBe(0);
    expect(disk.promised).toBeUndefined();
    expect(ctx.notes).toContain('paxos.diskFailed');
  });
});

describe('acceptor: ACCEPT', () => {
  it('accepts at or above its promise; ACCEPTED goes to the proposer and (basic) the learners once durable', () => {
    const { a, env, ctx, disk, flush } = setup();
    onPrepare(a, env, 4, prepare(b(1, 4)));
    flush();
    ctx.clear();
    onAccept(a, env, 4, accept(b(1, 4), 0, 'v7'));
    expect(ctx.sent).toEqual([]);
    flush();
    const m = { kind: 'ACCEPTED', ballot: b(1, 4), slot: 0, value: 'v7' };
    expect(ctx.sent).toEqual([{ to: 4, msg: m }, { to: 6, msg: m }]);
    expect(disk.accepts).toEqual([{ slot: 0, ballot: b(1, 4), value: 'v7' }]);
    expect(a.accepted[0]).toEqual({ ballot: b(1, 4), value: 'v7', chosen: false });
  });

  it('in multi mode ACCEPTED goes to the leader only (it announces CHOSEN)', () => {
    const { a, env, ctx, flush } = setup({ mode: 'multi' });
    onAccept(a, env, 4, accept(b(1, 4), 3, 'v7'));
    flush();
    expect(ctx.sent.map((s) => s.to)).toEqual([4]);
    expect(a.accepted).toEqual([null, null, null, { ballot: b(1, 4), value: 'v7', chosen: false }]);
  });

  it('accepting a ballot above the promise promises it too, in the same write', () => {
    const { a, env, ctx, disk, flush } = setup();
    onAccept(a, env, 5, accept(b(3, 5), 0, 'v2'));
    expect(ctx.persisted[0]!.ops[0]).toEqual({ op: 'set', key: 'promised', value: b(3, 5) });
    flush();
    expect(disk.promised).toEqual(b(3, 5));
    expect(fmt(a.promised)).toBe('3.5');
  });

  it('refuses a ballot below its promise with NACK', () => {
    const { a, env, ctx, flush } = setup();
    onPrepare(a, env, 5, prepare(b(2, 5)));
    flush();
    ctx.clear();
    onAccept(a, env, 4, accept(b(1, 4), 0, 'v1'));
    expect(ctx.sent).toEqual([{ to: 4, msg: { kind: 'NACK', ballot: b(1, 4), promised: b(2, 5) } }]);
    expect(ctx.persisted).toEqual([]);
  });

  it('a re-sent ACCEPT is answered again without a second vote on disk', () => {
    const { a, env, ctx, flush } = setup();
    onAccept(a, env, 4, accept(b(1, 4), 0, 'v1'));
    onAccept(a, env, 4, accept(b(1, 4), 0, 'v1')); // while the first is being written
    expect(ctx.persisted).toHaveLength(1);
    flush();
    ctx.clear();
    onAccept(a, env, 4, accept(b(1, 4), 0, 'v1'));
    expect(ctx.persisted).toEqual([]);
    expect(ctx.sent.map((s) => s.msg.kind)).toEqual(['ACCEPTED', 'ACCEPTED']);
  });

  it('a failed vote write sends no ACCEPTED and leaves no vote', () => {
    const { a, env, ctx, flush } = setup();
    onAccept(a, env, 4, accept(b(1, 4), 0, 'v1'));
    flush(false);
    expect(ctx.sent).toEqual([]);
    expect(a.accepted).toEqual([]);
  });
});

describe('acceptor: restart', () => {
  it('comes back with its promise and votes from disk', () => {
    const first = setup({ mode: 'multi' });
    onPrepare(first.a, first.env, 5, prepare(b(2, 5)));
    onAccept(first.a, first.env, 5, accept(b(2, 5), 1, 'v9'));
    first.flush();
    const again = setup({ mode: 'multi' }, first.disk);
    expect(fmt(again.a.promised)).toBe('2.5');
    expect(again.a.accepted[1]).toEqual({ ballot: b(2, 5), value: 'v9', chosen: false });
    onAccept(again.a, again.env, 4, accept(b(1, 4), 1, 'v1'));
    expect(again.ctx.sent[0]!.msg.kind).toBe('NACK');
  });

  it('with the forgetPromise ablation it comes back promising nothing, and accepts a stale ballot', () => {
    const first = setup();
    onPrepare(first.a, first.env, 5, prepare(b(2, 5)));
    first.flush();
    const again = setup({ ablations: { forgetPromise: true } }, first.disk);
    expect(again.a.promised.round).toBe(0);
    expect(again.ctx.notes).toContain('paxos.forgot');
    onAccept(again.a, again.env, 4, accept(b(1, 4), 0, 'v1'));
    expect(again.ctx.persisted).toHaveLength(1);
  });
});
