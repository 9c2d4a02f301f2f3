/**
 * 2PC under random fault schedules (crashes and restarts of any node, partitions, cut links,
 * loss, dropped messages, disk failures, voteNo flags, writes): Atomicity, CommitValidity and
 * WriteAheadLog always hold; once the faults stop every tx is resolved and every lock released;
 * and the same schedule always gives the same trace. With the presumeCommit ablation the checker
 * finds a violation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimedAction } from '../sim/actions';
import { runUntil, startRun, type TwoPcRun } from './testkit';

const FAULT_END = 20_000;
const SETTLE = 25_000;

const runs = Number(process.env.PROPERTY_RUNS ?? 200);

function schedule(n: number): fc.Arbitrary<TimedAction[]> {
  const id = fc.integer({ min: 1, max: n });
  const participant = fc.integer({ min: 2, max: n });
  const at = fc.integer({ min: 0, max: FAULT_END - 1 });
  const one = (a: fc.Arbitrary<TimedAction['action']>, weight: number) => ({ weight, arbitrary: fc.record({ at, action: a }).map((x) => [x]) });
  const step = fc.oneof(
    one(fc.record({ verb: fc.constant('write' as const), count: fc.integer({ min: 1, max: 3 }) }), 3),
    // a steady stream keeps a tx in flight most of the time, so faults land mid-protocol
    one(fc.record({ verb: fc.constant('rate' as const), perSecond: fc.integer({ min: 0, max: 6 }) }), 1),
    one(fc.record({ verb: fc.constant('crash' as const), id }), 1),
    one(fc.record({ verb: fc.constant('restart' as const), id }), 1),
    // a crash and a restart some time later
    { weight: 3, arbitrary: fc.record({ at, id, down: fc.integer({ min: 0, max: 5000 }) }).map(({ at, id, down }): TimedAction[] => [{ at, action: { verb: 'crash', id } }, { at: at + down, action: { verb: 'restart', id } }]) },
    one(fc.record({ verb: fc.constant('flag' as const), id: participant, name: fc.constant('voteNo'), on: fc.boolean() }), 2),
    one(fc.record({ verb: fc.constant('partition' as const), groups: fc.subarray(Array.from({ length: n }, (_, i) => i + 1), { minLength: 1 }).map((g) => [g]) }), 1),
    one(fc.constant({ verb: 'heal' as const }), 1),
    one(fc.record({ verb: fc.constant('cut' as const), a: id, b: id }), 1),
    one(fc.record({ verb: fc.constant('loss' as const), p: fc.double({ min: 0, max: 0.4, noNaN: true }) }), 1),
    one(fc.record({ verb: fc.constant('drop' as const), msg: fc.integer({ min: 1, max: 2000 }) }), 2),
    one(fc.record({ verb: fc.constant('diskfail' as const), id }), 1),
    one(fc.record({ verb: fc.constant('diskok' as const), id }), 1),
  );
  return fc.array(step, { minLength: 3, maxLength: 30, size: 'max' }).map((xs) => xs.flat().sort((a, b) => a.at - b.at));
}

/** After the faults: heal the network, repair the disks, bring every node up. */
function settle(n: number): TimedAction[] {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  return [
    { at: FAULT_END, action: { verb: 'heal' } },
    { at: FAULT_END, action: { verb: 'loss', p: 0 } },
    { at: FAULT_END, action: { verb: 'rate', perSecond: 0 } },
    ...ids.map((id) => ({ at: FAULT_END, action: { verb: 'diskok' as const, id } })),
    ...ids.map((id) => ({ at: FAULT_END, action: { verb: 'restart' as const, id } })),
  ];
}

const runsArb = fc.record({ n: fc.integer({ min: 2, max: 5 }), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }).chain(({ n, seed }) => schedule(n).map((faults) => ({ n, seed, faults })));

/** A participant votes no; a steady stream of writes; the coordinator crashes (mid-vote, often) and restarts. */
const vetoAndCrash = fc
  .record({
    n: fc.integer({ min: 3, max: 4 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    vetoer: fc.integer({ min: 2, max: 3 }),
    bounces: fc.array(fc.record({ at: fc.integer({ min: 1000, max: FAULT_END }), down: fc.integer({ min: 0, max: 2000 }) }), { minLength: 1, maxLength: 5 }),
  })
  .map(({ n, seed, vetoer, bounces }) => {
    const actions: TimedAction[] = [
      { at: 0, action: { verb: 'flag', id: vetoer, name: 'voteNo', on: true } },
      { at: 0, action: { verb: 'rate', perSecond: 6 } },
      ...bounces.flatMap(({ at, down }): TimedAction[] => [{ at, action: { verb: 'crash', id: 1 } }, { at: at + down, action: { verb: 'restart', id: 1 } }]),
    ];
    return { n, seed, actions: actions.sort((a, b) => a.at - b.at) };
  });

function run(n: number, seed: number, actions: TimedAction[], presumeCommit = false): TwoPcRun {
  const r = startRun({ n, seed, actions, ...(presumeCommit ? { ablations: { presumeCommit } } : {}) });
  runUntil(r, FAULT_END + SETTLE, presumeCommit);
  return r;
}

describe('2PC properties', () => {
  it('no invariant is violated under random faults, and afterwards every tx is resolved and every lock released', () => {
    fc.assert(
      fc.property(runsArb, ({ n, seed, faults }) => {
        const r = run(n, seed, [...faults, ...settle(n)]);
        expect(r.checker.violations).toEqual([]);
        const coord = r.sim.view(1);
        expect(coord).toMatchObject({ state: 'IDLE', queued: [] });
        for (let id = 2; id <= n; id++) {
          const v = r.sim.view(id);
          expect(v.state, `participant ${id}`).not.toMatch(/^(PREPARED|VOTING)$/);
          expect('lock' in v && v.lock, `participant ${id}`).toBeFalsy();
        }
      }),
      { numRuns: runs },
    );
  });

  it('is deterministic: the same schedule gives the same trace hash and the same disks', () => {
    fc.assert(
      fc.property(runsArb, ({ n, seed, faults }) => {
        const a = run(n, seed, faults);
        const b = run(n, seed, faults);
        expect(b.sim.traceHash()).toBe(a.sim.traceHash());
        for (const id of a.sim.nodeIds()) expect(b.sim.node(id).durable).toEqual(a.sim.node(id).durable);
      }),
      { numRuns: 15 },
    );
  });

  it('with the presumeCommit ablation, the same random search finds a violation within a fixed budget', () => {
    const samples = fc.sample(runsArb, { seed: 42, numRuns: 100 });
    const hit = samples.findIndex(({ n, seed, faults }) => run(n, seed, [...faults, ...settle(n)], true).checker.violations.length > 0);
    expect(hit).toBeGreaterThanOrEqual(0);
    const { n, seed, faults } = samples[hit]!;
    const v = run(n, seed, [...faults, ...settle(n)], true).checker.violations[0]!;
    expect(['Atomicity', 'CommitValidity']).toContain(v.invariant);
    expect(v.nodes).toContain(1);
  });

  it('with the presumeCommit ablation, coordinator crashes under a vetoing participant break Atomicity; without it, nothing breaks', () => {
    const samples = fc.sample(vetoAndCrash, { seed: 7, numRuns: 40 });
    const broken = samples.findIndex(({ n, seed, actions }) => run(n, seed, actions, true).checker.violations.some((v) => v.invariant === 'Atomicity'));
    expect(broken).toBeGreaterThanOrEqual(0);
    for (const { n, seed, actions } of samples) expect(run(n, seed, actions).checker.violations).toEqual([]);
  });
});
