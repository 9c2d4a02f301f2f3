import { compareTarget, nodeIds, targetOf, type CompareTarget, type Scenario } from '../core/scenario/scenario';
import type { TimedAction } from '../core/sim/actions';
import { Engine } from './engine';
import { idsOf } from '../core/scenario/actionText';
import type { Command } from './messages';

/**
 * The same scenario on another protocol, or on another ZooKeeper release: as many nodes (ZAB
 * voters, 2PC nodes, Paxos acceptors), the same seed, network and fault script. Actions naming a
 * node the other protocol lacks are left out.
 */
export function counterpart(sc: Scenario, target: CompareTarget): Scenario {
  const { protocol, zk } = compareTarget(target);
  const voters = protocol === '2pc' ? Math.max(2, sc.voters) : sc.voters;
  const observers = protocol === 'zab' ? sc.observers : 0;
  // Multi-Paxos unless the scenario says otherwise: the one to set beside ZAB's broadcast
  const paxos = protocol === 'paxos' ? { ...sc.paxos, mode: sc.paxos?.mode ?? ('multi' as const) } : undefined;
  const ids = nodeIds({ protocol, voters, observers, ...(paxos ? { paxos } : {}) });
  const fits = (a: TimedAction) => idsOf(a.action).every((id) => ids.has(id));
  return {
    protocol,
    voters,
    observers,
    seed: sc.seed,
    net: { ...sc.net },
    disk: { ...sc.disk },
    timing: protocol === 'zab' ? { ...sc.timing } : {},
    actions: sc.actions.filter(fits),
    ...(paxos ? { paxos } : {}),
    // ZAB beside ZAB on another release: the same history on disk before the run, too
    ...(zk ? { zk, ...(sc.protocol === 'zab' && sc.initial ? { initial: structuredClone(sc.initial) } : {}) } : {}),
  };
}

/** Whether the compare view would set the run beside itself. */
export function sameRun(sc: Scenario, target: CompareTarget): boolean {
  return target === targetOf(sc) || target === sc.protocol;
}

/**
 * A second engine that follows the main one's clock: after every command and frame it is brought
 * to the same simulated time (forward by replaying, backward through its own checkpoints).
 */
export class Follower {
  readonly engine: Engine;

  constructor(main: Engine, readonly target: CompareTarget) {
    this.engine = new Engine(counterpart(main.scenario, target));
    this.engine.focus = null;
    this.follow(main);
  }

  /** Apply what the person did to both runs: faults, writes; time is handled by follow(). */
  command(c: Command): void {
    if (c.type === 'action' && c.action.verb !== 'drop') {
      // a dropped message is one of the main run's; the other run has its own messages
      const ids = idsOf(c.action);
      const total = this.engine.run.sim.nodeIds().length;
      if (ids.every((id) => id <= total)) this.engine.command(c);
    }
  }

  follow(main: Engine): void {
    const t = main.run.sim.now;
    const e = this.engine;
    if (e.run.sim.now > t) e.seekTime(t);
    else if (e.run.sim.now < t) {
      // past the end of its own timeline: simulate forward; within it: replay to the moment
      if (e.run.sim.now < e.maxTime) e.seekTime(Math.min(t, e.maxTime));
      e.advanceTo(t);
    }
  }
}
