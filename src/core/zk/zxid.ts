/**
 * A zxid is 64 bits: the epoch in the high 32, a counter in the low 32 (ZxidUtils.makeZxid).
 * We hold it in a JS number, which is exact while epoch < 2^21; no simulated run gets near it.
 */
export type Zxid = number;

const TWO32 = 4294967296;
export const MAX_COUNTER = 0xffffffff;

export function makeZxid(epoch: number, counter: number): Zxid {
  return epoch * TWO32 + counter;
}

export function epochOf(z: Zxid): number {
  return Math.floor(z / TWO32);
}

export function counterOf(z: Zxid): number {
  return z - epochOf(z) * TWO32;
}

/** "0x100000003", as ZooKeeper prints zxids. */
export function zxidHex(z: Zxid): string {
  if (z < 0) return z === NO_ZXID ? '-0x8000000000000000' : '-0x' + (-z).toString(16);
  return '0x' + z.toString(16);
}

/** "1:3", the short form drawn on the canvas. */
export function zxidShort(z: Zxid): string {
  if (z < 0) return '—';
  return `${epochOf(z)}:${counterOf(z)}`;
}

/** Long.MIN_VALUE in ZooKeeper: an observer's vote for "nobody". */
export const NO_ZXID = Number.MIN_SAFE_INTEGER;

/** The newest zxid of a list in zxid order (a log, a history), or `dflt` when it is empty. */
export function lastOf(xs: Zxid[], dflt: Zxid = 0): Zxid {
  return xs.length ? xs[xs.length - 1]! : dflt;
}
