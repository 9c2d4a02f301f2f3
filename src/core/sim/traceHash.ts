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
