/**
 * Binary min-heap of events ordered by (time, pri, seq). seq is the insertion counter, so two
 * events at the same simulated time run in the order they were scheduled: that makes the
 * simulation deterministic without relying on the heap's internal order.
 */
export interface Queued {
  time: number;
  /** 0 for scripted or user actions, which run before anything else due at the same time. */
  pri: number;
  seq: number;
}

export function heapPush<T extends Queued>(heap: T[], ev: T): void {
  heap.push(ev);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (less(heap[i]!, heap[p]!)) {
      swap(heap, i, p);
      i = p;
    } else break;
  }
}

export function heapPop<T extends Queued>(heap: T[]): T | undefined {
  const n = heap.length;
  if (n === 0) return undefined;
  const top = heap[0]!;
  const last = heap.pop()!;
  if (n > 1) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      swap(heap, i, m);
      i = m;
    }
  }
  return top;
}

export function heapPeek<T extends Queued>(heap: T[]): T | undefined {
  return heap[0];
}

function less(a: Queued, b: Queued): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.pri !== b.pri) return a.pri < b.pri;
  return a.seq < b.seq;
}

function swap<T>(h: T[], i: number, j: number): void {
  const t = h[i]!;
  h[i] = h[j]!;
  h[j] = t;
}
