/**
 * A running 64-bit digest of the event trace (two 32-bit FNV-1a lanes with different
 * offsets). Same events in, same digest out, in Node and in the browser.
 *
 * Every value becomes 32-bit words, each mixed into both lanes: an int32 as itself, another safe
 * integer (zxids reach 2^53) as its low half then its tagged high half, any other number as the
 * characters of its decimal form, a string as its own FNV-1a code, an array as a length word then
 * its items, an object as a brace word then its field values in order (not their names: a kind
 * always builds its fields in the same order). traceHash.test.ts holds a slow reference of this.
 */
export type HashState = [number, number];

// the lanes are kept as signed 32-bit integers: an array of small integers is the fastest kind
export function hashInit(): HashState {
  return [0x811c9dc5 | 0, 0x01000193 ^ 0x9747b28c];
}

export function hashHex(h: HashState): string {
  return (h[1] >>> 0).toString(16).padStart(8, '0') + (h[0] >>> 0).toString(16).padStart(8, '0');
}

/** One 32-bit word into each lane: FNV-1a, and the second lane also folds in its own high bits. */
const P = 0x01000193;
const mixA = (a: number, x: number) => Math.imul(a ^ x, P);
const mixB = (b: number, x: number) => Math.imul(b ^ x, P) ^ (b >>> 15);
const isInt32 = (x: number) => (x | 0) === x;
/** the low 32 bits of an integer, and its high bits tagged (so that 2^32 is not 1) */
const low = (x: number) => x >>> 0;
const high = (x: number) => ((x - (x >>> 0)) / 4294967296) ^ 0x40000000;

/*
 * The general walker keeps the lanes in two module variables while one call runs (loaded from the
 * state at its start, stored at its end). It serves rare values; the hot entry points below keep
 * the lanes in locals, because an int32 beyond a small integer's range stored in a module variable
 * is a heap number, one allocation per word.
 */
let A = 0;
let B = 0;

function m(x: number): void {
  const b = B;
  A = mixA(A, x);
  B = mixB(b, x);
}

function num(x: number): void {
  if (isInt32(x)) return m(x);
  if (Number.isSafeInteger(x)) {
    m(low(x));
    return m(high(x));
  }
  chars(String(x));
}

function chars(s: string): void {
  for (let i = 0; i < s.length; i++) m(s.charCodeAt(i));
}

/**
 * Short strings seen again and again (message kinds, timer names, disk tags) → their FNV-1a code,
 * computed once. (A lookup still costs about a hundred instructions, so the simulator passes its
 * own step tags as codes made once, with codeOf.)
 */
const stringCodes = new Map<string, number>();

export function codeOf(s: string): number {
  let c = stringCodes.get(s);
  if (c !== undefined) return c;
  c = 0x811c9dc5 | 0; // an int32 from the start, as Math.imul makes every later value
  for (let i = 0; i < s.length; i++) c = Math.imul(c ^ s.charCodeAt(i), P);
  if (s.length <= 40 && stringCodes.size < 4096) stringCodes.set(s, c);
  return c;
}

/** A string, character by character (rare events: actions). */
export function hashString(h: HashState, s: string): void {
  A = h[0];
  B = h[1];
  chars(s);
  h[0] = A;
  h[1] = B;
}

/**
 * A timer, disk or client step: when, what kind (a tag's code, from codeOf), which node, a name or
 * number, and a reference (a disk write's zxid).
 */
export function hashStep(h: HashState, now: number, tag: number, node: number, what: string | number, ref: number): void {
  const w = typeof what === 'number' ? what : codeOf(what);
  if (!isInt32(now) || !isInt32(node) || !isInt32(w) || !Number.isSafeInteger(ref)) {
    A = h[0];
    B = h[1];
    num(now);
    m(tag);
    num(node);
    num(w);
    num(ref);
    h[0] = A;
    h[1] = B;
    return;
  }
  let a = h[0];
  let b = h[1];
  a = Math.imul(a ^ now, P); b = Math.imul(b ^ now, P) ^ (b >>> 15);
  a = Math.imul(a ^ tag, P); b = Math.imul(b ^ tag, P) ^ (b >>> 15);
  a = Math.imul(a ^ node, P); b = Math.imul(b ^ node, P) ^ (b >>> 15);
  a = Math.imul(a ^ w, P); b = Math.imul(b ^ w, P) ^ (b >>> 15);
  if (isInt32(ref)) {
    a = Math.imul(a ^ ref, P); b = Math.imul(b ^ ref, P) ^ (b >>> 15);
  } else {
    const lo = ref >>> 0;
    const hi = ((ref - lo) / 4294967296) ^ 0x40000000;
    a = Math.imul(a ^ lo, P); b = Math.imul(b ^ lo, P) ^ (b >>> 15);
    a = Math.imul(a ^ hi, P); b = Math.imul(b ^ hi, P) ^ (b >>> 15);
  }
  h[0] = a;
  h[1] = b;
}

/**
 * A delivery: when, from, to, and the message's fields. Integer and string fields are mixed in
 * locals here; anything else goes through the general walker, word for word the same.
 */
export function hashDelivery(h: HashState, now: number, from: number, to: number, msg: unknown): void {
  if (!isInt32(now) || !isInt32(from) || !isInt32(to) || typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    A = h[0];
    B = h[1];
    num(now);
    num(from);
    num(to);
    value(msg);
    h[0] = A;
    h[1] = B;
    return;
  }
  let a = h[0];
  let b = h[1];
  a = Math.imul(a ^ now, P); b = Math.imul(b ^ now, P) ^ (b >>> 15);
  a = Math.imul(a ^ from, P); b = Math.imul(b ^ from, P) ^ (b >>> 15);
  a = Math.imul(a ^ to, P); b = Math.imul(b ^ to, P) ^ (b >>> 15);
  a = Math.imul(a ^ 0x7b, P); b = Math.imul(b ^ 0x7b, P) ^ (b >>> 15);
  for (const k in msg as Record<string, unknown>) {
    const v = (msg as Record<string, unknown>)[k];
    let x: number;
    if (typeof v === 'number' && isInt32(v)) x = v;
    else if (typeof v === 'number' && Number.isSafeInteger(v)) {
      const lo = v >>> 0;
      a = Math.imul(a ^ lo, P); b = Math.imul(b ^ lo, P) ^ (b >>> 15);
      x = ((v - lo) / 4294967296) ^ 0x40000000;
    } else if (typeof v === 'string') x = codeOf(v);
    else {
      A = a;
      B = b;
      value(v);
      a = A;
      b = B;
      continue;
    }
    a = Math.imul(a ^ x, P); b = Math.imul(b ^ x, P) ^ (b >>> 15);
  }
  h[0] = a;
  h[1] = b;
}

/** Any value, walked (nested message fields, and whatever the hot paths leave). */
function value(v: unknown): void {
  switch (typeof v) {
    case 'number':
      return num(v);
    case 'string':
      return m(codeOf(v));
    case 'boolean':
      return m(v ? 0x74 : 0x66);
    case 'object':
      if (v === null) return m(0x6e);
      if (Array.isArray(v)) {
        m(0x5b ^ (v.length << 8));
        for (const x of v) value(x);
        return;
      }
      m(0x7b);
      for (const k in v as Record<string, unknown>) value((v as Record<string, unknown>)[k]);
      return;
    default:
      return m(0x75); // undefined (a missing field)
  }
}
