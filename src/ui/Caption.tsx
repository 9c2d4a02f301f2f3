import { useShallow } from 'zustand/react/shallow';
import { send } from '../state/worker';
import { useStories, useT, useUi } from '../state/store';
import { isMessageKey } from '../i18n/messages';

/** The caption of the pause point reached, with a button to play on to the next one. */
export function Caption() {
  const t = useT();
  const c = useUi(useShallow((s) => ({ caption: s.snapshot?.caption ?? null, guide: s.snapshot?.guide ?? null, playing: s.snapshot?.playing ?? false })));
  const stories = useStories(c.guide !== null);
  if (!c.caption || (c.guide && !stories)) return null; // a story's words arrive a moment after the page
  const { caption } = c;
  const titleKey = `guide.${c.guide}.title`;
  // a preset's caption comes from the catalogue; a person's own is plain text (never HTML)
  const body = caption.key && isMessageKey(caption.key) ? t(caption.key) : (caption.text ?? '');
  return (
    <div className="caption" role="status" data-testid="caption" data-n={caption.n} data-last={caption.last ? '1' : '0'}>
      <div className="caption-head">
        {c.guide && isMessageKey(titleKey) && <b>{t(titleKey)}</b>}
        <span className="muted small">{t('guideOf', { n: caption.n + 1, total: caption.total })}</span>
      </div>
      <p data-testid="caption-text">{body}</p>
      {caption.last ? (
        <p className="small muted">{t('guideDone')}</p>
      ) : (
        <button className="primary" data-testid="caption-next" disabled={c.playing} onClick={() => next(caption.at, caption.next)}>
          {t('guideNext')}
        </button>
      )}
    </div>
  );
}

/** Play on to the next pause point (Continue; a clicker's PageDown); false if there is none. */
export function playToNextCaption(): boolean {
  const c = useUi.getState().snapshot?.caption;
  if (!c || c.last) return false;
  next(c.at, c.next);
  return true;
}

/**
 * Back to a pause point (a clicker's PageUp): to this caption's own moment if the run has moved on
 * from it, else to the one before; false if there is none.
 */
export function backToCaption(): boolean {
  const s = useUi.getState().snapshot;
  const c = s?.caption;
  if (!s || !c) return false;
  const to = s.time > c.at ? c.at : c.prev;
  if (to === null) return false;
  send({ type: 'seek', time: to });
  return true;
}

/** Play on to the next pause point at a pace that shows it in about four seconds. */
function next(at: number, nextAt: number | null): void {
  const now = useUi.getState().snapshot?.time ?? at;
  if (nextAt !== null) send({ type: 'speed', value: Math.min(20_000, Math.max(15, (nextAt - now) / 4)) });
  send({ type: 'play' });
}
