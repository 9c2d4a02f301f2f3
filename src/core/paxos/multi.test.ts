/** The Multi-Paxos proposer's handlers one by one (proposers 4, 5; acceptors 1-3; learner 6). */
import { describe, expect, it } from 'vitest';
import { FakeCtx } from '../testing/fakeCtx';
import { fmt, type Ballot } from './ballot';
import { paxosConfig } from './config';
import { NOOP, type AcceptedEntry, type PaxosMessage } from './messages';
import { heartbeat, onAccepted, onChosen, onClientWrite, onHeartbeat, onNack, onPromise, onResend, onSilence } from './multi';
import { emptyProposer, onCatchup, onRoundWritten } from './proposer';
import type { Env, PaxosDisk, ProposerState } from './state';

const b = (round: number, proposer: number): Ballot => ({ round, proposer });
const e = (slot: number, ballot: Ballot, value: string, chosen = false): AcceptedEntry => ({ slot, ballot, value, chosen });

function setup() {
  const cfg = paxosConfig(3, 2, 1, { mode: 'multi' });
  const ctx = new FakeCtx<PaxosMessage, PaxosDisk>(4);
  const env: Env = { cfg, ctx, quorum: 2 };
  const p = emptyProposer(4, {});
  const roundWritten = () => {
    const w = ctx.persisted.splice(0).find((x) => x.then.kind === 'round')!.then as Extract<PaxosDisk, { kind: 'round' }>;
    onRoundWritten(p, env, w.round, true);
  };
  return { p, env, ctx, roundWritten };
}

/** Proposer 4 leads with ballot 1.4 over an empty log. */
function leader() {
  const s = setup();
  onSilence(s.p, s.env);
  s.roundWritten();
  for (const a of [1, 2]) onPromise(s.p, s.env, a, { kind: 'PROMISE', ballot: b(1, 4), from: 0, accepted: [] });
  s.ctx.clear();
  return s;
}

const accepts = (p: ProposerState, env: Env, slot: number, value: string, from: number[]) => {
  for (const a of from) onAccepted(p, env, a, { kind: 'ACCEPTED', ballot: p.ballot!, slot, value });
};

describe('multi: becoming the leader (phase 1 once, for all slots)', () => {
  it('no HEARTBEAT for a while: PREPARE(n, from its first unchosen slot) to every acceptor', () => {
    const { p, env, ctx, roundWritten } = setup();
    onChosen(p, 0, ['v1', 'v2']);
    onSilence(p, env);
    roundWritten();
    expect(ctx.notes).toEqual(['paxos.leaderSilent', 'paxos.prepare']);
    expect(ctx.sent.map((s) => s.msg)).toEqual([1, 2, 3].map(() => ({ kind: 'PREPARE', ballot: b(1, 4), from: 2 })));
  });

  it('a majority of PROMISEs: re-propose the highest vote per slot, NOOP in holes, keep chosen ones', () => {
    const { p, env, ctx, roundWritten } = setup();
    onSilence(p, env);
    roundWritten();
    ctx.clear();
    onPromise(p, env, 1, { kind: 'PROMISE', ballot: b(1, 4), from: 0, accepted: [e(0, b(1, 5), 'v1', true), e(1, b(1, 5), 'v2')] });
    expect(p.phase).toBe('PREPARING');
    onPromise(p, env, 2, { kind: 'PROMISE', ballot: b(1, 4), from: 0, accepted: [e(1, b(0, 3), 'vX'), e(3, b(1, 5), 'v4')] });
    expect(p.phase).toBe('LEADER');
    expect(p.log).toEqual([
      { value: 'v1', chosen: true, accepts: [] },
      { value: 'v2', chosen: false, accepts: [] },
      { value: NOOP, chosen: false, accepts: [] },
      { value: 'v4', chosen: false, accepts: [] },
    ]);
    expect(p.nextSlot).toBe(4);
    expect(p.chosenUpTo).toBe(1);
    const sent = ctx.sent.filter((s) => s.msg.kind === 'ACCEPT').map((s) => s.msg);
    expect(sent).toHaveLength(9); // slots 1, 2, 3 to three acceptors
    expect(ctx.notes).toEqual(expect.arrayContaining(['paxos.noop', 'paxos.leader']));
    expect(ctx.sent.filter((s) => s.msg.kind === 'HEARTBEAT').map((s) => s.to)).toEqual([5, 6]);
  });

  it('writes that arrived during phase 1 are proposed once it leads', () => {
    const { p, env, ctx, roundWritten } = setup();
    onSilence(p, env);
    roundWritten();
    onClientWrite(p, env, { kind: 'write', reqId: 3 });
    expect(ctx.notes).toContain('paxos.queued');
    for (const a of [1, 3]) onPromise(p, env, a, { kind: 'PROMISE', ballot: b(1, 4), from: 0, accepted: [] });
    expect(p.log[0]).toEqual({ value: 'v3', chosen: false, accepts: [] });
  });
});

