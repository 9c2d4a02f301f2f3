import { clientName } from '../state/clients';
import { send } from '../state/worker';
import { useLab, useLogs, useT, useUi } from '../state/store';
import { Fragment } from 'react';
import { isMessageKey, type MessageKey } from '../i18n/messages';
import type { GenericView } from '../worker/messages';
import type { ZkView } from '../core/zk/zab';
import type { NodeDisk } from '../core/scenario/kits';
import { voteLabel, zxidHex, zxidShort } from '../state/notation';
import { describeReason } from './describe';
import { Zxid, ZxidText } from './Zxid';

/** The selected server: its durable and election state, and the faults one click away. */
export function Inspector() {
  const t = useT();
  const selected = useUi((s) => s.selected);
  const node = useUi((s) => s.slow?.nodes.find((n) => n.id === s.selected) ?? null);
  const logs = useLogs();
  // lab mode: a real disk is not failed from here
  const live = useLab();
  if (selected === null || !node) {
    return (
      <section className="panel inspector" data-testid="inspector">
        <p className="muted">{t('selectHint')}</p>
      </section>
    );
  }
  const id = node.id;
  return (
    <section className="panel inspector" data-testid="inspector">
      <h2>
        {t('server', { id })} <span className="tag">{t(`role.${node.role}` as MessageKey)}</span>{' '}
        <span className={`tag state-${node.state}`}>{t(`state.${node.state}` as MessageKey)}</span>
        {node.up && node.paused && (
          <>
            {' '}
            <span className="tag paused" data-testid="paused-badge">
              ‖ {t('pausedWaiting', { n: node.paused.backlog })}
            </span>
          </>
        )}
        {node.diskFailed && (
          <>
            {' '}
            <span className="tag disk-failed" data-testid="disk-badge">
              ⛁ {t('diskFailed')}
            </span>
          </>
        )}
      </h2>
      {!logs && <div className="actions">
        {node.up ? (
          <button className="danger" data-testid="crash" onClick={() => send({ type: 'action', action: { verb: 'crash', id } })}>
            ✕ {t('crash')}
          </button>
        ) : (
          <button data-testid="restart" onClick={() => send({ type: 'action', action: { verb: 'restart', id } })}>
            ↻ {t('restart')}
          </button>
        )}
        {node.role === 'participant' && (
          <button data-testid="vote-no" aria-pressed={(node.flags ?? []).includes('voteNo')} onClick={() => send({ type: 'action', action: { verb: 'flag', id, name: 'voteNo', on: !(node.flags ?? []).includes('voteNo') } })}>
            {(node.flags ?? []).includes('voteNo') ? t('voteYesAgain') : t('voteNo')}
          </button>
        )}
        {node.up && node.role === 'proposer' && (
          <button data-testid="propose" onClick={() => send({ type: 'action', action: { verb: 'write', count: 1, node: id } })}>
            ✎ {t('propose')}
          </button>
        )}
        {node.up && (
          <button data-testid="pause" aria-pressed={node.paused !== undefined} onClick={() => send({ type: 'action', action: { verb: node.paused ? 'resume' : 'pause', id } })}>
            {node.paused ? `▶ ${t('resumeProcess')}` : `‖ ${t('pauseProcess')}`}
          </button>
        )}
        {live && node.up && (
          <>
            <button data-testid="lab-write-here" title={t('labWriteHereTitle')} onClick={() => send({ type: 'action', action: { verb: 'write', count: 1, node: id } })}>
              ✎ {t('labWriteHere')}
            </button>
            <button data-testid="lab-read-here" title={t('labReadHereTitle')} onClick={() => send({ type: 'labRead', id })}>
              ⌕ {t('labReadHere')}
            </button>
          </>
        )}
        {!live && (
          <button data-testid="disk" onClick={() => send({ type: 'action', action: { verb: node.diskFailed ? 'diskok' : 'diskfail', id } })}>
            ⛁ {node.diskFailed ? t('diskOk') : t('diskFail')}
          </button>
        )}
      </div>}
      {/* its whole view comes once the worker hears it is inspected */}
      {node.up && node.view && ('zabState' in node.view ? <ZabDetails node={node.view} /> : <GenericDetails view={node.view} />)}
      {!node.up && node.disk && <DiskDetails disk={node.disk} />}
    </section>
  );
}

