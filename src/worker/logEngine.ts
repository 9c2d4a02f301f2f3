import { defaultScenario } from '../core/scenario/scenario';
import { FACES } from '../core/scenario/faces';
import type { Flight, TraceRecord } from '../core/sim/simulator';
import type { NoteArgs } from '../core/sim/types';
import { readEnsemble, type Beat, type EnsembleLog, type LogFileIn, type LogFileRead } from '../core/zklog/ensemble';
import { applyBeat, emptyNow, serving, votersOf, type EnsembleNow } from '../core/zklog/replay';
import { logFace } from '../core/zklog/face';
import { summarize, type LogSummary } from '../core/zklog/summary';
import { firstDisagreement, logMilestones, modelMilestones, scenarioOfLogs, type LogScenario } from '../core/zklog/toScenario';
import { voteLabel } from '../core/zk/face';
import { zxidShort } from '../core/zk/zxid';
import type { Breakpoints, Command, LogReport, NodeSnap, Snapshot } from './messages';
// the page's pacing is the simulator's: the same event caps, flights drawn, quiet lead
import { MAX_EVENTS_AFTER_JUMP, MAX_EVENTS_PER_SNAPSHOT, MAX_FLIGHTS_PER_SNAPSHOT, QUIET_LEAD_MS } from './engine';

/** How long a notification is drawn in flight before the line that logged its receipt (the send is not logged). */
const NOTE_FLIGHT_MS = 8;
const CHECKPOINT_EVERY = 500;

/** A message the logs show: a notification (its receipt logged) or a sync (the leader's line, then the learner's). */
interface LogArrow {
  id: number;
  from: number;
  to: number;
  kind: string;
  label: string;
  sent: number;
  recv: number;
}

/**
 * A real ensemble's logs played like a run: the same commands (play, pause, speed, step, back,
 * seek) and the same snapshots as the simulator's Engine, from a fold over the logs' beats (time 0
 * is the first line). Nothing can be done to it: it happened. Testable in Node.
 */
export class LogEngine {
  readonly log: EnsembleLog;
  readonly summary: LogSummary;
  /** the scenario that replays the logs in the simulator, or why there is none */
  readonly replay: LogScenario | { reason: string };
  playing = false;
  /** real ms per wall second: a real election takes a few hundred ms */
  speed = 60;
  skipQuiet = true;
  runTo: number | null = null;
  breakpoints: Breakpoints = { leaderChange: false, newEpoch: false, violation: true };
  focus: number | null = null;
  private readonly origin: number;
  private readonly voters: number;
  /** the voters a leader needs a quorum of: with those whose logs are missing (votersOf) */
  private readonly quorumOf: number;
  private readonly observers: Set<number>;
  private readonly arrows: LogArrow[];
  /** the arrow each beat sends or delivers, if any */
  private readonly sendsAt = new Map<number, LogArrow>();
  private readonly deliversAt = new Map<number, LogArrow>();
  /** arrows whose sending is a line of its own (a leader's Sending line) */
  private readonly sendLogged = new Set<number>();
  private now: EnsembleNow;
  /** beats applied */
  private step = 0;
  private time = 0;
  private checkpoints: { step: number; now: EnsembleNow }[] = [];
  private records: TraceRecord[] = [];
  private reset = true;
  private jumped = true;
  private pausedBy: string | null = null;
  /** lines read again from their files (by offset), and those asked for and not yet read */
  private readonly rawCache = new Map<string, string>();
  private readonly rawWanted = new Map<string, { file: number; at: number; len: number }>();

  constructor(files: readonly (LogFileIn | LogFileRead)[], named: Readonly<Record<string, number>> = {}) {
    this.log = readEnsemble(files, named);
    this.summary = summarize(this.log);
    this.replay = scenarioOfLogs(this.log);
    this.origin = this.log.beats[0]?.t ?? 0;
    this.observers = new Set(this.log.beats.filter((b) => b.event.kind === 'state' && b.event.state === 'OBSERVING').map((b) => b.node));
    this.voters = this.log.servers.length - this.observers.size;
    this.quorumOf = votersOf(this.log);
    this.arrows = this.buildArrows();
    this.now = emptyNow(this.log.servers);
    this.checkpoints = [{ step: 0, now: structuredClone(this.now) }];
  }

