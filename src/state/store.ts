import { useEffect } from 'react';
import { create } from 'zustand';
import type { TraceRecord } from '../core/sim/simulator';
import type { Breakpoints, LogReport, Snapshot, Story } from '../worker/messages';
import { loadStories, storiesLoaded, translate, type Locale, type MessageKey } from '../i18n/messages';
import type { Problem } from '../core/scenario/problems';

const LOG_CAP = 600;

/** An error for the banner: plain text, or a catalogue message whose `problem` is translated too. */
export type UiError = string | { key: MessageKey; vars?: Record<string, string | number>; problem?: Problem };

/** A message drawn on the space-time diagram. */
export type LogRecord = TraceRecord & { seq: number };

export interface Arrow {
  id: number;
  from: number;
  to: number;
  kind: string;
  sent: number;
  /** delivery time; null while in flight; -1 when lost */
  recv: number | null;
}

/** A server's milestone on its lane (a decision, a crash). */
export interface Mark {
  node: number;
  time: number;
  code: string;
}

const ARROW_CAP = 500;

interface UiState {
  /** the latest snapshot: the canvas and the toolbar draw every one */
  snapshot: Snapshot | null;
  /**
   * the panels' copy (inspector, event log, space-time diagram, network): refreshed a few times
   * a second while playing, at once otherwise, so that text-heavy panels never hold up a frame
   */
  slow: Snapshot | null;
  arrows: Arrow[];
  marks: Mark[];
  menu: { id: number; x: number; y: number } | null;
  /** the last share link made, shown so it can be copied by hand too */
  shareUrl: string | null;
  setShareUrl(u: string | null): void;
  /** what pauses the run: the page's choice, sent to the worker */
  breakpoints: Breakpoints;
  setBreakpoints(b: Breakpoints): void;
  dialog: 'settings' | 'help' | 'guides' | 'hunter' | 'logs' | null;
  openMenu(m: { id: number; x: number; y: number } | null): void;
  openDialog(d: 'settings' | 'help' | 'guides' | 'hunter' | 'logs' | null): void;
  /** a real ensemble's logs on the page: what was read (null while the simulator runs) */
  logReport: LogReport | null;
  /** reading log files: how far (0..1), or null */
  logProgress: number | null;
  /** lines of the logs read again from their files when a person opened an event (key `file:at`) */
  rawLines: Record<string, string>;
  /** the most recent trace records, newest last */
  /** the event log's records, each with a sequence number that keys its row */
  log: LogRecord[];
  /** the banner: the worker's own words, or a message of the catalogue (shown in the language chosen now) */
  error: UiError | null;
  selected: number | null;
  locale: Locale;
  /** the guided stories' titles and captions are in the catalogue (loadStories) */
  storiesReady: boolean;
  hintDismissed: boolean;
  /** presenter mode (a projector: large type, high contrast, a clicker's keys), and its blank screen */
  presenting: boolean;
  blanked: boolean;
  setPresenting(on: boolean): void;
  setBlanked(on: boolean): void;
  /** the answers given to the stories' questions, by question (state/story.ts): the choice's index, and whether it was right */
  answers: Record<string, { choice: number; right: boolean }>;
  setAnswer(id: string, choice: number, right: boolean): void;
  /** the run's story (its pause points, a person's own title), as the worker last said */
  story: Story | null;
  /** the story writer is open */
  writing: boolean;
  setWriting(on: boolean): void;
  /** a snapshot to draw; `earlier`: events (and a reset) of snapshots replaced before a frame drew them */
  receive(s: Snapshot, compare?: Snapshot | null, earlier?: { events: TraceRecord[]; reset: boolean }): void;
  /** the compare view's second run, drawn beside the first */
  compare: Snapshot | null;
  setError(e: UiError | null): void;
  select(id: number | null): void;
  setLocale(l: Locale): void;
  dismissHint(): void;
}

function rememberHintDismissed(): true {
  try {
    localStorage.setItem('zab-viz.hintDismissed', '1');
  } catch {
    /* private mode: not remembered */
  }
  return true;
}

function initialLocale(): Locale {
  try {
    const q = new URLSearchParams(location.search).get('lang');
    if (q === 'zh' || q === 'en') return q;
    const saved = localStorage.getItem('zab-viz.locale');
    if (saved === 'zh' || saved === 'en') return saved;
    return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  } catch {
    return 'en';
  }
}

/** Fold new trace records into the space-time diagram's arrows and marks. */
function foldArrows(arrows: Arrow[], marks: Mark[], s: Snapshot): { arrows: Arrow[]; marks: Mark[] } {
  const byId = new Map<number, Arrow>();
  const next = s.reset ? [] : arrows.slice();
  for (const a of next) byId.set(a.id, a);
  const nextMarks = s.reset ? [] : marks.slice();
  for (const r of s.events) {
    if (r.type === 'send' && r.msgId !== undefined && r.peer !== undefined) {
      const a: Arrow = { id: r.msgId, from: r.node, to: r.peer, kind: r.kind ?? '', sent: r.time, recv: null };
      byId.set(a.id, a);
      next.push(a);
    } else if ((r.type === 'deliver' || r.type === 'lost') && r.msgId !== undefined) {
      const a = byId.get(r.msgId);
      if (a) a.recv = r.type === 'deliver' ? r.time : -1;
    } else if (r.type === 'crash' || r.type === 'restart' || (r.type === 'note' && /^(decides|goesLooking|established|zklog\.(start|gone|established))/.test(r.code))) {
      nextMarks.push({ node: r.node, time: r.time, code: r.code });
    }
  }
  return { arrows: next.length > ARROW_CAP ? next.slice(-ARROW_CAP) : next, marks: nextMarks.slice(-300) };
}

