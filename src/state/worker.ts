import type { Command, WorkerOut } from '../worker/messages';
import { useUi } from './store';

let worker: Worker | null = null;

/** Start the simulation worker and pipe its snapshots into the store. */
export function startWorker(): void {
  if (worker) return;
  worker = new Worker(new URL('../worker/sim.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<WorkerOut>) => {
    const m = e.data;
    if (m.type === 'snapshot') useUi.getState().receive(m.snapshot, m.compare);
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
