import { useEffect, useRef, useState } from 'react';
import { useT, useUi } from '../../state/store';
import { isMessageKey, type MessageKey } from '../../i18n/messages';
import { clusterDrawing, drawCluster, type ClusterDrawing } from './draw';
import { send } from '../../state/worker';
import type { Action } from '../../core/sim/actions';
import type { Snapshot } from '../../worker/messages';
import type { Point } from './layout';
import type { CompareTarget } from '../../core/scenario/scenario';
import type { FaceText, ProtocolLook, Shape } from '../../core/face/face';
import { DEFAULT_RELEASE, PROTOCOLS, protocolLook, RELEASE_RULES, ZK_RELEASES } from '../../state/protocols';

/**
 * A server let go after a drag: onto another server, it joins that server's side; far outside
 * the ring, it is cut off on a side of its own; back inside the ring, it rejoins the majority.
 */
export function partitionAfterDrag(snap: Snapshot, id: number, x: number, y: number, pos: Map<number, Point>, ringR: number): Action | null {
  const groups: Record<number, number> = { ...snap.groups };
  let target: number | null = null;
  let best = 48;
  for (const [other, p] of pos) {
    if (other === id) continue;
    const d = Math.hypot(p.x - x, p.y - y);
    if (d < best) {
      best = d;
      target = other;
    }
  }
  const ring = snap.ensemble.ring.filter((n) => pos.has(n)).map((n) => pos.get(n)!);
  const cx = ring.reduce((a, p) => a + p.x, 0) / Math.max(1, ring.length);
  const cy = ring.reduce((a, p) => a + p.y, 0) / Math.max(1, ring.length);
  if (target !== null) groups[id] = groups[target] ?? 0;
  else if (Math.hypot(x - cx, y - cy) > ringR * 1.25) groups[id] = Math.max(0, ...Object.values(groups)) + 1;
  else groups[id] = 0;
  const byGroup = new Map<number, number[]>();
  for (const n of snap.nodes) {
    const g = groups[n.id] ?? 0;
    byGroup.set(g, [...(byGroup.get(g) ?? []), n.id]);
  }
  // nothing changed (dropped back where it was): no action, no entry in the scenario
  if (snap.nodes.every((n) => (groups[n.id] ?? 0) === (snap.groups[n.id] ?? 0))) return null;
  if (byGroup.size <= 1) return { verb: 'heal' };
  return { verb: 'partition', groups: [...byGroup.entries()].filter(([g]) => g !== 0).map(([, ids]) => ids) };
}
import { HUE } from './palette';

function Glyph({ shape, fill }: { shape: Shape; fill: string }) {
  return (
    <svg width="14" height="12" aria-hidden="true">
      {shape === 'circle' ? <circle cx="7" cy="6" r="5" fill={fill} /> : shape === 'rect' ? <rect x="1" y="1" width="12" height="10" fill={fill} /> : <path d="M7,0L13,6L7,12L1,6z" fill={fill} />}
    </svg>
  );
}

/** What the colours, shapes and small print on the canvas mean, as the protocol explains them. */
function Legend({ look }: { look: ProtocolLook }) {
  const t = useT();
  const say = (code: string) => (isMessageKey(`legend.${code}`) ? t(`legend.${code}` as MessageKey) : isMessageKey(`state.${code}`) ? t(`state.${code}` as MessageKey) : code);
  const shown = look.legend.filter((l) => l.node || l.message);
  const words = look.legend.filter((l) => !l.node && !l.message);
  return (
    <details className="legend" data-testid="legend">
      <summary>{t('legend')}</summary>
      <ul>
        {shown.map((l) => (
          <li key={l.code}>
            {l.node ? <span className="sw" style={{ background: HUE[l.node] }} /> : <Glyph shape={l.message!.shape} fill={HUE[l.message!.hue]} />}
            {say(l.code)}
          </li>
        ))}
        <li>
          <svg width="14" height="12" aria-hidden="true">
            <line x1="0" y1="6" x2="14" y2="6" stroke="#d64545" strokeDasharray="3 2" strokeWidth="2" />
          </svg>
          {t('legend.cut')}
        </li>
        {words.map((l) => (
          <li key={l.code}>{say(l.code)}</li>
        ))}
      </ul>
    </details>
  );
}

/** Run the same script beside this one: on another protocol, or (ZAB) on another ZooKeeper release. */
export function ComparePicker() {
  const t = useT();
  const protocol = useUi((s) => s.snapshot?.protocol ?? null);
  const release = useUi((s) => (s.snapshot?.protocol === 'zab' ? (s.snapshot.scenario.zk ?? DEFAULT_RELEASE) : null));
  const other = useUi((s) => (s.compare ? (s.compare.protocol === 'zab' && protocol === 'zab' ? `zab@${s.compare.scenario.zk ?? DEFAULT_RELEASE}` : s.compare.protocol) : ''));
  const logs = useUi((s) => s.snapshot?.source !== undefined);
  if (logs) return null;
  return (
    <label className="compare-picker" title={t('compareTitle')}>
      {t('compareWith')}
      <select data-testid="compare" value={other} onChange={(e) => send({ type: 'compare', protocol: e.target.value === '' ? null : (e.target.value as CompareTarget) })}>
        <option value="">{t('compareNone')}</option>
        {PROTOCOLS.filter((p) => p !== protocol).map((p) => (
          <option key={p} value={p}>
            {t(`protocol.${p}`)}
          </option>
        ))}
        {release !== null &&
          ZK_RELEASES.filter((r) => r !== release).map((r) => (
            <option key={r} value={`zab@${r}`}>
              {t('compareRelease', { version: RELEASE_RULES[r].version })}
            </option>
          ))}
      </select>
    </label>
  );
}

