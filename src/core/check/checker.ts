import type { RunChecker, Said, Violation } from './types';

/** What every checker's memory holds besides its own facts. */
export interface CheckerStateBase {
  violations: Violation[];
  /** violations already reported, by key: each is reported once */
  reported: Record<string, true>;
}

/** What a checker needs of a simulator to date a violation. */
interface Dated {
  readonly now: number;
  readonly st: { step: number };
}

/** A run with thousands of violations says nothing more after the first hundred. */
export const MAX_VIOLATIONS = 100;

/**
 * What the three protocols' checkers share: their memory is plain data (`st`), checkpointed with
 * the run by a structured clone, and a broken rule is reported once, dated by the step that
 * broke it. A checker adds its rules (afterStep) and, if it keeps caches derived from what it
 * has read, forgets them when a checkpoint is restored.
 */
export abstract class InvariantChecker<Sim extends Dated, St extends CheckerStateBase, Inv extends string, Cp = St> implements RunChecker<Sim> {
  abstract st: St;

  abstract afterStep(sim: Sim): void;

  get violations(): Violation[] {
    return this.st.violations;
  }

  /** A copy of the memory (a checker whose state only grows may share it instead, see zk/checker.ts). */
  checkpoint(): Cp {
    return structuredClone(this.st) as unknown as Cp;
  }

  restore(cp: unknown): void {
    this.st = structuredClone(cp as St);
    this.forget();
  }

  /** Drop what is not state but was derived from it (how far each array was read). */
  protected forget(): void {}

  /** Report a broken rule once per `key` (by default, the same rule with the same message). */
  protected report(sim: Sim, invariant: Inv, nodes: number[], said: Said, key = `${invariant}|${said.text}`): void {
    if (this.st.reported[key] || this.st.violations.length >= MAX_VIOLATIONS) return;
    this.st.reported[key] = true;
    this.st.violations.push({ invariant, time: sim.now, step: sim.st.step, nodes, message: said.text, code: said.code, args: said.args });
  }
}
