/**
 * Lab mode's attach target (issue 21): an ensemble that already runs, here or on other machines,
 * watched through its client ports' four-letter words (`conf` for each server's id and tickTime,
 * `srvr` for its mode and zxid, `mntr`) and, where the person names them, its AdminServers
 * (`zabstate`, `monitor`) and its log files tailed. Read-only: it has no verb, and the bridge
 * refuses every action before it gets here.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LabAction, LabServer, LabState } from '../core/lab/wire';
import { LAB_MAX_SERVERS } from '../core/lab/wire';
import type { LabTarget } from './bridge';
import { fileSize, sleep, wholeLines } from './ensemble';
import { Prober, type Probe } from './probe';

export interface AttachPoint {
  host: string;
  port: number;
  /** the server's log file on this machine, if the person named one (or its folder) */
  log?: string;
  /** its AdminServer's base URL (http://host:8080), if the person named one */
  admin?: string;
}

/**
 * A log named by its folder (ZooKeeper's log dir: /var/log/zookeeper, $ZOO_LOG_DIR): the newest
 * .log or .out file in it, which is the one a running server writes; a file stays itself.
 */
export function logIn(path: string): string {
  try {
    if (!statSync(path).isDirectory()) return path;
    const files = readdirSync(path)
      .filter((f) => /\.(log|out)$/.test(f))
      .map((f) => join(path, f))
      .filter((f) => statSync(f).isFile())
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    return files[0] ?? path;
  } catch {
    return path;
  }
}

/**
 * An AdminServer's base URL as the person wrote it (`http://host:8080`, a path ending before
 * /commands allowed), or null if it is not an http(s) URL.
 */
function adminUrl(text: string): string | null {
  try {
    const u = new URL(text);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || u.search || u.hash) return null;
    return u.origin + u.pathname.replace(/\/(commands\/?)?$/, '');
  } catch {
    return null;
  }
}

/** "host:port,host:port" as the person wrote it; an error in words if it is not that. */
export function readAttach(list: string, logs: string | undefined, admins?: string): AttachPoint[] | string {
  const parts = list.split(',').map((p) => p.trim());
  const files = logs === undefined ? [] : logs.split(',').map((p) => p.trim());
  const urls = admins === undefined ? [] : admins.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.length > LAB_MAX_SERVERS) return `--attach takes 1 to ${LAB_MAX_SERVERS} host:port pairs`;
  if (files.length > parts.length) return '--logs names more files than --attach names servers';
  if (urls.length > parts.length) return '--admin names more AdminServers than --attach names servers';
  const out: AttachPoint[] = [];
  for (const [i, p] of parts.entries()) {
    const m = /^([A-Za-z0-9.-]{1,253}|\[[0-9a-fA-F:]{2,45}\]):(\d{1,5})$/.exec(p);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return `"${p.slice(0, 80)}" is not host:port (a client port, where the four-letter words answer)`;
    const admin = urls[i] ? adminUrl(urls[i]!) : undefined;
    if (admin === null) return `"${urls[i]!.slice(0, 80)}" is not an AdminServer's address (http://host:8080)`;
    out.push({ host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]), ...(files[i] ? { log: logIn(files[i]!) } : {}), ...(admin ? { admin } : {}) });
  }
  return out;
}

export class LabAttach implements LabTarget {
  readonly mode = 'attach' as const;
  readonly origin = Date.now();
  private readonly seen = new Map<number, Probe & { at: number }>();
  /** each point's server id (from `conf`'s serverId; its place in the list until it answers) */
  private readonly ids: number[];
  private release = 'unknown';
  private tickTime = 2000;
  private polling = false;

  constructor(private readonly points: AttachPoint[]) {
    this.ids = points.map((_, i) => i + 1);
  }

  async start(): Promise<void> {
    this.polling = true;
    this.points.forEach((_, i) => void this.poll(i));
  }

  private async poll(i: number): Promise<void> {
    const { host, port, admin } = this.points[i]!;
    const ask = new Prober(host, port, admin, 1500);
    while (this.polling) {
      const s = await ask.next();
      if (s.myid !== null && s.myid >= 1 && s.myid <= LAB_MAX_SERVERS) this.ids[i] = s.myid;
      if (s.tickTime !== null) this.tickTime = Math.min(600_000, Math.max(1, s.tickTime));
      if (s.version) this.release = s.version;
      this.seen.set(i, { ...s, at: Date.now() });
      await sleep(250);
    }
  }

  state(): LabState {
    const now = Date.now();
    const servers: LabServer[] = this.points.map((p, i) => {
      const s = this.seen.get(i);
      // answered lately: it runs (a server being elected answers, without a mode)
      const up = !!s && s.answered && now - s.at < 5000;
      // no epoch files from afar: the epoch of its last zxid (a leader's is epoch << 32 once established)
      return { id: this.ids[i]!, role: s?.mode === 'observer' ? 'observer' : 'voter', up, paused: false, mode: up ? s!.mode : null, zxid: up ? s!.zxid : null, acceptedEpoch: null, currentEpoch: up && s!.zxid !== null ? Math.floor(s!.zxid / 2 ** 32) : null, logBytes: p.log ? fileSize(p.log) : 0, zab: up ? s!.zab : null, mntr: up ? s!.mntr : {} };
    });
    return { mode: 'attach', release: this.release, origin: this.origin, now, tickTime: this.tickTime, rate: 0, servers, cut: [], actions: [] };
  }


  /** Whole lines of the log the person named for server `id`, from byte `from`. */
  log(id: number, from: number, max: number): { from: number; text: string } | null {
    const i = this.ids.indexOf(id);
    if (i < 0) return null;
    const file = this.points[i]!.log;
    return file ? wholeLines(file, from, max) : { from, text: '' };
  }

  async act(_: LabAction): Promise<void> {
    throw new Error('attached to an ensemble that runs elsewhere: nothing is done to it');
  }

  async stop(): Promise<void> {
    this.polling = false;
  }
}
