/**
 * Properties of FastLeaderElection over random seeds, latencies, losses and crash schedules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimedAction } from '../sim/actions';
import { defaultScenario } from '../scenario/scenario';
import { buildZabRun, runTo, type ZabRun } from '../scenario/run';
import type { Durable } from '../sim/types';
import { makeZxid } from './zxid';

const runs = Number(process.env.PROPERTY_RUNS ?? 60);

/** Random faults in [0, faultEnd): crashes, restarts, partitions, message loss. */
function faultSchedule(voters: number, faultEnd: number) {
  const id = fc.integer({ min: 1, max: voters });
  const at = fc.integer({ min: 0, max: faultEnd - 1 });
  const action: fc.Arbitrary<TimedAction> = fc.oneof(
    fc.record({ at, action: fc.record({ verb: fc.constant('crash' as const), id }) }),
    fc.record({ at, action: fc.record({ verb: fc.constant('restart' as const), id }) }),
    fc.record({ at, action: fc.record({ verb: fc.constant('partition' as const), groups: fc.subarray(Array.from({ length: voters }, (_, i) => i + 1), { minLength: 1 }).map((g) => [g]) }) }),
    fc.record({ at, action: fc.constant({ verb: 'heal' as const }) }),
    fc.record({ at, action: fc.record({ verb: fc.constant('loss' as const), p: fc.double({ min: 0, max: 0.3, noNaN: true }) }) }),
  );
  return fc.array(action, { maxLength: 12 }).map((xs) => xs.sort((a, b) => a.at - b.at));
}

function leaders(r: ZabRun): number[] {
  return r.sim.nodeIds().filter((id) => r.sim.node(id).state?.state === 'LEADING');
}

describe('FastLeaderElection properties', () => {
  it('once a quorum of configured voters is up and connected long enough, they all end with one common leader', () => {
    fc.assert(
      fc.property(
        // the schedule is drawn by fast-check itself (not sampled inside the property), so a failure shrinks it
        fc
          .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1000, max: 20_000 }))
          .chain(([voters, faultEnd]) => fc.tuple(fc.constant(voters), fc.constant(faultEnd), faultSchedule(voters, faultEnd))),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 0, max: 120 }),
        ([voters, faultEnd, schedule], seed, latMin, latSpread) => {
          // after the faults: heal, no loss, and every voter back up (a quorum, and more)
          const settle: TimedAction[] = [
            { at: faultEnd, action: { verb: 'heal' } },
            { at: faultEnd, action: { verb: 'loss', p: 0 } },
            ...Array.from({ length: voters }, (_, i) => ({ at: faultEnd, action: { verb: 'restart' as const, id: i + 1 } })),
          ];
          const r = buildZabRun(defaultScenario({ voters, seed, net: { latencyMin: latMin, latencyMax: latMin + latSpread, loss: 0 }, actions: [...schedule, ...settle] }));
          // the longest notification back-off is 60 s; allow two of them plus initLimit
          runTo(r, faultEnd + 150_000);
          const ls = leaders(r);
          expect(ls).toHaveLength(1);
          const leader = ls[0]!;
          for (const id of r.sim.nodeIds()) {
            const s = r.sim.node(id).state!;
            expect(s.state === 'LEADING' || (s.state === 'FOLLOWING' && s.currentVote.leader === leader), `server ${id}: ${s.state} ${s.currentVote.leader}`).toBe(true);
            expect(s.zabState).toBe('BROADCAST');
          }
          expect(r.checker.violations).toEqual([]);
        },
      ),
      { numRuns: runs },
    );
  }, 600_000);

  it('while every latency stays below finalizeWait, a fresh ensemble elects the best vote among them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 99 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 6 })), { minLength: 9, maxLength: 9 }),
        (voters, seed, latMin, latSpread, histories) => {
          const latMax = Math.min(199, latMin + latSpread);
          // give each server a history before anything runs: (currentEpoch, transactions in it)
          const initial: Record<number, Durable> = {};
          for (let id = 1; id <= voters; id++) {
            const [epoch, count] = histories[id - 1]!;
            initial[id] = { currentEpoch: epoch, acceptedEpoch: epoch, log: Array.from({ length: count }, (_, c) => makeZxid(epoch, c + 1)) };
          }
          const r = buildZabRun(defaultScenario({ voters, seed, net: { latencyMin: latMin, latencyMax: latMax, loss: 0 }, initial }));
          runTo(r, 20_000);
          const best = [...Array(voters).keys()]
            .map((i) => ({ id: i + 1, epoch: histories[i]![0], zxid: histories[i]![1] ? makeZxid(histories[i]![0], histories[i]![1]) : 0 }))
            .sort((a, b) => a.epoch - b.epoch || a.zxid - b.zxid || a.id - b.id)
            .at(-1)!;
          expect(leaders(r)).toEqual([best.id]);
        },
      ),
      { numRuns: runs },
    );
  }, 600_000);

  it('never two established leaders of the same epoch, under any faults', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }).chain((voters) => fc.tuple(fc.constant(voters), faultSchedule(voters, 60_000))), fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 300 }), ([voters, schedule], seed, latMax) => {
        const r = buildZabRun(defaultScenario({ voters, seed, net: { latencyMin: 1, latencyMax: latMax, loss: 0 }, actions: schedule }));
        runTo(r, 90_000);
        expect(r.checker.violations).toEqual([]);
      }),
      { numRuns: runs },
    );
  }, 600_000);

  it('a minority never elects: servers cut off in a minority never become LEADING', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 7 }).chain((voters) => {
          // half of an even ensemble, less than half of an odd one: never a quorum
          const minoritySize = Math.floor(voters / 2);
          const ids = Array.from({ length: voters }, (_, i) => i + 1);
          return fc.tuple(fc.constant(voters), fc.shuffledSubarray(ids, { minLength: minoritySize, maxLength: minoritySize }));
        }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        ([voters, minority], seed, loss) => {
        const r = buildZabRun(defaultScenario({ voters, seed, net: { latencyMin: 5, latencyMax: 40, loss }, actions: [{ at: 0, action: { verb: 'partition', groups: [minority] } }] }));
        while (r.sim.now <= 60_000 && r.sim.step()) {
          for (const id of minority) expect(r.sim.node(id).state?.state, `server ${id} of minority ${minority}`).not.toBe('LEADING');
        }
      },
      ),
      { numRuns: runs },
    );
  }, 600_000);
});

