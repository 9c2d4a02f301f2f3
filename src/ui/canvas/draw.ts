import { select, type Selection } from 'd3-selection';
import { drag } from 'd3-drag';
import type { Flight } from '../../core/sim/simulator';
import type { NodeSnap, Snapshot } from '../../worker/messages';
import type { FaceLine, FaceText, MessageLook, ProtocolLook, Shape } from '../../core/face/face';
import { attr, setAttr, shown, text } from './dom';
import { fitLayout, layout, type Fitted, type Point } from './layout';
import { HUE, messageLook } from './palette';
import { clientName as name } from '../../state/clients';

export interface DrawOptions {
  width: number;
  height: number;
  selected: number | null;
  onSelect(id: number | null): void;
  stateLabel(state: string): string;
  shortState(state: string): string;
  /** a text of a face in the page's language: its words, or its code, through the catalogue */
  faceText(text: FaceText): string;
  /** the page's language: a change redraws every server's words */
  locale: string;
  /** how the protocol's messages look, what its legend says */
  look: ProtocolLook;
  texts: { cut: string; committed: string; logged: string; aborted: string; paused: string };
  /** servers named by an invariant violation */
  violating: Set<number>;
  onDrop(msgId: number): void;
  /** a link was clicked: cut it, or mend it if it was cut by hand */
  onLink(a: number, b: number, cutByHand: boolean): void;
  /** a server was dragged and let go at (x, y) in canvas coordinates */
  onDragEnd(id: number, x: number, y: number, positions: Map<number, Point>, ringRadius: number): void;
  onContext(id: number, clientX: number, clientY: number): void;
  texts2: { drop: string; link: string };
}

type G = Selection<SVGGElement, unknown, null, undefined>;

/**
 * One canvas's own state: what its event handlers act on (the latest snapshot and options, bound
 * once when an element is created: rebinding them on every frame cost more than drawing), the
 * server being dragged, and when its servers were last drawn. Two canvases side by side (the
 * compare view) each have one, so that neither answers for the other.
 */
export interface ClusterDrawing {
  readonly svg: SVGSVGElement;
  readonly overlay: SVGSVGElement | null;
  snap: Snapshot | null;
  o: DrawOptions | null;
  /** where a server is being dragged to, if one is */
  dragging: { id: number; x: number; y: number } | null;
  serversDrawn: { key: string; at: number } | null;
  /** the last layout and what it was made for: it changes only with the ensemble, a partition or the size */
  fit: { key: string; value: Fitted } | null;
}

export function clusterDrawing(svg: SVGSVGElement, overlay: SVGSVGElement | null = null): ClusterDrawing {
  const st: ClusterDrawing = { svg, overlay, snap: null, o: null, dragging: null, serversDrawn: null, fit: null };
  select(svg).on('click', (e: MouseEvent) => {
    if (e.target === svg) st.o?.onSelect(null);
  });
  return st;
}