/**
 * How often the panels follow a playing run. Their refresh is split in two halves a tick apart
 * (the server panels; then the event log and the space-time diagram), so that no one frame
 * carries all of it.
 */
const SLOW_MS = 200;
let half: 'panels' | 'history' = 'panels';
let pending: LogRecord[] = [];
/** numbers the records as they arrive: a row keeps its key (and its DOM) while newer ones come in */
let nextSeq = 0;
let pendingReset = false;
let flushTimer: ReturnType<typeof setTimeout> | null = null;

export const useUi = create<UiState>((set, get) => ({
  snapshot: null,
  compare: null,
  slow: null,
  arrows: [],
  marks: [],
  menu: null,
  shareUrl: null,
  setShareUrl: (shareUrl) => set({ shareUrl }),
  dialog: null,
  breakpoints: { leaderChange: false, newEpoch: false, violation: true },
  setBreakpoints: (breakpoints) => set({ breakpoints }),
  openMenu: (menu) => set({ menu }),
  openDialog: (dialog) => set({ dialog }),
  log: [],
  logReport: null,
  logProgress: null,
  rawLines: {},
  error: null,
  selected: null,
  locale: initialLocale(),
  storiesReady: storiesLoaded(),
  presenting: new URLSearchParams(typeof location === 'undefined' ? '' : location.search).get('present') === '1',
  blanked: false,
  setPresenting: (on) => set({ presenting: on, blanked: false }),
  setBlanked: (on) => set({ blanked: on }),
  answers: {},
  setAnswer: (id, choice, right) => set((s) => ({ answers: { ...s.answers, [id]: { choice, right } } })),
  story: null,
  writing: false,
  setWriting: (writing) => set({ writing }),
  hintDismissed: (() => {
    try {
      return localStorage.getItem('zab-viz.hintDismissed') === '1';
    } catch {
      return false;
    }
  })(),
  receive: (s, compare = null, earlier = { events: [], reset: false }) => {
    if (compare !== get().compare) set({ compare });
    // the events of snapshots replaced before a frame drew them come first, unless this one starts over
    if (s.reset || earlier.reset) {
      pending = [];
      pendingReset = true;
    }
    for (const e of s.reset ? s.events : earlier.events.concat(s.events)) pending.push({ ...e, seq: nextSeq++ });
    if (pending.length > 4 * LOG_CAP) pending = pending.slice(-2 * LOG_CAP);
    const st = get();
    // back to the simulator: the logs' report goes
    if (!s.source && st.logReport) set({ logReport: null });
    // the hint has done its job once the person presses Play
    set(s.playing && !st.hintDismissed ? { snapshot: s, hintDismissed: rememberHintDismissed() } : { snapshot: s });
    const flushHistory = () => {
      const cur = get();
      const batch = { ...cur.snapshot!, events: pending, reset: pendingReset };
      pending = [];
      pendingReset = false;
      const folded = foldArrows(cur.arrows, cur.marks, batch);
      const log = batch.reset ? batch.events.slice(-LOG_CAP) : batch.events.length ? cur.log.concat(batch.events).slice(-LOG_CAP) : cur.log;
      set({ log, ...folded });
    };
    const flushPanels = () => set({ slow: get().snapshot });
    if (!s.playing || s.reset || earlier.reset) {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      flushHistory();
      flushPanels();
    } else if (!flushTimer)
      flushTimer = setTimeout(() => {
        flushTimer = null;
        if (half === 'panels') flushPanels();
        else flushHistory();
        half = half === 'panels' ? 'history' : 'panels';
      }, SLOW_MS / 2);
  },
  setError: (error) => set({ error }),
  select: (selected) => set({ selected }),
  setLocale: (locale) => {
    try {
      localStorage.setItem('zab-viz.locale', locale);
    } catch {
      /* private mode: not remembered */
    }
    set({ locale });
  },
  dismissHint: () => set({ hintDismissed: rememberHintDismissed() }),
}));

/** Whether the page shows a real ensemble live (lab mode): its faults are real, its past is not replayed. */
export function useLab(): boolean {
  return useUi((s) => s.snapshot?.source?.kind === 'lab');
}

/**
 * Whether the page shows something real that nothing can be done to: a real ensemble's logs, or
 * an ensemble lab mode watches (attach) rather than runs.
 */
export function useLogs(): boolean {
  return useUi((s) => s.snapshot?.source?.kind === 'logs' || (s.snapshot?.source?.kind === 'lab' && s.snapshot.source.mode === 'attach'));
}

/** The translator for the current locale. */
export function useT(): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const locale = useUi((s) => s.locale);
  return (key, vars) => translate(locale, key, vars);
}

/**
 * The guided stories' words, for a component that shows them when `needed`: it renders again
 * once they are in. They are fetched then, or a moment after the page starts (fetchStories).
 */
export function useStories(needed: boolean): boolean {
  const ready = useUi((s) => s.storiesReady);
  useEffect(() => {
    if (needed && !ready) void fetchStories();
  }, [needed, ready]);
  return ready;
}

/** Fetch the guided stories into the catalogue; a failure is reported, and the next call tries again. */
export function fetchStories(): Promise<void> {
  return loadStories().then(
    () => useUi.setState({ storiesReady: true }),
    (e: unknown) => useUi.getState().setError(`${translate(useUi.getState().locale, 'storiesFailed')} (${String(e)})`),
  );
}
