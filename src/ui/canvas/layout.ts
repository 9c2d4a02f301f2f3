export interface Point {
  x: number;
  y: number;
}

/**
 * Voters on a ring, observers on a wider arc below it; when the network is partitioned each
 * group is pulled away from the centre so the split is visible at a glance.
 */
export function layout(nodes: { id: number; role: string }[], groups: Record<number, number>, w: number, h: number): Map<number, Point> {
  const pos = new Map<number, Point>();
  const voters = nodes.filter((n) => n.role === 'voter');
  const observers = nodes.filter((n) => n.role !== 'voter');
  const cx = w / 2;
  const cy = observers.length ? h * 0.42 : h / 2;
  const r = Math.max(60, Math.min(w, h) * (observers.length ? 0.27 : 0.33));
  voters.forEach((n, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / voters.length;
    pos.set(n.id, voters.length === 1 ? { x: cx, y: cy } : { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
  });
  if (observers.length) {
    const ro = r * 1.55;
    const span = Math.min(Math.PI * 0.9, 0.28 * observers.length);
    observers.forEach((n, i) => {
      const a = Math.PI / 2 + (observers.length === 1 ? 0 : span / 2 - (span * i) / (observers.length - 1));
      pos.set(n.id, { x: cx + ro * 1.25 * Math.cos(a), y: Math.min(h - 40, cy + ro * Math.sin(a)) });
    });
  }
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
