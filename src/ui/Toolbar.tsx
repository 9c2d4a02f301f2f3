import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { send } from '../state/worker';
import { useLab, useLogs, useT, useUi } from '../state/store';
import { formatTime, logClock, sliderToSpeed, speedToSlider } from './format';
import { ablationsOn, DEFAULT_RELEASE, RELEASE_RULES } from '../state/protocols';
import type { Scenario } from '../core/scenario/scenario';
import { isMessageKey, type MessageKey } from '../i18n/messages';

export function Toolbar() {
  const t = useT();
  const speed = useUi((s) => s.snapshot?.speed ?? 60);
  const time = useUi((s) => s.snapshot?.time ?? 0);
  const step = useUi((s) => s.snapshot?.step ?? 0);
  const busy = useUi((s) => s.snapshot?.runTo != null);
  const openDialog = useUi((s) => s.openDialog);
  // a real ensemble's logs: played, never changed
  const logs = useLogs();
  // lab mode: real servers, live: nothing to play, step or share
  const live = useLab();
  const origin = useUi((s) => s.snapshot?.source?.origin ?? null);
  // a log's stamps carry no zone: its times are as written, not UTC
  const fromLogs = useUi((s) => s.snapshot?.source?.kind === 'logs');
  return (
    <div className="toolbar" role="toolbar">
      {!live && <PlayControls pulse />}
      {!logs && (
        <button data-testid="write" title={t('writeTitle')} onClick={() => send({ type: 'action', action: { verb: 'write', count: 1 } })} disabled={busy}>
          ✎ {t('write')}
        </button>
      )}
      {!live && (
        <label className="speed">
          {t('speed')}
          <input
            type="range"
            min={0}
            max={100}
            value={speedToSlider(speed)}
            data-testid="speed"
            aria-valuetext={t('speedValue', { x: speedFactor(speed) })}
            onChange={(e) => send({ type: 'speed', value: sliderToSpeed(Number(e.target.value)) })}
          />
          {/* short on screen (the tool bar stays one line at 1280 px while playing); whole for a screen reader */}
          <span className="speed-value" title={t('speedValue', { x: speedFactor(speed) })}>
            {t('speedShort', { x: speedFactor(speed) })}
          </span>
        </label>
      )}
      <span className="stat">
        {t('time')} <b data-testid="sim-time">{formatTime(time)}</b>
      </span>
      {origin !== null && (
        <span className="stat" title={t('wallClockTitle')}>
          <b data-testid="wall-time">{logClock(origin, time).slice(11)}</b> {fromLogs ? t('wallClockLogs') : 'UTC'}
        </span>
      )}
      <span className="stat">
        {t('steps')} <b data-testid="sim-steps">{step}</b>
      </span>
      <LeaderBanner />
      {!logs && !live && <ReleaseBadge />}
      <AblationBadge />
      <span className="spacer" />
      {!logs && (
        <button data-testid="share" title={t('shareTitle')} onClick={() => send({ type: 'share' })}>
          {t('share')}
        </button>
      )}
      {!logs && !live && <WriteButton />}
      <PresentButton />
      <button data-testid="open-settings" title={t('settingsTitle')} onClick={() => openDialog('settings')}>
        ⚙ {t('settings')}
      </button>
      <button data-testid="open-help" title={t('helpTitle')} onClick={() => openDialog('help')} aria-label={t('help')}>
        ?
      </button>
    </div>
  );
}

/** Play / pause, back and step: the tool bar's, and the embed page's. */
export function PlayControls(props: { pulse?: boolean }) {
  const t = useT();
  const playing = useUi((s) => s.snapshot?.playing ?? false);
  const step = useUi((s) => s.snapshot?.step ?? 0);
  const busy = useUi((s) => s.snapshot?.runTo != null);
  return (
    <>
      <button className={`primary ${playing || !props.pulse ? '' : 'pulse'}`} data-testid="play" title={t('playTitle')} onClick={() => send({ type: playing ? 'pause' : 'play' })} disabled={busy}>
        {playing ? `❚❚ ${t('pause')}` : `▶ ${t('play')}`}
      </button>
      <button data-testid="back" title={t('backTitle')} onClick={() => send({ type: 'back' })} disabled={busy || step === 0}>
        ⇤ {t('back')}
      </button>
      <button data-testid="step" title={t('stepTitle')} onClick={() => send({ type: 'step' })} disabled={busy}>
        ⇥ {t('step')}
      </button>
    </>
  );
}

