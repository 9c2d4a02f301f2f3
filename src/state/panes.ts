import { create } from 'zustand';

/** Sizes a person gave the page's panes by dragging (or arrow keys on) their splitters. */
export interface Panes {
  /** the side panel's width, px */
  side: number;
  /** the space-time diagram's height, px */
  spacetime: number;
  set(name: 'side' | 'spacetime', px: number): void;
}

const KEY = 'zab-viz.panes';

function saved(): { side: number; spacetime: number } {
  const fallback = { side: 380, spacetime: 150 };
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as unknown;
    if (v && typeof v === 'object') {
      const { side, spacetime } = v as Record<string, unknown>;
      return {
        side: typeof side === 'number' && Number.isFinite(side) ? side : fallback.side,
        spacetime: typeof spacetime === 'number' && Number.isFinite(spacetime) ? spacetime : fallback.spacetime,
      };
    }
  } catch {
    /* private mode or a bad value: the defaults */
  }
  return fallback;
}

export const PANE_LIMITS = { side: { min: 260, max: 720 }, spacetime: { min: 80, max: 520 } } as const;

export const usePanes = create<Panes>((set, get) => ({
  ...saved(),
  set(name, px) {
    const lim = PANE_LIMITS[name];
    const v = Math.round(Math.min(lim.max, Math.max(lim.min, px)));
    set({ [name]: v } as Pick<Panes, typeof name>);
    try {
      localStorage.setItem(KEY, JSON.stringify({ side: get().side, spacetime: get().spacetime }));
    } catch {
      /* not remembered */
    }
  },
}));