/** Draw one snapshot: links, servers and messages in flight. Pure projection of the data. */
export function drawCluster(st: ClusterDrawing, snap: Snapshot, o: DrawOptions): void {
  st.snap = snap;
  st.o = o;
  const svg = select(st.svg);
  attr(svg, 'viewBox', `0 0 ${o.width} ${o.height}`);
  attr(svg, 'width', o.width);
  attr(svg, 'height', o.height);
  const links = layer(svg, 'links');
  const nodesG = layer(svg, 'servers');
  // messages move every frame: on their own layer above, the servers under them need no repaint
  const over = st.overlay ? select(st.overlay) : svg;
  if (st.overlay) {
    attr(over, 'viewBox', `0 0 ${o.width} ${o.height}`);
    attr(over, 'width', o.width);
    attr(over, 'height', o.height);
  }
  const clientsG = layer(svg, 'clients');
  const flightsG = layer(over, 'flights');
  // the largest servers, with the most detail, that fit this canvas without overlapping
  const ring = new Set(snap.ensemble.ring);
  const fitKey = `${o.width}x${o.height}|${snap.nodes.map((n) => `${n.id}${ring.has(n.id) ? 'r' : ''}${snap.groups[n.id] ?? 0}`).join(',')}`;
  if (st.fit?.key !== fitKey) st.fit = { key: fitKey, value: fitLayout(placed(snap), snap.groups, o.width, o.height) };
  const { r, detailed, lines } = st.fit.value;
  // a copy: a dragged server moves in it, not in the cached layout
  const pos = new Map(st.fit.value.pos);
  const dragging = st.dragging;
  if (dragging) pos.set(dragging.id, { x: dragging.x, y: dragging.y });

  // While a run plays, servers and links are redrawn at most every SERVERS_MS: their text changes
  // with every write (a busy frame's layout and paint were mostly that), while messages move on
  // every frame. Anything a person did (select, drag, resize, a pause) redraws them at once.
  const key = `${o.width}x${o.height}|${o.selected}|${snap.nodes.length}|${snap.playing}|${dragging?.id ?? ''}|${o.locale}`;
  const last = st.serversDrawn;
  const t = performance.now();
  if (!snap.playing || !last || last.key !== key || t - last.at >= SERVERS_MS || snap.reset) {
    st.serversDrawn = { key, at: t };
    drawLinks(st, links, snap, pos, o);
    drawServers(st, nodesG, snap.nodes, ring, pos, r, detailed, lines, o);
  }
  // clients sit outside the ring, each beside its server; their messages fly to and from them
  const clientPos = clientPositions(snap, pos, r, o);
  drawClients(clientsG, snap, clientPos, pos, r, o);
  for (const [id, p] of clientPos) pos.set(id, p);
  drawFlights(st, flightsG, snap, pos, r, o);
}

const CLIENT_W = 36;
const CLIENT_H = 20;

/**
 * Where each client stands: beyond its server, away from the canvas's centre, several side by
 * side; one with no server (not started, expired, closed, down) in a row along the bottom.
 */
export function clientPositions(snap: Snapshot, pos: Map<number, Point>, r: number, o: { width: number; height: number }): Map<number, Point> {
  const out = new Map<number, Point>();
  const clients = snap.clients ?? [];
  if (!clients.length) return out;
  const cx = o.width / 2;
  const cy = o.height / 2;
  const byServer = new Map<number, number[]>();
  let loose = 0;
  for (const c of clients) {
    if (c.server !== null && pos.has(c.server)) byServer.set(c.server, [...(byServer.get(c.server) ?? []), c.id]);
    else out.set(c.id, { x: 26 + CLIENT_W / 2 + loose++ * (CLIENT_W + 10), y: o.height - CLIENT_H - 18 });
  }
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  for (const [server, ids] of byServer) {
    const s = pos.get(server)!;
    let dx = s.x - cx;
    let dy = s.y - cy;
    const len = Math.hypot(dx, dy);
    if (len < 1) [dx, dy] = [0, 1];
    else [dx, dy] = [dx / len, dy / len];
    // a server's caption hangs below it: a client goes to its side rather than onto it
    const away = r + 52;
    ids.forEach((id, k) => {
      const spread = (k - (ids.length - 1) / 2) * (CLIENT_W + 8);
      let p = {
        x: clamp(s.x + dx * away - dy * spread, CLIENT_W / 2 + 4, o.width - CLIENT_W / 2 - 4),
        y: clamp(s.y + dy * away + dx * spread, CLIENT_H / 2 + 4, o.height - CLIENT_H - 18),
      };
      // no room beyond it (a server at the canvas's edge): beside it instead, left of its log strip
      if (Math.hypot(p.x - s.x, p.y - s.y) < r + CLIENT_H) {
        p = { x: clamp(s.x - r - CLIENT_W / 2 - 12, CLIENT_W / 2 + 4, o.width - CLIENT_W / 2 - 4), y: clamp(s.y - r / 2 + k * (CLIENT_H + 16), CLIENT_H / 2 + 4, o.height - CLIENT_H - 18) };
      }
      out.set(id, p);
    });
  }
  return out;
}

const CLIENT_HUE: Record<string, string> = { CONNECTED: HUE.sky, CONNECTING: HUE.amber, IDLE: HUE.slate };

