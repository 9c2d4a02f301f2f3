import { DEFAULT_RELEASE } from '../core/zk/release';
import { inTimeOrder, type PausePoint, type Scenario } from '../core/scenario/scenario';
import { MAX_CAPTION, MAX_PAUSES, MAX_TITLE } from '../core/scenario/codec';
import { buildRun, type Run } from '../core/scenario/run';
import { kitOf, type RunSummary } from '../core/scenario/kits';
import { FACES } from '../core/scenario/faces';
import type { Checkpoint as SimCheckpoint } from '../core/sim/simulator';
import type { Breakpoints, ClientSnap, Command, NodeSnap, NodeView, Snapshot, Story } from './messages';
import type { StaleRead } from '../core/zk/checker';
import { labelMessages, type TraceRecord } from '../core/sim/simulator';

/** Most trace records sent in one snapshot; the event log only needs the recent ones. */
export const MAX_EVENTS_PER_SNAPSHOT = 32;
/**
 * After a jump (load, seek, a counterexample opened at its violation) the event log and the
 * space-time diagram start over from one snapshot: it carries more of the recent past, once.
 */
export const MAX_EVENTS_AFTER_JUMP = 400;
/** Most messages in flight drawn at once: past that the canvas is a blur anyway. */
export const MAX_FLIGHTS_PER_SNAPSHOT = 90;
/** Most events processed per frame, so the worker always answers promptly. */
const MAX_STEPS_PER_FRAME = 20_000;
/** Checkpoints kept at most; past that every other one is dropped and the spacing doubles. */
const MAX_CHECKPOINTS = 200;
const FIRST_SPACING = 2000;
/** how much wall time a skipped quiet stretch still takes before its next event */
export const QUIET_LEAD_MS = 400;

interface Checkpoint {
  step: number;
  time: number;
  sim: SimCheckpoint<unknown>;
  checker: unknown;
}

/**
 * Owns one simulation run for the page: applies commands, advances simulated time with the
 * wall clock it is given, keeps history (checkpoints + deterministic replay) for stepping back
 * and scrubbing, pauses on breakpoints, and builds snapshots. No DOM; testable in Node.
 */
export class Engine {
  run!: Run;
  scenario!: Scenario;
  playing = false;
  speed = 60;
  /** a wait with no message on the wire (a timeout running out) plays in well under a second */
  skipQuiet = true;
  runTo: number | null = null;
  /** with runTo: stop at this event count (a shared moment inside a busy millisecond) */
  runToStep: number | null = null;
  breakpoints: Breakpoints = { leaderChange: false, newEpoch: false, violation: true };
  pausedBy: string | null = null;
  /** the last action taken in the past: where the future was rewritten, and how far it had run */
  forked: { at: number; until: number } | null = null;
  /** the server the page inspects: the only one whose view carries every detail */
  focus: number | null = null;
  /** the furthest point simulated so far (the end of the timeline) */
  maxStep = 0;
  maxTime = 0;
  private checkpoints: Checkpoint[] = [];
  private spacing = FIRST_SPACING;
  private reset = true;
  /** since the last jump, until the run has caught up with it (runTo done): snapshots carry more events */
  private jumped = true;
  private lastLeader: RunSummary['leader'] = null;
  private lastEpoch = 0;
  private lastViolations = 0;
  /** scenarios loaded so far (a story's id) */
  private loads = 0;

  constructor(scenario: Scenario) {
    this.load(scenario);
  }

  load(scenario: Scenario, runTo?: number, runToStep?: number): void {
    this.loads++;
    this.forked = null;
    this.scenario = structuredClone(scenario);
    this.run = buildRun(this.scenario);
    this.run.sim.records = [];
    // the page only ever shows the recent past
    this.run.sim.recordCap = 8000;
    this.runTo = runTo ?? null;
    this.runToStep = runTo === undefined ? null : (runToStep ?? null);
    this.playing = false;
    this.pausedBy = null;
    this.maxStep = 0;
    this.maxTime = 0;
    this.spacing = FIRST_SPACING;
    this.checkpoints = [this.capture()];
    this.reset = true;
    this.jumped = true;
    this.noteMarks();
  }

