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
