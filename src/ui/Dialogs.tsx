import { useId, useRef, useState } from 'react';
import { useModal } from './useModal';
import { send } from '../state/worker';
import { useStories, useT, useUi } from '../state/store';
import type { MessageKey } from '../i18n/messages';
import { DEFAULT_RELEASE, defaultScenario, guideCompare, guideScenario, guidesOf, museumGuides, PAGE_LIMITS, PROTOCOLS, readScenarioFile, ZK_RELEASES } from '../state/protocols';

/** A modal dialog: focus moves in, stays in and returns on close; Esc or a click outside closes it. */
export function Modal(props: { title: string; onClose(): void; children: React.ReactNode; testid: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const onKeyDown = useModal(ref, props.onClose);
  const titleId = useId();
  return (
    <div className="modal-back" onClick={props.onClose}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1} ref={ref} onKeyDown={onKeyDown} data-testid={props.testid} onClick={(e) => e.stopPropagation()}>
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}

const KEYS: [string, MessageKey][] = [
  ['Space', 'key.space'],
  ['N / →', 'key.n'],
  ['B / ←', 'key.b'],
  ['W', 'key.w'],
  ['C', 'key.c'],
  ['D', 'key.d'],
  ['Z', 'key.z'],
  ['P', 'key.p'],
  ['H', 'key.h'],
  ['Enter', 'key.enter'],
  ['← → Home End Enter', 'key.diagram'],
  ['Tab', 'key.tab'],
  ['L', 'key.l'],
  ['?', 'key.q'],
];

export function HelpDialog() {
  const t = useT();
  const open = useUi((s) => s.dialog === 'help');
  const close = useUi((s) => s.openDialog);
  if (!open) return null;
  return (
    <Modal title={t('helpTitle')} onClose={() => close(null)} testid="help">
      <table className="keys">
        <tbody>
          {KEYS.map(([k, m]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{t(m)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small muted">{t('faultsHint')}</p>
      <button onClick={() => close(null)}>{t('close')}</button>
    </Modal>
  );
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(Number.isFinite(v) ? v : lo)));

export function SettingsDialog() {
  const t = useT();
  const open = useUi((s) => s.dialog === 'settings');
  const close = useUi((s) => s.openDialog);
  const current = useUi((s) => s.snapshot?.scenario);
  if (!open || !current) return null;
  return <SettingsForm current={current} onClose={() => close(null)} t={t} />;
}

function SettingsForm(props: { current: NonNullable<ReturnType<typeof useUi.getState>['snapshot']>['scenario']; onClose(): void; t: ReturnType<typeof useT> }) {
  const { t, current } = props;
  const [f, setF] = useState({
    protocol: current.protocol,
    proposers: current.paxos?.proposers ?? 2,
    learners: current.paxos?.learners ?? 1,
    mode: current.paxos?.mode ?? 'basic',
    voters: current.voters,
    observers: current.observers,
    seed: String(current.seed),
    tickTime: current.timing.tickTime ?? 2000,
    initLimit: current.timing.initLimit ?? 10,
    syncLimit: current.timing.syncLimit ?? 5,
    zk: current.zk ?? DEFAULT_RELEASE,
  });
  const num = (k: keyof typeof f, lo: number, hi: number) => (
    <label key={k}>
      {t(k as MessageKey)}
      <input type="number" min={lo} max={hi} value={f[k]} data-testid={`set-${k}`} onChange={(e) => setF({ ...f, [k]: Number(e.target.value) })} />
    </label>
  );
  const apply = () => {
    const seed = f.seed.trim().slice(0, 64) || '1';
    send({
      type: 'load',
      scenario: defaultScenario({
        protocol: f.protocol,
        voters: clamp(f.voters, f.protocol === '2pc' ? 2 : 1, PAGE_LIMITS.voters),
        observers: f.protocol === 'zab' ? clamp(f.observers, 0, PAGE_LIMITS.observers) : 0,
        ...(f.protocol === 'paxos' ? { paxos: { proposers: clamp(f.proposers, 1, 5), learners: clamp(f.learners, 0, 5), mode: f.mode } } : {}),
        seed: /^\d+$/.test(seed) ? Number(seed) : seed,
        timing: { tickTime: clamp(f.tickTime, 100, 60_000), initLimit: clamp(f.initLimit, 1, 100), syncLimit: clamp(f.syncLimit, 1, 100) },
        ...(f.protocol === 'zab' && f.zk !== DEFAULT_RELEASE ? { zk: f.zk } : {}),
      }),
    });
    useUi.getState().select(null);
    props.onClose();
  };
  return (
    <Modal title={t('settingsTitle')} onClose={props.onClose} testid="settings">
      <div className="form">
        <label>
          {t('protocol')}
          <select value={f.protocol} data-testid="set-protocol" onChange={(e) => setF({ ...f, protocol: e.target.value as typeof f.protocol })}>
            {PROTOCOLS.map((p) => (
              <option key={p} value={p}>
                {t(`protocol.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <p className="small muted wide">{t(`protocolHelp.${f.protocol}`)}</p>
        <label>
          {t(f.protocol === 'zab' ? 'voters' : f.protocol === '2pc' ? 'nodes' : 'acceptors')}
          <input type="number" min={1} max={PAGE_LIMITS.voters} value={f.voters} data-testid="set-voters" onChange={(e) => setF({ ...f, voters: Number(e.target.value) })} />
        </label>
        {f.protocol === 'zab' && num('observers', 0, PAGE_LIMITS.observers)}
        {f.protocol === 'paxos' && (
          <>
            <label>
              {t('proposers')}
              <input type="number" min={1} max={5} value={f.proposers} data-testid="set-proposers" onChange={(e) => setF({ ...f, proposers: Number(e.target.value) })} />
            </label>
            <label>
              {t('paxosLearners')}
              <input type="number" min={0} max={5} value={f.learners} data-testid="set-learners" onChange={(e) => setF({ ...f, learners: Number(e.target.value) })} />
            </label>
            <label>
              {t('paxosMode')}
              <select value={f.mode} data-testid="set-mode" onChange={(e) => setF({ ...f, mode: e.target.value as 'basic' | 'multi' })}>
                <option value="basic">{t('paxosMode.basic')}</option>
                <option value="multi">{t('paxosMode.multi')}</option>
              </select>
            </label>
          </>
        )}
        <label>
          {t('seed')}
          <input value={f.seed} maxLength={64} data-testid="set-seed" onChange={(e) => setF({ ...f, seed: e.target.value })} />
        </label>
        {f.protocol === 'zab' && (
          <>
            <label>
              {t('zkRelease')}
              <select value={f.zk} data-testid="set-zk" onChange={(e) => setF({ ...f, zk: e.target.value as typeof f.zk })}>
                {ZK_RELEASES.map((r) => (
                  <option key={r} value={r}>
                    {t(`zkRelease.${r}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <p className="small muted wide">{t('zkRelease.help')}</p>
            {num('tickTime', 100, 60_000)}
            {num('initLimit', 1, 100)}
            {num('syncLimit', 1, 100)}
          </>
        )}
      </div>
      <div className="actions">
        <button className="primary" data-testid="apply" onClick={apply}>
          {t('apply')}
        </button>
        <button onClick={props.onClose}>{t('cancel')}</button>
      </div>
      <div className="actions">
        <button data-testid="export" onClick={() => send({ type: 'export' })}>
          ⇩ {t('exportJson')}
        </button>
        {/* the input stays in the tab order (visually hidden, not display: none); its label names it */}
        <label className="button">
          ⇧ {t('importJson')}
          <input
            type="file"
            accept="application/json,.json"
            data-testid="import"
            className="visually-hidden"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              // the same limits as this dialog and a link; a problem names the file, in the person's words
              const d = await readScenarioFile(await file.text());
              if (!d.ok) useUi.getState().setError({ key: 'fileProblem', vars: { name: file.name.slice(0, 80) }, problem: d.problem });
              else send({ type: 'load', scenario: d.scenario, runTo: d.time ?? undefined });
              props.onClose();
            }}
          />
        </label>
      </div>
    </Modal>
  );
}

/** Right-click menu of a server. */
export function ServerMenu() {
  const t = useT();
  const menu = useUi((s) => s.menu);
  const node = useUi((s) => (s.menu ? (s.snapshot?.nodes.find((n) => n.id === s.menu!.id) ?? null) : null));
  const close = useUi((s) => s.openMenu);
  const logs = useUi((s) => s.snapshot?.source !== undefined);
  if (!menu || !node || logs) return null;
  return <ServerMenuBody t={t} node={node} x={menu.x} y={menu.y} close={() => close(null)} />;
}

function ServerMenuBody({ t, node, x, y, close }: { t: ReturnType<typeof useT>; node: { id: number; up: boolean; diskFailed: boolean; paused?: { backlog: number } }; x: number; y: number; close(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  const onKeyDown = useModal(ref, close);
  const titleId = useId();
  const act = (action: Parameters<typeof send>[0]) => {
    send(action);
    close();
  };
  // a menu's arrows move between its items (Tab too, kept inside by useModal)
  const arrows = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return onKeyDown(e);
    e.preventDefault();
    e.stopPropagation();
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
  };
  return (
    <div className="menu-back" onClick={close} onContextMenu={(e) => (e.preventDefault(), close())}>
      <div className="server-menu" role="menu" aria-labelledby={titleId} ref={ref} onKeyDown={arrows} data-testid="server-menu" style={{ left: x, top: y }} onClick={(e) => e.stopPropagation()}>
        <div className="menu-title" id={titleId}>{t('server', { id: node.id })}</div>
        {node.up ? (
          <button role="menuitem" onClick={() => act({ type: 'action', action: { verb: 'crash', id: node.id } })}>
            ✕ {t('crash')}
          </button>
        ) : (
          <button role="menuitem" onClick={() => act({ type: 'action', action: { verb: 'restart', id: node.id } })}>
            ↻ {t('restart')}
          </button>
        )}
        <button role="menuitem" onClick={() => act({ type: 'action', action: { verb: node.diskFailed ? 'diskok' : 'diskfail', id: node.id } })}>
          ⛁ {node.diskFailed ? t('diskOk') : t('diskFail')}
        </button>
        {node.up && (
          <button role="menuitem" onClick={() => act({ type: 'action', action: { verb: node.paused ? 'resume' : 'pause', id: node.id } })}>
            {node.paused ? `▶ ${t('resumeProcess')}` : `‖ ${t('pauseProcess')}`}
          </button>
        )}
      </div>
    </div>
  );
}

/** The library of guided scenarios, by protocol. */
export function GuidesDialog() {
  const t = useT();
  const open = useUi((s) => s.dialog === 'guides');
  const close = useUi((s) => s.openDialog);
  const stories = useStories(open);
  if (!open || !stories) return null;
  return (
    <Modal title={t('guides')} onClose={() => close(null)} testid="guides">
      {PROTOCOLS.map((protocol) => (
        <div key={protocol} className="guide-group">
          <h3>{t(`protocol.${protocol}`)}</h3>
          <GuideList ids={guidesOf(protocol)} />
        </div>
      ))}
      <div className="guide-group" data-testid="museum">
        <h3>{t('guidesMuseum')}</h3>
        <p className="small muted">{t('guidesMuseumIntro')}</p>
        <GuideList ids={museumGuides()} />
      </div>
      <button onClick={() => close(null)}>{t('close')}</button>
    </Modal>
  );
}

/** A list of guided scenarios, each a button that opens it. */
function GuideList({ ids }: { ids: string[] }) {
  const t = useT();
  return (
    <ul className="guide-list">
      {ids.map((id) => (
        <li key={id}>
          <button data-testid={`guide-${id}`} onClick={() => openGuide(id)}>
            {t(`guide.${id}.title` as MessageKey)}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Load a guided scenario; its link (#g=…) names it, so a reload or a shared address reopens it. */
export function openGuide(id: string): void {
  const scenario = guideScenario(id);
  if (!scenario) return;
  send({ type: 'load', scenario });
  // a museum story shows its bug beside the release that fixed it; any other closes the compare view
  send({ type: 'compare', protocol: guideCompare(id) });
  history.replaceState(null, '', `${location.pathname}${location.search}#g=${id}`);
  const ui = useUi.getState();
  ui.select(null);
  ui.openDialog(null);
  ui.dismissHint();
}