  command(c: Command): void {
    switch (c.type) {
      case 'load':
        return this.load(c.scenario, c.runTo, c.runToStep);
      case 'play':
        this.playing = true;
        this.pausedBy = null;
        this.forked = null;
        return;
      case 'pause':
        this.playing = false;
        // events fall on whole milliseconds: pausing on one keeps the clock, links and display exact
        this.run.sim.st.now = Math.floor(this.run.sim.st.now);
        return;
      case 'speed':
        this.speed = Math.min(1e6, Math.max(1, c.value));
        return;
      case 'skipQuiet':
        this.skipQuiet = c.on;
        return;
      case 'step':
        this.playing = false;
        this.stepForward();
        return;
      case 'back':
        this.playing = false;
        return this.seekStep(this.run.sim.st.step - 1);
      case 'seek':
        this.playing = false;
        return this.seekTime(c.time);
      case 'share':
      case 'export':
        return; // answered by the worker, which owns the channel
      case 'setStory':
        return this.setStory(c.pauses, c.title);
      case 'focus':
        this.focus = c.id;
        return;
      case 'breakpoints':
        this.breakpoints = { ...c.breakpoints };
        return;
      case 'action': {
        // acting in the past forks the future: what was simulated after this moment is forgotten
        if (this.run.sim.st.step < this.maxStep) this.fork();
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

  private capture(): Checkpoint {
    const { sim, checker } = this.run;
    return { step: sim.st.step, time: sim.now, sim: sim.checkpoint(), checker: checker.checkpoint() };
  }

  /** After every forward step: extend the timeline, take checkpoints, check breakpoints. */
  private afterStep(): boolean {
    const { sim, checker } = this.run;
    checker.afterStep(sim);
    const step = sim.st.step;
    if (step <= this.maxStep) return false;
    this.maxStep = step;
    this.maxTime = sim.now;
    if (step - this.checkpoints[this.checkpoints.length - 1]!.step >= this.spacing) {
      this.checkpoints.push(this.capture());
      if (this.checkpoints.length > MAX_CHECKPOINTS) {
        this.checkpoints = this.checkpoints.filter((_, i) => i % 2 === 0);
        this.spacing *= 2;
      }
    }
    return this.checkBreakpoints();
  }

  private stepForward(): void {
    if (this.run.sim.step()) this.afterStep();
  }

  /** The leader, epoch and violation count now, for the breakpoints. */
  private marks(): { leader: RunSummary['leader']; epoch: number; violations: number } {
    const { sim, checker } = this.run;
    const { leader, epoch } = kitOf(this.run.protocol).summary(sim);
    return { leader, epoch, violations: checker.violations.length };
  }

  private noteMarks(): void {
    const m = this.marks();
    this.lastLeader = m.leader;
    this.lastEpoch = m.epoch;
    this.lastViolations = m.violations;
  }

  private checkBreakpoints(): boolean {
    const m = this.marks();
    let hit: string | null = null;
    // a guided scenario with a rule switched off breaks invariants on purpose, and its captions
    // stop where they break: it does not also stop at each violation
    const storyOfABreak = this.scenario.guide !== undefined && !!this.scenario.ablations;
    if (this.breakpoints.violation && m.violations > this.lastViolations && !storyOfABreak) hit = 'violation';
    else if (this.breakpoints.newEpoch && m.epoch > this.lastEpoch) hit = 'newEpoch';
    else if (this.breakpoints.leaderChange && m.leader && (m.leader.id !== this.lastLeader?.id || m.leader.epoch !== this.lastLeader.epoch)) hit = 'leaderChange';
    this.lastLeader = m.leader ?? this.lastLeader;
    this.lastEpoch = Math.max(this.lastEpoch, m.epoch);
    this.lastViolations = m.violations;
    if (hit && (this.playing || this.runTo !== null)) {
      this.playing = false;
      this.runTo = null;
      this.pausedBy = hit;
      return true;
    }
    return false;
  }

  /** Go to step `target` of the timeline: the nearest checkpoint before it, then replay. */
  seekStep(target: number): void {
    const t = Math.max(0, Math.min(target, this.maxStep));
    const cp = this.checkpointBefore((c) => c.step <= t, (c) => t - c.step < 100);
    this.restore(cp);
    const { sim, checker } = this.run;
    while (sim.st.step < t && sim.step()) checker.afterStep(sim);
    this.afterSeek();
  }

  /** Go to simulated time `time`: every event due by then, never past the end of the timeline. */
  seekTime(time: number): void {
    const t = Math.max(0, Math.min(time, this.maxTime));
    const cp = this.checkpointBefore((c) => c.time <= t, (c) => t - c.time < 50);
    this.restore(cp);
    const { sim, checker } = this.run;
    for (;;) {
      const next = sim.nextEventTime();
      if (next === null || next > t || sim.st.step >= this.maxStep) break;
      sim.step();
      checker.afterStep(sim);
    }
    if (t > sim.now) sim.st.now = t;
    this.afterSeek();
  }

  private restore(cp: Checkpoint): void {
    this.run.sim.restore(cp.sim);
    this.run.checker.restore(cp.checker);
    this.run.sim.records = [];
    // actions a person took after this checkpoint are not in its queue: put them back
    this.run.sim.rescheduleActions(inApplyOrder(this.scenario.actions));
  }

  /**
   * The checkpoint to replay from: the latest one at or before the target, unless the target is
   * so close to it that the replay would leave the event log empty; then the one before.
   */
  private checkpointBefore(atOrBefore: (c: Checkpoint) => boolean, tooClose: (c: Checkpoint) => boolean): Checkpoint {
    const usable = this.checkpoints.filter(atOrBefore);
    const last = usable[usable.length - 1]!;
    return tooClose(last) && usable.length > 1 ? usable[usable.length - 2]! : last;
  }

  private afterSeek(): void {
    this.reset = true;
    this.jumped = true;
    this.pausedBy = null;
    this.noteMarks();
  }

  /** Forget the future beyond this moment: its checkpoints and its scripted actions. */
  private fork(): void {
    const { sim } = this.run;
    const now = sim.now;
    this.forked = { at: now, until: this.maxTime };
    this.checkpoints = this.checkpoints.filter((c) => c.step <= sim.st.step);
    this.maxStep = sim.st.step;
    this.maxTime = now;
    this.scenario.actions = this.scenario.actions.filter((a) => a.at <= now);
    sim.rescheduleActions(inApplyOrder(this.scenario.actions));
  }

  /** Process every event due at or before `t` (bounded per call), then set the clock to `t`. */
  advanceTo(t: number, maxStep = Infinity): void {
    const { sim } = this.run;
    let n = 0;
    for (;;) {
      const next = sim.nextEventTime();
      if (next === null || next > t || sim.st.step >= maxStep) break;
      if (n++ >= MAX_STEPS_PER_FRAME) return;
      // replaying a stretch already simulated (after stepping back) runs the same events again
      sim.step();
      if (this.afterStep()) return;
    }
    if (sim.st.step >= maxStep) sim.st.now = Math.max(sim.now, Math.min(t, sim.nextEventTime() ?? t));
    else if (t > sim.now) sim.runUntil(t);
    if (sim.now > this.maxTime && sim.st.step >= this.maxStep) this.maxTime = sim.now;
  }

  /** Called once per frame with the wall-clock ms elapsed since the last one. */
  frame(wallMs: number): void {
    if (this.runTo !== null) {
      this.advanceTo(this.runTo, this.runToStep ?? Infinity);
      if (this.runTo !== null && (this.run.sim.now >= this.runTo || (this.runToStep !== null && this.run.sim.st.step >= this.runToStep))) this.runTo = null;
      return;
    }
    if (!this.playing) return;
    const now = this.run.sim.now;
    let target = now + (this.speed * Math.min(wallMs, 100)) / 1000;
    // nothing on the wire and the next event still far off: come within QUIET_LEAD of it
    const next = this.run.sim.nextEventTime();
    if (this.skipQuiet && next !== null && next > target && !this.run.sim.messageDueNext()) {
      target = Math.max(target, next - (this.speed * QUIET_LEAD_MS) / 1000);
    }
    // a pause point on the way: stop exactly there, with its caption showing
    const pause = (this.scenario.pauses ?? []).find((p) => p.at > now && p.at <= target);
    if (pause) target = pause.at;
    this.advanceTo(target);
    if (pause && this.playing && this.run.sim.now >= pause.at) {
      this.playing = false;
      this.pausedBy = 'caption';
    }
  }

  /**
   * A story written in the page: its pause points in time order, within a link's limits (a
   * caption's length, their number), and its title (none if blank).
   */
  setStory(pauses: readonly PausePoint[], title?: string): void {
    this.scenario.pauses = inTimeOrder(pauses)
      .slice(0, MAX_PAUSES)
      .map((p) => ({ ...p, at: Math.max(0, Math.floor(p.at)), ...(p.text !== undefined ? { text: p.text.slice(0, MAX_CAPTION) } : {}) }));
    const t = title?.trim().slice(0, MAX_TITLE);
    if (t) this.scenario.title = t;
    else delete this.scenario.title;
  }

  /** The story as the page edits it. */
  story(): Story {
    return { id: this.loads, guide: this.scenario.guide ?? null, pauses: structuredClone(this.scenario.pauses ?? []), ...(this.scenario.title !== undefined ? { title: this.scenario.title } : {}) };
  }

  /** The caption of the latest pause point reached, if any. */
  private caption(): Snapshot['caption'] {
    const pauses = this.scenario.pauses ?? [];
    const now = this.run.sim.now;
    let n = -1;
    pauses.forEach((p, i) => {
      if (p.at <= now) n = i;
    });
    if (n < 0) return null;
    const p = pauses[n]!;
    return { n, total: pauses.length, at: p.at, prev: n > 0 ? pauses[n - 1]!.at : null, next: pauses[n + 1]?.at ?? null, ...(p.key ? { key: p.key } : {}), ...(p.text !== undefined ? { text: p.text } : {}), last: n === pauses.length - 1 };
  }

  /**
   * A server as the page draws it: its face for every canvas, and for the inspected one its whole
   * view (or, if it is down, what its disk holds). The others' views stay in the worker: the page
   * draws faces, and a snapshot of dozens of servers stays small.
   */
  private nodeSnap(id: number): NodeSnap {
    const { sim } = this.run;
    const focused = id === this.focus;
    const v = sim.view(id, focused);
    if (!v.up) {
      const down = v as Extract<NodeSnap, { up: false }>;
      return focused ? { ...down, disk: kitOf(this.run.protocol).disk(sim, id) } : down;
    }
    const face = FACES[this.run.protocol].node(v, sim.now);
    const n: NodeSnap = { id, role: v.role, state: v.state, up: true, diskFailed: v.diskFailed, face };
    if (v.flags) n.flags = v.flags;
    if (v.paused) n.paused = v.paused;
    if (focused) n.view = v as unknown as NodeView;
    return n;
  }

  /** ZooKeeper's clients, with the reads the checker saw stale; none in a run without clients. */
  private clients(): ClientSnap[] | null {
    const { sim, checker } = this.run;
    const ids = sim.clientIds();
    if (!ids.length) return null;
    const stale = (checker as { staleReads?: StaleRead[] }).staleReads ?? [];
    return ids.map((id) => {
      const v = sim.clientView(id);
      // a crashed client: nothing of it is left but its name
      if (!v.up) return { id, role: 'client', state: 'DOWN', up: false, server: null, servers: [], session: null, timeout: 0, lastZxid: 0, pending: [], results: [] };
      return markStale(v as ClientSnap, stale);
    });
  }

  snapshot(): Snapshot {
    const { sim, checker } = this.run;
    // timers and disk completions are never shown: they stay in the worker
    const records = (sim.records ?? []).filter((r) => r.type !== 'timer' && r.type !== 'disk');
    const reset = this.reset;
    const cap = this.jumped ? MAX_EVENTS_AFTER_JUMP : MAX_EVENTS_PER_SNAPSHOT;
    if (this.runTo === null) this.jumped = false;
    const events = labelMessages(records.length > cap ? sample(records, cap) : records, (m) => sim.protocol.label(m));
    sim.records = [];
    this.reset = false;
    const flights = sim.flights(MAX_FLIGHTS_PER_SNAPSHOT);
    const nodes = sim.nodeIds().map((id) => this.nodeSnap(id));
    const clients = this.clients();
    return {
      time: sim.now,
      step: sim.st.step,
      traceHash: sim.traceHash(),
      playing: this.playing,
      speed: this.speed,
      skipQuiet: this.skipQuiet,
      nodes,
      ...(clients ? { clients } : {}),
      ensemble: FACES[this.run.protocol].ensemble(nodes),
      flights,
      groups: { ...sim.st.group },
      cuts: Object.keys(sim.st.cut),
      events,
      reset,
      violations: checker.violations,
      runTo: this.runTo,
      actions: this.scenario.actions.length,
      maxStep: this.maxStep,
      maxTime: this.maxTime,
      breakpoints: this.breakpoints,
      pausedBy: this.pausedBy,
      forked: this.forked,
      net: { ...sim.st.net },
      writeRate: sim.st.writeRate,
      protocol: this.run.protocol,
      lead: lead(kitOf(this.run.protocol).summary(sim).leader),
      guide: this.scenario.guide ?? null,
      caption: this.caption(),
      scenario: { protocol: this.scenario.protocol, voters: this.scenario.voters, observers: this.scenario.observers, seed: this.scenario.seed, timing: this.scenario.timing, paxos: this.scenario.paxos, ...(this.scenario.ablations ? { ablations: this.scenario.ablations } : {}), ...(this.scenario.protocol === 'zab' ? { zk: this.scenario.zk ?? DEFAULT_RELEASE } : {}) },
      checkpoints: this.checkpoints.length,
      postMs: 0,
    };
  }
}

function markStale(c: ClientSnap, stale: readonly StaleRead[]): ClientSnap {
  const why = new Map(stale.filter((r) => r.client === c.id).map((r) => [r.xid, r.afterSync ? ('afterSync' as const) : ('local' as const)]));
  return why.size ? { ...c, results: c.results.map((r) => (why.has(r.xid) ? { ...r, stale: why.get(r.xid)! } : r)) } : c;
}

function lead(leader: RunSummary['leader']): { id: number | null; epoch: number } {
  return leader ? { id: leader.id, epoch: leader.epoch } : { id: null, epoch: 0 };
}

/** Actions in the order the simulator applies them: by time, then as listed. */
function inApplyOrder(actions: Scenario['actions']): Scenario['actions'] {
  return actions.map((a, i) => ({ a, i })).sort((x, y) => x.a.at - y.a.at || x.i - y.i).map((x) => x.a);
}

/**
 * Past the cap (a long jump, fast play), keep the story first: decisions, crashes, actions and
 * losses, then the most recent messages; in their original order.
 */
function sample(records: TraceRecord[], cap: number): TraceRecord[] {
  const story = (r: TraceRecord) => r.type === 'note' || r.type === 'crash' || r.type === 'restart' || r.type === 'action' || r.type === 'lost' || r.type === 'closed';
  const keep = new Set<number>();
  for (let i = records.length - 1; i >= 0 && keep.size < cap / 2; i--) if (story(records[i]!)) keep.add(i);
  for (let i = records.length - 1; i >= 0 && keep.size < cap; i--) keep.add(i);
  return [...keep].sort((x, y) => x - y).map((i) => records[i]!);
}
