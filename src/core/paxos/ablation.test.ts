/**
 * The checker finds the bug it is there for: with the forgetPromise ablation an acceptor comes
 * back from a crash without its promise, accepts a deposed leader's stale ACCEPT, and two values
 * end up chosen in one slot. The fault schedules are shaped around that danger (a leader cut off
 * with one acceptor, a new leader on the other side, an acceptor restarted before the heal), with
 * random timings; the same schedules without the ablation never break anything.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimedAction } from '../sim/actions';
import { runUntil, startRun } from './testkit';

const schedules = fc
  .record({
    part: fc.integer({ min: 1500, max: 2500 }),
    heal: fc.integer({ min: 0, max: 300 }),
    bounce: fc.record({ id: fc.integer({ min: 1, max: 2 }), at: fc.integer({ min: 1600, max: 2400 }), down: fc.integer({ min: 20, max: 200 }) }),
    w4: fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 3 }),
    w5: fc.array(fc.integer({ min: 1200, max: 1500 }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ part, heal, bounce, w4, w5 }) => {
    const back = part + bounce.at + bounce.down;
    const xs: TimedAction[] = [
      // proposer 4 leads (5 starts late), then is cut off with acceptor 3
      { at: 0, action: { verb: 'crash', id: 5 } },
      { at: 1000, action: { verb: 'write', count: 2 } },
      { at: 1200, action: { verb: 'restart', id: 5 } },
      { at: part, action: { verb: 'partition', groups: [[4, 3]] } },
      // 4 keeps proposing on its side; 5 takes over on the other and writes too
      ...w4.map((t) => ({ at: part + t, action: { verb: 'write' as const, count: 1, node: 4 } })),
      ...w5.map((t) => ({ at: part + t, action: { verb: 'write' as const, count: 1, node: 5 } })),
      // an acceptor of 5's majority restarts, then the partition heals
      { at: part + bounce.at, action: { verb: 'crash', id: bounce.id } },
      { at: back, action: { verb: 'restart', id: bounce.id } },
      { at: back + heal, action: { verb: 'heal' } },
    ];
    return xs.sort((a, b) => a.at - b.at);
  });

const BUDGET = 60;

function search(forgetPromise: boolean) {
  const found: { seed: number; invariants: string[] }[] = [];
  for (let seed = 0; seed < BUDGET; seed++) {
    const actions = fc.sample(schedules, { seed, numRuns: 1 })[0]!;
    const r = startRun({ mode: 'multi', seed, actions, ablations: forgetPromise ? { forgetPromise: true } : undefined });
    runUntil(r, 10_000);
    if (r.checker.violations.length) found.push({ seed, invariants: [...new Set(r.checker.violations.map((v) => v.invariant))] });
  }
  return found;
}

describe('the forgetPromise ablation', () => {
  it(`breaks Agreement within ${BUDGET} seeds, and the checker names it`, () => {
    const found = search(true);
    const agreement = found.filter((f) => f.invariants.includes('Agreement'));
    expect(agreement.length).toBeGreaterThan(0);
    // a restarted acceptor that forgot its promise is itself caught at once
    expect(found.every((f) => f.invariants.includes('PromiseKept'))).toBe(true);
  });

  it('the same schedules without it break nothing', () => {
    expect(search(false)).toEqual([]);
  });

  it('a violation names the acceptors of both quorums and the slot', () => {
    const seed = search(true).find((f) => f.invariants.includes('Agreement'))!.seed;
    const r = startRun({ mode: 'multi', seed, actions: fc.sample(schedules, { seed, numRuns: 1 })[0]!, ablations: { forgetPromise: true } });
    runUntil(r, 10_000);
    const v = r.checker.violations.find((x) => x.invariant === 'Agreement')!;
    expect(v.message).toMatch(/^slot \d+: v\d+ was chosen at \d+\.\d by \{[\d,]+\}, then v\d+ at \d+\.\d by \{[\d,]+\}$/);
    expect(new Set(v.nodes).size).toBe(3);
  });
});
