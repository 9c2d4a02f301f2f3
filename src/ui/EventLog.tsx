import { nodeName } from '../state/clients';
import { useState } from 'react';
import { useT, useUi } from '../state/store';
import { send } from '../state/worker';
import type { Violation } from '../core/check/types';
import { formatTime } from './format';
import { describeEvent, describeViolation } from './describe';
import { ZxidText } from './Zxid';

const NONE: Violation[] = [];

/** A log line kept by its offset only: the worker reads it from its file when its event is opened. */
function askForLine(args: Record<string, string | number>): void {
  if (args.raw === '' && typeof args.rawFile === 'number' && typeof args.rawAt === 'number' && typeof args.rawLen === 'number' && useUi.getState().rawLines[`${args.rawFile}:${args.rawAt}`] === undefined)
    send({ type: 'rawLine', file: args.rawFile, at: args.rawAt, len: args.rawLen });
}

/** The line an event of a real ensemble's logs came from, as text (never HTML). */
function RawLine({ args }: { args: Record<string, string | number> }) {
  const read = useUi((s) => s.rawLines[`${args.rawFile}:${args.rawAt}`]);
  const text = args.raw !== '' ? String(args.raw) : read;
  return <pre aria-busy={text === undefined}>{text ?? '…'}</pre>;
}

/** The most recent events, newest first. */
export function EventLog() {
  const t = useT();
  const log = useUi((s) => s.log);
  const steps = useUi((s) => s.snapshot?.step ?? 0);
  const locale = useUi((s) => s.locale);
  const violations = useUi((s) => s.slow?.violations ?? NONE);
  const [heartbeats, setHeartbeats] = useState(false);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const kinds = [...new Set(log.map((r) => r.kind).filter((k): k is string => !!k))].sort();
  const shown = log
    .filter((r) => r.type !== 'send' && r.type !== 'timer' && r.type !== 'disk')
    .filter((r) => heartbeats || (r.kind !== 'PING' && r.kind !== 'ACK' && r.kind !== 'HEARTBEAT'))
    .filter((r) => !r.kind || !hidden.has(r.kind))
    .slice(-80)
    .reverse();
  return (
    <section className="panel log" data-testid="event-log">
      {violations.length > 0 && (
        <div className="violations" role="alert">
          <h3>{t('violations')}</h3>
          {violations.map((v, i) => (
            <p key={i}>
              <b>{v.invariant}</b> <ZxidText text={describeViolation(locale, v)} />
            </p>
          ))}
        </div>
      )}
      <h2>{t('events')}</h2>
      <label className="log-filter">
        <input type="checkbox" checked={heartbeats} onChange={(e) => setHeartbeats(e.target.checked)} data-testid="show-heartbeats" />
        {t('showHeartbeats')}
      </label>
      {kinds.length > 0 && (
        <details className="kinds">
          <summary className="small">{t('filterKinds')}</summary>
          {kinds.map((k) => (
            <label key={k} className="small">
              <input
                type="checkbox"
                data-testid={`kind-${k}`}
                checked={!hidden.has(k)}
                onChange={(e) => {
                  const next = new Set(hidden);
                  if (e.target.checked) next.delete(k);
                  else next.add(k);
                  setHidden(next);
                }}
              />
              {k}
            </label>
          ))}
        </details>
      )}
      {shown.length === 0 ? (
        <p className="muted">{steps > 0 ? t('noEventsShown', { n: steps }) : t('noEvents')}</p>
      ) : (
        <ol>
          {shown.map((r) => (
            <li key={r.seq} className={`ev ev-${r.type}`}>
              {typeof r.args.raw === 'string' ? (
                // a real ensemble's log: the event opens the line it came from (as text, never HTML)
                <details className="ev-raw" onToggle={(e) => e.currentTarget.open && askForLine(r.args)}>
                  <summary>
                    <span className="t">{formatTime(r.time)}</span> <b>{r.node ? nodeName(r.node) : '—'}</b> <ZxidText text={describeEvent(locale, r.code, r.args)} />
                  </summary>
                  <span className="small muted" data-testid="ev-source">
                    {String(r.args.at)}
                  </span>
                  <RawLine args={r.args} />
                </details>
              ) : (
                <>
                  <span className="t">{formatTime(r.time)}</span> <b>{r.node ? nodeName(r.node) : '—'}</b> <ZxidText text={describeEvent(locale, r.code, r.args)} />
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
