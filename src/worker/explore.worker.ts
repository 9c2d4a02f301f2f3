/// <reference lib="webworker" />
/**
 * The bug hunter's own worker: it searches in slices of a few schedules, so that progress reaches
 * the page and "stop" is heard between slices, while the simulation worker stays free to play.
 */
import { explore, type Counterexample } from '../core/explore/explorer';
import { withAblations } from '../core/explore/ablations';
import type { Scenario } from '../core/scenario/scenario';

export type ExploreIn = { type: 'start'; base: Scenario; ablations: string[]; runs: number; seed: number } | { type: 'stop' };
export type ExploreOut =
  | { type: 'progress'; tried: number; runsPerSecond: number }
  | { type: 'done'; tried: number; runsPerSecond: number; counterexample: Counterexample | null }
  | { type: 'error'; message: string };

const post = (m: ExploreOut) => (self as unknown as { postMessage(m: ExploreOut): void }).postMessage(m);
/** bumped by every start and stop: a slice of an older search sees it and ends */
let generation = 0;
const SLICE = 5;

self.onmessage = (e: MessageEvent<ExploreIn>) => {
  const m = e.data;
  generation++;
  if (m.type === 'stop') return;
  const w = withAblations({ ...m.base, actions: [], pauses: [] }, m.ablations);
  if (!w.ok) return post({ type: 'error', message: w.error });
  const gen = generation;
  const t0 = performance.now();
  let tried = 0;
  // the rate of searching: a found schedule's shrinking is not counted in it
  let searchedUntil = t0;
  const rate = () => Math.round((tried / Math.max(1, searchedUntil - t0)) * 10000) / 10;
  const slice = () => {
    if (gen !== generation) return;
    try {
      const n = Math.min(SLICE, m.runs - tried);
      let searched = 0;
      const r = explore({ base: w.scenario, seed: m.seed, first: tried, runs: n, progress: (k) => {
          searched = k;
          searchedUntil = performance.now();
        } });
      tried += searched;
      if (r.counterexample || tried >= m.runs) return post({ type: 'done', tried, runsPerSecond: rate(), counterexample: r.counterexample });
      post({ type: 'progress', tried, runsPerSecond: rate() });
      setTimeout(slice, 0);
    } catch (err) {
      post({ type: 'error', message: (err as Error).message });
    }
  };
  slice();
};
