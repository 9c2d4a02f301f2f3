/**
 * One look at a real server (issue 21), the same for a lab's own servers and an ensemble it
 * watches: `srvr` on its client port (mode and last zxid), `mntr` for the figures an operator
 * reads, and, where its AdminServer answers, `zabstate` (the ZAB phase: election, discovery,
 * synchronization, broadcast; ZooKeeper 3.7+, `admin/Commands.ZabStateCommand`).
 */
import { fourLetter, readSrvr, type Srvr } from './ensemble';
import { LAB_MNTR_KEYS, type ZabPhase } from '../core/lab/wire';

export interface Probe extends Srvr {
  /** the AdminServer's zabstate, or 'not serving' while it has no server to ask; null: no AdminServer answered */
  zab: ZabPhase | null;
  /** the server's id as it says it (conf's serverId, zabstate's myid), when it said */
  myid: number | null;
  /** its tickTime as `conf` says it, when it said */
  tickTime: number | null;
  /** the release it runs (srvr's "Zookeeper version"), when it said */
  version: string | null;
  /** mntr's figures worth showing (ZooKeeper's names without `zk_`), as it wrote them */
  mntr: Record<string, string>;
}

/** mntr's lines (`zk_name<TAB>value`) or the AdminServer's monitor JSON, cut to the figures shown. */
export function readMntr(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^zk_(\w+)\t(.{0,80})$/.exec(line.trimEnd());
    if (m && LAB_MNTR_KEYS.includes(m[1]!)) out[m[1]!] = m[2]!;
  }
  return out;
}

function readMonitorJson(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const k of LAB_MNTR_KEYS) {
    const v = (body as Record<string, unknown>)[k];
    if (typeof v === 'number' || (typeof v === 'string' && v.length <= 80)) out[k] = String(v);
  }
  return out;
}

const PHASES: readonly string[] = ['election', 'discovery', 'synchronization', 'broadcast'];

/**
 * The AdminServer's answer to `zabstate`. A server between roles answers "This ZooKeeper instance
 * is not currently serving requests" (JettyAdminServer: no ZooKeeperServer to ask), or an empty
 * zabstate: that is information (it is being elected), not a failure.
 */
export function readZabState(body: unknown): { zab: ZabPhase | null; myid: number | null } {
  if (typeof body !== 'object' || body === null) return { zab: null, myid: null };
  const b = body as Record<string, unknown>;
  const myid = typeof b.myid === 'number' && Number.isInteger(b.myid) ? b.myid : null;
  if (typeof b.error === 'string' && /not currently serving/.test(b.error)) return { zab: 'not serving', myid };
  if (typeof b.zabstate === 'string' && PHASES.includes(b.zabstate)) return { zab: b.zabstate as ZabPhase, myid };
  if (b.zabstate === '') return { zab: 'not serving', myid };
  return { zab: null, myid };
}

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    const text = await r.text();
    return text.length > 1 << 20 ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/**
 * Ask server at `host:port` (and its AdminServer at `admin`, a base URL like
 * http://host:8080, if any). `full`: also conf and mntr (a slower round: the caller asks for
 * them less often than srvr, which is what the canvas's latency rests on).
 */
export async function probe(host: string, port: number, admin: string | undefined, full: boolean, timeoutMs = 1000): Promise<Probe> {
  const srvr = await fourLetter(host, port, 'srvr', timeoutMs);
  const s = readSrvr(srvr);
  const out: Probe = { ...s, zab: null, myid: null, tickTime: null, version: /Zookeeper version: (\d+\.\d+\.\d+)/.exec(srvr)?.[1] ?? null, mntr: {} };
  if (!s.answered || !full) return out;
  const [conf, mntr, zab, monitor] = await Promise.all([
    fourLetter(host, port, 'conf', timeoutMs),
    fourLetter(host, port, 'mntr', timeoutMs),
    admin ? getJson(`${admin}/commands/zabstate`, timeoutMs) : null,
    // 3.8.0's monitor throws (a NullPointerException, logged with its stack) on a server that
    // does not serve: asked only of one that does (Commands.MonitorCommand)
    admin && s.mode !== null ? getJson(`${admin}/commands/monitor`, timeoutMs) : null,
  ]);
  const id = /serverId=(\d+)/.exec(conf)?.[1];
  const tick = /tickTime=(\d+)/.exec(conf)?.[1];
  const z = readZabState(zab);
  out.myid = z.myid ?? (id !== undefined ? Number(id) : null);
  out.tickTime = tick !== undefined ? Number(tick) : null;
  out.zab = z.zab;
  // mntr on the client port needs 4lw.commands.whitelist to allow it (3.5.3+ allow only srvr by
  // default); the AdminServer's monitor is the same set of figures and on by default
  out.mntr = { ...readMonitorJson(monitor), ...readMntr(mntr) };
  return out;
}

/** Rounds between two full probes: srvr every round (the canvas's latency), the rest every few. */
const FULL_EVERY = 4;

/**
 * One server asked round after round: srvr each time, conf, mntr and zabstate every
 * FULL_EVERY rounds, the last full answers kept in between (and dropped once it stops answering).
 */
export class Prober {
  private round = 0;
  private last: Probe | null = null;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly admin?: string,
    readonly timeoutMs = 1000,
  ) {}

  async next(): Promise<Probe> {
    const full = this.round++ % FULL_EVERY === 0;
    const p = await probe(this.host, this.port, this.admin, full, this.timeoutMs);
    if (!p.answered) return this.down();
    if (full) return (this.last = p);
    // between full rounds: the newer srvr, the older rest (a new role's phase is asked soon)
    if (this.last && this.last.mode !== p.mode) {
      // a new role: its phase is not the last one's (asked again next round)
      this.round = 0;
      this.last = { ...this.last, zab: null };
    }
    return this.last ? { ...this.last, answered: p.answered, mode: p.mode, zxid: p.zxid, version: p.version ?? this.last.version } : p;
  }

  /** Not asked (down or paused), or not answering: nothing of it is known now. */
  down(): Probe {
    this.last = null;
    this.round = 0;
    return { answered: false, mode: null, zxid: null, zab: null, myid: null, tickTime: null, version: null, mntr: {} };
  }
}