/** Opens the story writer (StoryWriter), or puts it away. */
function WriteButton() {
  const t = useT();
  const writing = useUi((s) => s.writing);
  const setWriting = useUi((s) => s.setWriting);
  return (
    <button data-testid="write-story" aria-pressed={writing} title={t('story.writeTitle')} onClick={() => setWriting(!writing)}>
      ✎ {t('story.write')}
    </button>
  );
}

/** Presenter mode, full screen: large type and high contrast for a projector, a clicker's keys. */
function PresentButton() {
  const t = useT();
  const presenting = useUi((s) => s.presenting);
  const setPresenting = useUi((s) => s.setPresenting);
  useEffect(() => {
    // full screen left by the browser's own Esc: presenter mode goes with it
    const left = () => {
      if (!document.fullscreenElement && useUi.getState().presenting) setPresenting(false);
    };
    document.addEventListener('fullscreenchange', left);
    return () => document.removeEventListener('fullscreenchange', left);
  }, [setPresenting]);
  const toggle = () => {
    if (presenting) {
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
      setPresenting(false);
    } else {
      // full screen where the browser allows it (a click may ask); the mode works without it
      void document.documentElement.requestFullscreen?.().catch(() => undefined);
      setPresenting(true);
    }
  };
  return (
    <button data-testid="present" aria-pressed={presenting} title={t(presenting ? 'present.exitTitle' : 'present.title')} onClick={toggle}>
      {presenting ? `✕ ${t('present.exit')}` : `▣ ${t('present')}`}
    </button>
  );
}

/** Which ZooKeeper release a ZAB run behaves as (chosen in the Cluster dialog). */
function ReleaseBadge() {
  const t = useT();
  const zk = useUi((s) => (s.snapshot?.protocol === 'zab' ? (s.snapshot.scenario.zk ?? DEFAULT_RELEASE) : null));
  if (zk === null) return null;
  return (
    <span className="stat release" data-testid="zk-release" title={t('zkRelease.help')}>
      {t('zkRelease.badge', { version: RELEASE_RULES[zk].version })}
    </span>
  );
}

/** The rules switched off in this run (the bug hunter's counterexamples, ablation scenarios). */
function AblationBadge() {
  const t = useT();
  const names = useUi(useShallow((s) => (s.snapshot ? ablationsOn(s.snapshot.scenario as Scenario) : [])));
  if (!names.length) return null;
  const label = (n: string) => (isMessageKey(`ablation.${n}.name`) ? t(`ablation.${n}.name` as MessageKey) : n);
  return (
    <span className="ablation-badge" data-testid="ablation-badge" title={`${t('hunter.badgeTitle')}: ${names.map(label).join(', ')}`}>
      ⚠ {t('hunter.badge')}
    </span>
  );
}

function LeaderBanner() {
  const t = useT();
  const leader = useUi(useShallow((s) => ({ id: s.snapshot?.lead.id ?? null, epoch: s.snapshot?.lead.epoch ?? 0, protocol: s.snapshot?.protocol ?? 'zab', basic: s.snapshot?.scenario.paxos?.mode === 'basic' })));
  return (
    <span className="leader-banner" data-testid="leader-banner" data-leader={leader.id ?? ''} data-epoch={leader.epoch}>
      {leader.id !== null ? (
        <>
          ★ {t(leader.protocol === '2pc' ? 'coordinator' : 'leader')} <b>S{leader.id}</b>
          {leader.protocol !== '2pc' && (
            <>
              {' '}
              · {t(leader.protocol === 'paxos' ? 'ballotRound' : 'epoch')} <b>{leader.epoch}</b>
            </>
          )}
        </>
      ) : (
        // Basic Paxos has no leader at all: every proposer runs both phases for itself
        t(leader.protocol === '2pc' ? 'noCoordinator' : leader.protocol === 'paxos' && leader.basic ? 'noLeaderBasic' : 'noLeader')
      )}
    </span>
  );
}

/** How many times real time a speed (simulated ms per wall second) is. */
function speedFactor(speed: number): string | number {
  return speed / 1000 < 1 ? (speed / 1000).toPrecision(2) : Math.round(speed / 1000);
}
