import { describe, expect, it } from 'vitest';
import type { ZkRelease } from '../zk/release';
import { parseActions } from '../scenario/actionText';
import { PRESETS, presetById, presetScenario } from '../scenario/presets';
import { defaultScenario } from '../scenario/scenario';
import { firstViolation } from './explorer';
import { KNOWN_BUGS, knownBugs, type KnownBugId } from './knownBugs';

interface Repro {
  seed: number;
  actions: string;
  invariant: string;
  time: number;
  voters?: number;
  observers?: number;
  zk?: ZkRelease;
}

const scenarioOf = (r: Repro) => defaultScenario({ voters: r.voters ?? 3, observers: r.observers ?? 0, seed: r.seed, actions: parseActions(r.actions), ...(r.zk ? { zk: r.zk } : {}) });

/**
 * Schedules the explorer found for ZooKeeper's own bugs (no rule switched off): each still breaks
 * its invariant, and the recogniser names that bug and no other.
 */
const ZOOKEEPER: (Repro & { bug: KnownBugId })[] = [
  // explore --voters 3 --observers 1 --seed 3, shrunk: the observer's failed write
  { bug: 'ZOOKEEPER-4882', observers: 1, seed: 3668340008, actions: '460 diskfail 4; 490 write 3; 570 diskok 4; 940 crash 4; 990 restart 4', invariant: 'PrefixConsistency', time: 1139 },
  // explore --voters 5 --seed 2 --zk 3.9, shrunk: 3.9.3's NEWLEADER applies committed txns before their fsync
  { bug: 'ZOOKEEPER-4882', voters: 5, zk: '3.9', seed: 1013904233, actions: '420 write 1; 460 diskfail 3; 510 write 1; 690 diskok 3; 740 rate 2; 1280 crash 3; 1330 restart 3', invariant: 'LocalPrimaryOrder', time: 1517 },
];

/**
 * Bugs of this model that the explorer found and that are fixed (docs/PROTOCOL.md, "Findings"):
 * their schedules now run clean. Each failed before its fix.
 */
const FIXED: (Repro & { what: string })[] = [
  // Learner.shutdown: zk.shutdown(syncMode == SNAP) clears the tree of an unfinished SNAP sync
  { what: 'a SNAP loaded in memory outlives a sync aborted before NEWLEADER', seed: 1, actions: '0 crash 3; 1000 write 5; 3000 restart 3; 3100 crash 2; 6000 write 2; 8000 crash 3; 9000 restart 3', invariant: 'NoCommittedLoss', time: 9804 },
  { what: 'a SNAP outlives an aborted sync (the explorer\'s shrunk schedule)', seed: 2654435791, actions: '410 crash 2; 1504 write 7; 1506 write 7; 1551 crash 1; 1562 restart 1; 1629 restart 2; 2021 crash 1; 2840 write 1; 2880 crash 2; 2920 restart 2', invariant: 'PrefixConsistency', time: 5312 },
  // syncWithLeader sets writeToTxnLog when NEWLEADER is received, not when its write is done
  { what: 'a COMMIT received while NEWLEADER is written is applied at once', seed: 2654438546, actions: '1360 crash 1; 1400 loss 0.36; 2450 rate 2; 3080 restart 1', invariant: 'PrefixConsistency', time: 4220, zk: '3.8.5' },
  // SyncRequestProcessor dies at its first failed append: nothing queued behind it is written
  { what: 'an append queued behind a failed one lands, leaving a hole in the log', seed: 2654440051, actions: '370 write 5; 1370 write 4; 1450 write 6; 1721 write 6; 1737 diskfail 2; 1739 diskok 2; 1770 crash 2; 1810 restart 2', invariant: 'LocalPrimaryOrder', time: 1979 },
];

describe("ZooKeeper's known bugs, as the bug hunter recognises them", () => {
  for (const r of ZOOKEEPER) {
    it(`${r.bug} at ${r.voters ?? 3} voters${r.observers ? ` and ${r.observers} observer` : ''}: breaks ${r.invariant}, and is named as itself only`, () => {
      const sc = scenarioOf(r);
      expect(firstViolation(sc, r.time + 1)).toMatchObject({ invariant: r.invariant, time: r.time });
      expect([...knownBugs(sc, r.time)]).toEqual([r.bug]);
    });
  }

  it("ZOOKEEPER-4646: the museum's story shows it on 3.8.0, and on 3.8.5 the same script shows nothing", () => {
    const p = presetById('zookeeper-4646')!;
    const sc = presetScenario(p);
    const v = firstViolation(sc, p.until);
    expect(v?.invariant).toBe('NoCommittedLoss');
    expect([...knownBugs(sc, v!.time)]).toEqual(['ZOOKEEPER-4646']);
    const fixed = { ...sc, zk: '3.8.5' as const };
    expect(firstViolation(fixed, p.until)).toBeNull();
    expect([...knownBugs(fixed, p.until)]).toEqual([]);
  });

  it("each museum story of a known bug is recognised as that bug, on the release it names", () => {
    const museum = PRESETS.filter((p) => p.bug && p.bug in KNOWN_BUGS);
    expect(museum.map((p) => p.id).sort()).toEqual(expect.arrayContaining(['stale-ack', 'zookeeper-4394', 'zookeeper-4646', 'zookeeper-4712', 'zookeeper-4882']));
    for (const p of museum) {
      // a bug that costs availability (stalls) breaks no invariant: it is recognised over the whole story
      const v = firstViolation(presetScenario(p), p.until);
      if (p.stalls) expect(v, p.id).toBeNull();
      else expect(v, p.id).not.toBeNull();
      // (3.8.0's NullPointerException also ends a role with the sync's txns queued: 4712 too)
      expect([...knownBugs(presetScenario(p), v?.time ?? p.until)], p.id).toContain(p.bug);
      // and the release it is compared with does not have it
      if (p.compare?.startsWith('zab@')) expect([...knownBugs({ ...presetScenario(p), zk: p.compare.slice(4) as ZkRelease }, p.until)], p.id).toEqual([]);
    }
  });

  it('are not seen in the guided stories that show no bug', () => {
    for (const p of PRESETS.filter((x) => x.protocol === 'zab' && !x.ablations && !x.bug)) expect([...knownBugs(presetScenario(p), p.until)], p.id).toEqual([]);
  });
});

describe("the model's own bugs the explorer found, fixed", () => {
  for (const r of FIXED) {
    it(`${r.what}: the schedule that broke ${r.invariant} runs clean`, () => {
      expect(firstViolation(scenarioOf(r), r.time + 2000)).toBeNull();
    });
  }
});
