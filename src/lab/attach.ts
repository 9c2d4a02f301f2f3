/**
 * Lab mode's attach target (issue 21): an ensemble that already runs, here or on other machines,
 * watched through its client ports' four-letter words (`conf` for each server's id and tickTime,
 * `srvr` for its mode and zxid) and, where the person names them, its log files tailed. Read-only:
 * it has no verb, and the bridge refuses every action before it gets here.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LabAction, LabServer, LabState } from '../core/lab/wire';
import { LAB_MAX_SERVERS } from '../core/lab/wire';
import type { LabTarget } from './bridge';
import { fileSize, fourLetter, sleep, srvrAt, wholeLines, type Srvr } from './ensemble';

export interface AttachPoint {
  host: string;
  port: number;
  /** the server's log file on this machine, if the person named one (or its folder) */
  log?: string;
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

/** "host:port,host:port" as the person wrote it; an error in words if it is not that. */
export function readAttach(list: string, logs: string | undefined): AttachPoint[] | string {
  const parts = list.split(',').map((p) => p.trim());
  const files = logs === undefined ? [] : logs.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.length > LAB_MAX_SERVERS) return `--attach takes 1 to ${LAB_MAX_SERVERS} host:port pairs`;
  if (files.length > parts.length) return '--logs names more files than --attach names servers';
  const out: AttachPoint[] = [];
  for (const [i, p] of parts.entries()) {
    const m = /^([A-Za-z0-9.-]{1,253}|\[[0-9a-fA-F:]{2,45}\]):(\d{1,5})$/.exec(p);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return `"${p.slice(0, 80)}" is not host:port (a client port, where the four-letter words answer)`;
    out.push({ host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]), ...(files[i] ? { log: logIn(files[i]!) } : {}) });
  }
  return out;
}

export class LabAttach implements LabTarget {
  readonly mode = 'attach' as const;
  readonly origin = Date.now();
  private readonly srvr = new Map<number, Srvr & { at: number }>();
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
    const { host, port } = this.points[i]!;
    while (this.polling) {
      const conf = await fourLetter(host, port, 'conf', 1500);
      const id = /serverId=(\d+)/.exec(conf)?.[1];
      if (id !== undefined && Number(id) >= 1 && Number(id) <= LAB_MAX_SERVERS) this.ids[i] = Number(id);
      const tick = /tickTime=(\d+)/.exec(conf)?.[1];
      if (tick !== undefined) this.tickTime = Math.min(600_000, Math.max(1, Number(tick)));
      const s = await srvrAt(host, port, 1500);
      const out = s.answered ? await fourLetter(host, port, 'srvr', 1500) : '';
      const version = /Zookeeper version: (\d+\.\d+\.\d+)/.exec(out)?.[1];
      if (version) this.release = version;
      this.srvr.set(i, { ...s, at: Date.now() });
      await sleep(250);
    }
  }

  state(): LabState {
    const now = Date.now();
    const servers: LabServer[] = this.points.map((p, i) => {
      const s = this.srvr.get(i);
      // answered lately: it runs (a server being elected answers, without a mode)
      const up = !!s && s.answered && now - s.at < 5000;
      // no epoch files from afar: the epoch of its last zxid (a leader's is epoch << 32 once established)
      return { id: this.ids[i]!, role: s?.mode === 'observer' ? 'observer' : 'voter', up, paused: false, mode: up ? s!.mode : null, zxid: up ? s!.zxid : null, acceptedEpoch: null, currentEpoch: up && s!.zxid !== null ? Math.floor(s!.zxid / 2 ** 32) : null, logBytes: p.log ? fileSize(p.log) : 0 };
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
