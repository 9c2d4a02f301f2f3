import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codeOf, hashDelivery, hashHex, hashInit, hashStep, hashString } from './traceHash';

/*
 * A slow reference for the digest, written from its definition: every value becomes 32-bit words
 * (an int32 as itself, a safe integer as its low then tagged high half, any other number as the
 * characters of its decimal form, a string as its FNV-1a code, an array as a length word then its
 * items, an object as a brace word then its field values in order), and each word goes into both
 * lanes. The hot paths in traceHash.ts must give exactly this.
 */
function reference() {
  let a = 0x811c9dc5 | 0;
  let b = 0x01000193 ^ 0x9747b28c;
  const word = (x: number) => {
    const old = b;
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(old ^ x, 0x01000193) ^ (old >>> 15);
  };
  const code = (s: string) => {
    let c = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) c = Math.imul(c ^ s.charCodeAt(i), 0x01000193);
    return c;
  };
  const num = (x: number) => {
    if ((x | 0) === x) return word(x);
    if (Number.isSafeInteger(x)) {
      const lo = x >>> 0;
      word(lo);
      return word(((x - lo) / 2 ** 32) ^ 0x40000000);
    }
    for (const ch of String(x)) word(ch.charCodeAt(0));
  };
  const value = (v: unknown): void => {
    if (typeof v === 'number') return num(v);
    if (typeof v === 'string') return word(code(v));
    if (typeof v === 'boolean') return word(v ? 0x74 : 0x66);
    if (v === undefined) return word(0x75);
    if (v === null) return word(0x6e);
    if (Array.isArray(v)) {
      word(0x5b ^ (v.length << 8));
      return v.forEach(value);
    }
    word(0x7b);
    for (const x of Object.values(v as object)) value(x);
  };
  return {
    step(now: number, tag: string, node: number, what: string | number, ref: number) {
      num(now);
      word(code(tag));
      num(node);
      if (typeof what === 'number') num(what);
      else word(code(what));
      num(ref);
    },
    delivery(now: number, from: number, to: number, msg: unknown) {
      num(now);
      num(from);
      num(to);
      value(msg);
    },
    hex: () => (b >>> 0).toString(16).padStart(8, '0') + (a >>> 0).toString(16).padStart(8, '0'),
  };
}

// the numbers a trace holds: times and ids, zxids up to 2^53, and the odd fraction or huge value
const number = fc.oneof(
  fc.integer({ min: -5, max: 5000 }),
  fc.integer({ min: 1, max: 0xfffff }).chain((e) => fc.integer({ min: 0, max: 0xffffffff }).map((c) => e * 2 ** 32 + c)),
  fc.double({ noNaN: false }),
  fc.constantFrom(2 ** 31, -(2 ** 31), 2 ** 53, -0),
);
const leaf = fc.oneof(number, fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(null), fc.constant(undefined));
const { msg } = fc.letrec((tie) => ({
  field: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('field'), { maxLength: 3 }), tie('msg')),
  msg: fc.record({ kind: fc.constantFrom('PROPOSAL', 'ACK', 'NOTIFICATION', 'SNAP'), body: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('field'), { maxKeys: 4 }) }).map(({ kind, body }) => ({ kind, ...body })),
}));
const event = fc.oneof(
  fc.record({ step: fc.constant(true), now: number, tag: fc.constantFrom('T', 'D', 'd', 'W', 'C'), node: number, what: fc.oneof(number, fc.string({ maxLength: 8 })), ref: number }),
  fc.record({ step: fc.constant(false), now: number, from: number, to: number, msg: fc.oneof(msg, leaf, fc.array(leaf, { maxLength: 3 })) }),
);

describe('trace hash', () => {
  it('digests steps and deliveries exactly as the reference walk of their words does', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (evs) => {
        const h = hashInit();
        const ref = reference();
        for (const e of evs) {
          if (e.step) {
            hashStep(h, e.now, codeOf(e.tag), e.node, e.what, e.ref);
            ref.step(e.now, e.tag, e.node, e.what, e.ref);
          } else {
            hashDelivery(h, e.now, e.from, e.to, e.msg);
            ref.delivery(e.now, e.from, e.to, e.msg);
          }
        }
        expect(hashHex(h)).toBe(ref.hex());
      }),
      { numRuns: 500 },
    );
  });

  it('tells apart traces that differ in one field, one order or one character', () => {
    const digest = (f: (h: ReturnType<typeof hashInit>) => void) => {
      const h = hashInit();
      f(h);
      return hashHex(h);
    };
    const base = digest((h) => hashDelivery(h, 10, 1, 2, { kind: 'PROPOSAL', zxid: 2 ** 32 + 1 }));
    expect(digest((h) => hashDelivery(h, 10, 1, 2, { kind: 'PROPOSAL', zxid: 2 ** 32 + 2 }))).not.toBe(base);
    expect(digest((h) => hashDelivery(h, 10, 2, 1, { kind: 'PROPOSAL', zxid: 2 ** 32 + 1 }))).not.toBe(base);
    expect(digest((h) => hashDelivery(h, 10, 1, 2, { kind: 'COMMIT', zxid: 2 ** 32 + 1 }))).not.toBe(base);
    expect(digest((h) => hashString(h, 'a|b'))).not.toBe(digest((h) => hashString(h, 'a|c')));
  });
});
