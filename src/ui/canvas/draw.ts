import { select, type Selection } from 'd3-selection';
import { drag } from 'd3-drag';
import type { Flight } from '../../core/sim/simulator';
import type { NodeSnap, Snapshot } from '../../worker/messages';
import { voteLabel, zxidShort, zxidHex } from '../format';
import { counterOf } from '../../core/zk/zxid';
import { layout, nodeRadius, RING_ROLES, type Point } from './layout';
import { STATE_COLOR, messageStyle } from './palette';

export interface DrawOptions {
  width: number;
  height: number;
  selected: number | null;
  onSelect(id: number | null): void;
  stateLabel(state: string): string;
  shortState(state: string): string;
  /** a 2PC / Paxos line under a node, its words through the catalogue */
  faceLine(line: string): string;
  texts: { round: string; vote: string; cut: string; agree(a: number, q: number): string; finalizing: string; silent(leader: number, s: string, limit: string): string };
  /** servers named by an invariant violation */
  violating: Set<number>;
  /** simulated time of the snapshot */
  now: number;
  onDrop(msgId: number): void;
  /** a link was clicked: cut it, or mend it if it was cut by hand */
  onLink(a: number, b: number, cutByHand: boolean): void;
  /** a server was dragged and let go at (x, y) in canvas coordinates */
  onDragEnd(id: number, x: number, y: number, positions: Map<number, Point>, ringRadius: number): void;
  onContext(id: number, clientX: number, clientY: number): void;
  texts2: { drop: string; link: string };
}

/** Where a server is being dragged to, if one is. */
let dragging: { id: number; x: number; y: number } | null = null;

type G = Selection<SVGGElement, unknown, null, undefined>;

/**
 * Set an element's text only when it changes: d3's .text() replaces the text node every time,
 * and at 60 frames a second over hundreds of labels that churn is what makes frames late.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function text<D>(sel: Selection<any, D, any, any>, f: (d: D) => string): void {
  sel.each(function (d) {
    const v = f(d);
    if (this.textContent !== v) this.textContent = v;
  });
}

/** Draw one snapshot: links, servers and messages in flight. Pure projection of the data. */
export function drawCluster(svgEl: SVGSVGElement, snap: Snapshot, o: DrawOptions): void {
  const svg = select(svgEl);
  svg.attr('viewBox', `0 0 ${o.width} ${o.height}`).attr('width', o.width).attr('height', o.height);
  svg.on('click', (e: MouseEvent) => {
    if (e.target === svgEl) o.onSelect(null);
  });
  const links = layer(svg, 'links');
  const nodesG = layer(svg, 'servers');
  const flightsG = layer(svg, 'flights');
  const pos = layout(snap.nodes, snap.groups, o.width, o.height);
  if (dragging) pos.set(dragging.id, { x: dragging.x, y: dragging.y });
  const r = nodeRadius(snap.nodes.length);
  const detailed = r >= 24;

  drawLinks(links, snap, pos, o);
  drawServers(nodesG, snap.nodes, pos, r, detailed, o, svgEl, snap);
  drawFlights(flightsG, snap, pos, r, o);
}

function layer(svg: Selection<SVGSVGElement, unknown, null, undefined>, name: string): G {
  let g = svg.select<SVGGElement>(`g.${name}`);
  if (g.empty()) g = svg.append('g').attr('class', name);
  return g as unknown as G;
}

