/**
 * Lab mode in the worker (issue 21): a real ensemble, run or watched by the lab bridge (src/lab),
 * drawn as the same snapshots the simulator's are. The bridge is polled for each server's
 * process and `srvr` answer and for what its log gained; the logs are read by the log reader of
 * issue 20 (LogEngine, at their live end: arrows, syncs, reasons), and what the processes and
 * four-letter words say is laid over it: down, paused, the mode a server serves in. Whatever the
 * bridge answers is read through the wire's schemas.
 */
import type { Action } from '../core/sim/actions';
import { LabLogSchema, LabStateSchema, LAB_TOKEN_HEADER, type LabAction, type LabState } from '../core/lab/wire';
import { LogEngine } from './logEngine';
import type { NodeSnap, Snapshot } from './messages';
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
    default:
      return null;
  }
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

  snapshot(base: Snapshot): Snapshot {
    const st = this.state;
    const engine = this.reading();
    const logs = engine ? engine.snapshot() : null;
    const from = logs ?? { ...base, events: [], reset: true, flights: [] };
    const origin = logs?.source?.origin ?? st?.origin ?? 0;
    const nodes: NodeSnap[] = (st?.servers ?? []).map((s) => {
      const seen = from.nodes.find((n) => n.id === s.id);
      if (!s.up) return { id: s.id, role: s.role, state: 'DOWN', up: false, diskFailed: false };
      const state = s.mode ? (MODE_STATE[s.mode] ?? s.mode.toUpperCase()) : seen && seen.up ? seen.state : 'STARTING';
      const face: NodeFace = seen && seen.up ? seen.face : { hue: 'slate', lines: [], log: [] };
      return { id: s.id, role: s.role, state, up: true, diskFailed: false, face, ...(s.paused ? { paused: { backlog: 0 } } : {}), ...(seen && seen.up && seen.view ? { view: seen.view } : {}) };
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
      lead: leader ? { id: leader.id, epoch: leader.currentEpoch ?? 0 } : { id: null, epoch: 0 },
      actions: st?.actions.length ?? 0,
      source: { kind: 'lab', origin, mode: st?.mode ?? 'run', release: st?.release ?? 'unknown', problem: this.problem },
    };
  }

  /** Where a focused server's inspector lines come from (the log engine's focus). */
  focus(id: number | null): void {
    this.focused = id;
    this.engine?.command({ type: 'focus', id });
  }
}
