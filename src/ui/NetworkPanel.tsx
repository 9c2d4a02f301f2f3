import { useEffect, useState } from 'react';
import { send } from '../state/worker';
import { useT, useUi } from '../state/store';
import type { Action } from '../core/sim/actions';

/** A slider that sends its value once, when the person lets go (so the scenario records one action). */
function CommitSlider(props: { label: string; value: number; min: number; max: number; step: number; format(v: number): string; commit(v: number): Action; testid: string }) {
  const [v, setV] = useState(props.value);
  const [dragging, setDragging] = useState(false);
  // a value sent to the worker and not yet seen back: keep showing it meanwhile
  const [sent, setSent] = useState<number | null>(null);
  useEffect(() => {
    if (sent !== null && props.value === sent) setSent(null);
    if (!dragging && sent === null) setV(props.value);
  }, [props.value, dragging, sent]);
  const commit = () => {
    setDragging(false);
    if (v !== props.value && v !== sent) {
      setSent(v);
      send({ type: 'action', action: props.commit(v) });
    }
  };
  return (
    <label className="slider">
      <span>{props.label}</span>
      <input
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={v}
        data-testid={props.testid}
        onChange={(e) => {
          setDragging(true);
          setV(Number(e.target.value));
        }}
        onPointerUp={commit}
        onKeyUp={commit}
        onBlur={() => dragging && commit()}
      />
      <span className="value">{props.format(v)}</span>
    </label>
  );
}

/** Network faults and client load, one click or drag away. */
export function NetworkPanel() {
  const t = useT();
  const net = useUi((s) => s.slow?.net);
  const rate = useUi((s) => s.slow?.writeRate ?? 0);
  if (!net) return null;
  return (
    <details className="panel network" open data-testid="network">
      <summary>
        <h2>{t('network')}</h2>
      </summary>
      <CommitSlider label={t('loss')} testid="loss" value={net.loss} min={0} max={0.5} step={0.01} format={(v) => `${Math.round(v * 100)}%`} commit={(p) => ({ verb: 'loss', p })} />
      <CommitSlider
        label={t('latency')}
        testid="latency"
        value={net.latencyMax}
        min={1}
        max={500}
        step={1}
        format={(v) => `${Math.max(1, Math.round(v / 3))}–${v} ms`}
        commit={(v) => ({ verb: 'latency', min: Math.max(1, Math.round(v / 3)), max: v })}
      />
      <CommitSlider label={t('writeRate')} testid="rate" value={rate} min={0} max={200} step={1} format={(v) => t('perSecond', { n: v })} commit={(perSecond) => ({ verb: 'rate', perSecond })} />
      <button data-testid="heal" onClick={() => send({ type: 'action', action: { verb: 'heal' } })}>
        {t('healAll')}
      </button>
      <p className="small muted">{t('faultsHint')}</p>
    </details>
  );
}
