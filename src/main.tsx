import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { CrashBoundary } from './ui/CrashBoundary';
import { scenarioFromQuery } from './core/scenario/query';
import { presetById, presetScenario } from './core/scenario/presets';
import type { ProtocolName } from './core/scenario/kits';
import { defaultScenario, type Scenario } from './core/scenario/scenario';
import { send, startWorker } from './state/worker';
import { useUi } from './state/store';
import './ui/styles.css';

startWorker();
// a shared link (#s=v2.…) wins over query parameters; a broken one falls back to the default.
// The link decoder (and its schema library) loads only for a link: a plain visit does not pay for it.
async function initialScenario(): Promise<{ scenario: Scenario; runTo: number | null; runToStep?: number | null; compare?: ProtocolName; error: string | null }> {
  // a guided scenario by name: #g=first-election
  const g = /^#g=([a-z0-9-]{1,40})$/.exec(location.hash);
  if (g) {
    const p = presetById(g[1]!);
    if (p) useUi.getState().dismissHint();
    return p ? { scenario: presetScenario(p), runTo: null, error: null } : { scenario: defaultScenario(), runTo: null, error: `there is no guided scenario "${g[1]}"` };
  }
  if (/[#&]s=/.test(location.hash)) {
    const { decodeScenario } = await import('./core/scenario/decode');
    const d = decodeScenario(location.hash);
    return d.ok ? { scenario: d.scenario, runTo: d.time, runToStep: d.step, ...(d.compare ? { compare: d.compare } : {}), error: null } : { scenario: defaultScenario(), runTo: null, error: d.error };
  }
  return scenarioFromQuery(location.search);
}
void initialScenario().then(({ scenario, runTo, runToStep, compare, error }) => {
  if (error) useUi.getState().setError(error);
  send({ type: 'load', scenario, runTo: runTo ?? undefined, runToStep: runToStep ?? undefined });
  // the compare view it was shared with: a second run that follows the first to its moment
  if (compare) send({ type: 'compare', protocol: compare });
}, (e: unknown) => useUi.getState().setError(String(e)));

// for benchmarks and debugging: the latest snapshot, read-only
(window as unknown as { zabviz: { snapshot(): unknown; compare(): unknown } }).zabviz = { snapshot: () => useUi.getState().snapshot, compare: () => useUi.getState().compare };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CrashBoundary>
      <App />
    </CrashBoundary>
  </StrictMode>,
);
