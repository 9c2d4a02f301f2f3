import { nodeName } from '../state/clients';
import { useEffect, useReducer } from 'react';
import { send } from '../state/worker';
import { sliderInit, sliderStep } from '../state/slider';
import { useLab, useLogs, useT, useUi } from '../state/store';
import type { Action } from '../core/sim/actions';
import type { Snapshot } from '../worker/messages';

/** A slider that sends its value once, when the person lets go (so the scenario records one action). */
function CommitSlider(props: { label: string; value: number; min: number; max: number; step: number; format(v: number): string; commit(v: number): Action; testid: string }) {
  const [st, step] = useReducer(sliderStep, props.value, sliderInit);
  // how many actions the worker had applied when it showed this value
  const actions = useUi((s) => s.slow?.actions ?? 0);
  useEffect(() => step({ type: 'worker', value: props.value, actions }), [props.value, actions]);
  const { commit } = props;
  useEffect(() => {
    if (st.outbox) send({ type: 'action', action: commit(st.outbox.value) });
    // each numbered send once
  }, [st.outbox?.n]);
  // the value is read from the slider itself: a key's keyup must not meet a render that has not
  // yet seen its keydown's change
  const letGo = (el: HTMLInputElement) => step({ type: 'commit', value: Number(el.value), actions });
  return (
    <label className="slider">
      <span>{props.label}</span>
      <input
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={st.shown}
        data-testid={props.testid}
        onChange={(e) => step({ type: 'change', value: Number(e.target.value) })}
        onPointerUp={(e) => letGo(e.currentTarget)}
        onKeyUp={(e) => letGo(e.currentTarget)}
        onBlur={(e) => st.editing && letGo(e.currentTarget)}
      />
      <span className="value">{props.format(st.shown)}</span>
    </label>
  );
}

/** Network faults and client load, one click or drag away. */
export function NetworkPanel() {
  const t = useT();
  const net = useUi((s) => s.slow?.net);
  const rate = useUi((s) => s.slow?.writeRate ?? 0);
  const logs = useLogs();
  // lab mode: real links are cut and mended; loss, latency and a load are the simulator's
  const live = useLab();
  if (!net || logs) return null;
  return (
    <details className="panel network" open data-testid="network">
      <summary>
        <h2>{t('network')}</h2>
      </summary>
      {!live && (
        <>
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
        </>
      )}
      {/* lab mode: a real client's steady load, up to what one session sends (LAB_MAX_RATE) */}
      <CommitSlider label={t('writeRate')} testid="rate" value={rate} min={0} max={live ? 50 : 200} step={1} format={(v) => t('perSecond', { n: v })} commit={(perSecond) => ({ verb: 'rate', perSecond })} />
      <button data-testid="heal" onClick={() => send({ type: 'action', action: { verb: 'heal' } })}>
        {t('healAll')}
      </button>
      <p className="small muted">{t('faultsHint')}</p>
      <LinkList />
      <FlightList />
    </details>
  );
}

/** The peers a server has a link to worth cutting: 2PC's participants talk to the coordinator only. */
function peersOf(snap: Snapshot, id: number): number[] {
  if (snap.protocol === '2pc' && id !== 1) return [1];
  return snap.nodes.map((n) => n.id).filter((p) => p !== id);
}

/** The selected server's links, each a button to cut or mend it: the keyboard's way to what a click on a link does. */
function LinkList() {
  const t = useT();
  const snap = useUi((s) => s.slow);
  const selected = useUi((s) => s.selected);
  if (!snap) return null;
  const node = selected === null ? undefined : snap.nodes.find((n) => n.id === selected);
  if (!node) return <p className="small muted" data-testid="links-hint">{t('linksHint')}</p>;
  const cuts = new Set(snap.cuts);
  const group = (id: number) => snap.groups[id] ?? 0;
  return (
    <div className="links" data-testid="links">
      <h3 id="links-title">{t('linksOf', { id: node.id })}</h3>
      <ul aria-labelledby="links-title">
        {peersOf(snap, node.id).map((peer) => {
          const [a, b] = node.id < peer ? [node.id, peer] : [peer, node.id];
          const byHand = cuts.has(`${a}-${b}`);
          const parted = group(a) !== group(b);
          return (
            <li key={peer}>
              {byHand ? (
                <button data-testid={`mend-${a}-${b}`} onClick={() => send({ type: 'action', action: { verb: 'mend', a, b } })}>
                  {t('mendPair', { a, b })}
                </button>
              ) : parted ? (
                <span className="muted">{t('partitionedPair', { a, b })}</span>
              ) : (
                <button data-testid={`cut-${a}-${b}`} onClick={() => send({ type: 'action', action: { verb: 'cut', a, b } })}>
                  {t('cutPair', { a, b })}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

const FLIGHTS_LISTED = 12;

/** Messages in flight, each a button that drops it: what a click on a message does, by keyboard. */
function FlightList() {
  const t = useT();
  const flights = useUi((s) => s.slow?.flights);
  const selected = useUi((s) => s.selected);
  if (!flights) return null;
  // the selected server's messages first, then the oldest
  const mine = (f: { from: number; to: number }) => f.from === selected || f.to === selected;
  const listed = [...flights.filter(mine), ...flights.filter((f) => !mine(f))].slice(0, FLIGHTS_LISTED);
  return (
    <div className="flights" data-testid="flights">
      <h3 id="flights-title">{t('flightsTitle')}</h3>
      {listed.length === 0 ? (
        <p className="small muted">{t('noFlights')}</p>
      ) : (
        <ul aria-labelledby="flights-title">
          {listed.map((f) => (
            <li key={f.id}>
              <button data-testid={`drop-${f.id}`} onClick={() => send({ type: 'action', action: { verb: 'drop', msg: f.id } })}>
                {t('dropFlight', { id: f.id, kind: f.kind, from: nodeName(f.from), to: nodeName(f.to) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {flights.length > listed.length && <p className="small muted">{t('flightsMore', { n: flights.length - listed.length })}</p>}
    </div>
  );
}
