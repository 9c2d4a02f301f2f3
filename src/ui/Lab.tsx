import { useShallow } from 'zustand/react/shallow';
import { useT, useUi } from '../state/store';
import { send } from '../state/worker';
import { defaultScenario } from '../state/protocols';
import type { LabRoles } from '../worker/messages';
import type { LabRead } from '../core/lab/wire';

/** "S3 leads epoch 2; S1 FOLLOWING, S2 FOLLOWING, S3 LEADING; syncs: S1 DIFF, S2 SNAP" (ZooKeeper's names). */
function rolesText(t: ReturnType<typeof useT>, r: LabRoles): string {
  const lead = r.lead === null ? t('labNoLeader') : t('labLeads', { id: r.lead, epoch: r.epoch });
  const syncs = r.syncs.length ? `; ${t('labSyncs', { syncs: r.syncs.map((s) => `S${s.id} ${s.mode ?? '—'}`).join(', ') })}` : '';
  return `${lead}; ${r.states.map((s) => `S${s.id} ${s.state}`).join(', ')}${syncs}`;
}

/**
 * Lab mode's banner (issue 21): these are real ZooKeeper servers on this machine (or an ensemble
 * watched from here), which release they run, what the bridge could not do, and the way back.
 */
export function LabBanner() {
  const t = useT();
  const source = useUi((s) => (s.snapshot?.source?.kind === 'lab' ? s.snapshot.source : null));
  const actions = useUi((s) => (s.snapshot?.source?.kind === 'lab' ? s.snapshot.actions : 0));
  const model = useUi((s) => s.compare !== null);
  const servers = useUi(useShallow((s) => (s.snapshot?.source?.kind === 'lab' ? s.snapshot.nodes.map((n) => n.id) : [])));
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
      {model && source.agreement !== undefined && (
        <p data-testid="lab-agreement" role="status" className={source.agreement && !source.agreement.agree ? 'disagree' : ''}>
          {source.agreement === null ? t('labSettling') : source.agreement.agree ? t('labAgree', { real: rolesText(t, source.agreement.real) }) : t('labDisagree', { real: rolesText(t, source.agreement.real), model: rolesText(t, source.agreement.model) })}
        </p>
      )}
      {source.read && <LabReadLine read={source.read} />}
      <p>
        {servers.length > 0 && (
          <span className="lab-logs">
            {t('labLogs')}{' '}
            {servers.map((id) => (
              <button key={id} className="link" data-testid={`lab-log-${id}`} onClick={() => send({ type: 'labLog', id })}>
                server{id}.log
              </button>
            ))}
          </span>
        )}
      </p>
      <p>
        {source.mode === 'run' && (
          <button data-testid="lab-model" aria-pressed={model} title={t('labModelTitle')} onClick={() => send({ type: 'labModel', on: !model })}>
            {t('labModel')}
          </button>
        )}{' '}
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

const hex = (z: number | null) => (z === null ? '—' : `0x${z.toString(16)}`);

/** The newest client read: what the server answered from its own tree, beside the leader's zxid. */
function LabReadLine({ read }: { read: LabRead }) {
  const t = useT();
  if (read.error !== null)
    return (
      <p data-testid="lab-read" role="status">
        {t('labReadFailed', { id: read.node, error: read.error })}
      </p>
    );
  return (
    <p data-testid="lab-read" role="status" data-pzxid={read.pzxid ?? ''}>
      {t('labReadResult', { id: read.node, n: read.children ?? 0, pzxid: hex(read.pzxid), zxid: hex(read.zxid), leader: hex(read.leaderZxid) })}{' '}
      {read.zxid !== null && read.leaderZxid !== null && read.zxid < read.leaderZxid && <span className="muted">{t('labReadBehind', { id: read.node })}</span>}
    </p>
  );
}
