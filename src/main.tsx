import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { scenarioFromQuery } from './core/scenario/query';
import { send, startWorker } from './state/worker';
import { useUi } from './state/store';
import './ui/styles.css';

startWorker();
const { scenario, runTo, error } = scenarioFromQuery(location.search);
if (error) useUi.getState().setError(error);
send({ type: 'load', scenario, runTo: runTo ?? undefined });

// for benchmarks and debugging: the latest snapshot, read-only
(window as unknown as { zabviz: { snapshot(): unknown } }).zabviz = { snapshot: () => useUi.getState().snapshot };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
