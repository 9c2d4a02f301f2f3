import type { ZkRelease } from '../zk/release';
import { describe, expect, it } from 'vitest';
import { parseActions } from '../scenario/actionText';
import { PRESETS, presetScenario } from '../scenario/presets';
import { defaultScenario } from '../scenario/scenario';
import { firstViolation } from '../explore/explorer';
import { knownBugs, type KnownBug } from './knownBugs';

/**
 * A reproduction of each open bug of the ZAB model (3 voters; the explorer found all but the
 * first, which issue 18 gave by hand). When a fix lands, its case here fails: the bug leaves the
 * list, and the tests that pass over known bugs stop forgiving it.
 */
const REPRODUCTIONS: { bug: KnownBug; seed: number; actions: string; invariant: string; time: number; zk?: ZkRelease }[] = [
  { bug: 'snapshotSurvivesAbortedSync', seed: 1, actions: '0 crash 3; 1000 write 5; 3000 restart 3; 3100 crash 2; 6000 write 2; 8000 crash 3; 9000 restart 3', invariant: 'NoCommittedLoss', time: 9804 },
  { bug: 'commitDuringNewLeaderWrite', seed: 2654438546, actions: '1360 crash 1; 1400 loss 0.36; 2450 rate 2; 3080 restart 1', invariant: 'PrefixConsistency', time: 4220, zk: '3.8.5' },
  { bug: 'carriesOnAfterFailedWrite', seed: 2654440051, actions: '370 write 5; 1370 write 4; 1450 write 6; 1721 write 6; 1737 diskfail 2; 1739 diskok 2; 1770 crash 2; 1810 restart 2', invariant: 'LocalPrimaryOrder', time: 1979 },
];

describe('the known bugs of the ZAB model', () => {
  for (const r of REPRODUCTIONS) {
    it(`${r.bug}: still breaks ${r.invariant}, and is recognised as itself only`, () => {
      // found before 3.8.0 became the default release: this schedule shows it on 3.8.5's NEWLEADER order
      const sc = defaultScenario({ voters: 3, seed: r.seed, actions: parseActions(r.actions), ...(r.zk ? { zk: r.zk } : {}) });
      expect(firstViolation(sc, r.time + 1)).toMatchObject({ invariant: r.invariant, time: r.time });
      expect([...knownBugs(sc, r.time)]).toEqual([r.bug]);
    });
  }

  it('are not seen in the guided stories (no rule switched off)', () => {
    for (const p of PRESETS.filter((x) => x.protocol === 'zab' && !x.ablations)) expect([...knownBugs(presetScenario(p), p.until)], p.id).toEqual([]);
  });
});
