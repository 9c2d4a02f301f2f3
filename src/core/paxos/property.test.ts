/**
 * Paxos under random fault schedules (crashes and restarts of any node, partitions, cut links,
 * loss, latency, dropped messages, failing disks, writes at random proposers): Agreement,
 * Validity and PromiseKept always hold; once the faults stop, the ensemble makes progress again;
 * and the same schedule always gives the same trace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimedAction } from '../sim/actions';
import type { PaxosMode } from './config';
import type { LearnerState, ProposerState } from './state';
import { runUntil, startRun, type PaxosRun } from './testkit';

const runs = Number(process.env.PROPERTY_RUNS ?? 25);
const FAULT_END = 15_000;

interface Shape {
  acceptors: number;
  proposers: number;
  learners: number;
}

/**
 * Faults come as episodes that end (a crash and its restart, a partition and its heal, a failing
 * disk and its repair, a burst of loss or latency), so the ensemble keeps making progress between
 * them; some crashes and cut links are never undone until the faults stop.
 */
function faults({ acceptors, proposers, learners }: Shape): fc.Arbitrary<TimedAction[]> {
  const n = acceptors + proposers + learners;
  const id = fc.integer({ min: 1, max: n });
  const proposer = fc.integer({ min: acceptors + 1, max: acceptors + proposers });
  const at = fc.integer({ min: 0, max: FAULT_END - 1 });
  const dur = fc.integer({ min: 1, max: 3000 });
  const once = (action: fc.Arbitrary<TimedAction['action']>) => fc.record({ at, action }).map((a) => [a]);
  const episode = (start: fc.Arbitrary<TimedAction['action']>, end: (a: TimedAction['action']) => TimedAction['action']) =>
    fc.record({ at, dur, action: start }).map(({ at, dur, action }) => [
      { at, action },
      { at: at + dur, action: end(action) },
    ]);
  const groups = fc.subarray(Array.from({ length: n }, (_, i) => i + 1), { minLength: 1 }).map((g) => [g]);
  const action: fc.Arbitrary<TimedAction[]> = fc.oneof(
    { weight: 5, arbitrary: once(fc.record({ verb: fc.constant('write' as const), count: fc.integer({ min: 1, max: 3 }), node: proposer })) },
    { weight: 3, arbitrary: once(fc.record({ verb: fc.constant('write' as const), count: fc.integer({ min: 1, max: 3 }) })) },
    { weight: 4, arbitrary: episode(fc.record({ verb: fc.constant('crash' as const), id }), (a) => ({ verb: 'restart', id: (a as { id: number }).id })) },
    { weight: 1, arbitrary: once(fc.record({ verb: fc.constant('crash' as const), id })) },
    { weight: 2, arbitrary: episode(fc.record({ verb: fc.constant('partition' as const), groups }), () => ({ verb: 'heal' })) },
    { weight: 1, arbitrary: once(fc.record({ verb: fc.constant('cut' as const), a: id, b: id })) },
    { weight: 1, arbitrary: episode(fc.record({ verb: fc.constant('loss' as const), p: fc.double({ min: 0, max: 0.5, noNaN: true }) }), () => ({ verb: 'loss', p: 0 })) },
    { weight: 1, arbitrary: episode(fc.record({ verb: fc.constant('latency' as const), min: fc.integer({ min: 1, max: 20 }), max: fc.integer({ min: 20, max: 300 }) }), () => ({ verb: 'latency', min: 10, max: 30 })) },
    { weight: 1, arbitrary: once(fc.record({ verb: fc.constant('drop' as const), msg: fc.integer({ min: 1, max: 3000 }) })) },
    { weight: 1, arbitrary: episode(fc.record({ verb: fc.constant('diskfail' as const), id }), (a) => ({ verb: 'diskok', id: (a as { id: number }).id })) },
  );
  return fc.array(action, { minLength: 5, maxLength: 30 }).map((xs) => xs.flat().sort((a, b) => a.at - b.at));
}

/** Everything back to normal: healed, lossless, fast, good disks, every server running. */
function settle(n: number, at: number): TimedAction[] {
  const all = Array.from({ length: n }, (_, i) => i + 1);
  return [
    { at, action: { verb: 'heal' } },
    { at, action: { verb: 'loss', p: 0 } },
    { at, action: { verb: 'latency', min: 10, max: 30 } },
    ...all.map((id) => ({ at, action: { verb: 'diskok' as const, id } })),
    ...all.map((id) => ({ at, action: { verb: 'restart' as const, id } })),
  ];
}

const shape = fc.record({ acceptors: fc.integer({ min: 1, max: 5 }), proposers: fc.integer({ min: 1, max: 3 }), learners: fc.integer({ min: 0, max: 2 }) });

