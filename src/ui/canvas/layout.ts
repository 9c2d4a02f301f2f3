export interface Point {
  x: number;
  y: number;
}

/** Roles drawn on the ring: ZAB's voters, 2PC's nodes, Paxos's acceptors; the rest stand below. */
export const RING_ROLES: ReadonlySet<string> = new Set(['voter', 'coordinator', 'participant', 'acceptor']);

/**
 * Voters on a ring, observers on a wider arc below it; when the network is partitioned each
 * group is pulled away from the centre so the split is visible at a glance.
 */
export function layout(nodes: { id: number; role: string }[], groups: Record<number, number>, w: number, h: number): Map<number, Point> {
  const pos = new Map<number, Point>();
  const voters = nodes.filter((n) => RING_ROLES.has(n.role));
  const observers = nodes.filter((n) => !RING_ROLES.has(n.role));
  // observers stand apart, in rows along the bottom; the voters' ring fills the rest
  const rows = observers.length === 0 ? 0 : observers.length <= 12 ? 1 : 2;
  const band = rows * 112;
  const cx = w / 2;
  // the lowest servers carry up to four caption lines below them: the ring leaves room for them,
  // unless that would shrink it much (a crowded ring needs its size more than its last lines)
  const full = Math.max(50, Math.min(w, h - band) * 0.34);
  const room = h - band - 58;
  const fitted = room / 2 - nodeRadius(nodes.length) - 6;
  const roomy = fitted >= full * 0.9;
  const r = roomy ? Math.min(full, fitted) : full;
  const cy = roomy ? room / 2 + 6 : (h - band) / 2;
  // a crowded ring (15 voters, or acceptors with proposers and learners below) is widened into an
  // ellipse, so that each server keeps room for its caption beside its neighbours
  const need = (voters.length * (2 * nodeRadius(nodes.length) + 64)) / (2 * Math.PI);
  const rx = Math.min(w * 0.42, Math.max(r, need));
  const ring = ellipsePoints(voters.length, rx, r);
  voters.forEach((n, i) => {
    pos.set(n.id, voters.length === 1 ? { x: cx, y: cy } : { x: cx + ring[i]!.x, y: cy + ring[i]!.y });
  });
  const perRow = Math.ceil(observers.length / Math.max(1, rows));
  observers.forEach((n, i) => {
    const row = Math.floor(i / perRow);
    const k = i % perRow;
    const inRow = Math.min(perRow, observers.length - row * perRow);
    const x = w * 0.08 + ((w * 0.84) * (k + 0.5)) / inRow;
    pos.set(n.id, { x, y: h - band + 26 + row * 112 });
  });
  const distinct = new Set(nodes.map((n) => groups[n.id] ?? 0));
  if (distinct.size > 1) {
    for (const g of distinct) {
      const members = nodes.filter((n) => (groups[n.id] ?? 0) === g).map((n) => pos.get(n.id)!);
      const gx = members.reduce((s, p) => s + p.x, 0) / members.length - cx;
      const gy = members.reduce((s, p) => s + p.y, 0) / members.length - cy;
      const len = Math.hypot(gx, gy) || 1;
      const push = Math.min(w, h) * 0.08;
      for (const n of nodes) {
        if ((groups[n.id] ?? 0) !== g) continue;
        const p = pos.get(n.id)!;
        pos.set(n.id, { x: p.x + (gx / len) * push, y: p.y + (gy / len) * push });
      }
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
  const steps = 720;
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
