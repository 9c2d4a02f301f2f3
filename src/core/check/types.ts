import type { NodeId } from '../sim/types';

/** A broken safety rule, found after a step of the simulation. */
export interface Violation {
  invariant: string;
  time: number;
  step: number;
  nodes: NodeId[];
  /** what broke, in English (the CLI prints it) */
  message: string;
  /** the same as a catalogue code (`inv.<code>`) and its arguments, for the page in any language */
  code?: string;
  args?: Record<string, string | number>;
}

/** A violation's words: a catalogue code with its arguments, and the English text. */
export interface Said {
  code: string;
  args: Record<string, string | number>;
  text: string;
}

export function say(code: string, args: Record<string, string | number>, text: string): Said {
  return { code, args, text };
}

/**
 * What every protocol's invariant checker offers the engine, the CLI and the explorer: it looks
 * at the simulator after each step, and its memory is plain data, checkpointed with the run.
 */
export interface RunChecker<Sim> {
  readonly violations: Violation[];
  afterStep(sim: Sim): void;
  checkpoint(): unknown;
  restore(cp: unknown): void;
}

/** What runChecked needs of a simulator. */
export interface SteppedSim {
  readonly st: { step: number; now: number };
  nextEventTime(): number | null;
  step(): boolean;
  runUntil(t: number): void;
}

/**
 * Step until simulated time `until`, checking the invariants after every step; stop early at
 * event count `maxStep`, or at the first violation if asked. The clock then reads `until` (or, when
 * stopped at maxStep, the time of the next event if that comes sooner).
 */
export function runChecked<S extends SteppedSim>(sim: S, checker: { afterStep(sim: S): void; readonly violations: unknown[] }, until: number, o: { maxStep?: number; stopOnViolation?: boolean } = {}): void {
  const maxStep = o.maxStep ?? Infinity;
  for (;;) {
    const t = sim.nextEventTime();
    if (t === null || t > until || sim.st.step >= maxStep) break;
    sim.step();
    checker.afterStep(sim);
    if (o.stopOnViolation && checker.violations.length) return;
  }
  if (sim.st.step >= maxStep) sim.st.now = Math.max(sim.st.now, Math.min(until, sim.nextEventTime() ?? until));
  else if (until > sim.st.now) sim.runUntil(until);
}