  /** ms from the first line */
  get maxTime(): number {
    const last = this.log.beats.at(-1);
    return last ? last.t - this.origin : 0;
  }

  /** What the page's banner and diagnosis say: what was read, and the story's lists. */
  report(): LogReport {
    const { files, servers, skew, pairs, warnings } = this.log;
    const replay = 'reason' in this.replay ? this.replay : { version: this.replay.version, zk: this.replay.scenario.zk ?? '3.8.0', assumed: this.replay.assumed };
    return { origin: this.origin, files, servers, skew, pairs, warnings, summary: this.summary, replay, ...(this.read ? { read: this.read } : {}), ...(this.disagreement !== undefined ? { disagreement: this.disagreement } : {}) };
  }

  /** how long reading took (the worker's measure) */
  read: LogReport['read'];

  /** where the model's replay first parts from the logs: computed once, when the model is first shown */
  disagreement: LogReport['disagreement'];

  compareWithModel(): void {
    if ('reason' in this.replay || this.disagreement !== undefined) return;
    this.disagreement = firstDisagreement(logMilestones(this.log), modelMilestones(this.replay.scenario, this.maxTime + 5000));
  }

  /** the moment shown (ms from the first line) */
  get clock(): number {
    return this.time;
  }

  private buildArrows(): LogArrow[] {
    const out: LogArrow[] = [];
    const beats = this.log.beats;
    // the leader's latest Sending line to each learner, waiting for the learner's own sync line
    const pending = new Map<string, number>();
    // the ensemble as of each beat, folded once (whom a learner followed)
    const fold = emptyNow(this.log.servers);
    beats.forEach((b, i) => {
      const e = b.event;
      const leaderThen = fold.servers[b.node]?.leader ?? null;
      applyBeat(fold, b);
      if (e.kind === 'notification' && e.from !== b.node && this.log.servers.includes(e.from)) {
        const a: LogArrow = { id: out.length, from: e.from, to: b.node, kind: 'NOTIFICATION', label: voteLabel({ peerEpoch: e.peerEpoch, zxid: e.zxid, leader: e.leader }), sent: b.t - NOTE_FLIGHT_MS, recv: b.t };
        out.push(a);
        this.deliversAt.set(i, a);
      } else if (e.kind === 'sending') {
        pending.set(`${b.node}:${e.to}`, i);
      } else if (e.kind === 'sync') {
        let from: number | null = null;
        let sentBeat: number | null = null;
        for (const [k, at] of pending) {
          const [l, to] = k.split(':').map(Number);
          if (to === b.node && (sentBeat === null || at > sentBeat)) {
            from = l!;
            sentBeat = at;
          }
        }
        if (sentBeat !== null) pending.delete(`${from}:${b.node}`);
        // a SNAP's line names no learner: drawn from the leader the learner followed
        from ??= leaderThen;
        if (from === null) return;
        const a: LogArrow = { id: out.length, from, to: b.node, kind: e.mode, label: zxidShort(e.zxid), sent: sentBeat !== null ? beats[sentBeat]!.t : b.t - NOTE_FLIGHT_MS, recv: b.t };
        out.push(a);
        this.deliversAt.set(i, a);
        if (sentBeat !== null) {
          this.sendsAt.set(sentBeat, a);
          this.sendLogged.add(a.id);
        }
      }
    });
    return out;
  }

