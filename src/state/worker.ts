import type { Command, Snapshot, WorkerOut } from '../worker/messages';
import { useUi } from './store';

let worker: Worker | null = null;

/**
 * Snapshots come on the worker's clock; the page draws on the display's. The latest waits for
 * the next animation frame and the ones it replaced are dropped (their new events kept), so a
 * frame draws at most once, however the two clocks drift.
 */
let latest: { snapshot: Snapshot; compare: Snapshot | null } | null = null;

function deliverOnNextFrame(m: { snapshot: Snapshot; compare: Snapshot | null }): void {
  if (latest && !m.snapshot.reset) {
    // keep the skipped snapshots' events for the event log (a hidden tab gets no frames: bounded)
    m.snapshot.events = latest.snapshot.events.concat(m.snapshot.events).slice(-5000);
    m.snapshot.reset = latest.snapshot.reset;
  }
  const first = latest === null;
  latest = m;
  if (!first) return;
  requestAnimationFrame(() => {
    const l = latest!;
    latest = null;
    useUi.getState().receive(l.snapshot, l.compare);
  });
}

/** Start the simulation worker and pipe its snapshots into the store. */
export function startWorker(): void {
  if (worker) return;
  worker = new Worker(new URL('../worker/sim.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<WorkerOut>) => {
    const m = e.data;
    if (m.type === 'snapshot') deliverOnNextFrame(m);
    else if (m.type === 'share') {
      const url = `${location.origin}${location.pathname}#s=${m.token}`;
      useUi.getState().setShareUrl(url);
      navigator.clipboard?.writeText(url).catch(() => undefined);
    } else if (m.type === 'export') {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([m.json], { type: 'application/json' }));
      a.download = 'zab-viz-scenario.json';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } else useUi.getState().setError(m.message);
  };
  worker.onerror = (e) => useUi.getState().setError(e.message || 'worker failed');
  // the inspected server's view comes with every detail; the others' stay small
  useUi.subscribe((s, prev) => {
    if (s.selected !== prev.selected) send({ type: 'focus', id: s.selected });
  });
}

export function send(c: Command): void {
  worker?.postMessage(c);
}