/** Each client: a small box with its name and its state under it, and a line to its server while connected or connecting. */
function drawClients(g: G, snap: Snapshot, cpos: Map<number, Point>, pos: Map<number, Point>, r: number, o: DrawOptions): void {
  const clients = snap.clients ?? [];
  const sel = g
    .selectAll<SVGGElement, (typeof clients)[number]>('g.client')
    .data(clients, (c) => String(c.id))
    .join((enter) => {
      const e = enter.append('g').attr('class', 'client').attr('role', 'img');
      e.append('line').attr('class', 'cnx');
      e.append('rect').attr('width', CLIENT_W).attr('height', CLIENT_H).attr('x', -CLIENT_W / 2).attr('y', -CLIENT_H / 2).attr('rx', 4);
      e.append('text').attr('class', 'name').attr('text-anchor', 'middle').attr('dy', '0.35em');
      e.append('text').attr('class', 'cstate').attr('text-anchor', 'middle').attr('y', CLIENT_H / 2 + 11);
      return e;
    });
  sel.each(function (c) {
    const p = cpos.get(c.id)!;
    const el = select<SVGGElement, typeof c>(this);
    setAttr(this, 'transform', `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`);
    setAttr(this, 'data-testid', `client-node-${name(c.id)}`);
    setAttr(this, 'data-state', c.state);
    const label = `${name(c.id)} · ${o.stateLabel(c.state)}${c.server !== null ? ` · S${c.server}` : ''}${c.session ? ` · ${c.session}` : ''}`;
    setAttr(this, 'aria-label', label);
    const to = c.server !== null ? pos.get(c.server) : undefined;
    const line = el.select<SVGLineElement>('line.cnx').node()!;
    // from the box to the server's rim
    const dx = to ? to.x - p.x : 0;
    const dy = to ? to.y - p.y : 0;
    const k = to ? Math.max(0, 1 - r / (Math.hypot(dx, dy) || 1)) : 0;
    setAttr(line, 'x1', 0);
    setAttr(line, 'y1', 0);
    setAttr(line, 'x2', (dx * k).toFixed(1));
    setAttr(line, 'y2', (dy * k).toFixed(1));
    setAttr(line, 'class', `cnx${c.state === 'CONNECTED' ? '' : ' trying'}`);
    setAttr(el.select<SVGRectElement>('rect').node()!, 'fill', CLIENT_HUE[c.state] ?? HUE.down);
    // a client named by a broken guarantee is ringed in red, as a server is
    setAttr(this, 'class', o.violating.has(c.id) ? 'client violating' : 'client');
    text(el.select<SVGTextElement>('text.name'), () => name(c.id));
    text(el.select<SVGTextElement>('text.cstate'), () => o.shortState(c.state));
  });
}

const SERVERS_MS = 50;

function layer(svg: Selection<SVGSVGElement, unknown, null, undefined>, name: string): G {
  let g = svg.select<SVGGElement>(`g.${name}`);
  if (g.empty()) g = svg.append('g').attr('class', name);
  return g as unknown as G;
}

/** Each server and whether it stands on the ring, as its protocol says. */
function placed(snap: Snapshot): { id: number; ring: boolean }[] {
  const ring = new Set(snap.ensemble.ring);
  return snap.nodes.map((n) => ({ id: n.id, ring: ring.has(n.id) }));
}

/** The links worth drawing: the ones the protocol talks over, each once, named low-high. */
function linkPairs(snap: Snapshot): { key: string; a: number; b: number }[] {
  const pairs = new Map<string, { key: string; a: number; b: number }>();
  for (const [x, y] of snap.ensemble.links) {
    const [a, b] = x < y ? [x, y] : [y, x];
    const key = `${a}-${b}`;
    if (!pairs.has(key)) pairs.set(key, { key, a, b });
  }
  return [...pairs.values()];
}

function drawLinks(st: ClusterDrawing, g: G, snap: Snapshot, pos: Map<number, Point>, o: DrawOptions): void {
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
      e.on('click', (ev: MouseEvent, d) => {
        ev.stopPropagation();
        st.o?.onLink(d.a, d.b, ev.currentTarget instanceof Element && ev.currentTarget.getAttribute('data-hand') === '1');
      });
      return e;
    });
  attr(sel, 'data-link', (d) => d.key);
  attr(sel, 'data-cut', (d) => (cut(d) ? '1' : '0'));
  attr(sel, 'data-hand', (d) => (byHand(d) ? '1' : '0'));
  sel.each(function (d) {
    const a = pos.get(d.a)!;
    const b = pos.get(d.b)!;
    const lines = select(this).selectAll<SVGLineElement, unknown>('line');
    attr(lines, 'x1', a.x);
    attr(lines, 'y1', a.y);
    attr(lines, 'x2', b.x);
    attr(lines, 'y2', b.y);
  });
  sel.select('line.link').classed('cut', (d) => cut(d));
  text(sel.select('title'), (d) => (cut(d) ? `${o.texts.cut} — ${o.texts2.link}` : o.texts2.link));
}