describe('multi: the leader, phase 2 only (ACCEPT / ACCEPTED / CHOSEN, as ZAB PROPOSAL / ACK / COMMIT)', () => {
  it('each write: ACCEPT(n, slot, v); a majority of ACCEPTED: CHOSEN to acceptors and learners', () => {
    const { p, env, ctx } = leader();
    onClientWrite(p, env, { kind: 'write', reqId: 9 });
    onClientWrite(p, env, { kind: 'write', reqId: 10 });
    expect(ctx.sent.map((s) => s.msg)).toEqual([
      ...[1, 2, 3].map(() => ({ kind: 'ACCEPT', ballot: b(1, 4), slot: 0, value: 'v9' })),
      ...[1, 2, 3].map(() => ({ kind: 'ACCEPT', ballot: b(1, 4), slot: 1, value: 'v10' })),
    ]);
    expect(ctx.sent.some((s) => s.msg.kind === 'PREPARE')).toBe(false);
    ctx.clear();
    accepts(p, env, 1, 'v10', [1, 2]); // slot 1 is chosen first: the log has a hole at 0
    expect(p.chosenUpTo).toBe(0);
    expect(ctx.sent.map((s) => [s.to, s.msg])).toEqual([1, 2, 3, 6].map((to) => [to, { kind: 'CHOSEN', slot: 1, values: ['v10'] }]));
    accepts(p, env, 0, 'v9', [3, 3, 2]);
    expect(p.chosenUpTo).toBe(2);
  });

  it('re-sends open slots only to the acceptors that have not answered', () => {
    const { p, env, ctx } = leader();
    onClientWrite(p, env, { kind: 'write', reqId: 9 });
    accepts(p, env, 0, 'v9', [2]);
    ctx.clear();
    onResend(p, env);
    expect(ctx.sent.map((s) => s.to)).toEqual([1, 3]);
    expect(ctx.timers.has('resend')).toBe(true);
  });

  it('HEARTBEAT carries how far the log is chosen; CATCHUP gets the chosen values', () => {
    const { p, env, ctx } = leader();
    for (const r of [1, 2, 3]) onClientWrite(p, env, { kind: 'write', reqId: r });
    for (const [slot, v] of [[0, 'v1'], [1, 'v2'], [2, 'v3']] as const) accepts(p, env, slot, v, [1, 2]);
    ctx.clear();
    heartbeat(p, env);
    expect(ctx.sent[0]!.msg).toEqual({ kind: 'HEARTBEAT', ballot: b(1, 4), chosenUpTo: 3 });
    ctx.clear();
    onCatchup(p, env, 6, 1);
    expect(ctx.sent).toEqual([{ to: 6, msg: { kind: 'CHOSEN', slot: 1, values: ['v2', 'v3'] } }]);
  });

  it('a NACK (an acceptor promised higher): steps down, leaving open slots to the next leader', () => {
    const { p, env, ctx } = leader();
    onClientWrite(p, env, { kind: 'write', reqId: 1 });
    onClientWrite(p, env, { kind: 'write', reqId: 2 });
    accepts(p, env, 0, 'v1', [1, 2]);
    onNack(p, env, { kind: 'NACK', ballot: b(1, 4), promised: b(2, 5) });
    expect(p.phase).toBe('IDLE');
    expect(p.log).toEqual([{ value: 'v1', chosen: true, accepts: [1, 2] }]);
    expect(ctx.notes).toContain('paxos.stepDown');
    expect(ctx.timers.has('silence')).toBe(true);
    expect(ctx.timers.has('heartbeat')).toBe(false);
    onSilence(p, env);
    expect(fmt(p.ballot)).toBe('3.4');
  });

  it('refuses writes when not leading, naming the leader it follows', () => {
    const { p, env, ctx } = setup();
    onHeartbeat(p, env, 5, { kind: 'HEARTBEAT', ballot: b(1, 5), chosenUpTo: 0 });
    onClientWrite(p, env, { kind: 'write', reqId: 1 });
    expect(ctx.notes).toEqual(['paxos.follow', 'paxos.notLeader']);
    expect(p.received).toEqual([]);
  });
});

describe('multi: following', () => {
  it('follows the highest leader, ignores an older one, and asks for what it missed', () => {
    const { p, env, ctx } = setup();
    onHeartbeat(p, env, 5, { kind: 'HEARTBEAT', ballot: b(2, 5), chosenUpTo: 4 });
    expect(p.leader).toBe(5);
    expect(ctx.sent).toEqual([{ to: 5, msg: { kind: 'CATCHUP', from: 0 } }]);
    ctx.clear();
    onHeartbeat(p, env, 3, { kind: 'HEARTBEAT', ballot: b(1, 3), chosenUpTo: 9 });
    expect(p.leader).toBe(5);
    expect(ctx.sent).toEqual([]);
    onChosen(p, 0, ['v1', 'v2', 'v3', 'v4']);
    expect(p.chosenUpTo).toBe(4);
  });

  it('a leader hearing a higher leader steps down; a candidate with a higher ballot carries on', () => {
    const s = leader();
    onHeartbeat(s.p, s.env, 5, { kind: 'HEARTBEAT', ballot: b(2, 5), chosenUpTo: 0 });
    expect(s.p.phase).toBe('IDLE');
    expect(s.p.leader).toBe(5);
    const c = setup();
    c.p.round = 3;
    onSilence(c.p, c.env);
    onHeartbeat(c.p, c.env, 5, { kind: 'HEARTBEAT', ballot: b(2, 5), chosenUpTo: 0 });
    expect(c.p.phase).toBe('PREPARING');
  });
});
