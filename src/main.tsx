import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { Embed } from './ui/Embed';
import { CrashBoundary } from './ui/CrashBoundary';
import { scenarioFromQuery } from './core/scenario/query';
import { presetById, presetScenario } from './core/scenario/presets';
import type { CompareTarget } from './core/scenario/scenario';
import { defaultScenario, type Scenario } from './core/scenario/scenario';
import { send, startWorker } from './state/worker';
import { useUi, type UiError } from './state/store';
import { PAGE_LIMITS } from './core/scenario/query';
import type { Problem } from './core/scenario/problems';
import './ui/styles.css';

startWorker();
// a shared link (#s=v2.…) wins over query parameters; a broken one falls back to the default.
// The link decoder (and its schema library) loads only for a link: a plain visit does not pay for it.
async function initialScenario(): Promise<{ scenario: Scenario; runTo: number | null; runToStep?: number | null; compare?: CompareTarget; problem: Problem | null }> {
  // a guided scenario by name: #g=first-election
  const g = /^#g=([a-z0-9-]{1,40})$/.exec(location.hash);
  if (g) {
    const p = presetById(g[1]!);
    if (p) useUi.getState().dismissHint();
    return p ? { scenario: presetScenario(p), runTo: null, ...(p.compare ? { compare: p.compare } : {}), problem: null } : { scenario: defaultScenario(), runTo: null, problem: { code: 'problem.noGuide', args: { name: g[1]! } } };
  }
  if (/[#&]s=/.test(location.hash)) {
    const { decodeScenario } = await import('./core/scenario/decode');
    // the same limits as the Cluster dialog and a file
    const d = decodeScenario(location.hash, PAGE_LIMITS);
    return d.ok ? { scenario: d.scenario, runTo: d.time, runToStep: d.step, ...(d.compare ? { compare: d.compare } : {}), problem: null } : { scenario: defaultScenario(), runTo: null, problem: d.problem };
  }
  return scenarioFromQuery(location.search);
}
void initialScenario().then(({ scenario, runTo, runToStep, compare, problem }) => {
  send({ type: 'load', scenario, runTo: runTo ?? undefined, runToStep: runToStep ?? undefined });
  // after the load: loading clears the banner, and this one is about the link it replaces
  if (problem) useUi.getState().setError({ key: 'linkProblem', problem } satisfies UiError);
  // the compare view it was shared with: a second run that follows the first to its moment
  if (compare) send({ type: 'compare', protocol: compare });
  // lab mode: `npm run lab` served this page with its run's token (in the fragment: never sent)
  const lab = /^#lab=([A-Za-z0-9_-]{16,64})$/.exec(location.hash);
  if (lab) send({ type: 'lab', token: lab[1]! });
}, (e: unknown) => useUi.getState().setError(String(e)));

// for benchmarks and debugging: the latest snapshot, read-only
(window as unknown as { zabviz: { snapshot(): unknown; compare(): unknown; logs(): unknown } }).zabviz = { snapshot: () => useUi.getState().snapshot, compare: () => useUi.getState().compare, logs: () => useUi.getState().logReport };

// ?embed=1: the page made for an iframe (the canvas, its controls and the caption)
const embed = new URLSearchParams(location.search).get('embed') === '1';
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CrashBoundary>{embed ? <Embed /> : <App />}</CrashBoundary>
  </StrictMode>,
);
