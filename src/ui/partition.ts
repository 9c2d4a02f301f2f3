import type { Action } from '../core/sim/actions';
import type { Snapshot } from '../worker/messages';

/**
 * The keyboard's way to partition (key P, the selected server): with the network whole, the
 * server is cut off on a side of its own; with a partition, it moves to the next side (of two,
 * the other one). Pressing P again on the same server of two sides brings it back, and a move
 * that leaves a single side heals the network.
 */
export function moveAcrossPartition(snap: Pick<Snapshot, 'nodes' | 'groups'>, id: number): Action | null {
  if (!snap.nodes.some((n) => n.id === id)) return null;
  const groups: Record<number, number> = {};
  for (const n of snap.nodes) groups[n.id] = snap.groups[n.id] ?? 0;
  const sides = [...new Set(Object.values(groups))].sort((a, b) => a - b);
  const here = groups[id]!;
  groups[id] = sides.length === 1 ? here + 1 : sides[(sides.indexOf(here) + 1) % sides.length]!;
  const byGroup = new Map<number, number[]>();
  for (const n of snap.nodes) byGroup.set(groups[n.id]!, [...(byGroup.get(groups[n.id]!) ?? []), n.id]);
  if (byGroup.size <= 1) return { verb: 'heal' };
  return { verb: 'partition', groups: [...byGroup.values()] };
}
