/** Building and running a scenario (plain data, scenario.ts) through its protocol's kit (kits.ts). */
import type { Checker, ZabSim } from '../zk/checker';
import { runChecked } from '../check/types';
import { kitOf, type Run } from './kits';
import type { Scenario } from './scenario';

export type { Run } from './kits';
export type { ZabSim } from '../zk/checker';

/** A simulator of the scenario's protocol with its invariant checker, started and ready to step. */
export function buildRun(sc: Scenario): Run {
  const run = kitOf(sc.protocol).build(sc);
  run.sim.start(sc.actions);
  return run;
}

/** A ZAB run typed as ZooKeeper's: for tests and tools that look inside its servers. */
export interface ZabRun {
  protocol: 'zab';
  sim: ZabSim;
  checker: Checker;
}

export function buildZabRun(sc: Scenario): ZabRun {
  if (sc.protocol !== 'zab') throw new Error(`not a ZAB scenario (${sc.protocol})`);
  return buildRun(sc) as unknown as ZabRun;
}

/** The ZAB simulator of a ZAB run (tests and tools that look inside ZooKeeper's state). */
export function zabSim(run: Run): ZabSim {
  if (run.protocol !== 'zab') throw new Error(`not a ZAB run (${run.protocol})`);
  return run.sim as unknown as ZabSim;
}

/** Run to `until`, checking invariants after every step. */
export function runTo(run: Run | ZabRun, until: number, maxStep = Infinity): void {
  const { sim, checker } = run as Run;
  runChecked(sim, checker, until, { maxStep });
}
