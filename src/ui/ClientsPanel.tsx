import { useEffect, useState } from 'react';
import { send } from '../state/worker';
import { clientAction, clientName, CLIENT_NUMBERS, type ClientForm, type ClientVerb } from '../state/clients';
import { useLab, useLogs, useT, useUi } from '../state/store';
import { zxidShort } from '../state/notation';
import type { ClientSnap } from '../worker/messages';

const VERBS: { verb: ClientVerb; key: 'clientConnect' | 'clientCreate' | 'clientSet' | 'clientDelete' | 'clientRead' | 'clientSync' | 'clientClose' }[] = [
  { verb: 'connect', key: 'clientConnect' },
  { verb: 'create', key: 'clientCreate' },
  { verb: 'setData', key: 'clientSet' },
  { verb: 'delete', key: 'clientDelete' },
  { verb: 'getData', key: 'clientRead' },
  { verb: 'sync', key: 'clientSync' },
  { verb: 'close', key: 'clientClose' },
];

/**
 * ZooKeeper's clients: make one connect to a server of a connect string, then create, change,
 * read and sync znodes; each client's session, server and what its requests got. ZAB runs only.
 */
export function ClientsPanel() {
  const t = useT();
  const protocol = useUi((s) => s.slow?.protocol);
  const clients = useUi((s) => s.slow?.clients);
  const nodes = useUi((s) => s.slow?.nodes);
  const logs = useLogs();
  const live = useLab();
  const [form, setForm] = useState<ClientForm>({ client: 1, servers: '1,2,3', path: '/a', data: 'v1', ephemeral: false });
  const [problem, setProblem] = useState<string | null>(null);
  // closed until a run has clients (or a person opens it): the inspector keeps its room
  const any = (clients?.length ?? 0) > 0;
  const [open, setOpen] = useState(any);
  useEffect(() => {
    if (any) setOpen(true);
  }, [any]);
  if (protocol !== 'zab' || logs || live || !nodes) return null;
  const serverIds = nodes.map((n) => n.id);
  const act = (verb: ClientVerb) => {
    const r = clientAction(verb, form, serverIds);
    if ('problem' in r) return setProblem(t(r.problem));
    setProblem(null);
    send({ type: 'action', action: r.action });
  };
  const set = (p: Partial<ClientForm>) => setForm((f) => ({ ...f, ...p }));
  return (
    <details className="panel clients" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="clients">
      <summary>
        <h2>{t('clients')}</h2>
      </summary>
      <p className="small muted">{t('clientsHint')}</p>
      <div className="client-form">
        <label>
          <span>{t('clientPick')}</span>
          <select data-testid="client-pick" value={form.client} onChange={(e) => set({ client: Number(e.target.value) })}>
            {CLIENT_NUMBERS.map((n) => (
              <option key={n} value={n}>{`C${n}`}</option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('clientServers')}</span>
          <input data-testid="client-servers" value={form.servers} size={8} onChange={(e) => set({ servers: e.target.value })} />
        </label>
        <label>
          <span>{t('znodePath')}</span>
          <input data-testid="client-path" value={form.path} size={10} onChange={(e) => set({ path: e.target.value })} />
        </label>
        <label>
          <span>{t('znodeData')}</span>
          <input data-testid="client-data" value={form.data} size={8} onChange={(e) => set({ data: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" data-testid="client-ephemeral" checked={form.ephemeral} onChange={(e) => set({ ephemeral: e.target.checked })} />
          <span>{t('ephemeral')}</span>
        </label>
      </div>
      <div className="client-buttons">
        {VERBS.map(({ verb, key }) => (
          <button key={verb} data-testid={`client-${verb}`} onClick={() => act(verb)}>
            {t(key)}
          </button>
        ))}
      </div>
      {problem && (
        <p className="small problem" role="alert" data-testid="client-problem">
          {problem}
        </p>
      )}
      {clients?.map((c) => <ClientRow key={c.id} c={c} />)}
    </details>
  );
}

function ClientRow({ c }: { c: ClientSnap }) {
  const t = useT();
  const name = clientName(c.id);
  return (
    <section className="client-row" data-testid={`client-${name}`} aria-label={name}>
      <h3>
        {name} · {c.state}
        {c.server !== null ? ` · ${t('clientOn', { id: c.server })}` : ''}
      </h3>
      {c.up && (
        <p className="small">
          {c.session ? t('clientSession', { session: c.session, timeout: c.timeout }) : t('clientNoSession')} · {t('clientSeen', { zxid: zxidShort(c.lastZxid) })}
          {c.pending.length ? ` · ${t('clientPending', { n: c.pending.length })}` : ''}
        </p>
      )}
      <ol className="client-results small">
        {c.results.slice(-6).map((r) => (
          <li key={r.xid} data-testid="client-result" data-stale={r.stale ? 'true' : undefined}>
            {`${r.op}${r.path ? ' ' + r.path : ''} → ${r.err}`}
            {r.data !== undefined ? ` "${r.data}" v${r.version}` : ''}
            {r.server !== null ? ` ${t('clientFrom', { id: r.server, zxid: zxidShort(r.zxid) })}` : ''}
            {r.stale && <span className="stale"> {t(r.stale === 'afterSync' ? 'clientStaleSync' : 'clientStale')}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
