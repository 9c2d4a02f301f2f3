export interface Point {
  x: number;
  y: number;
}

/** A server to place: on the ring (as its protocol says: voters, acceptors...), or in the rows below it. */
export interface Placed {
  id: number;
  ring: boolean;
}

/**
 * How much a server takes around its centre: its circle, the crown above it, the log strip to its
 * right and the caption lines below it. Two servers' boxes never overlap on a fitted layout.
 */
export interface Footprint {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** A layout and the detail it leaves room for. */
export interface Fitted {
  pos: Map<number, Point>;
  /** the servers' circle radius */
  r: number;
  /** caption lines under each server: 3 or 2 with the log strip beside it, or 1 short state */
  lines: number;
  /** room for the log strip and more than a short state */
  detailed: boolean;
  /** false when even the smallest servers overlap (a canvas too small for the ensemble) */
  fitted: boolean;
}

/** The caption's widest line (a state's name, a line of protocol terms and numbers) stays within this half-width. */
const CAPTION_HALF = 66;
const LINE = 13;

export function footprint(r: number, lines: number): Footprint {
  if (lines <= 1) return { left: Math.max(r, 26), right: Math.max(r, 26), top: r + 4, bottom: r + 16 };
  // the log strip: 15 px cells from r + 6; the crown: about r + 18 above the centre
  return { left: Math.max(r + 2, CAPTION_HALF), right: Math.max(r + 22, CAPTION_HALF), top: r + 20, bottom: r + 10 + lines * LINE };
}

const MARGIN = 6;

/**
 * The ring's servers on a ring, the others in rows along the bottom; when
 * the network is partitioned each group is pulled away from the centre so the split is visible at
 * a glance. The largest servers with the most detail that fit without overlapping are chosen:
 * a small canvas or a crowded ensemble gets smaller circles, then short captions.
 */
export function fitLayout(nodes: Placed[], groups: Record<number, number>, w: number, h: number): Fitted {
  const ringed = nodes.filter((n) => n.ring);
  const others = nodes.filter((n) => !n.ring);
  const largest = nodeRadius(nodes.length);
  let last: Fitted | null = null;
  // the most caption lines first (a caption says more than a large circle), then the largest circles
  for (const lines of [3, 2, 1]) {
    for (let r = largest; r >= (lines > 1 ? 16 : 10); r -= 2) {
      const f = footprint(r, lines);
      // a circle first, then ever wider ellipses: width is what a landscape canvas has to spare
      for (const stretch of [1, 1.2, 1.45, 1.75, 2.1, 2.5, 3]) {
        const placed = place(ringed, others, w, h, f, stretch);
        last = { pos: placed, r, lines, detailed: lines > 1, fitted: true };
        if (fits(placed, f, w, h)) return { ...last, pos: pushGroups(nodes, groups, placed, w, h, f) };
        if (placed.size > 0 && stretch > 1 && widest(placed) >= w - 2 * MARGIN - f.left - f.right - 1) break;
      }
    }
  }
  // nothing fits (a tiny canvas): the smallest, and overlapping
  return { ...last!, fitted: false, pos: pushGroups(nodes, groups, last!.pos, w, h, footprint(last!.r, last!.lines)) };
}

/** The positions alone (see fitLayout). */
export function layout(nodes: Placed[], groups: Record<number, number>, w: number, h: number): Map<number, Point> {
  return fitLayout(nodes, groups, w, h).pos;
}

function place(ringed: { id: number }[], others: { id: number }[], w: number, h: number, f: Footprint, stretch: number): Map<number, Point> {
  const pos = new Map<number, Point>();
  const cellW = f.left + f.right + 8;
  const cellH = f.top + f.bottom + 6;
  const perRowMax = Math.max(1, Math.floor((w - 2 * MARGIN) / cellW));
  const rows = others.length === 0 ? 0 : Math.ceil(others.length / perRowMax);
  const band = rows * cellH;
  // the ring fills what the rows leave, every footprint inside the canvas
  const top = MARGIN + f.top;
  const bottom = h - band - MARGIN - f.bottom;
  const ry = Math.max(0, (bottom - top) / 2);
  const cy = top + ry;
  const cx = w / 2;
  const rxMax = Math.max(0, w / 2 - MARGIN - Math.max(f.left, f.right));
  // a circle when there is room; a crowded ring is widened into an ellipse so each server keeps its caption's width
  const need = (ringed.length * cellW) / (2 * Math.PI);
  const rx = Math.min(rxMax, Math.max(ry, need) * stretch);
  const ring = ellipsePoints(ringed.length, rx, ry);
  ringed.forEach((n, i) => pos.set(n.id, ringed.length === 1 ? { x: cx, y: cy } : { x: cx + ring[i]!.x, y: cy + ring[i]!.y }));
  const perRow = Math.ceil(others.length / Math.max(1, rows));
  others.forEach((n, i) => {
    const row = Math.floor(i / perRow);
    const k = i % perRow;
    const inRow = Math.min(perRow, others.length - row * perRow);
    const x = MARGIN + ((w - 2 * MARGIN) * (k + 0.5)) / inRow;
    pos.set(n.id, { x, y: h - band + row * cellH + f.top });
  });
  return pos;
}

/** How far apart the outermost ring servers are, horizontally. */
function widest(pos: Map<number, Point>): number {
  const xs = [...pos.values()].map((p) => p.x);
  return Math.max(...xs) - Math.min(...xs);
}

/** No two footprints overlap, and each lies inside the canvas. */
function fits(pos: Map<number, Point>, f: Footprint, w: number, h: number): boolean {
  const ps = [...pos.values()];
  for (const p of ps) if (p.x - f.left < 0 || p.x + f.right > w || p.y - f.top < 0 || p.y + f.bottom > h) return false;
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) {
      const a = ps[i]!;
      const b = ps[j]!;
      const apartX = a.x <= b.x ? b.x - f.left >= a.x + f.right : a.x - f.left >= b.x + f.right;
      const apartY = a.y <= b.y ? b.y - f.top >= a.y + f.bottom : a.y - f.top >= b.y + f.bottom;
      if (!apartX && !apartY) return false;
    }
  }
  return true;
}

