import { buildRun, type Run, type Scenario } from '../core/scenario/scenario';
import type { Command, NodeSnap, Snapshot } from './messages';

/** Most trace records sent in one snapshot; the event log only needs the recent ones. */
const MAX_EVENTS_PER_SNAPSHOT = 400;
/** Most events processed per frame, so the worker always answers promptly. */
const MAX_STEPS_PER_FRAME = 20_000;

/**
 * Owns one simulation run for the page: applies commands, advances simulated time with the
 * wall clock it is given (the worker's), and builds snapshots. No DOM; testable in Node.
 */
export class Engine {
  run!: Run;
  scenario!: Scenario;
  playing = false;
  speed = 60;
  runTo: number | null = null;

  constructor(scenario: Scenario) {
    this.load(scenario);
  }

  load(scenario: Scenario, runTo?: number): void {
    this.scenario = structuredClone(scenario);
    this.run = buildRun(this.scenario);
    this.run.sim.records = [];
    this.runTo = runTo ?? null;
    this.playing = false;
  }

  command(c: Command): void {
    switch (c.type) {
      case 'load':
        return this.load(c.scenario, c.runTo);
      case 'play':
        this.playing = true;
        return;
      case 'pause':
        this.playing = false;
        return;
      case 'speed':
        this.speed = Math.min(1e6, Math.max(1, c.value));
        return;
      case 'step':
        this.playing = false;
        this.stepOne();
        return;
      case 'action': {
        // a person's action takes effect in the next simulated millisecond and is recorded
        // into the scenario, so that replaying the scenario reproduces this run exactly
        const sim = this.run.sim;
        const at = Math.floor(sim.now) + 1;
        const ta = { at, action: c.action };
        this.scenario.actions.push(ta);
        sim.schedule(ta);
        this.advanceTo(at);
        return;
      }
    }
  }

  private stepOne(): void {
    const { sim, checker } = this.run;
    if (sim.step()) checker.afterStep(sim);
  }

  /** Process every event due at or before `t` (bounded per call), then set the clock to `t`. */
  advanceTo(t: number): void {
    const { sim, checker } = this.run;
    let n = 0;
    for (;;) {
      const next = sim.nextEventTime();
      if (next === null || next > t) break;
      if (n++ >= MAX_STEPS_PER_FRAME) return;
      sim.step();
      checker.afterStep(sim);
    }
    if (t > sim.now) sim.runUntil(t);
  }

  /** Called once per frame with the wall-clock ms elapsed since the last one. */
  frame(wallMs: number): void {
    if (this.runTo !== null) {
      this.advanceTo(this.runTo);
      if (this.run.sim.now >= this.runTo) this.runTo = null;
      return;
    }
    if (!this.playing) return;
    this.advanceTo(this.run.sim.now + (this.speed * Math.min(wallMs, 100)) / 1000);
  }

  snapshot(): Snapshot {
    const { sim, checker } = this.run;
    const records = sim.records ?? [];
    const events = records.length > MAX_EVENTS_PER_SNAPSHOT ? records.slice(-MAX_EVENTS_PER_SNAPSHOT) : records;
    sim.records = [];
    return {
      time: sim.now,
      step: sim.st.step,
      traceHash: sim.traceHash(),
      playing: this.playing,
      speed: this.speed,
      nodes: sim.nodeIds().map((id) => sim.view(id) as NodeSnap),
      flights: sim.flights(),
      groups: { ...sim.st.group },
      events,
      violations: checker.violations,
      runTo: this.runTo,
      actions: this.scenario.actions.length,
    };
  }
}
