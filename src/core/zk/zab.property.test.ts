/**
 * ZAB under random fault schedules (crashes, restarts, partitions, loss, disk failures, writes),
 * on each modelled release: no safety invariant is ever violated, and once the faults stop every
 * server converges on one committed history that keeps every write the leaders committed. The one
 * exception is a run that shows one of ZooKeeper's own known bugs of that release (the model shows
 * them on purpose, explore/knownBugs.ts): a violation nothing there explains still fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimedAction } from '../sim/actions';
import { defaultScenario } from '../scenario/scenario';
import { buildZabRun, runTo } from '../scenario/run';
import { lastOf } from './zxid';
import { ZK_RELEASES } from './release';
import { knownBugs } from '../explore/knownBugs';


const runs = Number(process.env.PROPERTY_RUNS ?? 40);
const FAULT_END = 40_000;

function schedule(voters: number, observers: number, faultEnd: number) {
  const n = voters + observers;
  const id = fc.integer({ min: 1, max: n });
  const at = fc.integer({ min: 0, max: faultEnd - 1 });
  const action: fc.Arbitrary<TimedAction> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('write' as const), count: fc.integer({ min: 1, max: 5 }) }) }) },
    { weight: 2, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('crash' as const), id }) }) },
    { weight: 2, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('restart' as const), id }) }) },
    { weight: 1, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('partition' as const), groups: fc.subarray(Array.from({ length: n }, (_, i) => i + 1), { minLength: 1 }).map((g) => [g]) }) }) },
    { weight: 1, arbitrary: fc.record({ at, action: fc.constant({ verb: 'heal' as const }) }) },
    { weight: 1, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('diskfail' as const), id }) }) },
    { weight: 1, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('diskok' as const), id }) }) },
    { weight: 1, arbitrary: fc.record({ at, action: fc.record({ verb: fc.constant('loss' as const), p: fc.double({ min: 0, max: 0.3, noNaN: true }) }) }) },
  );
  return fc.array(action, { maxLength: 25 }).map((xs) => xs.sort((a, b) => a.at - b.at));
}

describe('ZAB properties', () => {
  it('no invariant is violated under random faults, and after them everyone converges on one history', () => {
    fc.assert(
      fc.property(
        // the schedule is drawn by fast-check itself (not sampled inside the property), so a failure shrinks it
        fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 2 })).chain(([voters, observers]) => fc.tuple(fc.constant(voters), fc.constant(observers), schedule(voters, observers, FAULT_END))),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 150 }),
        fc.constantFrom(...ZK_RELEASES),
        ([voters, observers, faults], seed, latMax, zk) => {
        const faultEnd = FAULT_END;
        const n = voters + observers;
        const settle: TimedAction[] = [
          { at: faultEnd, action: { verb: 'heal' } },
          { at: faultEnd, action: { verb: 'loss', p: 0 } },
          ...Array.from({ length: n }, (_, i) => ({ at: faultEnd, action: { verb: 'diskok' as const, id: i + 1 } })),
          ...Array.from({ length: n }, (_, i) => ({ at: faultEnd, action: { verb: 'restart' as const, id: i + 1 } })),
          { at: faultEnd + 140_000, action: { verb: 'write', count: 2 } },
        ];
        const sc = defaultScenario({ voters, observers, seed, zk, net: { latencyMin: 1, latencyMax: latMax, loss: 0 }, actions: [...faults, ...settle] });
        const r = buildZabRun(sc);
        r.sim.records = [];
        runTo(r, faultEnd + 150_000);
        if (r.checker.violations.length > 0) {
          // allowed only where the replay shows a bug this release really has
          expect([...knownBugs(sc, faultEnd + 150_000)], JSON.stringify(r.checker.violations[0])).not.toEqual([]);
          return;
        }
        // every write a leader committed (and so acknowledged to its client)
        const acknowledged = r.sim.records.flatMap((x) => (x.code === 'commits' ? [Number(x.args.zxid)] : []));
        // convergence: one leader, everyone serving the same committed history
        const states = r.sim.nodeIds().map((id) => r.sim.node(id).state!);
        expect(states.filter((s) => s.state === 'LEADING')).toHaveLength(1);
        const leader = states.find((s) => s.state === 'LEADING')!;
        const epoch = leader.leader!.epoch;
        let serving = 0;
        for (const s of states) {
          // ZooKeeper's own liveness gap: a server that accepted a higher epoch from a leader that
          // never established it refuses this leader ("Leaders epoch is less than accepted
          // epoch") until the next election. Everyone else must be serving the same history.
          if (s.acceptedEpoch > epoch) continue;
          expect(s.zabState, `server ${s.id}`).toBe('BROADCAST');
          expect(lastOf(s.history, s.snapZxid), `server ${s.id}`).toBe(lastOf(leader.history, leader.snapZxid));
          if (s.voter) serving++;
        }
        expect(serving * 2).toBeGreaterThan(voters);
        // the two writes after the faults were committed
        expect(leader.leader!.lastCommitted).toBe(leader.leader!.lastProposed);
        // and every acknowledged write is still there, on the final leader
        const held = new Set(leader.history);
        for (const z of acknowledged) expect(held.has(z), `acknowledged write 0x${z.toString(16)} kept`).toBe(true);
        expect(acknowledged.length).toBeGreaterThan(0);
      },
      ),
      {
        numRuns: runs,
        examples: [
          // found by CI: a failed disk, then the leader's crash, shows ZOOKEEPER-4712 on 3.8.0
          [[4, 1, [{ at: 15614, action: { verb: 'diskfail', id: 4 } }, { at: 15736, action: { verb: 'write', count: 4 } }, { at: 15964, action: { verb: 'crash', id: 1 } }]], 0, 2, '3.8.0'],
        ],
      },
    );
  }, 600_000);
});