/**
 * A face's words in the page's language: protocol terms and numbers, each word the catalogue
 * knows translated (faceWord.*), or a catalogue sentence (face.<code>) with its arguments.
 */
function faceText(t: ReturnType<typeof useT>, text: FaceText): string {
  if (typeof text === 'string') return text.split(' ').map((w) => (isMessageKey(`faceWord.${w}`) ? t(`faceWord.${w}` as MessageKey) : w)).join(' ');
  const key = `face.${text.code}`;
  return isMessageKey(key) ? t(key as MessageKey, text.args) : text.code;
}

/** The cluster drawn by d3 from the latest snapshot; React only owns the <svg> element. */
export function ClusterCanvas({ which = 'main' }: { which?: 'main' | 'compare' }) {
  const wrap = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const overlay = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState({ width: 800, height: 560 });
  const snapshot = useUi((s) => (which === 'main' ? s.snapshot : s.compare));
  // one selection for both canvases: the same server is ringed on each, the inspector shows the
  // main run's, and a fault clicked on either applies to both runs (they share one script)
  const selected = useUi((s) => s.selected);
  const select = useUi((s) => s.select);
  // this canvas's own drawing state, made with its <svg>: two canvases never share one
  const drawing = useRef<ClusterDrawing | null>(null);
  const openMenu = useUi((s) => s.openMenu);
  const compareOn = useUi((s) => s.compare !== null);
  // the model beside a real ensemble's logs
  const besideLogs = useUi((s) => which === 'compare' && s.snapshot?.source !== undefined);
  const locale = useUi((s) => s.locale);
  const t = useT();

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      setSize({ width: Math.max(320, Math.floor(width)), height: Math.max(320, Math.floor(height)) });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!svg.current || !snapshot) return;
    if (drawing.current?.svg !== svg.current) drawing.current = clusterDrawing(svg.current, overlay.current);
    drawCluster(drawing.current, snapshot, {
      ...size,
      selected,
      onSelect: select,
      stateLabel: (st) => t(`state.${st}` as MessageKey),
      shortState: (st) => (isMessageKey(`stateShort.${st}`) ? t(`stateShort.${st}` as MessageKey) : isMessageKey(`state.${st}`) ? t(`state.${st}` as MessageKey).slice(0, 5) : st.slice(0, 5)),
      faceText: (text) => faceText(t, text),
      locale,
      look: protocolLook(snapshot.protocol),
      texts: {
        cut: t('cutLink'),
        committed: t('canvas.committed'),
        logged: t('canvas.logged'),
        aborted: t('canvas.aborted'),
        paused: t('pausedProcess'),
      },
      violating: new Set(snapshot.violations.flatMap((v) => v.nodes)),
      texts2: { drop: t('dropHint'), link: t('linkHint') },
      onDrop: (msg) => send({ type: 'action', action: { verb: 'drop', msg } }),
      onLink: (a, b, cutByHand) => {
        if (cutByHand) send({ type: 'action', action: { verb: 'mend', a, b } });
        else if ((snapshot.groups[a] ?? 0) === (snapshot.groups[b] ?? 0)) send({ type: 'action', action: { verb: 'cut', a, b } });
      },
      onDragEnd: (id, x, y, positions, ringR) => {
        const action = partitionAfterDrag(snapshot, id, x, y, positions, ringR);
        if (action) send({ type: 'action', action });
      },
      onContext: (id, x, y) => openMenu({ id, x, y }),
    });
  }, [snapshot, size, selected, select, openMenu, t, locale]);

  return (
    <div className={compareOn ? 'canvas comparing' : 'canvas'} ref={wrap} data-which={which}>
      {compareOn && snapshot && <span className="canvas-title">{canvasTitle(t, snapshot, besideLogs)}</span>}
      <svg ref={svg} data-testid={which === 'main' ? 'canvas' : 'canvas-compare'} role="group" aria-label={compareOn && snapshot ? `${t('canvasLabel')} — ${canvasTitle(t, snapshot, besideLogs)}` : t('canvasLabel')} />
      <svg ref={overlay} className="flights-layer" data-testid={which === 'main' ? 'canvas-flights' : 'canvas-flights-compare'} />
      {which === 'main' && snapshot && <Legend look={protocolLook(snapshot.protocol)} />}
    </div>
  );
}

/** A canvas of the compare view names its protocol, and for ZAB its release. */
function canvasTitle(t: ReturnType<typeof useT>, snap: Snapshot, besideLogs = false): string {
  // short: the title sits beside the top server of a half-width canvas
  if (snap.source) return t(snap.source.kind === 'lab' ? 'canvasTitle.lab' : 'canvasTitle.logs');
  if (besideLogs) return t('canvasTitle.model', { version: RELEASE_RULES[snap.scenario.zk ?? DEFAULT_RELEASE].version });
  return snap.protocol === 'zab' ? t('canvasTitle.zab', { version: RELEASE_RULES[snap.scenario.zk ?? DEFAULT_RELEASE].version }) : t(`protocol.${snap.protocol}`);
}