/** Pull each side of a partition away from the centre, kept inside the canvas. */
function pushGroups(nodes: { id: number }[], groups: Record<number, number>, placed: Map<number, Point>, w: number, h: number, f: Footprint): Map<number, Point> {
  const distinct = new Set(nodes.map((n) => groups[n.id] ?? 0));
  if (distinct.size <= 1) return placed;
  const pos = new Map(placed);
  const cx = w / 2;
  const cy = h / 2;
  const push = Math.min(w, h) * 0.08;
  for (const g of distinct) {
    const members = nodes.filter((n) => (groups[n.id] ?? 0) === g).map((n) => placed.get(n.id)!);
    const gx = members.reduce((s, p) => s + p.x, 0) / members.length - cx;
    const gy = members.reduce((s, p) => s + p.y, 0) / members.length - cy;
    const len = Math.hypot(gx, gy) || 1;
    for (const n of nodes) {
      if ((groups[n.id] ?? 0) !== g) continue;
      const p = placed.get(n.id)!;
      const x = Math.min(w - f.right, Math.max(f.left, p.x + (gx / len) * push));
      const y = Math.min(h - f.bottom, Math.max(f.top, p.y + (gy / len) * push));
      pos.set(n.id, { x, y });
    }
  }
  return pos;
}

/**
 * n points on an ellipse, clockwise from the top, equally spaced along its perimeter (equal
 * angles would bunch them at the ends of a wide ellipse).
 */
function ellipsePoints(n: number, rx: number, ry: number): Point[] {
  const at = (t: number): Point => ({ x: rx * Math.cos(t), y: ry * Math.sin(t) });
  if (rx === ry || n < 2) return Array.from({ length: n }, (_, i) => at(-Math.PI / 2 + (2 * Math.PI * i) / n));
  const steps = 240;
  const len = [0];
  for (let k = 1; k <= steps; k++) {
    const a = at(-Math.PI / 2 + (2 * Math.PI * (k - 1)) / steps);
    const b = at(-Math.PI / 2 + (2 * Math.PI * k) / steps);
    len.push(len[k - 1]! + Math.hypot(b.x - a.x, b.y - a.y));
  }
  const total = len[steps]!;
  const out: Point[] = [];
  for (let i = 0, k = 0; i < n; i++) {
    const want = (total * i) / n;
    while (k < steps && len[k + 1]! < want) k++;
    out.push(at(-Math.PI / 2 + (2 * Math.PI * k) / steps));
  }
  return out;
}

export function nodeRadius(count: number): number {
  return Math.max(14, Math.min(34, 120 / Math.sqrt(Math.max(1, count))));
}
