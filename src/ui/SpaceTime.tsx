import { nodeName } from '../state/clients';
import { select } from 'd3-selection';
import { useEffect, useRef, useState } from 'react';
import { send } from '../state/worker';
import { useT, useUi, type Arrow, type Mark } from '../state/store';
import { HUE, messageLook } from './canvas/palette';
import { protocolLook } from '../state/protocols';
import type { ProtocolLook } from '../core/face/face';
import { formatTime } from './format';
import { attr, text } from './canvas/dom';
import { Splitter } from './Splitter';
import { PANE_LIMITS, usePanes } from '../state/panes';

const WINDOWS = [500, 2000, 10_000, 60_000];
/** a lane's height: at least this, more when the person makes the diagram taller */
const LANE_MIN = 14;
const LANE_MAX = 40;
const LEFT = 34;
/** the head line above the plot, px */
const HEAD = 26;

/**
 * Where the window ends: now, unless nothing has happened for most of a window (a wait skipped, a
 * quiet stretch): then just after the last message or milestone, so the window keeps showing the
 * recent past rather than an empty stretch, and the quiet time up to now is said in words.
 */
export function windowEnd(now: number, windowMs: number, arrows: readonly Arrow[], marks: readonly Mark[]): number {
  let last = -Infinity;
  for (let i = arrows.length - 1, seen = 0; i >= 0 && seen < 400; i--, seen++) {
    const a = arrows[i]!;
    last = Math.max(last, a.recv !== null && a.recv >= 0 ? a.recv : a.sent);
  }
  for (let i = marks.length - 1, seen = 0; i >= 0 && seen < 50; i--, seen++) last = Math.max(last, marks[i]!.time);
  if (!Number.isFinite(last) || now - last <= windowMs * 0.8) return now;
  return Math.min(now, last + windowMs * 0.2);
}

/**
 * The space-time diagram: one lane per server, time flowing right, an arrow per message from its
 * sending to its delivery (a lost one ends in a cross). The current moment is the right edge;
 * a click jumps the run there. By keyboard it is a slider: ← → move a cursor over the window,
 * Home / End go to its ends, Enter jumps the run to the cursor.
 */
