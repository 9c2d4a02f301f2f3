import { useT, useUi } from '../state/store';

/** The link to this run at this moment: opening it replays exactly what is on the screen. */
export function ShareBar() {
  const t = useT();
  const url = useUi((s) => s.shareUrl);
  const close = useUi((s) => s.setShareUrl);
  if (!url) return null;
  return (
    <div className="share-bar" role="status">
      <span>{t('shareCopied')}</span>
      <input readOnly value={url} data-testid="share-url" onFocus={(e) => e.target.select()} aria-label={t('share')} />
      <button onClick={() => close(null)} aria-label={t('close')}>
        ×
      </button>
    </div>
  );
}