/** A down server: its state is gone, and what its disk holds is what a restart will read. */
function DiskDetails({ disk }: { disk: NodeDisk }) {
  const t = useT();
  if (disk.kind === 'generic') {
    const rows = Object.entries(disk.fields);
    return (
      <div data-testid="disk-contents">
        <h3>{t('onDisk')}</h3>
        {rows.length === 0 ? (
          <p className="muted small">{t('diskEmpty')}</p>
        ) : (
          <FieldList rows={rows} />
        )}
      </div>
    );
  }
  const epoch = (e: number | null) => (e === null ? t('none') : String(e));
  return (
    <div data-testid="disk-contents">
      <h3>{t('onDisk')}</h3>
      <dl className="kv">
        <dt>{t('acceptedEpoch')}</dt>
        <dd data-testid="disk-acceptedEpoch">{epoch(disk.acceptedEpoch)}</dd>
        <dt>{t('currentEpoch')}</dt>
        <dd data-testid="disk-currentEpoch">{epoch(disk.currentEpoch)}</dd>
        <dt>{t('snapshotZxid')}</dt>
        <dd data-testid="disk-snapshot">{disk.snapshot === null ? t('none') : <Zxid z={disk.snapshot} />}</dd>
      </dl>
      <h3>
        {t('diskLog')} · {disk.logLength}
      </h3>
      <div className="logtail" data-testid="logtail">
        {disk.logTail.length === 0 ? (
          <span className="muted">{t('none')}</span>
        ) : (
          disk.logTail.map((z) => <Zxid key={z} z={z} />)
        )}
      </div>
      <p className="muted small">{t('diskNote')}</p>
    </div>
  );
}

/** ZooKeeper's server: epochs, zxids, votes, log and learners. */
/** The server's data tree, where a client's txn made one: its znodes, its sessions, the clients connected to it. */
function DataTree({ node }: { node: ZkView }) {
  const t = useT();
  return (
    <>
      <h3>{t('dataTree')}</h3>
      <ul className="znodes small" data-testid="znodes">
        {node.znodes.length === 0 && <li className="muted">{t('none')}</li>}
        {node.znodes.map((z) => (
          <li key={z.path}>
            <code>{z.path}</code> = “{z.data}” v{z.version}
            {z.owner ? ` · ${t('ephemeralOf', { session: z.owner })}` : ''}
          </li>
        ))}
      </ul>
      <p className="small" data-testid="sessions">
        {t('sessionsLive', { n: node.sessions.length })}
        {node.sessions.length ? `: ${node.sessions.join(', ')}` : ''}
        {node.clients.length ? ` · ${t('clientsHere', { ids: node.clients.map(clientName).join(', ') })}` : ''}
      </p>
    </>
  );
}

