/** The learner's handlers one by one (learner 6; acceptors 1-3; proposers 4, 5). */
import { describe, expect, it } from 'vitest';
import { FakeCtx } from '../testing/fakeCtx';
import type { Durable } from '../sim/types';
import type { Ballot } from './ballot';
import { paxosConfig, type PaxosMode } from './config';
import { onAccepted, onChosen, onHeartbeat, onRetry, startLearner } from './learner';
import type { PaxosMessage } from './messages';
import type { Env } from './state';

const b = (round: number, proposer: number): Ballot => ({ round, proposer });

function setup(mode: PaxosMode = 'basic', d: Durable = {}) {
  const cfg = paxosConfig(3, 2, 1, { mode });
  const ctx = new FakeCtx<PaxosMessage>(6);
  const env: Env = { cfg, ctx, quorum: 2 };
  return { l: startLearner(6, d), env, ctx };
}

const acc = (ballot: Ballot, value: string) => ({ kind: 'ACCEPTED' as const, ballot, slot: 0, value });

describe('learner', () => {
  it('basic: learns once a majority of acceptors accepted the same ballot', () => {
    const { l, env, ctx } = setup();
    onAccepted(l, env, 1, acc(b(1, 4), 'v1'));
    onAccepted(l, env, 2, acc(b(1, 5), 'v2'));
    onAccepted(l, env, 1, acc(b(1, 4), 'v1'));
    expect(l.learned).toEqual([]);
    onAccepted(l, env, 3, acc(b(1, 5), 'v2'));
    expect(l.learned).toEqual(['v2']);
    expect(ctx.persisted[0]!.ops).toEqual([{ op: 'append', key: 'learned', items: [{ slot: 0, value: 'v2' }] }]);
    expect(ctx.notes).toContain('paxos.learned');
  });

  it('basic: votes but no majority: it asks the proposers (CATCHUP), less and less often', () => {
    const { l, env, ctx } = setup();
    onAccepted(l, env, 1, acc(b(1, 4), 'v1'));
    expect(ctx.timers.get('retry')).toBe(600);
    onRetry(l, env);
    expect(ctx.sent.map((s) => [s.to, s.msg])).toEqual([[4, { kind: 'CATCHUP', from: 0 }], [5, { kind: 'CATCHUP', from: 0 }]]);
    expect(ctx.timers.get('retry')).toBe(1200);
    onChosen(l, env, 0, ['v1']);
    expect(ctx.timers.has('retry')).toBe(false);
  });

  it('learns in slot order: a CHOSEN beyond a hole waits for the hole', () => {
    const { l, env } = setup('multi');
    onChosen(l, env, 2, ['v3']);
    onChosen(l, env, 0, ['v1']);
    expect(l.learned).toEqual(['v1']);
    expect(l.ahead).toEqual({ 2: 'v3' });
    onChosen(l, env, 1, ['v2']);
    expect(l.learned).toEqual(['v1', 'v2', 'v3']);
  });

  it('multi: a HEARTBEAT showing more chosen than it learned sends CATCHUP to the leader', () => {
    const { l, env, ctx } = setup('multi');
    onChosen(l, env, 0, ['v1']);
    onHeartbeat(l, env, 5, { kind: 'HEARTBEAT', ballot: b(1, 5), chosenUpTo: 1 });
    expect(ctx.sent).toEqual([]);
    onHeartbeat(l, env, 5, { kind: 'HEARTBEAT', ballot: b(1, 5), chosenUpTo: 7 });
    expect(ctx.sent).toEqual([{ to: 5, msg: { kind: 'CATCHUP', from: 1 } }]);
  });

  it('restarts with the gap-free prefix of what its disk holds', () => {
    const { l } = setup('multi', { learned: [{ slot: 0, value: 'v1' }, { slot: 2, value: 'v3' }, { slot: 1, value: 'v2' }, { slot: 4, value: 'v5' }] });
    expect(l.learned).toEqual(['v1', 'v2', 'v3']);
  });
});
