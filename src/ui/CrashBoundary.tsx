import { Component, type ReactNode } from 'react';
import { translate } from '../i18n/messages';
import { useUi } from '../state/store';

/**
 * A drawing error after start-up leaves a message in words and a way out, never a white page.
 * (Before start-up, public/startup-guard.js does the same for what fails while loading.)
 */
export class CrashBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const locale = useUi.getState().locale;
    return (
      <div className="startup-failure" role="alert" data-testid="crash">
        <h1>{translate(locale, 'crash.title')}</h1>
        <pre>{String(error.stack ?? error.message).slice(0, 2000)}</pre>
        <p>{translate(locale, 'crash.todo')}</p>
        <button type="button" onClick={() => location.reload()}>
          {translate(locale, 'startup.reload')}
        </button>
      </div>
    );
  }
}
