import { useEffect, useState } from 'react';
import { useT, useUi } from '../state/store';

/** The link to this run at this moment: opening it replays exactly what is on the screen. */
export function ShareBar() {
  const t = useT();
  const url = useUi((s) => s.shareUrl);
  const close = useUi((s) => s.setShareUrl);
  const [copied, setCopied] = useState(false);
  useEffect(() => setCopied(false), [url]);
  if (!url) return null;
  const code = embedCode(url);
  return (
    <div className="share-bar" role="status">
      <span>{t('shareCopied')}</span>
      <input readOnly value={url} data-testid="share-url" onFocus={(e) => e.target.select()} aria-label={t('share')} />
      <button
        data-testid="copy-embed"
        title={t('embed.copyTitle')}
        onClick={() => {
          navigator.clipboard?.writeText(code).catch(() => undefined);
          setCopied(true);
        }}
      >
        {copied ? t('embed.copied') : t('embed.copy')}
      </button>
      {copied && <input readOnly value={code} data-testid="embed-code" onFocus={(e) => e.target.select()} aria-label={t('embed.code')} />}
      <button onClick={() => close(null)} aria-label={t('close')}>
        ×
      </button>
    </div>
  );
}

/** The HTML that puts this run, at this moment, in another page: an iframe of the embed page. */
export function embedCode(shareUrl: string): string {
  const i = shareUrl.indexOf('#');
  const src = `${shareUrl.slice(0, i)}?embed=1${shareUrl.slice(i)}`;
  return `<iframe src="${src.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" width="760" height="520" style="border:1px solid #ccc;border-radius:6px" title="zab-viz" loading="lazy"></iframe>`;
}
