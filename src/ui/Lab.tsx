import { useT, useUi } from '../state/store';
import { send } from '../state/worker';
import { defaultScenario } from '../state/protocols';

/**
 * Lab mode's banner (issue 21): these are real ZooKeeper servers on this machine (or an ensemble
 * watched from here), which release they run, what the bridge could not do, and the way back.
 */
export function LabBanner() {
  const t = useT();
  const source = useUi((s) => (s.snapshot?.source?.kind === 'lab' ? s.snapshot.source : null));
  const actions = useUi((s) => (s.snapshot?.source?.kind === 'lab' ? s.snapshot.actions : 0));
  if (!source) return null;
  return (
    <div className="log-banner lab-banner" role="region" aria-label={t('labTitle')} data-testid="lab-banner">
      <p>
        <b>{t(source.mode === 'run' ? 'labRun' : 'labAttach', { release: source.release })}</b> {t('labFaults', { n: actions })}
      </p>
      {source.problem !== null && (
        <p role="alert" data-testid="lab-problem">
          {t('labProblem', { problem: source.problem })}
        </p>
      )}
      <p>
        <button
          data-testid="lab-back"
          onClick={() => {
            // the real servers keep running until `npm run lab` is stopped; the page returns to the model
            history.replaceState(null, '', location.pathname + location.search);
            send({ type: 'load', scenario: defaultScenario() });
          }}
        >
          {t('logsBack')}
        </button>
      </p>
    </div>
  );
}