  command(c: Command): void {
    switch (c.type) {
      case 'play':
        this.playing = true;
        this.pausedBy = null;
        return;
      case 'pause':
        this.playing = false;
        return;
      case 'speed':
        this.speed = Math.min(1e6, Math.max(1, c.value));
        return;
      case 'skipQuiet':
        this.skipQuiet = c.on;
        return;
      case 'step':
        this.playing = false;
        if (this.step < this.log.beats.length) {
          this.apply();
          this.time = this.beatTime(this.step - 1);
        }
        return;
      case 'back':
        this.playing = false;
        return this.seekStep(this.step - 1);
      case 'seek':
        this.playing = false;
        return this.seekTime(c.time);
      case 'focus':
        this.focus = c.id;
        return;
      case 'breakpoints':
        this.breakpoints = { ...c.breakpoints };
        return;
      default:
        // a real ensemble's past: actions, loads and comparisons are the page's to refuse
        return;
    }
  }

  private beatTime(i: number): number {
    return this.log.beats[i]!.t - this.origin;
  }

  /** Apply the next beat, with its records. */
  private apply(): void {
    const i = this.step;
    const b = this.log.beats[i]!;
    const leaderBefore = serving(this.now, this.quorumOf);
    // QuorumPeer.run's bare "LEADING" right after "Peer state changed: leading" says it again
    const again = b.event.kind === 'state' && b.event.zab === null && this.now.servers[b.node]?.state === b.event.state;
    applyBeat(this.now, b);
    this.step++;
    if (this.step % CHECKPOINT_EVERY === 0 && this.checkpoints.at(-1)!.step < this.step) this.checkpoints.push({ step: this.step, now: structuredClone(this.now) });
    const t = b.t - this.origin;
    const sent = this.sendsAt.get(i);
    if (sent) this.records.push({ step: this.step, time: t, type: 'send', node: sent.from, peer: sent.to, msgId: sent.id, kind: sent.kind, code: 'send', args: { kind: sent.kind, to: sent.to, label: sent.label, ...this.source(b) } });
    const got = this.deliversAt.get(i);
    if (got) {
      // a send no line logged: drawn just before its receipt
      if (!this.sendLogged.has(got.id)) this.records.push({ step: this.step, time: got.sent - this.origin, type: 'send', node: got.from, peer: got.to, msgId: got.id, kind: got.kind, code: 'send', args: { kind: got.kind, to: got.to, label: got.label } });
      this.records.push({ step: this.step, time: t, type: 'deliver', node: got.to, peer: got.from, msgId: got.id, kind: got.kind, code: 'deliver', args: { kind: got.kind, from: got.from, label: got.label, ...this.source(b) } });
    }
    // a line drawn as an arrow is said by its send or receipt; the others as notes
    if (!sent && !got && !again && b.event.kind !== 'notification') this.records.push({ step: this.step, time: t, type: 'note', node: b.node, code: `zklog.${b.event.kind}`, args: { ...argsOf(b), ...this.source(b) } });
    // a line that words what it sent otherwise (3.6–3.8's "Sending TRUNC" for an empty DIFF) says so beside its arrow
    if (b.event.kind === 'sending' && b.event.logged) this.records.push({ step: this.step, time: t, type: 'note', node: b.node, code: 'zklog.sendingEmptyDiff', args: { ...argsOf(b), ...this.source(b) } });
    const leaderAfter = serving(this.now, this.quorumOf);
    if (this.breakpoints.leaderChange && leaderAfter && leaderAfter.id !== leaderBefore?.id && (this.playing || this.runTo !== null)) {
      this.playing = false;
      this.pausedBy = 'leaderChange';
    }
  }

  /**
   * Where a beat came from: the file and line, and the line itself (shown as text, never as HTML);
   * a line kept only by its offset is read when the person opens it (`rawFile`, `rawAt`, `rawLen`).
   */
  private source(b: Beat): NoteArgs {
    const args: NoteArgs = { at: `${this.log.files[b.file]!.name}:${b.line}`, raw: b.text || (this.rawCache.get(`${b.file}:${b.at}`) ?? '') };
    if (args.raw === '' && b.at >= 0) Object.assign(args, { rawFile: b.file, rawAt: b.at, rawLen: b.len });
    return args;
  }