/** The links worth drawing: the ones the protocol talks over. */
function linkPairs(snap: Snapshot): { key: string; a: number; b: number }[] {
  const pairs: { key: string; a: number; b: number }[] = [];
  const add = (a: number, b: number) => pairs.push(a < b ? { key: `${a}-${b}`, a, b } : { key: `${b}-${a}`, a: b, b: a });
  const ring = snap.nodes.filter((n) => RING_ROLES.has(n.role));
  const others = snap.nodes.filter((n) => !RING_ROLES.has(n.role));
  if (snap.protocol === '2pc') {
    // the coordinator talks to each participant; participants never talk to one another
    for (const n of snap.nodes) if (n.role !== 'coordinator') add(1, n.id);
    return pairs;
  }
  for (let i = 0; i < ring.length; i++) for (let j = i + 1; j < ring.length; j++) add(ring[i]!.id, ring[j]!.id);
  if (snap.protocol === 'paxos') {
    // proposers and learners talk to every acceptor
    for (const n of others) for (const a of ring) add(a.id, n.id);
    return pairs;
  }
  const leader = snap.nodes.find((n) => n.up && n.state === 'LEADING');
  if (leader) for (const n of others) add(leader.id, n.id);
  return pairs;
}

function drawLinks(g: G, snap: Snapshot, pos: Map<number, Point>, o: DrawOptions): void {
  const pairs = linkPairs(snap);
  const cuts = new Set(snap.cuts);
  const byHand = (p: { a: number; b: number }) => cuts.has(p.a < p.b ? `${p.a}-${p.b}` : `${p.b}-${p.a}`);
  const cut = (p: { a: number; b: number }) => byHand(p) || (snap.groups[p.a] ?? 0) !== (snap.groups[p.b] ?? 0);
  const sel = g
    .selectAll<SVGGElement, (typeof pairs)[number]>('g.linkg')
    .data(pairs, (d) => d.key)
    .join((enter) => {
      const e = enter.append('g').attr('class', 'linkg');
      e.append('line').attr('class', 'link');
      e.append('line').attr('class', 'link-hit');
      e.append('title');
      return e;
    })
    .attr('data-link', (d) => d.key)
    .attr('data-cut', (d) => (cut(d) ? '1' : '0'))
    .on('click', (e: MouseEvent, d) => {
      e.stopPropagation();
      o.onLink(d.a, d.b, byHand(d));
    });
  sel.selectAll<SVGLineElement, unknown>('line')
    .attr('x1', function () { return pos.get((select(this.parentNode as SVGGElement).datum() as { a: number }).a)!.x; })
    .attr('y1', function () { return pos.get((select(this.parentNode as SVGGElement).datum() as { a: number }).a)!.y; })
    .attr('x2', function () { return pos.get((select(this.parentNode as SVGGElement).datum() as { b: number }).b)!.x; })
    .attr('y2', function () { return pos.get((select(this.parentNode as SVGGElement).datum() as { b: number }).b)!.y; });
  sel.select('line.link').classed('cut', (d) => cut(d));
  text(sel.select('title'), (d) => (cut(d) ? `${o.texts.cut} — ${o.texts2.link}` : o.texts2.link));
}

