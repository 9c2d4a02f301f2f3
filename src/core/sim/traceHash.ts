/**
 * A running 64-bit digest of the event trace (two 32-bit FNV-1a lanes with different
 * offsets). Same events in, same digest out, in Node and in the browser.
 */
export type HashState = [number, number];

export function hashInit(): HashState {
  return [0x811c9dc5, (0x01000193 ^ 0x9747b28c) >>> 0];
}

export function hashString(h: HashState, s: string): void {
  let a = h[0];
  let b = h[1];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  h[0] = a >>> 0;
  h[1] = b >>> 0;
}

export function hashHex(h: HashState): string {
  return h[1].toString(16).padStart(8, '0') + h[0].toString(16).padStart(8, '0');
}

function mix(h: HashState, x: number): void {
  h[0] = Math.imul(h[0] ^ x, 0x01000193) >>> 0;
  h[1] = (Math.imul(h[1] ^ x, 0x01000193) ^ (h[1] >>> 15)) >>> 0;
}

/** A number, exactly: small integers in one mix, others (zxids reach 2^53) by their two halves. */
export function hashNumber(h: HashState, x: number): void {
  if ((x | 0) === x) return mix(h, x);
  if (Number.isInteger(x)) {
    mix(h, x % 0x100000000);
    return mix(h, Math.floor(x / 0x100000000) | 0x40000000);
  }
  hashString(h, String(x));
}

/** Any plain value (a message): its fields in order, walked without building a string. */
export function hashValue(h: HashState, v: unknown): void {
  switch (typeof v) {
    case 'number':
      return hashNumber(h, v);
    case 'string':
      mix(h, 0x73);
      return hashString(h, v);
    case 'boolean':
      return mix(h, v ? 0x74 : 0x66);
    case 'object':
      if (v === null) return mix(h, 0x6e);
      if (Array.isArray(v)) {
        mix(h, 0x5b);
        for (const x of v) hashValue(h, x);
        return mix(h, 0x5d);
      }
      mix(h, 0x7b);
      for (const k in v as Record<string, unknown>) {
        hashString(h, k);
        hashValue(h, (v as Record<string, unknown>)[k]);
      }
      return mix(h, 0x7d);
    default:
      return mix(h, 0x75); // undefined (a missing field)
  }
}
