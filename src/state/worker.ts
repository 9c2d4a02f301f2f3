import type { Command, Snapshot, WorkerOut } from '../worker/messages';
import type { TraceRecord } from '../core/sim/simulator';
import { useUi } from './store';
import type { MessageKey } from '../i18n/messages';

let worker: Worker | null = null;

/**
 * Snapshots come on the worker's clock; the page draws on the display's. The latest waits for
 * the next animation frame and the ones it replaced are dropped (their new events kept), so a
 * frame draws at most once, however the two clocks drift.
 */
let latest: { snapshot: Snapshot; compare: Snapshot | null } | null = null;
/** the events of the snapshots replaced before they were drawn, for the event log */
let skipped: { events: TraceRecord[]; reset: boolean } = { events: [], reset: false };

function deliverOnNextFrame(m: { snapshot: Snapshot; compare: Snapshot | null }): void {
  if (latest) {
    // a hidden tab gets no frames: what is kept is bounded
    skipped = m.snapshot.reset ? { events: [], reset: false } : { events: skipped.events.concat(latest.snapshot.events).slice(-5000), reset: skipped.reset || latest.snapshot.reset };
  }
  const first = latest === null;
  latest = m;
  if (!first) return;
  requestAnimationFrame(() => {
    const l = latest!;
    const earlier = skipped;
    latest = null;
    skipped = { events: [], reset: false };
    useUi.getState().receive(l.snapshot, l.compare, earlier);
  });
}

/** Start the simulation worker and pipe its snapshots into the store. */
/** Offer a file to save, made in the page (nothing is uploaded). */
function save(name: string, text: string, type: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The window opened for the full page, waiting for this moment's link (an embed's "open in zab-viz"). */
let opening: Window | null = null;

/**
 * Open the full page at this run's moment, from a click: the window opens at once (a browser
 * lets a click open one), and goes to the link when the worker has made it.
 */
export function openFullPage(): void {
  opening = window.open('about:blank', '_blank');
  // the full page gets no handle on the frame that opened it
  if (opening) opening.opener = null;
  send({ type: 'share', open: true });
}

function openAt(url: string): void {
  if (opening && !opening.closed) opening.location.href = url;
  else window.open(url, '_blank');
  opening = null;
}

export function startWorker(): void {
  if (worker) return;
  worker = new Worker(new URL('../worker/sim.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<WorkerOut>) => {
    const m = e.data;
    if (m.type === 'snapshot') deliverOnNextFrame(m);
    else if (m.type === 'share') {
      const url = `${location.origin}${location.pathname}#s=${m.token}`;
      if (m.open) return openAt(url);
      useUi.getState().setShareUrl(url);
      navigator.clipboard?.writeText(url).catch(() => undefined);
    } else if (m.type === 'export') save('zab-viz-scenario.json', m.json, 'application/json');
    else if (m.type === 'story') useUi.setState({ story: m.story });
    else if (m.type === 'download') save(m.name, m.text, 'text/plain');
    else if (m.type === 'rawLine') {
      useUi.setState((s) => ({ rawLines: { ...s.rawLines, [m.key]: m.text } }));
    } else if (m.type === 'logs') {
      if (m.error) useUi.setState({ logProgress: null, error: { key: m.error as MessageKey } });
      // a new load read: what an earlier one failed with is over
      else if (m.report) useUi.setState(m.again ? { logReport: m.report } : { logReport: m.report, logProgress: null, selected: null, rawLines: {}, error: null });
      else useUi.setState({ logProgress: m.progress ?? null });
    } else useUi.getState().setError({ key: 'workerError', vars: { message: m.message } });
  };
  worker.onerror = (e) => useUi.getState().setError({ key: 'workerError', vars: { message: e.message || 'worker failed' } });
  // the inspected server's view comes with every detail; the others' stay small
  useUi.subscribe((s, prev) => {
    if (s.selected !== prev.selected) send({ type: 'focus', id: s.selected });
  });
}

/** What a person does to the run: once it is sent, an error shown before is out of date. */
const ACTS: ReadonlySet<Command['type']> = new Set(['load', 'play', 'step', 'back', 'seek', 'action', 'compare']);

/** What cannot be done to a real ensemble's past. */
const CHANGES: ReadonlySet<Command['type']> = new Set(['action', 'share', 'export', 'compare', 'setStory']);

export function send(c: Command): void {
  if (!worker) return;
  const source = useUi.getState().snapshot?.source;
  if (source?.kind === 'logs' && CHANGES.has(c.type)) {
    useUi.getState().setError({ key: 'logsReadOnly' });
    return;
  }
  // lab mode: actions reach the real servers (the worker says which it cannot do) and the session
  // is shared as the scenario it was; the compare view holds the model beside them
  if (source?.kind === 'lab' && c.type === 'compare') {
    useUi.getState().setError({ key: 'labCannot' });
    return;
  }
  // a command the worker cannot carry out answers with an error of its own, which shows next
  if (ACTS.has(c.type) && useUi.getState().error !== null) useUi.getState().setError(null);
  worker.postMessage(c);
}
