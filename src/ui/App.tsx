import { useEffect, useState } from 'react';
import { fetchStories, useT, useUi } from '../state/store';
import { ClusterCanvas } from './canvas/ClusterCanvas';
import { EventLog } from './EventLog';
import { Hint } from './Hint';
import { Inspector } from './Inspector';
import { Toolbar } from './Toolbar';
import { ShareBar } from './ShareBar';
import { Timeline } from './Timeline';
import { SpaceTime } from './SpaceTime';
import { NetworkPanel } from './NetworkPanel';
import { ClientsPanel } from './ClientsPanel';
import { GuidesDialog, HelpDialog, ServerMenu, SettingsDialog } from './Dialogs';
import { BugHunter } from './BugHunter';
import { LogBanner, LogsDialog, useLogDrop } from './Logs';
import { LabBanner } from './Lab';
import { Caption } from './Caption';
import { StoryWriter } from './StoryWriter';
import { useKeyboard } from './useKeyboard';
import { Splitter } from './Splitter';
import { ScrollCue } from './ScrollCue';
import { PANE_LIMITS, usePanes } from '../state/panes';
import { describeError } from './describe';
import { announcements, type Announcement } from './announce';

export function App() {
  const t = useT();
  const locale = useUi((s) => s.locale);
  const setLocale = useUi((s) => s.setLocale);
  const error = useUi((s) => s.error);
  const setError = useUi((s) => s.setError);
  const openDialog = useUi((s) => s.openDialog);
  const compare = useUi((s) => s.compare !== null);
  // a dialog is modal: the page behind it is inert (no focus, no reading)
  const modal = useUi((s) => s.dialog !== null);
  useKeyboard();
  const dropping = useLogDrop();
  const protocol = useUi((s) => s.snapshot?.protocol ?? 'zab');
  const sideWidth = usePanes((s) => s.side);
  const presenting = useUi((s) => s.presenting);
  const blanked = useUi((s) => s.blanked);
  const setPane = usePanes((s) => s.set);
  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
  }, [locale]);
  useEffect(() => {
    // the page is up: from now on errors are the app's to show (public/startup-guard.js stands down)
    (window as unknown as { zabvizStarted: boolean }).zabvizStarted = true;
  }, []);
  useEffect(() => {
    // the guided stories are not needed to start: fetch them once the page has drawn
    const id = setTimeout(() => void fetchStories(), 500);
    return () => clearTimeout(id);
  }, []);
  return (
    <>
      <div className={presenting ? 'app presenting' : 'app'} data-testid="app" inert={modal}>
        <header className="app-header">
          <h1>{t('title')}</h1>
          <span className="subtitle">{t(protocol === '2pc' ? 'subtitle.2pc' : protocol === 'paxos' ? 'subtitle.paxos' : 'subtitle')}</span>
          <button className="guides-button" data-testid="open-guides" title={t('guidesTitle')} onClick={() => openDialog('guides')}>
            ☰ {t('guides')}
          </button>
          <button className="guides-button" data-testid="open-hunter" title={t('hunterTitle')} onClick={() => openDialog('hunter')}>
            ⚠ {t('hunter')}
          </button>
          <button className="guides-button" data-testid="open-logs" title={t('openLogsTitle')} onClick={() => openDialog('logs')}>
            ▤ {t('openLogs')}
          </button>
          <button className="lang" lang={locale === 'en' ? 'zh-CN' : 'en'} title={t('languageTitle')} onClick={() => setLocale(locale === 'en' ? 'zh' : 'en')}>
            {t('language')}
          </button>
        </header>
        <section className="controls" aria-label={t('controls')}>
          {error && (
            <div className="error" role="alert" data-testid="error">
              {describeError(locale, error)}
              <button onClick={() => setError(null)} aria-label={t('dismiss')}>
                ×
              </button>
            </div>
          )}
          <Toolbar />
          <ShareBar />
          <Timeline />
        </section>
        <main className="app-main">
          <Announcer />
          <section className="canvas-wrap">
            <LogBanner />
            <LabBanner />
            <Caption />
            <StoryWriter />
            <Hint />
            <div className="canvases" data-compare={compare ? '1' : '0'}>
              <ClusterCanvas />
              {compare && <ClusterCanvas which="compare" />}
            </div>
            <SpaceTime />
          </section>
          <Splitter orientation="vertical" value={sideWidth} min={PANE_LIMITS.side.min} max={PANE_LIMITS.side.max} grow={-1} label={t('resizeSide')} testid="resize-side" onChange={(px) => setPane('side', px)} />
          <aside className="side" style={{ '--side-width': `${sideWidth}px` } as React.CSSProperties}>
            <ScrollCue className="inspector-wrap" more={t('moreBelow')}>
              <Inspector />
            </ScrollCue>
            <NetworkPanel />
            <ClientsPanel />
            <EventLog />
          </aside>
          {/* a menu is no dialog: it stays in the page (and its landmarks), and keeps focus while open */}
          <ServerMenu />
        </main>
      </div>
      <SettingsDialog />
      <HelpDialog />
      <GuidesDialog />
      <BugHunter />
      <LogsDialog />
      {presenting && blanked && <div className="blank-screen" data-testid="blank-screen" aria-label={t('present.blank')} role="img" />}
      {dropping && (
        <div className="drop-overlay" aria-hidden="true">
          {t('dropHere')}
        </div>
      )}
    </>
  );
}

/**
 * A polite live region: what matters in the run (a leader elected, a new epoch, a server down or
 * back, a violation), derived from successive snapshots and said in the chosen language.
 */
function Announcer() {
  const t = useT();
  const [said, setSaid] = useState<Announcement[]>([]);
  useEffect(
    () =>
      useUi.subscribe((s, p) => {
        if (!s.snapshot || s.snapshot === p.snapshot) return;
        const news = announcements(p.snapshot, s.snapshot);
        if (news.length) setSaid(news);
      }),
    [],
  );
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {said.map((a) => t(a.key, a.vars)).join('. ')}
    </div>
  );
}
