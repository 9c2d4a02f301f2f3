/**
 * The one source of randomness in the core: sfc32, seeded through splitmix32.
 * Its whole state is four uint32s, so a checkpoint is a copy of an array.
 */
export type PrngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Seeds may be numbers or strings; strings are hashed (FNV-1a) to 32 bits. */
export function seedToUint32(seed: number | string): number {
  if (typeof seed === 'number') return seed >>> 0;
  if (/^\d+$/.test(seed)) return Number(seed) >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function prngInit(seed: number | string): PrngState {
  const next = splitmix32(seedToUint32(seed));
  const st: PrngState = [next(), next(), next(), next()];
  // warm up so that nearby seeds diverge at once
  for (let i = 0; i < 12; i++) prngNextUint32(st);
  return st;
}

export function prngNextUint32(st: PrngState): number {
  const a = st[0];
  const b = st[1];
  const c = st[2];
  const d = (st[3] + 1) >>> 0;
  const t = (((a + b) >>> 0) + d) >>> 0;
  st[0] = b ^ (b >>> 9);
  st[1] = (c + (c << 3)) >>> 0;
  st[2] = ((c << 21) | (c >>> 11)) >>> 0;
  st[2] = (st[2] + t) >>> 0;
  st[3] = d;
  return t;
}

/** Uniform in [0, 1). */
export function prngFloat(st: PrngState): number {
  return prngNextUint32(st) / 4294967296;
}

/** Uniform integer in [lo, hi] (inclusive). */
export function prngInt(st: PrngState, lo: number, hi: number): number {
  if (hi <= lo) return lo;
  return lo + Math.floor(prngFloat(st) * (hi - lo + 1));
}
