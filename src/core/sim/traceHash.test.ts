import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { zkMessageCode, type ZkMessage } from '../zk/messages';
import { parseActions } from '../scenario/actionText';
import { defaultScenario } from '../scenario/scenario';
import { buildRun, runTo } from '../scenario/run';
import { codeOf, foldInt, hashHex, hashInit, messageCode, SMALL, TraceHash } from './traceHash';

/*
 * A slow reference for a message's code, written from its definition: every value becomes 32-bit
 * words (an int32 as itself, another safe integer as its low then tagged high half, any other
 * number as the characters of its decimal form, a string as its FNV-1a code, an array as a length
 * word then its items, an object as a brace word then its field values in order), folded one by
 * one into a single FNV-1a lane, cut to 30 bits at the end.
 */
function referenceCode(msg: unknown): number {
  let c = 0x811c9dc5 | 0;
  const word = (x: number) => (c = Math.imul(c ^ x, 0x01000193));
  const str = (s: string) => {
    let k = 0x811c9dc5 | 0;
    for (let i = 0; i < s.length; i++) k = Math.imul(k ^ s.charCodeAt(i), 0x01000193);
    return k;
  };
  const value = (v: unknown): void => {
    if (typeof v === 'number') {
      if ((v | 0) === v) return void word(v);
      if (Number.isSafeInteger(v)) {
        const hi = Math.floor(v / 2 ** 32);
        word(Number(BigInt.asIntN(32, BigInt(v)))); // the low 32 bits, as a signed word
        return void word(hi ^ 0x40000000);
      }
      for (const ch of String(v)) word(ch.charCodeAt(0));
      return;
    }
    if (typeof v === 'string') return void word(str(v));
    if (typeof v === 'boolean') return void word(v ? 0x74 : 0x66);
    if (v === undefined) return void word(0x75);
    if (v === null) return void word(0x6e);
    if (Array.isArray(v)) {
      word(0x5b ^ (v.length << 8));
      return v.forEach(value);
    }
    word(0x7b);
    for (const x of Object.values(v as object)) value(x);
  };
  value(msg);
  return c & SMALL;
}

// the numbers a message holds: ids and epochs, zxids up to 2^53, and the odd fraction or huge value
const number = fc.oneof(
  fc.integer({ min: -5, max: 5000 }),
  fc.integer({ min: 0, max: 0xfffff }).chain((e) => fc.integer({ min: 0, max: 0xffffffff }).map((c) => e * 2 ** 32 + c)),
  fc.double({ noNaN: false }),
  fc.constantFrom(2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53 - 1, 2 ** 53, -0),
);
const zxid = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.integer({ min: 1, max: 0xfffff }).chain((e) => fc.integer({ min: 0, max: 0xffffffff }).map((c) => e * 2 ** 32 + c)),
);
const leaf = fc.oneof(number, fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(null), fc.constant(undefined));
const { msg } = fc.letrec((tie) => ({
  field: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('field'), { maxLength: 3 }), tie('msg')),
  msg: fc
    .record({ kind: fc.constantFrom('PROPOSAL', 'ACK', 'NOTIFICATION', 'SNAP'), body: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('field'), { maxKeys: 4 }) })
    .map(({ kind, body }) => ({ kind, ...body })),
}));

/** Every ZooKeeper message, built as the protocol builds it (the same fields in the same order). */
const zkMessage: fc.Arbitrary<ZkMessage> = fc.oneof(
  fc.record({ leader: fc.integer({ min: -1, max: 50 }), zxid, electionEpoch: fc.nat(), peerEpoch: fc.integer({ min: -1, max: 99 }), state: fc.constantFrom('LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING' as const) }).map(
    (f) => ({ kind: 'NOTIFICATION' as const, leader: f.leader, zxid: f.zxid, electionEpoch: f.electionEpoch, peerEpoch: f.peerEpoch, state: f.state }),
  ),
  fc.tuple(fc.constantFrom('FOLLOWERINFO', 'OBSERVERINFO' as const), fc.nat()).map(([kind, acceptedEpoch]) => ({ kind, acceptedEpoch })),
  fc.tuple(fc.integer({ min: -1, max: 99 }), zxid).map(([currentEpoch, z]) => ({ kind: 'ACKEPOCH' as const, currentEpoch, zxid: z })),
  fc.tuple(zxid, fc.array(zxid, { maxLength: 4 })).map(([z, history]) => ({ kind: 'SNAP' as const, zxid: z, history })),
  fc.constant({ kind: 'UPTODATE' as const }),
  fc.tuple(fc.constantFrom('LEADERINFO', 'DIFF', 'TRUNC', 'PROPOSAL', 'COMMIT', 'INFORM', 'NEWLEADER', 'ACK', 'PING' as const), zxid).map(([kind, z]) => ({ kind, zxid: z }) as ZkMessage),
);

