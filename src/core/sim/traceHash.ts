/**
 * A running 64-bit digest of the event trace (two 32-bit FNV-1a lanes with different offsets).
 * Same events in, same digest out, in Node and in the browser.
 *
 * What goes in (the simulator feeds it): for every event taken off the queue, its time (whole
 * milliseconds, as a 32-bit word); for a message, its fields as it is sent, and who sent it to whom
 * as it is delivered; a timer's server and name as it fires; a disk flush's server; a stream's ends
 * and number as it closes; an action's text. (What a disk write held follows from the message or
 * timer that asked for it, and its outcome from the actions that fail a disk.) Each is a 32-bit
 * word: a number as its int32 value (a zxid as its two halves), a string as its FNV-1a code, a
 * message as one word folded from its fields (messageCode).
 *
 * It runs on every event of every run, so it is kept cheap: word() mixes two fields of one
 * long-lived object and is small enough to be inlined, a message's fields are read once (a packet
 * broadcast to every learner once in all), and ZooKeeper's broadcast packets are read by name.
 * docs/PERFORMANCE.md says what the other ways cost.
 */

/** The digest as a checkpoint keeps it: the two lanes, as signed 32-bit integers. */
export type HashState = [number, number];

const P = 0x01000193;
const OFFSET = 0x811c9dc5 | 0;

export function hashInit(): HashState {
  return [OFFSET, 0x01000193 ^ 0x9747b28c];
}

export function hashHex(h: HashState): string {
  return (h[1] >>> 0).toString(16).padStart(8, '0') + (h[0] >>> 0).toString(16).padStart(8, '0');
}

/**
 * Short strings seen again and again (message kinds, timer names, disk tags) → their FNV-1a code,
 * computed once. A Map lookup still costs about a hundred instructions, so code that hashes a fixed
 * string often makes its code once.
 */
const stringCodes = new Map<string, number>();

export function codeOf(s: string): number {
  let c = stringCodes.get(s);
  if (c !== undefined) return c;
  c = OFFSET;
  for (let i = 0; i < s.length; i++) c = Math.imul(c ^ s.charCodeAt(i), P);
  if (s.length <= 40 && stringCodes.size < 4096) stringCodes.set(s, c);
  return c;
}

/** One word into a one-lane FNV-1a code: how a message's fields are folded. */
const fold = (c: number, x: number): number => Math.imul(c ^ x, P);

/** An integer into a folded code: an int32 as itself, a larger one (a zxid) by its two halves. */
export function foldInt(c: number, x: number): number {
  if ((x | 0) === x) return fold(c, x);
  const hi = Math.floor(x / 4294967296);
  return fold(fold(c, x - hi * 4294967296), hi ^ 0x40000000); // the high half tagged: 2^32 is not 1
}

/** The start of a message's code, from its kind's code: what messageCode folds first. */
export const foldKind = (kind: number): number => fold(fold(OFFSET, 0x7b), kind);

/**
 * A message's fields as one word: a brace, then each field value in order (not their names: a kind
 * always builds its fields in the same order), numbers exactly, strings by code, nested arrays and
 * records walked. A protocol may spell this out for its commonest messages (Protocol.messageCode),
 * with the same result: the generic walk reads fields by name, which costs several times more.
 */
export function messageCode(msg: unknown): number {
  return walk(OFFSET, msg) & SMALL;
}

/**
 * Message codes are cut to 30 bits: a small integer is returned in a register, where a full 32-bit
 * one would be boxed in a fresh heap number on every call that is not inlined.
 */
export const SMALL = 0x3fffffff;

function walk(c: number, v: unknown): number {
  switch (typeof v) {
    case 'number':
      return Number.isSafeInteger(v) ? foldInt(c, v) : foldString(c, String(v));
    case 'string':
      return fold(c, codeOf(v));
    case 'boolean':
      return fold(c, v ? 0x74 : 0x66);
    case 'object':
      if (v === null) return fold(c, 0x6e);
      if (Array.isArray(v)) {
        c = fold(c, 0x5b ^ (v.length << 8));
        for (const x of v) c = walk(c, x);
        return c;
      }
      c = fold(c, 0x7b);
      for (const k in v as Record<string, unknown>) c = walk(c, (v as Record<string, unknown>)[k]);
      return c;
    default:
      return fold(c, 0x75); // undefined (a missing field)
  }
}

function foldString(c: number, s: string): number {
  for (let i = 0; i < s.length; i++) c = fold(c, s.charCodeAt(i));
  return c;
}

/** The digest being built: a simulator keeps one for its whole run (st.hash holds it at checkpoints). */
export class TraceHash {
  private a = 0;
  private b = 0;
  private lastName = '';
  private lastCode = OFFSET;

  constructor(h: HashState = hashInit()) {
    this.load(h);
  }

  load(h: HashState): void {
    this.a = h[0] | 0;
    this.b = h[1] | 0;
  }

  save(): HashState {
    return [this.a, this.b];
  }

  hex(): string {
    return hashHex(this.save());
  }

  /** One 32-bit word into each lane: FNV-1a, and the second lane also folds in its own high bits. */
  word(x: number): void {
    const b = this.b;
    this.a = Math.imul(this.a ^ x, P);
    this.b = Math.imul(b ^ x, P) ^ (b >>> 15);
  }

  /** A name by its code; the same name as last time (a run of 'txn' writes) costs no lookup. */
  name(s: string): void {
    if (s !== this.lastName) {
      this.lastName = s;
      this.lastCode = codeOf(s);
    }
    this.word(this.lastCode);
  }

  /** A string, character by character (rare: an action's text). */
  chars(s: string): void {
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
  }
}
