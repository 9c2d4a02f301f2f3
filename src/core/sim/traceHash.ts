/**
 * A running 64-bit digest of the event trace (two 32-bit FNV-1a lanes with different
 * offsets). Same events in, same digest out, in Node and in the browser.
 */
export type HashState = [number, number];

// the lanes are kept as signed 32-bit integers: an array of small integers is the fastest kind
export function hashInit(): HashState {
  return [0x811c9dc5 | 0, 0x01000193 ^ 0x9747b28c];
}

export function hashHex(h: HashState): string {
  return (h[1] >>> 0).toString(16).padStart(8, '0') + (h[0] >>> 0).toString(16).padStart(8, '0');
}

/*
 * The lanes being mixed live in two module variables while one call runs (loaded from the state
 * at its start, stored at its end): a value of many fields costs no array writes per field.
 */
let A = 0;
let B = 0;

function m(x: number): void {
  const b = B;
  A = Math.imul(A ^ x, 0x01000193);
  B = Math.imul(b ^ x, 0x01000193) ^ (b >>> 15);
}

/** A number, exactly: small integers in one mix, others (zxids reach 2^53) by their two halves. */
function num(x: number): void {
  if ((x | 0) === x) return m(x);
  const lo = x >>> 0; // x mod 2^32, for any integer
  const hi = (x - lo) / 4294967296;
  if (Number.isSafeInteger(x)) {
    m(lo);
    return m(hi ^ 0x40000000);
  }
  chars(String(x));
}

function chars(s: string): void {
  for (let i = 0; i < s.length; i++) m(s.charCodeAt(i));
}

/**
 * Short strings seen again and again (message kinds, field names, timer names) → their own
 * 32-bit FNV-1a, computed once: a Map lookup on a string is cheaper than walking its characters.
 */
const stringCodes = new Map<string, number>();

function stringCode(s: string): number {
  let c = stringCodes.get(s);
  if (c !== undefined) return c;
  c = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) c = Math.imul(c ^ s.charCodeAt(i), 0x01000193);
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

/** A timer, disk or client step: when, what kind, which node, a name or number, a reference. */
export function hashStep(h: HashState, now: number, tag: string, node: number, what: string | number, ref: number): void {
  A = h[0];
  B = h[1];
  num(now);
  m(stringCode(tag));
  num(node);
  if (typeof what === 'number') num(what);
  else m(stringCode(what));
  num(ref);
  h[0] = A;
  h[1] = B;
}

/** A delivery: when, from, to, and the message's fields. */
export function hashDelivery(h: HashState, now: number, from: number, to: number, msg: unknown): void {
  A = h[0];
  B = h[1];
  num(now);
  num(from);
  num(to);
  value(msg);
  h[0] = A;
  h[1] = B;
}

/**
 * A message: its field values in order (not their names: a kind always builds its fields in the
 * same order), nested values walked, and no string built.
 */
function value(v: unknown): void {
  switch (typeof v) {
    case 'number':
      return num(v);
    case 'string':
      return m(stringCode(v));
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
      // numbers and strings (nearly every field) mixed here, without a call per field
      for (const k in v as Record<string, unknown>) {
        const x = (v as Record<string, unknown>)[k];
        if (typeof x === 'number') num(x);
        else if (typeof x === 'string') m(stringCode(x));
        else value(x);
      }
      return;
    default:
      return m(0x75); // undefined (a missing field)
  }
}
