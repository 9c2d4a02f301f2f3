/**
 * Lab mode in the worker (issue 21): a real ensemble, run or watched by the lab bridge (src/lab),
 * drawn as the same snapshots the simulator's are. The bridge is polled for each server's
 * process and `srvr` answer and for what its log gained; the logs are read by the log reader of
 * issue 20 (LogEngine, at their live end: arrows, syncs, reasons), and what the processes and
 * four-letter words say is laid over it: down, paused, the mode a server serves in. Whatever the
 * bridge answers is read through the wire's schemas.
 */
import type { Action, TimedAction } from '../core/sim/actions';
import { defaultScenario, type Scenario } from '../core/scenario/scenario';
import { releaseFor } from '../core/zklog/toScenario';
import { LabLogSchema, LabStateSchema, LAB_MAX_RATE, LAB_TOKEN_HEADER, type LabAction, type LabState } from '../core/lab/wire';
import { LogEngine } from './logEngine';
import type { Engine } from './engine';
import { kitOf } from '../core/scenario/kits';
import type { LabRoles, NodeSnap, Snapshot } from './messages';
import type { NodeFace } from '../core/face/face';

/** How often the page asks, and rebuilds its reading of the logs at most. */
export const LAB_POLL_MS = 200;

const MODE_STATE: Record<string, string> = { leader: 'LEADING', follower: 'FOLLOWING', observer: 'OBSERVING', standalone: 'STANDALONE' };

/** The simulator's actions the lab can do to real servers, as the bridge's verbs; null for the others. */
export function labActionOf(a: Action): LabAction | null {
  switch (a.verb) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
      return { verb: a.verb, id: a.id };
    case 'cut':
    case 'mend':
      return { verb: a.verb, a: a.a, b: a.b };
    case 'partition':
      return { verb: 'partition', groups: a.groups };
    case 'heal':
      return { verb: 'heal' };
    case 'write':
      return { verb: 'write', count: Math.min(100, Math.max(1, a.count)), ...(a.node !== undefined ? { node: a.node } : {}) };
    case 'rate':
      return { verb: 'rate', perSecond: Math.min(LAB_MAX_RATE, Math.max(0, Math.round(a.perSecond))) };
    default:
      return null;
  }
}

/** The sync the model's server `id` got in its current life (as its CLI record says), or null. */
export function modelSyncOf(model: Engine): (id: number) => string | null {
  const kit = kitOf(model.run.protocol);
  return (id) => {
    const sync = kit.cliNode(model.run.sim, id).lastSync;
    return typeof sync === 'object' && sync !== null && 'mode' in sync ? String(sync.mode) : null;
  };
}

/** How long both sides must stay unchanged before they are compared: elections take a while. */
export const LAB_SETTLE_MS = 3000;

/** Who leads, each server's state, and the sync each learner got (compared for learners only). */
function roles(s: Pick<Snapshot, 'nodes' | 'lead'>, sync: (id: number) => string | null): LabRoles {
  const learning = (state: string) => state === 'FOLLOWING' || state === 'OBSERVING';
  return {
    lead: s.lead.id,
    epoch: s.lead.epoch,
    states: s.nodes.map((n) => ({ id: n.id, state: n.state })),
    syncs: s.nodes.filter((n) => learning(n.state)).map((n) => ({ id: n.id, mode: sync(n.id) })),
  };
}

/** The same leader of the same epoch, every server in the same role, each learner synced the same way. */
function sameRoles(a: LabRoles, b: LabRoles): boolean {
  return a.lead === b.lead && a.epoch === b.epoch && JSON.stringify(a.states) === JSON.stringify(b.states) && JSON.stringify(a.syncs) === JSON.stringify(b.syncs);
}

export class LabSource {
  state: LabState | null = null;
  /** the last failure to reach the bridge, as text (null once it answers again) */
  problem: string | null = null;
  private readonly texts = new Map<number, string>();
  private readonly next = new Map<number, number>();
  private engine: LogEngine | null = null;
  private logsChanged = false;
  private readonly encoder = new TextEncoder();
  private focused: number | null = null;

