/**
 * The simulator's event queue, ordered by (time, pri, seq). seq is the insertion counter, so two
 * events at the same simulated time run in the order they were scheduled: that makes the
 * simulation deterministic without relying on any structure's internal order.
 *
 * Time is whole milliseconds and a busy run has a dozen events due in each one, so events are
 * kept in one bucket per due time, and only the distinct times sit in a binary min-heap: a push
 * or pop is an array index and an array push or index bump, and the heap moves once per
 * millisecond instead of once per event. It is plain data, so a checkpoint is a structured clone.
 */
export interface Queued {
  time: number;
  /** 0 for scripted or user actions, which run before anything else due at the same time. */
  pri: number;
  seq: number;
}

interface Bucket<T> {
  time: number;
  evs: T[];
  /** evs before head have run */
  head: number;
}

/** Slots in the ring of near buckets: a power of two, a few simulated seconds of milliseconds. */
const RING = 4096;

export interface EventQueue<T extends Queued> {
  /** min-heap of the times that have a bucket */
  times: number[];
  /**
   * The buckets, found by due time without hashing: slot `time & (RING - 1)` holds the bucket of
   * one time, and a bucket whose slot is taken by another time (one a multiple of RING ms away)
   * waits in `far`. Not a Map: a Map added to and deleted from every millisecond is rebuilt again
   * and again, and V8 links each discarded table to the next; a discarded table that had reached
   * the old generation then kept every later table, bucket and event alive through each young
   * collection until the next full one (half of a busy run's garbage was promoted so).
   */
  ring: (Bucket<T> | null)[];
  far: Record<number, Bucket<T>>;
  size: number;
}

export function queueInit<T extends Queued>(): EventQueue<T> {
  return { times: [], ring: new Array<Bucket<T> | null>(RING).fill(null), far: {}, size: 0 };
}

function bucketAt<T extends Queued>(q: EventQueue<T>, time: number): Bucket<T> | undefined {
  const b = q.ring[time & (RING - 1)];
  if (b && b.time === time) return b;
  return q.far[time];
}

function dropBucket<T extends Queued>(q: EventQueue<T>, b: Bucket<T>): void {
  const slot = b.time & (RING - 1);
  if (q.ring[slot] === b) q.ring[slot] = null;
  else delete q.far[b.time];
}

export function queuePush<T extends Queued>(q: EventQueue<T>, ev: T): void {
  q.size++;
  const slot = ev.time & (RING - 1);
  let b = q.ring[slot];
  if (!b || b.time !== ev.time) b = q.far[ev.time];
  if (!b) {
    b = { time: ev.time, evs: [ev], head: 0 };
    if (!q.ring[slot]) q.ring[slot] = b;
    else q.far[ev.time] = b;
    heapPush(q.times, ev.time);
    return;
  }
  // almost always appended: seq only grows; an action (pri 0) goes before the others
  let i = b.evs.length;
  while (i > b.head && less(ev, b.evs[i - 1]!)) i--;
  if (i === b.evs.length) b.evs.push(ev);
  else b.evs.splice(i, 0, ev);
}

export function queuePop<T extends Queued>(q: EventQueue<T>): T | undefined {
  if (q.times.length === 0) return undefined;
  const b = bucketAt(q, q.times[0]!)!;
  const ev = b.evs[b.head++]!;
  if (b.head === b.evs.length) {
    dropBucket(q, b);
    heapPop(q.times);
  }
  q.size--;
  return ev;
}

/** When the next event is due, or null if none is. */
export function queueNextTime<T extends Queued>(q: EventQueue<T>): number | null {
  return q.times.length ? q.times[0]! : null;
}

/** The first waiting event due at `time` that `pick` picks (a look into one bucket). */
export function queueFind<T extends Queued>(q: EventQueue<T>, time: number, pick: (ev: T) => boolean): T | undefined {
  const b = bucketAt(q, time);
  if (!b) return undefined;
  for (let i = b.head; i < b.evs.length; i++) if (pick(b.evs[i]!)) return b.evs[i];
  return undefined;
}

/** Every waiting event, in no particular order. */
export function queueEvents<T extends Queued>(q: EventQueue<T>): T[] {
  const out: T[] = [];
  for (const t of q.times) {
    const b = bucketAt(q, t)!;
    for (let i = b.head; i < b.evs.length; i++) out.push(b.evs[i]!);
  }
  return out;
}

/** Take out every waiting event that `drop` picks. */
export function queueRemove<T extends Queued>(q: EventQueue<T>, drop: (ev: T) => boolean): void {
  const times: number[] = [];
  for (const t of q.times) {
    const b = bucketAt(q, t)!;
    const keep = b.evs.slice(b.head).filter((ev) => !drop(ev));
    q.size -= b.evs.length - b.head - keep.length;
    // in place: the bucket keeps its slot
    b.evs = keep;
    b.head = 0;
    if (keep.length) times.push(t);
    else dropBucket(q, b);
  }
  q.times = times.sort((a, b) => a - b); // a sorted array is a valid heap
}

function less(a: Queued, b: Queued): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.pri !== b.pri) return a.pri < b.pri;
  return a.seq < b.seq;
}

// ---- a binary min-heap of numbers -------------------------------------------------------------

function heapPush(h: number[], x: number): void {
  h.push(x);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p]! <= x) break;
    h[i] = h[p]!;
    i = p;
  }
  h[i] = x;
}

function heapPop(h: number[]): void {
  const last = h.pop()!;
  const n = h.length;
  if (n === 0) return;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const m = r < n && h[r]! < h[l]! ? r : l;
    if (h[m]! >= last) break;
    h[i] = h[m]!;
    i = m;
  }
  h[i] = last;
}
