/** What the command-line tools share: how they fail on bad input, and how they read a number. */

/** A failure that prints `<tool>: <message>` and the usage on stderr, and exits with status 2. */
export function failer(tool: string, usage: string): (msg: string) => never {
  return (msg) => {
    process.stderr.write(`${tool}: ${msg}\n${usage}\n`);
    process.exit(2);
  };
}

/** The flags both tools take to describe an ensemble (and --help). */
export const ENSEMBLE_FLAGS = {
  protocol: { type: 'string' },
  voters: { type: 'string' },
  observers: { type: 'string' },
  proposers: { type: 'string' },
  learners: { type: 'string' },
  mode: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A whole-number flag within [lo, hi], or its default when absent. */
export function intFlag(fail: (msg: string) => never, v: string | undefined, name: string, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) fail(`--${name} must be a whole number, got "${v}"`);
  const n = Number(v);
  if (n < lo || n > hi) fail(`--${name} must be from ${lo} to ${hi}, got ${n}`);
  return n;
}

/**
 * A time as ISO 8601, as Date.toISOString writes it: the second's text kept from the time before
 * (a log's events come many to a second), the milliseconds added.
 */
let isoSecond = NaN;
let isoPrefix = '';
export function isoOf(t: number): string {
  // outside years 0000-9999 the form is another (±YYYYYY)
  if (t < -62_167_219_200_000 || t >= 253_402_300_800_000) return new Date(t).toISOString();
  const second = Math.floor(t / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  return `${isoPrefix}${String(t - second * 1000).padStart(3, '0')}Z`;
}
