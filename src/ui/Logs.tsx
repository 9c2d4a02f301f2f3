import { useEffect, useState } from 'react';
import { send } from '../state/worker';
import { useT, useUi } from '../state/store';
import { defaultScenario, RELEASE_RULES } from '../state/protocols';
import { formatTime, logClock } from './format';
import type { LogReport } from '../worker/messages';
import type { MessageKey } from '../i18n/messages';
import { Modal } from './Dialogs';

/** A real ensemble's logs, read in the worker: never sent anywhere. */
export function openLogFiles(files: File[]): void {
  if (files.length === 0) return;
  useUi.setState({ logProgress: 0 });
  send({ type: 'loadLogs', files });
}

/** Open logs: choose files or a folder, or drop them; what was read, and why there was no leader. */
export function LogsDialog() {
  const t = useT();
  const open = useUi((s) => s.dialog === 'logs');
  const close = useUi((s) => s.openDialog);
  const report = useUi((s) => s.logReport);
  const progress = useUi((s) => s.logProgress);
  if (!open) return null;
  const pick = (files: FileList | null) => {
    openLogFiles([...(files ?? [])]);
  };
  return (
    <Modal title={t('logsTitle')} onClose={() => close(null)} testid="logs-dialog">
      <p>{t('logsIntro')}</p>
      <p className="small muted">{t('logsFormats')}</p>
      <div className="actions">
        <label className="button">
          {t('chooseFiles')}
          <input type="file" multiple className="visually-hidden" data-testid="log-files" onChange={(e) => pick(e.target.files)} />
        </label>
        <label className="button">
          {t('chooseFolder')}
          <input type="file" multiple className="visually-hidden" data-testid="log-folder" {...{ webkitdirectory: '' }} onChange={(e) => pick(e.target.files)} />
        </label>
      </div>
      {progress !== null && (
        <p role="status" data-testid="log-progress">
          <progress value={progress} max={1} /> {t('logsReading', { pct: Math.round(progress * 100) })}{' '}
          <button data-testid="log-cancel" onClick={() => send({ type: 'cancelLogs' })}>
            {t('logsCancel')}
          </button>
        </p>
      )}
      {report && <LogReportView report={report} />}
      <button onClick={() => close(null)}>{t('close')}</button>
    </Modal>
  );
}

