import { useEffect } from 'react';
import { fetchStories, useT, useUi } from '../state/store';
import { openFullPage } from '../state/worker';
import { PlayControls } from './Toolbar';
import { ClusterCanvas } from './canvas/ClusterCanvas';
import { Caption } from './Caption';
import { useKeyboard } from './useKeyboard';
import { formatTime } from './format';

/**
 * The page made for an iframe (`?embed=1#g=split-brain`, or `?embed=1#s=…`): the canvas, play,
 * back and step, the caption, and a link to the full page at the same moment; nothing else. It
 * takes no focus of its own: the host page keeps the keyboard until a person clicks into the
 * frame, and then the page's keys work in it.
 */
export function Embed() {
  const t = useT();
  const locale = useUi((s) => s.locale);
  const time = useUi((s) => s.snapshot?.time ?? 0);
  // a museum story is two releases side by side
  const compare = useUi((s) => s.compare !== null);
  useKeyboard({ dialogs: false });
  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
  }, [locale]);
  useEffect(() => {
    (window as unknown as { zabvizStarted: boolean }).zabvizStarted = true;
    void fetchStories();
  }, []);
  return (
    <main className="embed" data-testid="embed">
      <h1 className="visually-hidden">{t('title')}</h1>
      <div className="embed-bar" role="toolbar" aria-label={t('controls')}>
        <PlayControls />
        <span className="stat">
          <b data-testid="sim-time">{formatTime(time)}</b>
        </span>
        <span className="spacer" />
        <a
          href={location.pathname}
          target="_blank"
          rel="noopener"
          data-testid="open-full"
          title={t('embed.openTitle')}
          onClick={(e) => {
            e.preventDefault();
            openFullPage();
          }}
        >
          {t('embed.open')} ↗
        </a>
      </div>
      <Caption />
      <div className="canvases embed-canvas" data-compare={compare ? '1' : '0'}>
        <ClusterCanvas />
        {compare && <ClusterCanvas which="compare" />}
      </div>
    </main>
  );
}