function drawServers(g: G, nodes: NodeSnap[], pos: Map<number, Point>, r: number, detailed: boolean, o: DrawOptions, svgEl: SVGSVGElement, snap: Snapshot): void {
  const sel = g
    .selectAll<SVGGElement, NodeSnap>('g.server')
    .data(nodes, (d) => String(d.id))
    .join((enter) => {
      const e = enter.append('g').attr('class', 'server').attr('tabindex', 0).attr('role', 'button');
      e.append('circle').attr('class', 'halo');
      e.append('circle').attr('class', 'body');
      e.append('text').attr('class', 'sid');
      e.append('text').attr('class', 'crown').text('★');
      e.append('line').attr('class', 'strike');
      e.append('text').attr('class', 'disk').text('⛁');
      e.append('g').attr('class', 'caption');
      e.append('g').attr('class', 'logstrip');
      return e;
    });
  sel
    .attr('transform', (d) => `translate(${pos.get(d.id)!.x},${pos.get(d.id)!.y})`)
    .attr('data-testid', (d) => `server-${d.id}`)
    .attr('data-state', (d) => d.state)
    .attr('aria-label', (d) => `S${d.id} ${o.stateLabel(d.state)}`)
    .classed('selected', (d) => d.id === o.selected)
    .classed('looking', (d) => d.state === 'LOOKING')
    .classed('violating', (d) => o.violating.has(d.id))
    .on('click', (e: MouseEvent, d) => {
      e.stopPropagation();
      o.onSelect(d.id);
    })
    .on('keydown', (e: KeyboardEvent, d) => {
      if (e.key === 'Enter') o.onSelect(d.id);
    })
    .on('contextmenu', (e: MouseEvent, d) => {
      e.preventDefault();
      o.onContext(d.id, e.clientX, e.clientY);
    })
    .call(
      drag<SVGGElement, NodeSnap>()
        .clickDistance(4)
        .container(svgEl)
        .on('drag', (e, d) => {
          dragging = { id: d.id, x: e.x, y: e.y };
          select(svgEl).selectAll<SVGGElement, NodeSnap>('g.server').filter((x) => x.id === d.id).attr('transform', `translate(${e.x},${e.y})`);
        })
        .on('end', (e, d) => {
          const moved = dragging !== null;
          dragging = null;
          if (moved) o.onDragEnd(d.id, e.x, e.y, layout(snap.nodes, snap.groups, o.width, o.height), ringRadius(snap, o));
        }),
    );
  sel.select('circle.halo').attr('r', r + 6);
  sel
    .select('circle.body')
    .attr('r', r)
    .attr('fill', (d) => STATE_COLOR[d.state] ?? '#888')
    .attr('stroke-dasharray', (d) => (RING_ROLES.has(d.role) ? null : '5 3'));
  text(sel.select('text.sid').attr('dy', '0.35em').attr('font-size', Math.max(11, r * 0.55)), (d) => `S${d.id}`);
  sel
    .select('text.crown')
    .attr('y', -r - 4)
    .attr('font-size', Math.max(12, r * 0.6))
    .style('display', (d) => (d.up && (d.state === 'LEADING' || d.state === 'LEADER' || d.role === 'coordinator') ? null : 'none'));
  sel
    .select('line.strike')
    .attr('x1', -r * 0.8)
    .attr('y1', r * 0.8)
    .attr('x2', r * 0.8)
    .attr('y2', -r * 0.8)
    .style('display', (d) => (d.up ? 'none' : null));
  sel
    .select('text.disk')
    .attr('x', r * 0.75)
    .attr('y', -r * 0.6)
    .style('display', (d) => (d.diskFailed ? null : 'none'));

  sel.select<SVGGElement>('g.logstrip').each(function (d) {
    drawLogStrip(select(this), d, r, detailed);
  });
  sel.select<SVGGElement>('g.caption').each(function (d) {
    const lines = caption(d, detailed, o);
    select(this)
      .attr('transform', `translate(0,${r + 13})`)
      .selectAll<SVGTextElement, { text: string; cls: string; title?: string }>('text')
      .data(lines)
      .join('text')
      .attr('y', (_, i) => i * 13)
      .attr('class', (l) => l.cls)
      .call((t) => text(t, (l) => l.text))
      .each(function (l) {
        text(select(this).selectAll('title').data(l.title ? [l.title] : []).join('title'), (x) => x);
      });
  });
}

const STRIP_CELLS = 8;

type Cell = { key: string; text: string; title: string; status: 'committed' | 'pending' | 'aborted' };

/** The tail of the server's log: filled cells are committed (applied), hollow ones only logged. */
function logCells(d: NodeSnap, fit: number): Cell[] {
  if (!d.up) return [];
  if (d.face) {
    return d.face.log.slice(-fit).map((c, i) => ({ key: `${i}:${c.label}`, text: (c.label.split(/[\s:]/).pop() ?? '').replace(/^[A-Za-z]+(?=\d)/, '').slice(-3), title: `${c.label} ${c.status}`, status: c.status }));
  }
  return d.logTail
    .map((zxid, i): Cell => ({ key: String(zxid), text: String(counterOf(zxid) % 100), title: `${zxidHex(zxid)} (${zxidShort(zxid)}) ${i < d.logCommitted ? 'committed' : 'logged, not committed'}`, status: i < d.logCommitted ? 'committed' : 'pending' }))
    .slice(-fit);
}