function drawServers(st: ClusterDrawing, g: G, nodes: NodeSnap[], ring: ReadonlySet<number>, pos: Map<number, Point>, r: number, detailed: boolean, lineCount: number, o: DrawOptions): void {
  const sel = g
    .selectAll<SVGGElement, NodeSnap>('g.server')
    .data(nodes, (d) => String(d.id))
    .join((enter) => {
      const e = enter.append('g').attr('class', 'server').attr('tabindex', 0).attr('role', 'button');
      e.append('circle').attr('class', 'halo');
      e.append('circle').attr('class', 'disk-ring');
      e.append('circle').attr('class', 'body');
      e.append('text').attr('class', 'sid');
      e.append('text').attr('class', 'crown').text('★');
      e.append('line').attr('class', 'strike');
      e.append('text').attr('class', 'disk').text('⛁');
      // two bars, drawn: the pause sign is missing from common fonts
      const bars = e.append('g').attr('class', 'paused');
      bars.append('rect').attr('x', -5).attr('y', -7).attr('width', 4).attr('height', 14);
      bars.append('rect').attr('x', 1).attr('y', -7).attr('width', 4).attr('height', 14);
      e.append('g').attr('class', 'caption');
      e.append('g').attr('class', 'logstrip');
      // the button's name (S1 and its state): an SVG title, not aria-label, whose name would have to
      // contain all the visible text under it (caption, log cells) to match it (WCAG 2.5.3)
      e.append('title').attr('class', 'name');
      e.on('click', (ev: MouseEvent, d) => {
        ev.stopPropagation();
        st.o?.onSelect(d.id);
      })
        .on('keydown', (ev: KeyboardEvent, d) => {
          if (ev.key === 'Enter') st.o?.onSelect(d.id);
        })
        .on('contextmenu', (ev: MouseEvent, d) => {
          ev.preventDefault();
          st.o?.onContext(d.id, ev.clientX, ev.clientY);
        })
        .call(
          drag<SVGGElement, NodeSnap>()
            .clickDistance(4)
            .container(() => st.svg)
            .on('drag', function (ev, d) {
              st.dragging = { id: d.id, x: ev.x, y: ev.y };
              setAttr(this, 'transform', `translate(${ev.x},${ev.y})`);
            })
            .on('end', (ev, d) => {
              const moved = st.dragging !== null;
              st.dragging = null;
              const { snap: sn, o: op } = st;
              if (moved && sn && op) op.onDragEnd(d.id, ev.x, ev.y, layout(placed(sn), sn.groups, op.width, op.height), ringRadius(sn, op));
            }),
        );
      return e;
    });
  attr(sel, 'transform', (d) => `translate(${pos.get(d.id)!.x},${pos.get(d.id)!.y})`);
  attr(sel, 'data-testid', (d) => `server-${d.id}`);
  attr(sel, 'data-state', (d) => d.state);
  text(sel.select('title.name'), (d) => `S${d.id} ${o.stateLabel(d.state)}${d.up && d.paused ? ` (${o.texts.paused})` : ''}`);
  attr(sel, 'aria-pressed', (d) => String(d.id === o.selected));
  sel
    .classed('selected', (d) => d.id === o.selected)
    .classed('seeking', (d) => d.up && d.face.seeking === true)
    .classed('violating', (d) => o.violating.has(d.id))
    .classed('paused', (d) => d.up && d.paused !== undefined);
  attr(sel.select('circle.halo'), 'r', r + 6);
  const body = sel.select('circle.body');
  attr(body, 'r', r);
  attr(body, 'fill', (d) => HUE[d.up ? d.face.hue : 'down']);
  attr(body, 'stroke-dasharray', (d) => (ring.has(d.id) ? null : '5 3'));
  const sid = sel.select('text.sid');
  attr(sid, 'dy', '0.35em');
  attr(sid, 'font-size', Math.max(11, r * 0.55));
  text(sid, (d) => `S${d.id}`);
  const crown = sel.select('text.crown');
  attr(crown, 'y', -r - 4);
  attr(crown, 'font-size', Math.max(12, r * 0.6));
  shown(crown, (d) => d.up && d.face.leads === true);
  const strike = sel.select('line.strike');
  attr(strike, 'x1', -r * 0.8);
  attr(strike, 'y1', r * 0.8);
  attr(strike, 'x2', r * 0.8);
  attr(strike, 'y2', -r * 0.8);
  shown(strike, (d) => !d.up);
  const disk = sel.select('text.disk');
  attr(disk, 'x', r * 0.75);
  attr(disk, 'y', -r * 0.6);
  shown(disk, (d) => d.diskFailed);
  // a failed disk is seen at a glance: a ring around the server, not only the glyph
  attr(sel, 'data-disk', (d) => (d.diskFailed ? 'failed' : null));
  const diskRing = sel.select('circle.disk-ring');
  attr(diskRing, 'r', r + 2);
  shown(diskRing, (d) => d.diskFailed);
  // a stopped process: alive (not struck through), but greyed, with the pause glyph
  const paused = sel.select('g.paused');
  attr(paused, 'transform', `translate(${-r * 0.75},${-r * 0.75})`);
  shown(paused, (d) => d.up && d.paused !== undefined);

  sel.select<SVGGElement>('g.logstrip').each(function (d) {
    drawLogStrip(select(this), d, r, detailed, o);
  });
  sel.select<SVGGElement>('g.caption').each(function (d) {
    const lines = caption(d, detailed, o).slice(0, lineCount);
    const g = select(this);
    attr(g, 'transform', `translate(0,${r + 13})`);
    const t = g.selectAll<SVGTextElement, { text: string; cls: string; title?: string }>('text').data(lines).join('text');
    attr(t, 'y', (_, i) => i * 13);
    attr(t, 'class', (l) => l.cls);
    text(t, (l) => l.text);
    t
      .each(function (l) {
        text(select(this).selectAll('title').data(l.title ? [l.title] : []).join('title'), (x) => x);
      });
  });
}

