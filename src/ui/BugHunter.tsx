import { nodeName } from '../state/clients';
import { useEffect, useRef, useState } from 'react';
import { useT, useUi } from '../state/store';
import { send } from '../state/worker';
import { isMessageKey, type MessageKey } from '../i18n/messages';
import type { Counterexample } from '../core/explore/explorer';
import { ablationsOf, DEFAULT_RELEASE, defaultScenario, guideScenario, KNOWN_BUGS, RELEASE_RULES, storyOf, type KnownBugId } from '../state/protocols';
import { formatAction } from '../state/notation';
import { exploreWorker, type ExploreIn, type ExploreOut } from '../state/hunter';
import { Modal, openGuide } from './Dialogs';
import { formatTime } from './format';
import { describeViolation } from './describe';
import { ZxidText } from './Zxid';

const BUDGETS = [100, 500, 2000, 10_000];

type Status = { state: 'idle' } | { state: 'running'; tried: number; rate: number } | { state: 'done'; tried: number; rate: number; found: Counterexample | null };

/**
 * "Find a bug": pick rules to switch off, search random fault schedules in a worker of its own,
 * watch the count, and open the shrunk counterexample on the canvas at the moment it breaks.
 */
export function BugHunter() {
  const t = useT();
  const open = useUi((s) => s.dialog === 'hunter');
  const close = useUi((s) => s.openDialog);
  const current = useUi((s) => s.snapshot?.scenario);
  const protocol = current?.protocol ?? 'zab';
  const rules = ablationsOf(protocol);
  const [picked, setPicked] = useState<string[]>([]);
  const [budget, setBudget] = useState(2000);
  const [seed, setSeed] = useState(1);
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const worker = useRef<Worker | null>(null);

  useEffect(() => () => worker.current?.terminate(), []);
  if (!open || !current) return null;

  const name = (n: string, part: 'name' | 'desc') => (isMessageKey(`ablation.${n}.${part}`) ? t(`ablation.${n}.${part}` as MessageKey) : part === 'name' ? n : '');
  const start = () => {
    worker.current ??= exploreWorker();
    worker.current.onmessage = (e: MessageEvent<ExploreOut>) => {
      const m = e.data;
      if (m.type === 'progress') setStatus({ state: 'running', tried: m.tried, rate: m.runsPerSecond });
      else if (m.type === 'done') setStatus({ state: 'done', tried: m.tried, rate: m.runsPerSecond, found: m.counterexample });
      else {
        useUi.getState().setError(m.message);
        setStatus({ state: 'idle' });
      }
    };
    const base = defaultScenario({ protocol, voters: current.voters, observers: current.observers, timing: current.timing, ...(current.paxos ? { paxos: current.paxos } : {}), ...(current.zk ? { zk: current.zk } : {}) });
    const msg: ExploreIn = { type: 'start', base, ablations: picked.filter((p) => rules.includes(p)), runs: budget, seed };
    worker.current.postMessage(msg);
    setStatus({ state: 'running', tried: 0, rate: 0 });
  };
  const stop = () => {
    worker.current?.postMessage({ type: 'stop' } satisfies ExploreIn);
    setStatus((s) => (s.state === 'running' ? { state: 'done', tried: s.tried, rate: s.rate, found: null } : s));
  };
  const openOnCanvas = (c: Counterexample) => {
    send({ type: 'load', scenario: c.scenario, runTo: c.violation.time, runToStep: c.violation.step });
    history.replaceState(null, '', `${location.pathname}${location.search}#s=${c.token}`);
    const ui = useUi.getState();
    ui.select(c.violation.nodes[0] ?? null);
    ui.openDialog(null);
    ui.dismissHint();
  };
  const running = status.state === 'running';
  const proto = t(`protocol.${protocol}` as MessageKey);
  return (
    <Modal title={t('hunter')} onClose={() => close(null)} testid="hunter">
      <p className="small">{t('hunter.intro', { protocol: proto })}</p>
      {protocol === 'zab' && <p className="small muted" data-testid="hunter-release">{t('hunter.release', { version: RELEASE_RULES[current.zk ?? DEFAULT_RELEASE].version })}</p>}
      <fieldset className="hunter-rules" disabled={running}>
        <legend>{t('hunter.rules')}</legend>
        {rules.length === 0 && <p className="muted small">{t('hunter.noRules', { protocol: proto })}</p>}
        {rules.map((r) => (
          <label key={r} className="hunter-rule">
            <input
              type="checkbox"
              data-testid={`ablation-${r}`}
              checked={picked.includes(r)}
              onChange={(e) => setPicked((p) => (e.target.checked ? [...p, r] : p.filter((x) => x !== r)))}
            />
            <span>
              <b>{name(r, 'name')}</b> <span className="muted small">{name(r, 'desc')}</span>
              {storyOf(r) && (
                <>
                  {' '}
                  <button type="button" className="textlink small" data-testid={`story-${r}`} onClick={() => openGuide(storyOf(r)!)}>
                    {t('hunter.story')}
                  </button>
                </>
              )}
            </span>
          </label>
        ))}
        {rules.length > 0 && picked.length === 0 && <p className="muted small">{t('hunter.none')}</p>}
      </fieldset>
      <div className="form">
        <label>
          {t('hunter.budget')}
          <select value={budget} disabled={running} data-testid="hunter-budget" onChange={(e) => setBudget(Number(e.target.value))}>
            {BUDGETS.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('hunter.seed')}
          <input type="number" min={0} value={seed} disabled={running} onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
        </label>
      </div>
      <div className="actions">
        {running ? (
          <button onClick={stop}>{t('hunter.stop')}</button>
        ) : (
          <button className="primary" data-testid="hunter-run" onClick={start}>
            {t('hunter.run')}
          </button>
        )}
        <button onClick={() => close(null)}>{t('close')}</button>
      </div>
      <div className="hunter-status" data-testid="hunter-status" aria-live="polite">
        {status.state !== 'idle' && <p>{t('hunter.tried', { n: status.tried, rate: status.rate })}</p>}
        {status.state === 'done' && !status.found && <p data-testid="hunter-nothing">{t('hunter.nothing', { n: status.tried })}</p>}
        {status.state === 'done' && status.found && <Found c={status.found} tried={status.tried} onOpen={openOnCanvas} />}
      </div>
    </Modal>
  );
}

