import { describe, expect, it } from 'vitest';
import { parseActions } from '../core/scenario/actionText';
import { decodeScenario } from '../core/scenario/decode';
import { encodeScenario } from '../core/scenario/codec';
import { defaultScenario } from '../core/scenario/scenario';
import { counterpart, sameRun } from './compare';

describe('the compare view', () => {
  const sc = defaultScenario({ voters: 3, seed: 7, disk: { latencyMin: 40, latencyMax: 40 }, actions: parseActions('1000 write 1; 2000 crash 1') });

  it('sets ZAB beside ZAB on another release: the same ensemble, seed, disks and script', () => {
    const other = counterpart(sc, 'zab@3.8.5');
    expect(other).toMatchObject({ protocol: 'zab', zk: '3.8.5', voters: 3, seed: 7, disk: sc.disk, actions: sc.actions });
    expect(sameRun(sc, 'zab@3.8.0')).toBe(true); // 3.8.0 is the default: that would be the run itself
    expect(sameRun(sc, 'zab')).toBe(true);
    expect(sameRun(sc, 'zab@3.9')).toBe(false);
    expect(counterpart(sc, '2pc').zk).toBeUndefined();
  });

  it('a shared link keeps the release it is compared with', () => {
    const d = decodeScenario(encodeScenario(sc, 1000, 20, 'zab@3.9'));
    expect(d.ok && d.compare).toBe('zab@3.9');
    const self = decodeScenario(encodeScenario(sc, 1000, 20, 'zab@3.8.0'));
    expect(self.ok && self.compare).toBeUndefined();
  });
});
