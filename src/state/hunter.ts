import type { ExploreIn, ExploreOut } from '../worker/explore.worker';

export type { ExploreIn, ExploreOut };

/** The bug hunter's own worker, which searches fault schedules while the simulation plays on. */
export function exploreWorker(): Worker {
  return new Worker(new URL('../worker/explore.worker.ts', import.meta.url), { type: 'module' });
}
