import { ComparePicker } from './canvas/ClusterCanvas';
import { send } from '../state/worker';
import { useLab, useT, useUi } from '../state/store';
import type { MessageKey } from '../i18n/messages';
import type { Breakpoints } from '../worker/messages';
import { formatTime } from './format';

const BREAKPOINTS: (keyof Breakpoints)[] = ['leaderChange', 'newEpoch', 'violation'];

/** Scrub to any earlier moment; choose what pauses the run. */
export function Timeline() {
  const t = useT();
  const time = useUi((s) => s.snapshot?.time ?? 0);
  const maxTime = useUi((s) => s.snapshot?.maxTime ?? 0);
  const bps = useUi((s) => s.breakpoints);
  const setBps = useUi((s) => s.setBreakpoints);
  const pausedBy = useUi((s) => s.snapshot?.pausedBy ?? null);
  const forked = useUi((s) => s.snapshot?.forked ?? null);
  const hash = useUi((s) => s.snapshot?.traceHash ?? '');
  // 2PC and Basic Paxos have no leader and no epochs: only the invariant breakpoint applies
  const protocol = useUi((s) => s.snapshot?.protocol ?? 'zab');
  const basicPaxos = useUi((s) => s.snapshot?.protocol === 'paxos' && s.snapshot.scenario.paxos?.mode === 'basic');
  const skipQuiet = useUi((s) => s.snapshot?.skipQuiet ?? true);
  // lab mode is live: there is no past to scrub, nothing to pause
  if (useLab()) return null;
  return (
    <div className="timeline-row">
      <label className="timeline" title={t('timelineTitle')}>
        {t('timeline')}
        <input
          type="range"
          min={0}
          max={Math.max(1, Math.ceil(maxTime))}
          step={1}
          value={Math.min(Math.round(time), Math.ceil(maxTime))}
          data-testid="timeline"
          aria-label={t('timeline')}
          onChange={(e) => send({ type: 'seek', time: Number(e.target.value) })}
          onKeyDown={(e) => {
            // an arrow moves by 1% of the run (the range's own step is a millisecond, for the mouse)
            const dir = e.key === 'ArrowRight' || e.key === 'ArrowUp' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowDown' ? -1 : 0;
            if (dir === 0 || e.altKey || e.ctrlKey || e.metaKey) return;
            e.preventDefault();
            send({ type: 'seek', time: Math.min(Math.max(0, time + dir * Math.max(1, Math.round(maxTime / 100))), Math.ceil(maxTime)) });
          }}
        />
        {/* the moment shown (the handle's place); the end of the run is in its tooltip */}
        <span className="muted small" data-testid="timeline-time" title={t('timelineEnd', { end: formatTime(maxTime) })}>
          {formatTime(time)}
        </span>
      </label>
      <label className="skip-quiet" title={t('skipQuietTitle')}>
        <input type="checkbox" data-testid="skip-quiet" checked={skipQuiet} onChange={(e) => send({ type: 'skipQuiet', on: e.target.checked })} />
        {t('skipQuiet')}
      </label>
      <span className="bps">
        {t('pauseOn')}
        {BREAKPOINTS.filter((k) => (protocol !== '2pc' && !basicPaxos) || k === 'violation').map((k) => (
          <label key={k}>
            <input
              type="checkbox"
              data-testid={`bp-${k}`}
              checked={bps[k]}
              onChange={(e) => {
                const next = { ...bps, [k]: e.target.checked };
                setBps(next);
                send({ type: 'breakpoints', breakpoints: next });
              }}
            />
            {t(`bp.${k}` as MessageKey)}
          </label>
        ))}
      </span>
      <ComparePicker />
      <span className="stat hash" title={t('traceHash')}>
        # <code data-testid="trace-hash">{hash}</code>
      </span>
      {forked && (
        <span className="forked" role="status" data-testid="forked">
          {t('forked', { at: formatTime(forked.at), until: formatTime(forked.until) })}
        </span>
      )}
      {pausedBy && (
        <span className="paused" role="status" data-testid="paused-by">
          ❚❚ {t(`pausedBy.${pausedBy}` as MessageKey)}
        </span>
      )}
    </div>
  );
}