const STRIP_CELLS = 8;

type Cell = { key: string; text: string; title: string; status: 'committed' | 'pending' | 'aborted' };

/** The tail of the server's log: filled cells are committed (applied), hollow ones only logged. */
function logCells(d: NodeSnap, fit: number, o: DrawOptions): Cell[] {
  if (!d.up) return [];
  const said = { committed: o.texts.committed, aborted: o.texts.aborted, pending: o.texts.logged };
  return d.face.log.slice(-fit).map((c, i) => ({ key: `${i}:${c.label}`, text: c.short ?? c.label, title: `${c.label} ${said[c.status]}`, status: c.status }));
}

function drawLogStrip(g: Selection<SVGGElement, unknown, null, undefined>, d: NodeSnap, r: number, detailed: boolean, o: DrawOptions): void {
  // as many cells as fit beside the circle, so the strip never runs into the caption below it
  const fit = Math.min(STRIP_CELLS, Math.max(3, Math.floor((2 * r + 4) / 14)));
  const cells = detailed ? logCells(d, fit, o) : [];
  // wide enough for the whole counter (552, not 52)
  const w = Math.max(15, 5 + 5 * Math.max(0, ...cells.map((c) => c.text.length)));
  attr(g, 'transform', `translate(${r + 6},${-r})`);
  const cellSel = g.selectAll<SVGGElement, Cell>('g.cell')
    .data(cells, (c) => c.key)
    .join((enter) => {
      const e = enter.append('g').attr('class', 'cell');
      e.append('rect').attr('height', 12).attr('rx', 2);
      e.append('text').attr('y', 9);
      e.append('title');
      return e;
    })
  attr(cellSel, 'transform', (_, i) => `translate(0,${i * 14})`);
  attr(cellSel.select('rect'), 'width', w - 2);
  attr(cellSel.select('text'), 'x', (w - 2) / 2);
  cellSel
    .classed('committed', (c) => c.status === 'committed')
    .classed('aborted', (c) => c.status === 'aborted')
    .each(function (c) {
      const el = select(this);
      text(el.select('text'), () => c.text);
      text(el.select('title'), () => c.title);
    });
}