function drawLogStrip(g: Selection<SVGGElement, unknown, null, undefined>, d: NodeSnap, r: number, detailed: boolean): void {
  // as many cells as fit beside the circle, so the strip never runs into the caption below it
  const fit = Math.min(STRIP_CELLS, Math.max(3, Math.floor((2 * r + 4) / 14)));
  const cells = detailed ? logCells(d, fit) : [];
  const w = 15;
  g.attr('transform', `translate(${r + 6},${-r})`);
  g.selectAll<SVGGElement, Cell>('g.cell')
    .data(cells, (c) => c.key)
    .join((enter) => {
      const e = enter.append('g').attr('class', 'cell');
      e.append('rect').attr('width', w - 2).attr('height', 12).attr('rx', 2);
      e.append('text').attr('x', (w - 2) / 2).attr('y', 9);
      e.append('title');
      return e;
    })
    .attr('transform', (_, i) => `translate(0,${i * 14})`)
    .classed('committed', (c) => c.status === 'committed')
    .classed('aborted', (c) => c.status === 'aborted')
    .each(function (c) {
      const el = select(this);
      text(el.select('text'), () => c.text);
      text(el.select('title'), () => c.title);
    });
}

function caption(d: NodeSnap, detailed: boolean, o: DrawOptions): { text: string; cls: string; title?: string }[] {
  const lines: { text: string; cls: string; title?: string }[] = [{ text: detailed ? o.stateLabel(d.state) : o.shortState(d.state), cls: 'state', title: o.stateLabel(d.state) }];
  if (!d.up || !detailed) return lines;
  if (d.face) return [...lines, ...d.face.lines.slice(0, 2).map((l) => ({ text: o.faceLine(l), cls: 'meta' }))];
  lines.push({ text: `e ${d.acceptedEpoch}/${d.currentEpoch} · zxid ${zxidShort(d.lastZxid)}`, cls: 'meta', title: `acceptedEpoch ${d.acceptedEpoch}, currentEpoch ${d.currentEpoch}, zxid ${zxidHex(d.lastZxid)}, committed ${zxidHex(d.committedZxid)}` });
  if (d.zabState !== 'ELECTION' && d.zabState !== 'BROADCAST') lines.push({ text: d.zabState, cls: 'vote' });
  // a learner that has not heard from its leader for a while: say so, and when it will give up
  if (d.lastHeard !== null && d.leader !== null && o.now - d.lastHeard > 1500) {
    lines.push({ text: o.texts.silent(d.leader, ((o.now - d.lastHeard) / 1000).toFixed(1), (d.readTimeout / 1000).toFixed(0)), cls: 'agree' });
  }
  if (d.state === 'LOOKING') {
    lines.push({ text: `${o.texts.vote} ${voteLabel(d.vote)} · ${o.texts.round} ${d.electionEpoch}`, cls: 'vote' });
    if (d.role === 'voter') lines.push({ text: d.finalizing ? o.texts.finalizing : o.texts.agree(d.agreeing.length, d.quorumSize), cls: 'agree' });
  }
  return lines;
}

/** How far along its link a message is, 0 at the sender, 1 at the receiver. */
function progress(f: Flight, now: number): number {
  if (f.deliverAt === null || f.deliverAt <= f.sentAt) return 0.08;
  return Math.min(1, Math.max(0, (now - f.sentAt) / (f.deliverAt - f.sentAt)));
}