  /** A beat's line if it is at hand; else null, and it is asked for (see readRawLines). */
  private rawText(b: Beat): string | null {
    if (b.text !== '' || b.at < 0) return b.text;
    const key = `${b.file}:${b.at}`;
    const got = this.rawCache.get(key);
    if (got === undefined) this.rawWanted.set(key, { file: b.file, at: b.at, len: b.len });
    return got ?? null;
  }

  /** Whether lines were asked for that only their files hold. */
  get wantsRawLines(): boolean {
    return this.rawWanted.size > 0;
  }

  /**
   * Read the lines asked for from their files (`read`: the worker's, a Blob slice, giving the
   * line as shown), keeping the last few thousand; the next snapshot shows them.
   */
  async readRawLines(read: (file: number, at: number, len: number) => Promise<string>): Promise<void> {
    const wanted = [...this.rawWanted];
    this.rawWanted.clear();
    for (const [key, { file, at, len }] of wanted) {
      this.rawCache.set(key, await read(file, at, len));
      if (this.rawCache.size > 4000) this.rawCache.delete(this.rawCache.keys().next().value!);
    }
  }

  seekStep(target: number): void {
    const t = Math.max(0, Math.min(target, this.log.beats.length));
    this.restore(t);
    while (this.step < t) this.apply();
    this.time = this.step > 0 ? this.beatTime(this.step - 1) : 0;
    this.afterJump();
  }

