import { useEffect } from 'react';
import { useT, useUi } from '../state/store';
import { ClusterCanvas } from './canvas/ClusterCanvas';
import { EventLog } from './EventLog';
import { Hint } from './Hint';
import { Inspector } from './Inspector';
import { Toolbar } from './Toolbar';
import { ShareBar } from './ShareBar';
import { Timeline } from './Timeline';
import { SpaceTime } from './SpaceTime';
import { NetworkPanel } from './NetworkPanel';
import { HelpDialog, ServerMenu, SettingsDialog } from './Dialogs';
import { useKeyboard } from './useKeyboard';

export function App() {
  const t = useT();
  const locale = useUi((s) => s.locale);
  const setLocale = useUi((s) => s.setLocale);
  const error = useUi((s) => s.error);
  const setError = useUi((s) => s.setError);
  useKeyboard();
  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
  }, [locale]);
  return (
    <div className="app">
      <header className="app-header">
        <h1>{t('title')}</h1>
        <span className="subtitle">{t('subtitle')}</span>
        <button className="lang" title={t('languageTitle')} onClick={() => setLocale(locale === 'en' ? 'zh' : 'en')}>
          {t('language')}
        </button>
      </header>
      {error && (
        <div className="error" role="alert" data-testid="error">
          {error}
          <button onClick={() => setError(null)} aria-label={t('dismiss')}>
            ×
          </button>
        </div>
      )}
      <Toolbar />
      <ShareBar />
      <Timeline />
      <main className="app-main">
        <section className="canvas-wrap">
          <Hint />
          <ClusterCanvas />
          <SpaceTime />
        </section>
        <aside className="side">
          <Inspector />
          <NetworkPanel />
          <EventLog />
        </aside>
      </main>
      <SettingsDialog />
      <HelpDialog />
      <ServerMenu />
    </div>
  );
}
