/// <reference lib="webworker" />
import { defaultScenario } from '../core/scenario/scenario';
import { Engine } from './engine';
import { encodeScenario, exportJson } from '../core/scenario/codec';
import type { Command, WorkerOut } from './messages';
import { Follower, sameRun } from './compare';

/**
 * The tick loop: every ~16 ms advance the simulation by (speed × elapsed wall time) and post a
 * snapshot. The page only draws the latest one.
 */
const engine = new Engine(defaultScenario());
/** the compare view's second run, on a shared clock, if one is shown */
let follower: Follower | null = null;
const post = (m: WorkerOut) => (self as unknown as { postMessage(m: WorkerOut): void }).postMessage(m);

let last = performance.now();
let dirty = true;

self.onmessage = (e: MessageEvent<Command>) => {
  if (e.data.type === 'share') {
    post({ type: 'share', token: encodeScenario(engine.scenario, engine.run.sim.now, engine.run.sim.st.step, follower ? follower.target : null) });
    return;
  }
  if (e.data.type === 'export') {
    post({ type: 'export', json: exportJson(engine.scenario, engine.run.sim.now) });
    return;
  }
  try {
    const c = e.data;
    if (c.type === 'compare') follower = c.protocol === null || sameRun(engine.scenario, c.protocol) ? null : new Follower(engine, c.protocol);
    else {
      engine.command(c);
      if (c.type === 'load') follower = null;
      follower?.command(c);
      follower?.follow(engine);
    }
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
  dirty = true;
  publish();
};

/** How long the last snapshot took to build and post, reported in the next one. */
let lastPostMs = 0;

function publish(): void {
  const t0 = performance.now();
  const snapshot = engine.snapshot();
  snapshot.postMs = lastPostMs;
  post({ type: 'snapshot', snapshot, compare: follower ? follower.engine.snapshot() : null });
  lastPostMs = performance.now() - t0;
  dirty = false;
}

function loop(): void {
  const now = performance.now();
  const dt = now - last;
  last = now;
  const busy = engine.playing || engine.runTo !== null;
  try {
    engine.frame(dt);
    if (busy) follower?.follow(engine);
  } catch (err) {
    engine.playing = false;
    post({ type: 'error', message: (err as Error).message });
  }
  if (busy || dirty) publish();
  setTimeout(loop, 16);
}
loop();