/** What was read (files, warnings), the elections, and every stretch without a leader with its evidence. */
function LogReportView({ report }: { report: LogReport }) {
  const t = useT();
  const { summary } = report;
  const clock = (abs: number) => new Date(abs).toISOString().slice(11, 23);
  const name = (i: number) => report.files[i]?.name ?? '?';
  return (
    <div className="log-report" data-testid="log-report">
      <h3>{t('logsGaps')}</h3>
      {summary.gaps.length === 0 ? (
        <p>{t('logsNoGaps')}</p>
      ) : (
        <ul>
          {summary.gaps.map((g, i) => (
            <li key={i} data-testid="log-gap">
              <b>{g.to === null ? t('logsGapOpen', { from: clock(g.from) }) : t('logsGap', { from: clock(g.from), ms: g.ms! })}</b>
              <ul>
                {g.evidence.map((x, j) => (
                  <li key={j}>
                    {t(`zklog.reason.${x.reason}` as MessageKey, { node: x.node, ...x.args })}{' '}
                    <span className="small muted">
                      ({name(x.file)}, {t('logsSee')} {x.line})
                    </span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('logsElections')}</h3>
      <ul>
        {summary.elections.map((e, i) => {
          const vars = { start: clock(e.start), ms: e.durationMs ?? 0, leader: e.leader ?? '?', epoch: e.epoch ?? '?', servers: e.servers.map((s) => `S${s}`).join(', ') };
          const reported = Object.entries(e.reportedMs).map(([id, ms]) => t('logsReportedOne', { id, ms }));
          return (
            <li key={i} data-testid="log-election">
              {t(e.end === null ? 'logsElectionOpen' : e.leader === null ? 'logsElectionNone' : e.join ? 'logsElectionJoin' : 'logsElection', vars)}
              {reported.length > 0 && <span className="small muted"> · {t('logsReported', { list: reported.join(', ') })}</span>}
            </li>
          );
        })}
      </ul>
      <h3>{t('logsFiles')}</h3>
      <ul className="small">
        {report.files.map((f, i) => (
          <li key={i}>{f.server === null ? t('logsFileNoServer', { name: f.name, lines: f.lines }) : t('logsFileRow', { name: f.name, server: f.server, lines: f.lines, understood: f.understood, other: f.other })}</li>
        ))}
      </ul>
      {report.warnings.length > 0 && (
        <>
          <h3>{t('logsWarnings')}</h3>
          <Warnings warnings={report.warnings} testid="log-warnings" />
        </>
      )}
    </div>
  );
}

/** What the reader warns of, each with its file (`text` carries the server id or the count). */
function Warnings({ warnings, testid }: { warnings: LogReport['warnings']; testid: string }) {
  const t = useT();
  return (
    <ul className="small" data-testid={testid}>
      {warnings.map((w, i) => (
        <li key={i}>
          {w.file ? `${w.file}: ` : ''}
          {t(`zklog.warn.${w.code}` as MessageKey, { sid: w.text, n: w.text, text: w.text })}
        </li>
      ))}
    </ul>
  );
}

/** Above the canvas while logs play: this is a real ensemble, what was read, how clocks were aligned. */
export function LogBanner() {
  const t = useT();
  const report = useUi((s) => s.logReport);
  const openDialog = useUi((s) => s.openDialog);
  const model = useUi((s) => s.compare !== null);
  if (!report) return null;
  // what was read as a server's log (a file that is none is a warning, not lines not understood)
  const logs = report.files.filter((f) => f.isLog);
  const lines = logs.reduce((n, f) => n + f.lines, 0);
  const understood = logs.reduce((n, f) => n + f.understood, 0);
  const other = logs.reduce((n, f) => n + f.other, 0);
  const example = logs.flatMap((f) => f.examples)[0];
  const inconsistent = report.warnings.some((w) => w.code === 'clockInconsistent');
  const moved = Object.entries(report.skew).filter(([, ms]) => ms !== 0);
  const replay = report.replay;
  return (
    <div className="log-banner" role="region" aria-label={t('logsTitle')} data-testid="log-banner">
      <p>
        <b>{t('logsBanner', { servers: report.servers.length, files: logs.length, lines, understood })}</b> {t('logsOrigin', { time: logClock(report.origin, 0) })}{' '}
        {inconsistent ? t('logsSkewInconsistent', { pairs: report.pairs }) : report.pairs === 0 ? t('logsSkewNoPairs') : moved.length === 0 ? t('logsSkewNone', { pairs: report.pairs }) : t('logsSkew', { pairs: report.pairs, list: moved.map(([id, ms]) => `S${id} ${ms > 0 ? '+' : ''}${ms} ms`).join(', ') })}
      </p>
      {report.warnings.length > 0 && <Warnings warnings={report.warnings} testid="log-banner-warnings" />}
      {other > 0 && example !== undefined && (
        <p className="small muted">
          {t('logsOther', { n: other })} <code>{example}</code>
        </p>
      )}
      <p>
        <button data-testid="log-details" onClick={() => openDialog('logs')}>
          {t('logsDetails')}
        </button>{' '}
        {!('reason' in replay) && (
          <button data-testid="log-replay" aria-pressed={model} title={t('logsReplayTitle')} onClick={() => send({ type: 'logsModel', on: !model })}>
            {t('logsReplay')}
          </button>
        )}{' '}
        <button data-testid="log-back" onClick={() => send({ type: 'load', scenario: defaultScenario() })}>
          {t('logsBack')}
        </button>
      </p>
      {'reason' in replay ? (
        <p className="small muted">{t(`zklog.noReplay.${replay.reason}` as MessageKey)}</p>
      ) : (
        model && (
          <p data-testid="log-verdict">
            {t('logsReplayOn', { version: RELEASE_RULES[replay.zk].version, named: replay.version ? t('logsNamed', { version: replay.version }) : t('logsNamedNone') })}{' '}
            {report.disagreement === null ? (
              <b>{t('logsAgree')}</b>
            ) : report.disagreement ? (
              <>
                <b>{t('logsDisagree', { time: formatTime(report.disagreement.time), real: report.disagreement.real, model: report.disagreement.model })}</b>{' '}
                <button data-testid="log-go-there" onClick={() => send({ type: 'seek', time: report.disagreement!.time })}>
                  {t('logsGoThere')}
                </button>
              </>
            ) : null}{' '}
            {replay.assumed.length > 0 && <span className="small muted">{replay.assumed.map((a) => t(`zklog.assume.${a}` as MessageKey)).join('; ')}.</span>}
          </p>
        )
      )}
    </div>
  );
}

/** Log files (or folders) dropped anywhere on the page are opened as a real ensemble's logs. */
export function useLogDrop(): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    const onOver = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setOver(true);
    };
    const onLeave = (e: DragEvent) => {
      if (e.relatedTarget === null) setOver(false);
    };
    const onDrop = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setOver(false);
      const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter((x): x is FileSystemEntry => !!x);
      if (entries.length > 0 && entries.some((x) => x.isDirectory)) void filesOf(entries).then(openLogFiles);
      else openLogFiles([...e.dataTransfer.files]);
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
  return over;
}

/** Every file under the dropped entries (folders read whole). */
async function filesOf(entries: FileSystemEntry[]): Promise<File[]> {
  const out: File[] = [];
  const walk = async (e: FileSystemEntry): Promise<void> => {
    if (e.isFile) {
      const f = await new Promise<File>((ok, fail) => (e as FileSystemFileEntry).file(ok, fail));
      // named by its path in what was dropped (zk1/zookeeper.log, zk2/zookeeper.log), as a chosen folder's files are
      out.push(new File([f], e.fullPath.replace(/^\//, ''), { type: f.type, lastModified: f.lastModified }));
    } else if (e.isDirectory) {
      const reader = (e as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
        if (batch.length === 0) break;
        for (const x of batch) await walk(x);
      }
    }
  };
  for (const e of entries) await walk(e);
  return out;
}