  constructor(
    private readonly token: string,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  private async get(path: string): Promise<unknown> {
    const r = await this.fetchFn(path, { headers: { [LAB_TOKEN_HEADER]: this.token }, cache: 'no-store' });
    const body: unknown = await r.json().catch(() => null);
    if (!r.ok) throw new Error(typeof body === 'object' && body && 'error' in body ? String((body as { error: unknown }).error).slice(0, 200) : `the bridge answered ${r.status}`);
    return body;
  }

  /** Ask the bridge for its state and the logs' news; true if anything changed. */
  async poll(): Promise<boolean> {
    try {
      const st = LabStateSchema.safeParse(await this.get('/lab/api/state'));
      if (!st.success) throw new Error('the bridge’s answer is not a lab state');
      const before = JSON.stringify(this.state?.servers) + JSON.stringify(this.state?.cut);
      this.state = st.data;
      let changed = before !== JSON.stringify(st.data.servers) + JSON.stringify(st.data.cut) || this.problem !== null;
      for (const s of st.data.servers) {
        // up to a few chunks per poll: a long log is caught up over several
        for (let i = 0; i < 4 && (this.next.get(s.id) ?? 0) < s.logBytes; i++) {
          const from = this.next.get(s.id) ?? 0;
          const got = LabLogSchema.safeParse(await this.get(`/lab/api/log?id=${s.id}&from=${from}`));
          if (!got.success || got.data.from !== from || got.data.text === '') break;
          this.texts.set(s.id, (this.texts.get(s.id) ?? '') + got.data.text);
          this.next.set(s.id, from + this.encoder.encode(got.data.text).length);
          this.logsChanged = changed = true;
        }
      }
      this.problem = null;
      return changed;
    } catch (e) {
      const was = this.problem;
      this.problem = (e as Error).message;
      return was !== this.problem;
    }
  }

  /** Do it to the real ensemble (the bridge records when). */
  async act(action: LabAction): Promise<void> {
    const r = await this.fetchFn('/lab/api/action', { method: 'POST', headers: { [LAB_TOKEN_HEADER]: this.token, 'content-type': 'application/json' }, body: JSON.stringify(action) });
    if (!r.ok) {
      const body: unknown = await r.json().catch(() => null);
      throw new Error(typeof body === 'object' && body && 'error' in body ? String((body as { error: unknown }).error).slice(0, 200) : `the bridge answered ${r.status}`);
    }
  }

  /** The logs read again whole when they grew (a lab's logs are small), shown at their live end. */
  private reading(): LogEngine | null {
    if (this.logsChanged || !this.engine) {
      const files = [...this.texts].sort((a, b) => a[0] - b[0]).map(([id, text]) => ({ name: `server${id}.log`, text }));
      this.engine = files.length ? new LogEngine(files) : null;
      this.engine?.command({ type: 'focus', id: this.focused });
      this.engine?.command({ type: 'seek', time: this.engine.maxTime });
      this.logsChanged = false;
    }
    return this.engine;
  }

  /** `base`: the simulator's snapshot, asked for only while no log has been read (a lab's first moments) */
  snapshot(base: () => Snapshot): Snapshot {
    const st = this.state;
    const engine = this.reading();
    const logs = engine ? engine.snapshot() : null;
    const from = logs ?? { ...base(), events: [], reset: true, flights: [] };
    const origin = logs?.source?.origin ?? st?.origin ?? 0;
    const nodes: NodeSnap[] = (st?.servers ?? []).map((s) => {
      const seen = from.nodes.find((n) => n.id === s.id);
      if (!s.up) return { id: s.id, role: s.role, state: 'DOWN', up: false, diskFailed: false };
      const state = s.mode ? (MODE_STATE[s.mode] ?? s.mode.toUpperCase()) : seen && seen.up ? seen.state : 'STARTING';
      const face: NodeFace = seen && seen.up ? seen.face : { hue: 'slate', lines: [], log: [] };
      // the focused server's view (its log's reading) gains what the server itself reports
      const view = seen && seen.up && seen.view ? { ...seen.view, ...(s.zab ? { zabstate: s.zab } : {}), ...(s.mntr && Object.keys(s.mntr).length ? { mntr: s.mntr } : {}) } : null;
      return { id: s.id, role: s.role, state, up: true, diskFailed: false, face, ...(s.paused ? { paused: { backlog: 0 } } : {}), ...(view ? { view } : {}) };
    });
    const leader = st?.servers.find((s) => s.up && !s.paused && s.mode === 'leader');
    const time = st ? Math.max(0, st.now - origin) : from.time;
    return {
      ...from,
      time,
      maxTime: time,
      playing: false,
      nodes,
      cuts: (st?.cut ?? []).map(([a, b]) => `${a}-${b}`),
      writeRate: st?.rate ?? 0,
      lead: leader ? { id: leader.id, epoch: leader.currentEpoch ?? 0 } : { id: null, epoch: 0 },
      actions: st?.actions.length ?? 0,
      source: { kind: 'lab', origin, mode: st?.mode ?? 'run', release: st?.release ?? 'unknown', problem: this.problem, read: st?.reads?.at(-1) ?? null },
    };
  }

  /**
   * The scenario the model runs beside the real servers: as many voters and observers, the
   * release and tickTime they run, the person's actions at the moments the bridge did them
   * (time 0: when the bridge started the servers).
   */
  modelScenario(): Scenario | null {
    const st = this.state;
    if (!st || st.mode !== 'run') return null;
    const observers = st.servers.filter((s) => s.role === 'observer').length;
    // a JVM takes a second or more to start, and not the same for each: the model starts each
    // server when its log says it started looking, as the real one did (the race it ran decides
    // who leads), at the bridge's start and after each restart
    const looks = new Map<number, number[]>();
    const started = new Set<number>();
    for (const b of this.engine?.log.beats ?? []) {
      if (b.event.kind === 'start') started.delete(b.node);
      else if (b.event.kind === 'state' && !started.has(b.node)) {
        started.add(b.node);
        looks.set(b.node, [...(looks.get(b.node) ?? []), b.t - st.origin]);
      }
    }
    const at = (ms: number) => Math.max(0, Math.round(ms));
    const actions: TimedAction[] = [];
    for (const s of st.servers) {
      const first = looks.get(s.id)?.[0];
      // a server the bridge has not started yet (its log has not looked yet) stays down
      if (first === undefined) actions.push({ at: 0, action: { verb: 'crash', id: s.id } });
      else if (at(first) > 0) actions.push({ at: 0, action: { verb: 'crash', id: s.id } }, { at: at(first), action: { verb: 'restart', id: s.id } });
    }
    for (const a of st.actions) {
      const t = a.at - st.origin;
      // a real read opens and closes a session: two txns (createSession, closeSession), which the
      // model, without sessions yet, counts as two writes through that server (an epoch with
      // txns and one without sync differently)
      if (a.action.verb === 'read') {
        actions.push({ at: at(t), action: { verb: 'write', count: 2, node: a.action.node } });
        continue;
      }
      // a restart takes effect when the restarted server's log says it looks
      const up = a.action.verb === 'restart' ? looks.get(a.action.id)?.find((x) => x >= t) : undefined;
      actions.push({ at: at(up ?? t), action: a.action });
    }
    actions.sort((x, y) => x.at - y.at);
    return defaultScenario({ voters: st.servers.length - observers, observers, seed: 1, timing: { tickTime: st.tickTime }, zk: releaseFor(st.release), actions });
  }

  /** A server's log as read so far (what `npm run -s logs` reads), or null if none was. */
  logText(id: number): string | null {
    return this.texts.get(id) ?? null;
  }

  /** ms since the bridge started the servers: the model's clock */
  get modelTime(): number {
    return this.state ? Math.max(0, this.state.now - this.state.origin) : 0;
  }

  private settle: { key: string; since: number } | null = null;

  /**
   * Whether the model agrees with the real servers, once both have kept the same roles and syncs
   * for LAB_SETTLE_MS (null while either is still moving). `modelSync`: the sync the model's
   * server `id` got in its current life; the real one's is what its log says it got.
   */
  agreement(real: Snapshot, model: Snapshot, modelSync: (id: number) => string | null): { agree: boolean; real: LabRoles; model: LabRoles } | null {
    const r = roles(real, (id) => this.engine?.lastSync(id) ?? null);
    const m = roles(model, modelSync);
    const now = this.state?.now ?? 0;
    const key = JSON.stringify([r, m]);
    if (!this.settle || this.settle.key !== key) this.settle = { key, since: now };
    if (now - this.settle.since < LAB_SETTLE_MS) return null;
    return { agree: sameRoles(r, m), real: r, model: m };
  }

  /** Where a focused server's inspector lines come from (the log engine's focus). */
  focus(id: number | null): void {
    this.focused = id;
    this.engine?.command({ type: 'focus', id });
  }
}