  seekTime(time: number): void {
    const t = Math.max(0, Math.min(time, this.maxTime));
    // the beats logged by then
    let lo = 0;
    let hi = this.log.beats.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.beatTime(mid) <= t) lo = mid + 1;
      else hi = mid;
    }
    this.restore(lo);
    while (this.step < lo) this.apply();
    this.time = t;
    this.afterJump();
  }

  /** Back to the latest checkpoint at or before step `t` (the event log then shows what led up to it). */
  private restore(t: number): void {
    const usable = this.checkpoints.filter((c) => c.step <= Math.max(0, t - 100));
    const cp = usable.at(-1) ?? this.checkpoints[0]!;
    if (this.step <= t && this.step >= cp.step) return; // forward from here is as good
    this.now = structuredClone(cp.now);
    this.step = cp.step;
    this.records = [];
  }

  private afterJump(): void {
    this.reset = true;
    this.jumped = true;
    this.pausedBy = null;
  }

  /** Called once per frame with the wall-clock ms elapsed since the last one. */
  frame(wallMs: number): void {
    if (!this.playing) return;
    let target = this.time + (this.speed * Math.min(wallMs, 100)) / 1000;
    const next = this.step < this.log.beats.length ? this.beatTime(this.step) : null;
    if (this.skipQuiet && next !== null && next > target && !this.inFlight(this.time)) target = Math.max(target, next - (this.speed * QUIET_LEAD_MS) / 1000);
    while (this.step < this.log.beats.length && this.beatTime(this.step) <= target && this.playing) this.apply();
    this.time = this.playing ? Math.min(target, this.maxTime) : this.beatTime(this.step - 1);
    if (this.step >= this.log.beats.length && this.time >= this.maxTime) this.playing = false;
  }

  private inFlight(t: number): boolean {
    return this.arrows.some((a) => a.sent - this.origin <= t + NOTE_FLIGHT_MS && a.recv - this.origin > t);
  }

  private flights(): Flight[] {
    const t = this.time + this.origin;
    return this.arrows
      .filter((a) => a.sent <= t && a.recv > t)
      .slice(0, MAX_FLIGHTS_PER_SNAPSHOT)
      .map((a) => ({ id: a.id, from: a.from, to: a.to, kind: a.kind, label: a.label, sentAt: a.sent - this.origin, deliverAt: a.recv - this.origin, stream: true }));
  }

  /** The sync server `id` got in its current life as its log says (DIFF, TRUNC, SNAP), or null. */
  lastSync(id: number): string | null {
    const s = this.now.servers[id];
    return s?.up && s.sync ? s.sync.mode : null;
  }

  private nodeSnap(id: number): NodeSnap {
    const s = this.now.servers[id]!;
    const role = this.observers.has(id) ? 'observer' : 'voter';
    if (!s.up) return { id, role, state: 'DOWN', up: false, diskFailed: false };
    const n: NodeSnap = { id, role, state: s.state ?? 'STARTING', up: true, diskFailed: false, face: logFace(s) };
    if (id === this.focus) {
      n.view = {
        id,
        role,
        state: s.state ?? 'STARTING',
        ...(s.zab ? { zab: s.zab } : {}),
        leader: s.leader ?? '—',
        epoch: s.epoch ?? '—',
        zxid: s.zxid === null ? '—' : `0x${s.zxid.toString(16)}`,
        lastSync: s.sync ? `${s.sync.mode} 0x${s.sync.zxid.toString(16)}` : '—',
        starts: s.starts,
        lines: this.lastLines(id, 6),
      } as never;
    }
    return n;
  }

  /** A server's last lines used, up to now, oldest first. */
  private lastLines(id: number, n: number): { at: string; text: string }[] {
    const out: { at: string; text: string }[] = [];
    for (let i = this.step - 1; i >= 0 && out.length < n && this.step - i < 20_000; i--) {
      const b = this.log.beats[i]!;
      if (b.node === id && b.event.kind !== 'gone') out.push({ at: `${this.log.files[b.file]!.name}:${b.line}`, text: this.rawText(b) ?? '…' });
    }
    return out.reverse();
  }

  snapshot(): Snapshot {
    const cap = this.jumped ? MAX_EVENTS_AFTER_JUMP : MAX_EVENTS_PER_SNAPSHOT;
    const events = this.records.slice(-cap);
    this.records = [];
    const reset = this.reset;
    this.reset = false;
    this.jumped = false;
    const nodes = this.log.servers.map((id) => this.nodeSnap(id));
    const lead = serving(this.now, this.quorumOf);
    const sc = defaultScenario({ voters: this.voters, observers: this.observers.size });
    return {
      time: this.time,
      step: this.step,
      traceHash: '',
      playing: this.playing,
      speed: this.speed,
      skipQuiet: this.skipQuiet,
      nodes,
      ensemble: FACES.zab.ensemble(nodes),
      flights: this.flights(),
      groups: {},
      cuts: [],
      events,
      reset,
      violations: [],
      runTo: null,
      actions: 0,
      maxStep: this.log.beats.length,
      maxTime: this.maxTime,
      breakpoints: this.breakpoints,
      pausedBy: this.pausedBy,
      forked: null,
      net: sc.net,
      writeRate: 0,
      protocol: 'zab',
      lead: lead ? { id: lead.id, epoch: lead.epoch } : { id: null, epoch: 0 },
      guide: null,
      caption: null,
      scenario: { protocol: 'zab', voters: sc.voters, observers: sc.observers, seed: 0, timing: {} },
      checkpoints: this.checkpoints.length,
      postMs: 0,
      source: { kind: 'logs', origin: this.origin },
    };
  }
}

/** A beat's event as catalogue arguments (zklog.<kind>): numbers and words as they are. */
function argsOf(b: Beat): NoteArgs {
  const e = b.event;
  switch (e.kind) {
    case 'state':
      return { state: e.state, zab: e.zab ?? '' };
    case 'sync':
      return { mode: e.mode, zxid: zxidShort(e.zxid) };
    case 'sending':
      return { mode: e.mode, zxid: zxidShort(e.zxid), to: e.to };
    case 'established':
      return { epoch: Math.floor(e.zxid / 2 ** 32), sids: e.sids.join(', ') };
    case 'electionTook':
      return { role: e.role, ms: e.ms };
    case 'newElection':
      return { zxid: zxidShort(e.zxid) };
    case 'noticeTimeout':
      return { ms: e.ms };
    case 'cannotOpen':
    case 'broken':
      return { peer: e.peer };
    case 'leaderShutdown':
      return { reason: e.reason };
    case 'learnerInfo':
      return { sid: e.sid };
    case 'version':
      return { version: e.version };
    case 'config':
      return { name: e.name, value: e.value };
    default:
      return {};
  }
}