export function SpaceTime() {
  const t = useT();
  const svg = useRef<SVGSVGElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  const [windowMs, setWindowMs] = useState(2000);
  // a lane per server, then one per ZooKeeper client
  const nodes = useUi((s) => (s.slow?.nodes.length ?? 0) + (s.slow?.clients?.length ?? 0));
  const now = useUi((s) => s.slow?.time ?? 0);
  const arrows = useUi((s) => s.arrows);
  const marks = useUi((s) => s.marks);
  const ids = useUi((s) => [...(s.slow?.nodes ?? []), ...(s.slow?.clients ?? [])].map((n) => n.id).join(','));
  const protocol = useUi((s) => s.slow?.protocol ?? 'zab');
  const paneHeight = usePanes((s) => s.spacetime);
  const setPane = usePanes((s) => s.set);
  const lane = Math.max(LANE_MIN, Math.min(LANE_MAX, Math.floor((paneHeight - HEAD - 20) / Math.max(1, nodes))));
  const end = windowEnd(now, windowMs, arrows, marks);
  // the keyboard's cursor, as a distance back from the window's end (so it stays put as time runs)
  const [back, setBack] = useState(0);
  const cursor = Math.max(0, end - Math.min(back, windowMs));
  const [focused, setFocused] = useState(false);

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => e && setWidth(Math.max(200, Math.floor(e.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!svg.current) return;
    draw(svg.current, { width, windowMs, now: end, live: end === now, lane, arrows, marks, lanes: ids ? ids.split(',').map(Number) : [], look: protocolLook(protocol) });
  }, [width, windowMs, now, end, lane, arrows, marks, ids, protocol]);

  useEffect(() => {
    if (svg.current) drawCursor(svg.current, { width, windowMs, back, shown: focused, height: Math.max(1, nodes) * lane + 10 });
  });

  const height = Math.max(1, nodes) * lane + 20;
  const onKeyDown = (e: React.KeyboardEvent<SVGSVGElement>) => {
    const stepMs = windowMs / 40;
    const moves: Record<string, number> = { ArrowLeft: back + stepMs, ArrowDown: back + stepMs, ArrowRight: back - stepMs, ArrowUp: back - stepMs, PageUp: back + windowMs / 4, PageDown: back - windowMs / 4, Home: windowMs, End: 0 };
    if (e.key in moves) {
      e.preventDefault();
      setBack(Math.min(windowMs, end, Math.max(0, moves[e.key]!)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      send({ type: 'seek', time: Math.round(cursor) });
      setBack(0);
    }
  };
  const onClick = (e: React.MouseEvent<SVGSVGElement>) => {
    const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
    if (x < LEFT) return;
    const time = end - windowMs + ((x - LEFT) / (width - LEFT - 8)) * windowMs;
    send({ type: 'seek', time: Math.max(0, Math.round(time)) });
  };
  return (
    <section className="spacetime" ref={wrap} data-testid="spacetime" style={{ height: paneHeight }}>
      <Splitter orientation="horizontal" value={paneHeight} min={PANE_LIMITS.spacetime.min} max={PANE_LIMITS.spacetime.max} grow={-1} label={t('resizeSpacetime')} testid="resize-spacetime" onChange={(px) => setPane('spacetime', px)} />
      <div className="spacetime-head">
        <b>{t('spacetime')}</b> <span className="muted small">{t('spacetimeHint')}</span>
        {end < now && (
          <span className="spacetime-quiet" data-testid="spacetime-quiet">
            {t('spacetimeQuiet', { s: ((now - end) / 1000).toFixed(1) })}
          </span>
        )}
        <select value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))} aria-label={t('spacetimeWindow')}>
          {WINDOWS.map((w) => (
            <option key={w} value={w}>
              {formatTime(w)}
            </option>
          ))}
        </select>
      </div>
      <svg
        ref={svg}
        width={width}
        height={height}
        onClick={onClick}
        tabIndex={0}
        role="slider"
        aria-label={t('spacetime')}
        aria-description={t('spacetimeKeys')}
        aria-valuemin={Math.round(Math.max(0, end - windowMs))}
        aria-valuemax={Math.round(end)}
        aria-valuenow={Math.round(cursor)}
        aria-valuetext={formatTime(cursor)}
        data-testid="spacetime-plot"
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
      />
    </section>
  );
}

/**
 * Arrows sit in a plot group at fixed positions (x = time × scale) and the group slides left as
 * time passes: a refresh moves one transform and writes only new arrows and those still flying,
 * instead of rewriting every line (that rewrite made one frame in twelve late under load).
 */
