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
  const cy = (h - band) / 2;
  const r = Math.max(50, Math.min(w, h - band) * 0.34);
  voters.forEach((n, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / voters.length;
    pos.set(n.id, voters.length === 1 ? { x: cx, y: cy } : { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
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

export function nodeRadius(count: number): number {
  return Math.max(14, Math.min(34, 120 / Math.sqrt(Math.max(1, count))));
}