function ZabDetails({ node }: { node: ZkView }) {
  const t = useT();
  const locale = useUi((s) => s.locale);
  return (
        <>
          <dl className="kv">
            <dt>{t('zabState')}</dt>
            <dd>{node.zabState}</dd>
            <dt>{t('acceptedEpoch')}</dt>
            <dd>{node.acceptedEpoch}</dd>
            <dt>{t('currentEpoch')}</dt>
            <dd>{node.currentEpoch}</dd>
            <dt>{t('lastZxid')}</dt>
            <dd>
              <Zxid z={node.lastZxid} />
            </dd>
            <dt>{t('logicalclock')}</dt>
            <dd>{node.electionEpoch}</dd>
            {node.state === 'LOOKING' && (
              <>
                <dt>{t('vote')}</dt>
                <dd data-testid="inspector-vote">
                  <ZxidText text={voteLabel(node.vote)} />
                </dd>
              </>
            )}
            {node.leader !== null && (
              <>
                <dt>{t('leader')}</dt>
                <dd>S{node.leader}</dd>
              </>
            )}
            <dt>{t('committedZxid')}</dt>
            <dd>
              <Zxid z={node.committedZxid} />
            </dd>
            {node.lastSync && (
              <>
                <dt title={t('lastSync.help')}>{t('lastSync')}</dt>
                <dd data-testid="last-sync">
                  {t('lastSync.value', { mode: node.lastSync.mode, leader: node.lastSync.leader })} <Zxid z={node.lastSync.zxid} />
                </dd>
              </>
            )}
          </dl>
          <h3>
            {t('log')} · {node.logLength}
          </h3>
          <div className="logtail" data-testid="logtail" title={t('logHelp')}>
            {node.logTail.length === 0 ? (
              <span className="muted">{t('none')}</span>
            ) : (
              node.logTail.map((z, i) => (
                <span key={z} className={i < node.logCommitted ? 'committed' : ''} title={zxidHex(z)}>
                  {zxidShort(z)}
                </span>
              ))
            )}
          </div>
          {node.outstanding.length > 0 && (
            <>
              <h3>{t('outstanding')}</h3>
              <table data-testid="outstanding">
                <thead>
                  <tr>
                    <th>zxid</th>
                    <th>{t('acks')}</th>
                  </tr>
                </thead>
                <tbody>
                  {node.outstanding.map((p) => (
                    <tr key={p.zxid}>
                      <td>
                        <Zxid z={p.zxid} />
                      </td>
                      <td>
                        {p.acks.length}/{node.quorumSize} {'{'}
                        {p.acks.join(',')}
                        {'}'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {(node.znodes?.length ?? 0) + (node.sessions?.length ?? 0) > 0 && <DataTree node={node} />}
          <p className="muted small">{t('durableNote')}</p>
          {node.state === 'LOOKING' && (
            <p className="small">
              {node.finalizing ? t('finalizing') : t('notTimeout', { ms: node.notTimeout })}
            </p>
          )}
          {node.lastReason && (
            <p className="small muted">
              <ZxidText text={t('lastReason', { reason: describeReason(locale, node.lastReason) })} />
            </p>
          )}
          <VoteTable title={t('recvset')} rows={node.recvset} agreeing={node.agreeing} />
          {node.outofelection.length > 0 && <VoteTable title={t('outofelection')} rows={node.outofelection} agreeing={[]} />}
          {node.learners.length > 0 && (
            <>
              <h3>{t('learners')}</h3>
              <table>
                <thead>
                  <tr>
                    <th>{t('sid')}</th>
                    <th>{t('stage')}</th>
                    <th>{t('synced')}</th>
                    <th>{t('syncModeCol')}</th>
                  </tr>
                </thead>
                <tbody>
                  {node.learners.map((l) => (
                    <tr key={l.sid}>
                      <td>S{l.sid}</td>
                      <td>{l.stage}</td>
                      <td>{l.synced ? '✓' : '✗'}</td>
                      <td>{l.syncMode ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
  );
}

/** Fields as they are (protocol terms, numbers and lists), named through the catalogue where it has them. */
function FieldList({ rows, testid }: { rows: [string, unknown][]; testid?: string }) {
  const t = useT();
  return (
    <dl className="kv" data-testid={testid}>
      {rows.map(([k, v]) => (
        <Fragment key={k}>
          <dt>{isMessageKey(`field.${k}`) ? t(`field.${k}` as MessageKey) : k}</dt>
          <dd>
            <code>{show(v)}</code>
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** Fields of a 2PC or Paxos view shown as they are: protocol terms, numbers and lists. */
function GenericDetails({ view }: { view: GenericView }) {
  const t = useT();
  const log = view.face?.log ?? [];
  if (view.lines) {
    // a real ensemble's server: its own lines instead of a log the logs do not show
    const rows = Object.entries(view).filter(([k, v]) => !HIDDEN.has(k) && k !== 'lines' && k !== 'mntr' && v !== null && v !== undefined);
    const mntr = Object.entries(view.mntr ?? {});
    return (
      <>
        <FieldList rows={rows} testid="generic-fields" />
        {mntr.length > 0 && (
          <>
            <h3>{t('labMntr')}</h3>
            <FieldList rows={mntr} testid="mntr" />
          </>
        )}
        <h3>{t('logsLastLines')}</h3>
        <ol className="raw-lines" data-testid="raw-lines">
          {view.lines.map((l, i) => (
            <li key={i}>
              <span className="small muted">{l.at}</span>
              <pre>{l.text}</pre>
            </li>
          ))}
        </ol>
      </>
    );
  }
  const rows = Object.entries(view).filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== undefined && v !== 0 && !(Array.isArray(v) && v.length === 0));
  return (
    <>
      <FieldList rows={rows} testid="generic-fields" />
      <h3>{t('genericLog')}</h3>
      <div className="logtail" data-testid="logtail">
        {log.length === 0 ? (
          <span className="muted">{t('none')}</span>
        ) : (
          log.map((c, i) => (
            <span key={i} className={c.status === 'committed' ? 'committed' : c.status === 'aborted' ? 'aborted' : ''} title={c.status}>
              {c.label}
            </span>
          ))
        )}
      </div>
    </>
  );
}

/** Shown elsewhere (header, buttons, log strip), or a protocol's bookkeeping a person need not read. */
const HIDDEN = new Set(['id', 'role', 'state', 'up', 'diskFailed', 'flags', 'face', 'log', 'slots', 'logLength', 'mode', 'acceptors', 'participants']);

function show(v: unknown): string {
  // lists of ids read as server names; records as "S3: yes"; anything else as compact text
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v.map((x) => `S${x}`).join(', ');
  if (Array.isArray(v)) return clip(v.map(item).join(', '));
  return clip(typeof v === 'string' ? v : item(v));
}

/** One value in words: `{ id: 3, vote: 'yes' }` → "S3: yes"; other records as "key value" pairs. */
function item(x: unknown): string {
  if (x === null || typeof x !== 'object') return String(x);
  const { id, ...rest } = x as Record<string, unknown>;
  const body = Object.entries(rest)
    .map(([k, val]) => (Object.keys(rest).length === 1 ? show(val) : `${k} ${show(val)}`))
    .join(' ');
  return typeof id === 'number' ? `S${id}: ${body}` : body;
}

const clip = (s: string) => (s.length > 120 ? s.slice(0, 117) + '…' : s);

function VoteTable(props: { title: string; rows: { sid: number; vote: { leader: number | null; zxid: number; peerEpoch: number; electionEpoch: number }; state: string }[]; agreeing: number[] }) {
  const t = useT();
  return (
    <>
      <h3>{props.title}</h3>
      {props.rows.length === 0 ? (
        <p className="muted small">{t('none')}</p>
      ) : (
        <table data-testid="votes">
          <thead>
            <tr>
              <th>{t('from')}</th>
              <th>{t('vote')}</th>
              <th>{t('logicalclock')}</th>
              <th>{t('state')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr key={r.sid} className={props.agreeing.includes(r.sid) ? 'agree' : ''}>
                <td>S{r.sid}</td>
                <td>
                  <ZxidText text={voteLabel(r.vote)} />
                </td>
                <td>{r.vote.electionEpoch}</td>
                <td>{r.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