function Found({ c, tried, onOpen }: { c: Counterexample; tried: number; onOpen(c: Counterexample): void }) {
  const t = useT();
  const locale = useUi((s) => s.locale);
  // the dialog is taller than a small screen: bring the answer into view
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <div className="hunter-found" data-testid="hunter-found" ref={ref}>
      <p>
        <b className="bad">{t('hunter.found', { invariant: c.violation.invariant, n: tried })}</b> — {t('hunter.at', { time: formatTime(c.violation.time), nodes: c.violation.nodes.map(nodeName).join(', ') })}
      </p>
      <p className="small">
        <ZxidText text={describeViolation(locale, c.violation)} />
      </p>
      {c.knownBugs.map((id) => (
        <KnownBug key={id} id={id} />
      ))}
      {c.knownBugs.length === 0 && c.scenario.protocol === 'zab' && Object.keys(c.scenario.ablations?.zab ?? {}).length === 0 && (
        <p className="small" data-testid="hunter-new-finding">
          {t('hunter.newFinding')}
        </p>
      )}
      <p className="small muted">{t('hunter.shrunk', { from: c.found.actions, to: c.scenario.actions.length, runs: c.shrinkRuns })}</p>
      <p className="small muted">{t('hunter.schedule')}</p>
      <ol className="hunter-actions">
        {c.scenario.actions.map((a, i) => (
          <li key={i}>
            {/* the action language starts with the time in ms: shown in seconds, like the clock */}
            <span className="muted">{formatTime(a.at)}</span> <code>{formatAction(a).replace(/^\d+ /, '')}</code>
          </li>
        ))}
      </ol>
      <button className="primary" data-testid="hunter-open" onClick={() => onOpen(c)}>
        {t('hunter.open')}
      </button>
    </div>
  );
}

/** One of ZooKeeper's own bugs the hunter recognised: what it is, its issue, and its story. */
function KnownBug({ id }: { id: KnownBugId }) {
  const t = useT();
  const bug = KNOWN_BUGS[id];
  const releases = t(`bug.${id}.releases` as MessageKey);
  return (
    <div className="hunter-known" data-testid="hunter-known-bug" data-bug={id}>
      <p className="small">
        <b>{bug.jira ? t('hunter.knownBug', { id, releases }) : t('hunter.finding', { releases })}</b> {t(`bug.${id}` as MessageKey)}
      </p>
      <p className="small">
        {bug.jira && (
          <a href={bug.jira} target="_blank" rel="noreferrer noopener">
            {t('hunter.jira', { id })}
          </a>
        )}
        {bug.story && guideScenario(bug.story) !== null && (
          <>
            {bug.jira && ' · '}
            <button type="button" className="textlink small" data-testid="hunter-bug-story" onClick={() => openGuide(bug.story!)}>
              {t('hunter.story')}
            </button>
          </>
        )}
      </p>
    </div>
  );
}