function flightPos(f: Flight, now: number, a: Point, b: Point, r: number): Point {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  // travel from rim to rim so the glyph never hides under a server
  const sx = a.x + (dx / len) * r;
  const sy = a.y + (dy / len) * r;
  const span = Math.max(0, len - 2 * r);
  const p = progress(f, now);
  // the two directions of a link travel side by side, not on top of each other
  const side = 5;
  return { x: sx + (dx / len) * span * p - (dy / len) * side, y: sy + (dy / len) * span * p + (dx / len) * side };
}

/** At most this many message labels at once. */
const LABEL_LIMIT = 10;

function drawFlights(g: G, snap: Snapshot, pos: Map<number, Point>, r: number, o: DrawOptions): void {
  const selected = o.selected;
  const flights = snap.flights.filter((f) => pos.has(f.from) && pos.has(f.to));
  // labels only mid-way, where they cannot sit on a server or its caption
  const midway = (f: Flight) => {
    const p = progress(f, snap.time);
    return p > 0.18 && p < 0.82;
  };
  // a few labels at most (the selected server's first), so they stay readable
  const chosen = new Set<number>();
  for (const f of flights) if (midway(f) && (f.from === selected || f.to === selected)) chosen.add(f.id);
  for (const f of flights) if (chosen.size < LABEL_LIMIT && midway(f)) chosen.add(f.id);
  const labelled = (f: Flight) => chosen.has(f.id);
  const sel = g
    .selectAll<SVGGElement, Flight>('g.flight')
    // keyed by position, not id: elements are reused as messages come and go, instead of
    // thousands created and removed each second under load (positions are recomputed anyway)
    .data(flights)
    .join((enter) => {
      const e = enter.append('g').attr('class', 'flight');
      e.append('circle').attr('class', 'hit').attr('r', 11);
      e.append('path');
      e.append('text');
      e.append('title');
      return e;
    });
  sel
    .attr('data-kind', (d) => d.kind)
    .attr('data-id', (d) => d.id)
    .classed('held', (d) => d.deliverAt === null)
    .attr('transform', (d) => {
      const p = flightPos(d, snap.time, pos.get(d.from)!, pos.get(d.to)!, r);
      return `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`;
    });
  sel
    .select('path')
    .attr('d', (d) => glyph(messageStyle(d.kind).shape))
    .attr('fill', (d) => messageStyle(d.kind).color);
  text(sel.select('text').attr('x', 8).attr('y', -6), (d) => (!labelled(d) ? '' : d.kind === 'NOTIFICATION' ? d.label : d.kind === 'PING' ? '' : snap.protocol !== 'zab' || /^(PROPOSAL|COMMIT|ACK|INFORM)$/.test(d.kind) ? `${d.kind} ${d.label}` : d.kind));
  text(sel.select('title'), (d) => `#${d.id} ${d.kind} ${d.label} S${d.from}→S${d.to} — ${o.texts2.drop}`);
  sel.on('click', (e: MouseEvent, d) => {
    e.stopPropagation();
    o.onDrop(d.id);
  });
}

function glyph(shape: 'circle' | 'rect' | 'diamond'): string {
  if (shape === 'rect') return 'M-7,-5h14v10h-14z';
  if (shape === 'diamond') return 'M0,-7L7,0L0,7L-7,0z';
  return 'M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0';
}

/** The voters' ring radius, as layout draws it (to tell "dragged out of the ring"). */
function ringRadius(snap: Snapshot, o: DrawOptions): number {
  const p = layout(snap.nodes, {}, o.width, o.height);
  const voters = snap.nodes.filter((n) => RING_ROLES.has(n.role));
  if (voters.length < 2) return Math.min(o.width, o.height) * 0.2;
  const xs = voters.map((n) => p.get(n.id)!);
  const cx = xs.reduce((a, q) => a + q.x, 0) / xs.length;
  const cy = xs.reduce((a, q) => a + q.y, 0) / xs.length;
  return Math.max(...xs.map((q) => Math.hypot(q.x - cx, q.y - cy)));
}
