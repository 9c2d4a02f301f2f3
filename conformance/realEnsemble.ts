/**
 * A real ZooKeeper ensemble on loopback (Debian's zookeeper package, 3.8.0): one JVM per server,
 * each with its own dataDir and ports, four-letter words enabled. Used only by the conformance
 * suite; it talks to 127.0.0.1 and nothing else.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const JAR = '/usr/share/java/zookeeper.jar';
const CLI = '/usr/share/zookeeper/bin/zkCli.sh';
// the jar names slf4j's API but no binding: without these two it logs nothing at all
const LOGGING = ['/usr/share/java/slf4j-log4j12.jar', '/usr/share/java/log4j-1.2.jar'].filter((j) => existsSync(j));

/** Install Debian's zookeeper when it is missing and we may (root with apt-get). */
export function ensureZooKeeper(): string | null {
  if (existsSync(JAR) && hasJava()) return null;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || spawnSync('which', ['apt-get']).status !== 0) return 'zookeeper is not installed and cannot be installed here (needs root and apt-get)';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'ignore', env });
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'zookeeper'], { stdio: 'ignore', env });
  if (r.status !== 0 || !existsSync(JAR)) return 'apt-get install zookeeper failed';
  return hasJava() ? null : 'java is missing';
}

function hasJava(): boolean {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

export interface Srvr {
  /** the server answered on its client port at all */
  answered: boolean;
  mode: 'leader' | 'follower' | 'observer' | 'standalone' | null;
  zxid: number | null;
}

export class RealEnsemble {
  private procs = new Map<number, ChildProcess>();
  readonly dir: string;

  constructor(
    readonly voters: number,
    readonly observers: number,
    readonly basePort: number,
  ) {
    this.dir = join(tmpdir(), `zab-viz-conformance-${basePort}`);
    rmSync(this.dir, { recursive: true, force: true });
    const n = voters + observers;
    const servers = Array.from({ length: n }, (_, i) => {
      const id = i + 1;
      return `server.${id}=127.0.0.1:${this.quorumPort(id)}:${this.electionPort(id)}${id > voters ? ':observer' : ''}`;
    });
    for (let id = 1; id <= n; id++) {
      const d = join(this.dir, `d${id}`);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'myid'), `${id}\n`);
      const cfg = [
        'tickTime=2000',
        'initLimit=10',
        'syncLimit=5',
        `dataDir=${d}`,
        `clientPort=${this.clientPort(id)}`,
        '4lw.commands.whitelist=*',
        'admin.enableServer=false',
        ...(id > voters ? ['peerType=observer'] : []),
        ...servers,
      ];
      writeFileSync(join(this.dir, `zoo${id}.cfg`), cfg.join('\n') + '\n');
    }
  }

  clientPort(id: number): number {
    return this.basePort + id;
  }
  private quorumPort(id: number): number {
    return this.basePort + 100 + id;
  }
  private electionPort(id: number): number {
    return this.basePort + 200 + id;
  }

  start(id: number): void {
    if (this.procs.has(id)) return;
    // each JVM's console log (log4j's CONSOLE appender) goes to a file of its own, appended across
    // restarts, so that a step that does not converge can show what the servers said
    const log = openSync(this.logFile(id), 'a');
    const p = spawn('java', ['-Xmx256m', `-Dzookeeper.log.dir=${this.dir}`, '-Dzookeeper.root.logger=INFO,CONSOLE', '-cp', ['/etc/zookeeper/conf', JAR, ...LOGGING].join(':'), 'org.apache.zookeeper.server.quorum.QuorumPeerMain', join(this.dir, `zoo${id}.cfg`)], {
      stdio: ['ignore', log, log],
      detached: false,
    });
    closeSync(log);
    this.procs.set(id, p);
  }

  /** kill -9: the process dies, its disk stays. */
  kill(id: number): void {
    const p = this.procs.get(id);
    if (!p) return;
    p.kill('SIGKILL');
    this.procs.delete(id);
  }

  private logFile(id: number): string {
    return join(this.dir, `server${id}.log`);
  }

  /** The last lines each server logged: WARN and ERROR lines, and the role changes. */
  logTails(lines = 15): string {
    const out: string[] = [];
    for (let id = 1; id <= this.voters + this.observers; id++) {
      const f = this.logFile(id);
      if (!existsSync(f)) continue;
      const keep = readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => / (WARN|ERROR) |LEADING|FOLLOWING|OBSERVING|LOOKING|Address already in use/.test(l));
      out.push(`--- server ${id} (${f})`, ...keep.slice(-lines));
    }
    return out.join('\n');
  }

  up(id: number): boolean {
    return this.procs.has(id);
  }

  stopAll(): void {
    for (const id of [...this.procs.keys()]) this.kill(id);
  }

  epochs(id: number): { acceptedEpoch: number | null; currentEpoch: number | null } {
    const read = (f: string) => {
      const p = join(this.dir, `d${id}`, 'version-2', f);
      return existsSync(p) ? Number(readFileSync(p, 'utf8').trim()) : null;
    };
    return { acceptedEpoch: read('acceptedEpoch'), currentEpoch: read('currentEpoch') };
  }

  /** The `srvr` four-letter word: Mode and Zxid, or nulls while the server is not serving. */
  srvr(id: number): Promise<Srvr> {
    return new Promise((resolve) => {
      let out = '';
      const sock = connect({ host: '127.0.0.1', port: this.clientPort(id) }, () => sock.write('srvr'));
      const done = () => {
        const mode = /Mode: (\w+)/.exec(out)?.[1] as Srvr['mode'] | undefined;
        const zxid = /Zxid: (0x[0-9a-f]+)/.exec(out)?.[1];
        resolve({ answered: out.length > 0, mode: mode ?? null, zxid: zxid ? Number(zxid) : null });
      };
      sock.setTimeout(2000, () => sock.destroy());
      sock.on('data', (d) => (out += d.toString()));
      sock.on('close', done);
      sock.on('error', () => undefined);
    });
  }

  /**
   * `count` creates through one zkCli session. ZooKeeper logs the session's creation and its
   * close as txns too, so the zxid counter moves by count + 2.
   */
  write(id: number, count: number): boolean {
    const cmds = Array.from({ length: count }, (_, i) => `create /w-${Date.now()}-${i} x`).join('\n') + '\nquit\n';
    const r = spawnSync(CLI, ['-server', `127.0.0.1:${this.clientPort(id)}`], { input: cmds, encoding: 'utf8', timeout: 30_000 });
    const out = `${r.stdout}\n${r.stderr}`; // zkCli prints its results on stderr
    return r.status === 0 && (out.match(/Created \//g) ?? []).length === count;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
