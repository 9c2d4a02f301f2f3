import { create } from 'zustand';
import type { TraceRecord } from '../core/sim/simulator';
import type { Snapshot } from '../worker/messages';
import { translate, type Locale, type MessageKey } from '../i18n/messages';

const LOG_CAP = 600;

interface UiState {
  snapshot: Snapshot | null;
  /** the most recent trace records, newest last */
  log: TraceRecord[];
  error: string | null;
  selected: number | null;
  locale: Locale;
  hintDismissed: boolean;
  receive(s: Snapshot): void;
  setError(e: string | null): void;
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

export const useUi = create<UiState>((set) => ({
  snapshot: null,
  log: [],
  error: null,
  selected: null,
  locale: initialLocale(),
  hintDismissed: (() => {
    try {
      return localStorage.getItem('zab-viz.hintDismissed') === '1';
    } catch {
      return false;
    }
  })(),
  receive: (s) =>
    set((st) => {
      if (s.reset) return { snapshot: s, log: s.events.slice(-LOG_CAP) }; // a new run, or a jump in time
      const log = s.events.length ? st.log.concat(s.events).slice(-LOG_CAP) : st.log;
      // the hint has done its job once the person presses Play
      if (s.playing && !st.hintDismissed) return { snapshot: s, log, hintDismissed: rememberHintDismissed() };
      return { snapshot: s, log };
    }),
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

/** The translator for the current locale. */
export function useT(): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const locale = useUi((s) => s.locale);
  return (key, vars) => translate(locale, key, vars);
}
