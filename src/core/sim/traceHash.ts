/**
 * A running 64-bit digest of the event trace (two 32-bit FNV-1a lanes with different
 * offsets). Same events in, same digest out, in Node and in the browser.
 */
export type HashState = [number, number];

// the lanes are kept as signed 32-bit integers: an array of small integers is the fastest kind
export function hashInit(): HashState {
  return [0x811c9dc5 | 0, 0x01000193 ^ 0x9747b28c];
}

export function hashString(h: HashState, s: string): void {
  let a = h[0];
  let b = h[1];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  h[0] = a | 0;
  h[1] = b | 0;
}

export function hashHex(h: HashState): string {
  return (h[1] >>> 0).toString(16).padStart(8, '0') + (h[0] >>> 0).toString(16).padStart(8, '0');
}

function mix(h: HashState, x: number): void {
  h[0] = Math.imul(h[0] ^ x, 0x01000193);
  h[1] = Math.imul(h[1] ^ x, 0x01000193) ^ (h[1] >>> 15);
}

/** A number, exactly: small integers in one mix, others (zxids reach 2^53) by their two halves. */
export function hashNumber(h: HashState, x: number): void {
  if ((x | 0) === x) return mix(h, x);
  const lo = x >>> 0; // x mod 2^32, for any integer
  const hi = (x - lo) / 4294967296;
  if (Number.isSafeInteger(x)) {
    mix(h, lo);
    return mix(h, hi ^ 0x40000000);
  }
  hashString(h, String(x));
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

/** A short string that recurs (a kind, a name): one mix of its code. */
export function hashName(h: HashState, s: string): void {
  mix(h, stringCode(s));
}

/**
 * A message: its field values in order (not their names: a kind always builds its fields in the
 * same order), nested values walked, and no string built.
 */
export function hashValue(h: HashState, v: unknown): void {
  switch (typeof v) {
    case 'number':
      return hashNumber(h, v);
    case 'string':
      return mix(h, stringCode(v));
    case 'boolean':
      return mix(h, v ? 0x74 : 0x66);
    case 'object':
      if (v === null) return mix(h, 0x6e);
      if (Array.isArray(v)) {
        mix(h, 0x5b ^ (v.length << 8));
        for (const x of v) hashValue(h, x);
        return;
      }
      mix(h, 0x7b);
      for (const k in v as Record<string, unknown>) hashValue(h, (v as Record<string, unknown>)[k]);
      return;
    default:
      return mix(h, 0x75); // undefined (a missing field)
  }
}