function draw(el: SVGSVGElement, o: { width: number; windowMs: number; now: number; live: boolean; lane: number; arrows: Arrow[]; marks: Mark[]; lanes: number[]; look: ProtocolLook }): void {
  const LANE = o.lane;
  const s = select(el);
  const from = o.now - o.windowMs;
  const px = (o.width - LEFT - 8) / o.windowMs;
  const ax = (tm: number) => Math.round(tm * px * 10) / 10;
  const laneY = new Map(o.lanes.map((id, i) => [id, 10 + i * LANE + LANE / 2]));
  const bottom = 10 + o.lanes.length * LANE;
  const lanes = s
    .selectAll<SVGGElement, number>('g.lane')
    .data(o.lanes, (d) => String(d))
    .join((enter) => {
      const g = enter.append('g').attr('class', 'lane');
      g.append('line');
      g.append('text').attr('x', 4);
      return g;
    });
  lanes.each(function (id) {
    const y = laneY.get(id)!;
    const g = select(this);
    const line = g.select('line');
    attr(line, 'x1', LEFT);
    attr(line, 'x2', o.width - 8);
    attr(line, 'y1', y);
    attr(line, 'y2', y);
    attr(g.select('text'), 'y', y + 4);
    text(g.select('text'), () => nodeName(id));
  });
  // the plot, clipped to the window, slid so that `from` sits at the left edge
  let clip = s.select<SVGClipPathElement>('clipPath');
  if (clip.empty()) {
    clip = s.append('clipPath').attr('id', `st-clip-${clipSeq++}`);
    clip.append('rect');
    s.append('g').attr('class', 'plot').attr('clip-path', `url(#${clip.attr('id')})`).append('g').attr('class', 'slide');
  }
  const r = clip.select('rect');
  attr(r, 'x', LEFT);
  attr(r, 'y', 0);
  attr(r, 'width', Math.max(0, o.width - 8 - LEFT));
  attr(r, 'height', bottom + 4);
  const slide = s.select<SVGGElement>('g.slide');
  attr(slide, 'transform', `translate(${(LEFT - from * px).toFixed(1)},0)`);
  // the most recent few hundred: at high load the diagram is a blur beyond that anyway
  const visible = o.arrows.slice(-400).filter((a) => laneY.has(a.from) && laneY.has(a.to) && a.sent <= o.now && (a.recv === null || a.recv === -1 || a.recv >= from) && a.sent >= from - o.windowMs);
  // delivered: sender lane at sending → receiver lane at delivery; in flight: halfway, up to now;
  // lost: a short stub that stops between the lanes
  const end = (d: Arrow): { x: number; y: number } => {
    const y0 = laneY.get(d.from)!;
    const y1 = laneY.get(d.to)!;
    if (d.recv !== null && d.recv >= 0) return { x: ax(d.recv), y: y1 };
    if (d.recv === -1) return { x: ax(d.sent + o.windowMs / 60), y: y0 + (y1 - y0) * 0.35 };
    return { x: ax(o.now), y: y0 + (y1 - y0) * 0.5 };
  };
  const lines = slide.selectAll<SVGLineElement, Arrow>('line.msg').data(visible, (d) => String(d.id)).join('line');
  attr(lines, 'class', (d) => `msg${d.recv === -1 ? ' lost' : d.recv === null ? ' flying' : ''}`);
  attr(lines, 'stroke', (d) => HUE[messageLook(o.look, d.kind).hue]);
  attr(lines, 'x1', (d) => ax(d.sent));
  attr(lines, 'y1', (d) => laneY.get(d.from)!);
  attr(lines, 'x2', (d) => end(d).x);
  attr(lines, 'y2', (d) => end(d).y);
  const marks = o.marks.filter((m) => m.time >= from && m.time <= o.now && laneY.has(m.node));
  const dots = slide.selectAll<SVGCircleElement, Mark>('circle.mark').data(marks, (d) => `${d.node}-${d.time}-${d.code}`).join('circle');
  attr(dots, 'class', (d) => `mark ${d.code.split('.')[0]} ${d.code.replace('.', '-')}`);
  attr(dots, 'r', 4);
  attr(dots, 'cx', (d) => ax(d.time));
  attr(dots, 'cy', (d) => laneY.get(d.node)!);
  // the red line is now; a window that ends earlier (a quiet stretch since) ends in a dashed one
  const nowLine = s.selectAll('line.now').data([0]).join('line').attr('class', 'now').classed('earlier', !o.live);
  attr(nowLine, 'x1', LEFT + o.windowMs * px);
  attr(nowLine, 'x2', LEFT + o.windowMs * px);
  attr(nowLine, 'y1', 2);
  attr(nowLine, 'y2', bottom);
}

let clipSeq = 0;

/** The keyboard's cursor: a dashed line `back` ms before the right edge, while the diagram has focus. */
function drawCursor(el: SVGSVGElement, o: { width: number; windowMs: number; back: number; shown: boolean; height: number }): void {
  const x = LEFT + ((o.windowMs - Math.min(o.back, o.windowMs)) / o.windowMs) * (o.width - LEFT - 8);
  const line = select(el).selectAll('line.cursor').data(o.shown ? [0] : []).join('line').attr('class', 'cursor');
  attr(line, 'x1', x);
  attr(line, 'x2', x);
  attr(line, 'y1', 2);
  attr(line, 'y2', o.height);
}
