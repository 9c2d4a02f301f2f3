import type { SimState } from './state';
import type { Kernel } from './kernel';
import type { Message, NodeId, NodeViewBase } from './types';

/**
 * Checkpoints: a copy of the whole state, taken and restored cheaply. Arrays the protocol declares
 * append-only (logs, histories) are not copied: the checkpoint keeps a reference and a length,
 * since their first `length` items never change (they only grow, or are replaced by a new array).
 */

interface SharedArray {
  id: NodeId;
  where: 'state' | 'durable';
  key: string;
  ref: unknown[];
  len: number;
}

export interface Checkpoint<S> {
  st: SimState<S>;
  shared: SharedArray[];
}

export function takeCheckpoint<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>): Checkpoint<S> {
  k.st.hash = k.th.save();
  const shared: SharedArray[] = [];
  const spec = k.protocol.appendOnly ?? { state: [], durable: [] };
  for (const id of k.st.order) {
    const n = k.st.nodes[id]!;
    const detach = (where: 'state' | 'durable', obj: Record<string, unknown> | null) => {
      if (!obj) return;
      for (const key of spec[where]) {
        const arr = obj[key];
        if (!Array.isArray(arr)) continue;
        shared.push({ id, where, key, ref: arr, len: arr.length });
        obj[key] = null;
      }
    };
    detach('state', n.state as Record<string, unknown> | null);
    detach('durable', n.durable);
  }
  const st = structuredClone(k.st);
  for (const s of shared) attach(k.st, s, s.ref);
  return { st, shared };
}

export function restoreCheckpoint<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>, cp: Checkpoint<S>): void {
  const st = structuredClone(cp.st);
  for (const s of cp.shared) attach(st, s, s.ref.slice(0, s.len));
  k.st = st;
  k.th.load(st.hash);
  k.log.clear();
  k.lastSent = null;
}

function attach<S>(st: SimState<S>, s: SharedArray, arr: unknown[]): void {
  const n = st.nodes[s.id]!;
  const obj = (s.where === 'state' ? n.state : n.durable) as Record<string, unknown>;
  obj[s.key] = arr;
}