function run(mode: PaxosMode, s: Shape, seed: number, actions: TimedAction[], until: number): PaxosRun {
  const r = startRun({ mode, seed, ...s, actions });
  runUntil(r, until);
  return r;
}

/** An ensemble's shape and a fault schedule for it, both drawn (and shrunk) by fast-check. */
const shapeAndFaults = shape.chain((s) => fc.tuple(fc.constant(s), faults(s)));

const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('Paxos properties', () => {
  it('basic: no invariant is ever violated; after the faults a fresh write is decided and learned everywhere', () => {
    fc.assert(
      // the faults are drawn by fast-check itself (not sampled inside the property), so a failure shrinks them
      fc.property(shapeAndFaults, fc.integer({ min: 0, max: 2 ** 31 }), ([s, f], seed) => {
        const n = s.acceptors + s.proposers + s.learners;
        const proposers = ids(s.acceptors + 1, s.proposers);
        const learners = ids(s.acceptors + s.proposers + 1, s.learners);
        // proposers come back fresh (a decided one would refuse the write), then each gets one
        const after: TimedAction[] = [
          ...settle(n, FAULT_END),
          ...proposers.map((id) => ({ at: FAULT_END + 100, action: { verb: 'crash' as const, id } })),
          ...proposers.map((id) => ({ at: FAULT_END + 200, action: { verb: 'restart' as const, id } })),
          ...proposers.map((id) => ({ at: FAULT_END + 1000, action: { verb: 'write' as const, count: 1, node: id } })),
        ];
        const r = run('basic', s, seed, [...f, ...after], FAULT_END + 15_000);
        expect(r.checker.violations).toEqual([]);
        const chosen = r.checker.st.chosen[0]?.value;
        expect(chosen).toBeDefined();
        for (const id of proposers) expect((r.sim.node(id).state as ProposerState).decided, `proposer ${id}`).toBe(chosen);
        for (const id of learners) expect((r.sim.node(id).state as LearnerState).learned, `learner ${id}`).toEqual([chosen]);
      }),
      { numRuns: runs },
    );
  }, 60_000);

  it('multi: no invariant is ever violated; after the faults one leader commits new writes and every learner has the same log', () => {
    fc.assert(
      fc.property(shapeAndFaults, fc.integer({ min: 0, max: 2 ** 31 }), ([s, drawn], seed) => {
        const n = s.acceptors + s.proposers + s.learners;
        // and a steady stream of writes at whoever leads
        const f = [{ at: 0, action: { verb: 'rate' as const, perSecond: 3 } }, ...drawn];
        const after: TimedAction[] = [...settle(n, FAULT_END), { at: FAULT_END, action: { verb: 'rate', perSecond: 0 } }, { at: FAULT_END + 5000, action: { verb: 'write', count: 3 } }, { at: FAULT_END + 9000, action: { verb: 'write', count: 3 } }];
        // (the first batch may go to a stale leader that learns only then that it was deposed)
        const r = run('multi', s, seed, [...f, ...after], FAULT_END + 15_000);
        expect(r.checker.violations).toEqual([]);
        const leaders = ids(s.acceptors + 1, s.proposers).filter((id) => r.sim.view(id).state === 'LEADER');
        expect(leaders).toHaveLength(1);
        const leader = r.sim.node(leaders[0]!).state as ProposerState;
        expect(leader.chosenUpTo).toBe(leader.log.length);
        const log = leader.log.map((e) => e!.value);
        const written = r.sim.st.nextReq;
        expect(log.slice(-3)).toEqual([`v${written - 3}`, `v${written - 2}`, `v${written - 1}`]);
        for (const id of ids(s.acceptors + s.proposers + 1, s.learners)) expect((r.sim.node(id).state as LearnerState).learned, `learner ${id}`).toEqual(log);
      }),
      { numRuns: runs },
    );
  }, 60_000);

  it('is deterministic: the same schedule gives the same trace, also when replayed from a checkpoint', () => {
    const s: Shape = { acceptors: 3, proposers: 2, learners: 1 };
    for (const mode of ['basic', 'multi'] as const) {
      for (const seed of [1, 2, 3]) {
        const f = fc.sample(faults(s), { seed, numRuns: 1 })[0]!;
        const a = run(mode, s, seed, f, FAULT_END);
        const b = startRun({ mode, seed, ...s, actions: f });
        runUntil(b, FAULT_END / 2);
        const cp = { sim: b.sim.checkpoint(), checker: b.checker.checkpoint() };
        runUntil(b, FAULT_END);
        expect(b.sim.traceHash()).toBe(a.sim.traceHash());
        expect(b.checker.st).toEqual(a.checker.st);
        b.sim.restore(cp.sim);
        b.checker.restore(cp.checker);
        runUntil(b, FAULT_END);
        expect(b.sim.traceHash()).toBe(a.sim.traceHash());
        expect(b.checker.st).toEqual(a.checker.st);
      }
    }
  });
});