type CaptionLine = { text: string; cls: string; title?: string };

/** The state's name, then the lines of its face that are due; the layout keeps room for the first ones (fitLayout). */
function caption(d: NodeSnap, detailed: boolean, o: DrawOptions): CaptionLine[] {
  const name = o.stateLabel(d.state);
  const first: CaptionLine = { text: detailed ? name : o.shortState(d.state), cls: 'state', title: name };
  if (!d.up || !detailed) return [first];
  if (d.face.stateTitle !== undefined) first.title = `${name} — ${o.faceText(d.face.stateTitle)}`;
  const lines = [first];
  for (const l of d.face.lines) lines.push(faceLine(l, o));
  return lines;
}

function faceLine(l: string | FaceLine, o: DrawOptions): CaptionLine {
  if (typeof l === 'string') return { text: o.faceText(l), cls: 'detail' };
  const line: CaptionLine = { text: o.faceText(l.text), cls: l.tone === 'notice' ? 'notice' : 'detail' };
  if (l.title !== undefined) line.title = o.faceText(l.title);
  return line;
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

function drawFlights(st: ClusterDrawing, g: G, snap: Snapshot, pos: Map<number, Point>, r: number, o: DrawOptions): void {
  const selected = o.selected;
  const flights = snap.flights.filter((f) => pos.has(f.from) && pos.has(f.to));
  const at = new Map<number, Point>();
  for (const f of flights) at.set(f.id, flightPos(f, snap.time, pos.get(f.from)!, pos.get(f.to)!, r));
  // labels only mid-way, and only where they clear every server and its caption: a message
  // crossing the ring (or passing a server on a row) flies unlabelled until it is past them
  const nodes = [...pos.values()];
  const midway = (f: Flight) => {
    const p = progress(f, snap.time);
    if (p <= 0.18 || p >= 0.82) return false;
    const q0 = at.get(f.id)!;
    // the label runs about 110 px to the right of its glyph; a server's caption up to four lines below it
    return nodes.every((q) => Math.abs(q.x - (q0.x + 50)) > 70 + r || q.y - q0.y > r + 12 || q0.y - q.y > r + 60);
  };
  // a few labels at most (the selected server's first), so they stay readable
  const chosen = new Set<number>();
  for (const f of flights) if (midway(f) && (f.from === selected || f.to === selected)) chosen.add(f.id);
  for (const f of flights) if (chosen.size < LABEL_LIMIT && midway(f)) chosen.add(f.id);
  // what a label says is the protocol's choice: kind and label, or one of them, or nothing
  const label = (f: Flight) => {
    if (!chosen.has(f.id)) return '';
    const says = o.look.messages[f.kind]?.says;
    return says === 'nothing' ? '' : says === 'label' ? f.label : says === 'kind' ? f.kind : `${f.kind} ${f.label}`;
  };
  // landed messages give up their elements first, so that new ones take them over still shown
  retireFlights(g, flights);
  // every frame moves each message: plain writes to elements held by reference, only what changed
  for (const f of flights) {
    const e = flightElement(st, g, f);
    const p = at.get(f.id)!;
    const transform = `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`;
    if (e.transform !== transform) e.g.setAttribute('transform', (e.transform = transform));
    const held = f.deliverAt === null;
    if (e.held !== held) e.g.classList.toggle('held', (e.held = held));
    const l = label(f);
    if (e.label !== l) e.text.data = e.label = l;
  }
  const pool = poolOf(g);
  for (const e of pool.spare) {
    if (e.shown) {
      e.shown = false;
      e.g.style.display = 'none';
      e.g.setAttribute('data-spare', '');
    }
  }
  while (pool.spare.length > 64) pool.spare.pop()!.g.remove();
}

/**
 * One element per message, kept while the message flies (keyed by id), and elements of landed
 * messages reused for new ones (hidden in between) rather than removed and created: under load
 * forty messages start each frame. Each is held with its parts and what was last written to them,
 * so a frame queries nothing and writes only what changed.
 */
interface FlightEl {
  g: SVGGElement;
  path: SVGPathElement;
  text: Text;
  title: SVGTitleElement;
  flight: Flight;
  shown: boolean;
  kind: string;
  /** the look it was drawn with: a kind may look otherwise in another protocol's run */
  look: MessageLook | null;
  transform: string;
  held: boolean;
  label: string;
}
const flightPools = new WeakMap<SVGGElement, { byId: Map<number, FlightEl>; spare: FlightEl[] }>();
const flightOf = new WeakMap<Element, FlightEl>();

function poolOf(g: G) {
  const gEl = g.node()!;
  let pool = flightPools.get(gEl);
  if (!pool) flightPools.set(gEl, (pool = { byId: new Map(), spare: [] }));
  return pool;
}

function flightElement(st: ClusterDrawing, g: G, f: Flight): FlightEl {
  const pool = poolOf(g);
  let e = pool.byId.get(f.id);
  if (!e) {
    e = pool.spare.pop() ?? newFlightElement(st, g, f);
    if (!e.shown) {
      e.shown = true;
      e.g.style.display = '';
      e.g.removeAttribute('data-spare');
    }
    pool.byId.set(f.id, e);
  }
  // checked every frame, not only when an element is taken: message ids start again at 1 in a
  // new run, and the element that kept an id may meet a message of another kind
  const look = messageLook(st.o?.look, f.kind);
  if (e.kind !== f.kind || e.look !== look) {
    // an element mostly goes to a message of the kind it last carried: nothing more to write
    e.kind = f.kind;
    e.look = look;
    e.g.setAttribute('data-kind', f.kind);
    e.path.setAttribute('d', glyph(look.shape));
    e.path.setAttribute('fill', HUE[look.hue]);
  }
  e.flight = f;
  return e;
}

/** Free the elements of messages that landed; the ones no new message takes are hidden after. */
function retireFlights(g: G, flights: Flight[]): void {
  const pool = poolOf(g);
  const want = new Set(flights.map((f) => f.id));
  for (const [id, e] of pool.byId) {
    if (want.has(id)) continue;
    pool.byId.delete(id);
    pool.spare.push(e);
  }
}

function newFlightElement(st: ClusterDrawing, g: G, f: Flight): FlightEl {
  const sel = g.append('g').attr('class', 'flight');
  sel.append('circle').attr('class', 'hit').attr('r', 11);
  const path = sel.append('path').node()!;
  const label = sel.append('text').attr('x', 8).attr('y', -6).node()!;
  const title = sel.append('title').node() as unknown as SVGTitleElement;
  const text = label.appendChild(document.createTextNode(''));
  const e: FlightEl = { g: sel.node()!, path, text, title, flight: f, shown: true, kind: '', look: null, transform: '', held: false, label: '' };
  flightOf.set(e.g, e);
  // the element is reused for other messages: the click reads the id it carries now, and the
  // tooltip is written when the pointer arrives (not on each of sixty frames a second)
  sel.on('click', function (ev: MouseEvent) {
    ev.stopPropagation();
    st.o?.onDrop(flightOf.get(this)!.flight.id);
  });
  sel.on('mouseenter', function () {
    const d = flightOf.get(this)!.flight;
    title.textContent = `#${d.id} ${d.kind} ${d.label} S${d.from}→S${d.to} — ${st.o?.texts2.drop ?? ''}`;
  });
  return e;
}

function glyph(shape: Shape): string {
  if (shape === 'rect') return 'M-7,-5h14v10h-14z';
  if (shape === 'diamond') return 'M0,-7L7,0L0,7L-7,0z';
  return 'M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0';
}

/** The ring's radius, as layout draws it (to tell "dragged out of the ring"). */
function ringRadius(snap: Snapshot, o: DrawOptions): number {
  const p = layout(placed(snap), {}, o.width, o.height);
  const ring = snap.ensemble.ring.filter((id) => p.has(id));
  if (ring.length < 2) return Math.min(o.width, o.height) * 0.2;
  const xs = ring.map((id) => p.get(id)!);
  const cx = xs.reduce((a, q) => a + q.x, 0) / xs.length;
  const cy = xs.reduce((a, q) => a + q.y, 0) / xs.length;
  return Math.max(...xs.map((q) => Math.hypot(q.x - cx, q.y - cy)));
}