describe('trace hash', () => {
  it("a message's code is the reference fold of its words", () => {
    fc.assert(
      fc.property(fc.oneof(msg, leaf, fc.array(leaf, { maxLength: 3 })), (m) => {
        expect(messageCode(m)).toBe(referenceCode(m));
      }),
      { numRuns: 1000 },
    );
  });

  it("ZooKeeper's spelled-out codes equal the generic walk, for every kind of message", () => {
    fc.assert(
      fc.property(zkMessage, (m) => {
        expect(zkMessageCode(m)).toBe(messageCode(m));
      }),
      { numRuns: 2000 },
    );
  });

  it("ZooKeeper's spelled-out codes equal the generic walk for every message a run with faults sends", () => {
    const r = buildRun(defaultScenario({ voters: 5, observers: 2, seed: 3, net: { latencyMin: 1, latencyMax: 60, loss: 0.05 }, actions: parseActions('1000 rate 200; 3000 crash 5; 4000 partition 1,2|3,4; 6000 heal; 7000 restart 5; 8000 diskfail 2; 9000 diskok 2') }));
    const protocol = r.sim.protocol as { messageCode?: (m: unknown) => number };
    const spelled = protocol.messageCode!;
    const kinds = new Set<string>();
    let mismatches = 0;
    protocol.messageCode = (m) => {
      kinds.add((m as { kind: string }).kind);
      if (spelled(m) !== messageCode(m)) mismatches++;
      return spelled(m);
    };
    try {
      runTo(r, 12_000);
    } finally {
      protocol.messageCode = spelled;
    }
    expect(mismatches).toBe(0);
    for (const k of ['NOTIFICATION', 'FOLLOWERINFO', 'OBSERVERINFO', 'LEADERINFO', 'ACKEPOCH', 'PROPOSAL', 'ACK', 'COMMIT', 'INFORM', 'PING', 'NEWLEADER', 'UPTODATE']) expect(kinds).toContain(k);
  });

  it('tells apart messages that differ in one field, in a zxid by 2^32, or in their kind', () => {
    const base = messageCode({ kind: 'PROPOSAL', zxid: 2 ** 32 + 1 });
    expect(messageCode({ kind: 'PROPOSAL', zxid: 2 ** 32 + 2 })).not.toBe(base);
    expect(messageCode({ kind: 'PROPOSAL', zxid: 1 })).not.toBe(base);
    expect(messageCode({ kind: 'PROPOSAL', zxid: 2 * 2 ** 32 + 1 })).not.toBe(base);
    expect(messageCode({ kind: 'COMMIT', zxid: 2 ** 32 + 1 })).not.toBe(base);
    expect(messageCode({ kind: 'PROPOSAL', zxid: 2 ** 32 + 1, extra: 0 })).not.toBe(base);
  });

  it('the digest depends on every word and on their order, and survives a save and load', () => {
    const digest = (words: number[]) => {
      const h = new TraceHash();
      for (const w of words) h.word(w);
      return h.hex();
    };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 2, maxLength: 20 }), fc.nat(), (words, i) => {
        const j = i % words.length;
        const changed = [...words];
        changed[j] = (changed[j]! + 1) | 0;
        expect(digest(changed)).not.toBe(digest(words));
        const k = (j + 1) % words.length;
        if (words[j] !== words[k]) {
          const swapped = [...words];
          [swapped[j], swapped[k]] = [swapped[k]!, swapped[j]!];
          expect(digest(swapped)).not.toBe(digest(words));
        }
        const h = new TraceHash();
        words.slice(0, j).forEach((w) => h.word(w));
        const resumed = new TraceHash(h.save());
        words.slice(j).forEach((w) => resumed.word(w));
        expect(resumed.hex()).toBe(digest(words));
      }),
      { numRuns: 300 },
    );
    expect(new TraceHash().hex()).toBe(hashHex(hashInit()));
  });

  it('an integer goes into a message code exactly: a zxid as its two halves; names by their code', () => {
    const of = (f: (h: TraceHash) => void) => {
      const h = new TraceHash();
      f(h);
      return h.hex();
    };
    const z = 3 * 2 ** 32 + 0x80000005; // a low half above 2^31
    const c = codeOf('PROPOSAL');
    expect(foldInt(c, z)).toBe(foldInt(foldInt(c, 0x80000005 | 0), 3 ^ 0x40000000));
    expect(foldInt(c, 2 ** 32)).not.toBe(foldInt(c, 1));
    expect(foldInt(c, 7)).toBe(Math.imul(c ^ 7, 0x01000193));
    expect(of((h) => (h.name('txn'), h.name('txn'), h.name('tick')))).toBe(of((h) => (h.word(codeOf('txn')), h.word(codeOf('txn')), h.word(codeOf('tick')))));
  });
});
