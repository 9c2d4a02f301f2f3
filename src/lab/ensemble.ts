/**
 * A real ZooKeeper ensemble on loopback (Debian's zookeeper package, 3.8.0, or the installation
 * ZK_HOME names): one JVM per server, each with its own dataDir and ports, four-letter words
 * enabled. The conformance suite and lab mode (`npm run lab`) run it; it talks to 127.0.0.1 and
 * nothing else, and signals only the processes it started, by their PIDs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { hostname, tmpdir } from 'node:os';

const JAR = '/usr/share/java/zookeeper.jar';
/** Another installation (3.5-3.9: its jars under lib/ and beside), when ZK_HOME names one. */
const ZK_HOME = process.env.ZK_HOME || null;
const CLI = '/usr/share/zookeeper/bin/zkCli.sh';
// the jar names slf4j's API but no binding: without these two it logs nothing at all
const LOGGING = ['/usr/share/java/slf4j-log4j12.jar', '/usr/share/java/log4j-1.2.jar'].filter((j) => existsSync(j));
// the jar's manifest names Jetty but not the servlet API Jetty needs: without it Debian's
// AdminServer does not start ("Unable to load jetty"); libjetty9-java brings the jar
const SERVLET = ['/usr/share/java/servlet-api.jar'].filter((j) => existsSync(j));

/** Install Debian's zookeeper when it is missing and we may (root with apt-get). */
export function ensureZooKeeper(): string | null {
  if (ZK_HOME) return existsSync(join(ZK_HOME, 'lib')) ? (hasJava() ? null : 'java is missing') : `ZK_HOME=${ZK_HOME} has no lib/ folder: not a ZooKeeper installation`;
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
  /** servers stopped with SIGSTOP (a stop-the-world pause) */
  private stopped = new Set<number>();
  /** how each JVM that ended by itself ended (a kill() by the test is not recorded) */
  private ended = new Map<number, string>();
  readonly dir: string;
  readonly tickTime: number;
  /** each server's AdminServer runs (lab mode) */
  readonly admin: boolean;

  constructor(
    readonly voters: number,
    readonly observers: number,
    readonly basePort: number,
    /** more zoo.cfg lines (for example snapCount=100) */
    extra: string[] = [],
    /**
     * the log layout: Debian's `%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n` (its
     * /etc/zookeeper/conf/log4j.properties), or ZooKeeper's own default, which adds `[myid:N]`
     */
    readonly layout: 'debian' | 'default' = 'debian',
    /**
     * `links`: each server reaches each other one through a port of its own (linkPort), where a
     * proxy can cut that link (lab mode); `name`: the folder's name under the temp dir; `tickTime`
   * in ms (2000)
     */
    opts: { links?: boolean; name?: string; tickTime?: number; admin?: boolean } = {},
  ) {
    this.tickTime = opts.tickTime ?? 2000;
    this.admin = opts.admin ?? false;
    this.dir = join(tmpdir(), opts.name ?? `zab-viz-conformance-${basePort}`);
    rmSync(this.dir, { recursive: true, force: true });
    const n = voters + observers;
    // server i's own line is its real address; another's, with links, is the proxy of the link i → j
    const serversOf = (me: number) =>
      Array.from({ length: n }, (_, i) => {
        const id = i + 1;
        const [q, e] = opts.links && id !== me ? [this.linkPort(me, id, 'quorum'), this.linkPort(me, id, 'election')] : [this.quorumPort(id), this.electionPort(id)];
        return `server.${id}=127.0.0.1:${q}:${e}${id > voters ? ':observer' : ''}`;
      });
    // Names resolve from a hosts file of the ensemble's own, never through DNS: at start-up a
    // server looks up this machine's name (it logs it as host.name), and where DNS does not answer
    // that costs each JVM seconds to minutes (with DNS black-holed here: 350 s for the suite, not 28)
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.hostsFile, `127.0.0.1 localhost ${hostname()}\n`);
    if (layout === 'default') {
      // conf/logback.xml's pattern at release-3.8.0-1, for log4j 1.2 (what Debian's jar logs through)
      writeFileSync(
        join(this.dir, 'log4j.properties'),
        [
          'log4j.rootLogger=INFO, CONSOLE',
          'log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender',
          'log4j.appender.CONSOLE.Threshold=INFO',
          'log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout',
          'log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n',
        ].join('\n') + '\n',
      );
      writeFileSync(
        join(this.dir, 'logback.xml'),
        '<configuration><appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n</pattern></encoder></appender><root level="INFO"><appender-ref ref="CONSOLE"/></root></configuration>\n',
      );
    }
    for (let id = 1; id <= n; id++) {
      const d = join(this.dir, `d${id}`);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'myid'), `${id}\n`);
      const cfg = [
        `tickTime=${this.tickTime}`,
        'initLimit=10',
        'syncLimit=5',
        `dataDir=${d}`,
        `clientPort=${this.clientPort(id)}`,
        '4lw.commands.whitelist=*',
        // the AdminServer (Jetty, on loopback) answers zabstate; the suite does without it
        ...(opts.admin ? ['admin.enableServer=true', 'admin.serverAddress=127.0.0.1', `admin.serverPort=${this.adminPort(id)}`] : ['admin.enableServer=false']),
        // each txn log is padded ahead in blocks of this many KB (64 MB by default): keep the
        // suite's footprint small on a CI disk
        'preAllocSize=1024',
        ...extra,
        ...(id > voters ? ['peerType=observer'] : []),
        ...serversOf(id),
      ];
      writeFileSync(join(this.dir, `zoo${id}.cfg`), cfg.join('\n') + '\n');
    }
  }

  private get hostsFile(): string {
    return join(this.dir, 'hosts');
  }

  clientPort(id: number): number {
    return this.basePort + id;
  }
  quorumPort(id: number): number {
    return this.basePort + 100 + id;
  }
  electionPort(id: number): number {
    return this.basePort + 200 + id;
  }
  /** Server `id`'s AdminServer (lab mode), at http://127.0.0.1:PORT/commands/. */
  adminPort(id: number): number {
    return this.basePort + 500 + id;
  }

  /** Where server `from` reaches server `to` when links go through proxies (lab mode). */
  linkPort(from: number, to: number, kind: 'quorum' | 'election'): number {
    return this.basePort + (kind === 'quorum' ? 300 : 400) + from * 10 + to;
  }

  /** The classpath: Debian's jars, or every jar of ZK_HOME (lib/ and beside). */
  private classpath(): string {
    if (ZK_HOME) return [join(ZK_HOME, 'conf'), join(ZK_HOME, '*'), join(ZK_HOME, 'lib', '*')].join(':');
    return ['/etc/zookeeper/conf', JAR, ...LOGGING, ...(this.admin ? SERVLET : [])].join(':');
  }

  start(id: number): void {
    if (this.procs.has(id)) return;
    // each JVM's console log (log4j's CONSOLE appender) goes to a file of its own, appended across
    // restarts, so that a step that does not converge can show what the servers said
    // a line of our own marks where this life's log begins (the file is appended across restarts)
    writeFileSync(this.logFile(id), `${START_MARK}${id}\n`, { flag: 'a' });
    const log = openSync(this.logFile(id), 'a');
    // log4j 1.2 (Debian, 3.5-3.7) reads the first, logback (3.8+ from apache.org) the second
    const logging = this.layout === 'default' ? [`-Dlog4j.configuration=file:${join(this.dir, 'log4j.properties')}`, `-Dlogback.configurationFile=${join(this.dir, 'logback.xml')}`] : [];
    const p = spawn('java', ['-Xmx256m', `-Djdk.net.hosts.file=${this.hostsFile}`, `-Dzookeeper.log.dir=${this.dir}`, '-Dzookeeper.root.logger=INFO,CONSOLE', ...logging, '-cp', this.classpath(), 'org.apache.zookeeper.server.quorum.QuorumPeerMain', join(this.dir, `zoo${id}.cfg`)], {
      stdio: ['ignore', log, log],
      detached: false,
    });
    closeSync(log);
    this.ended.delete(id);
    p.on('error', (e) => this.ended.set(id, `could not start: ${e.message}`));
    p.on('exit', (code, signal) => {
      if (this.procs.get(id) === p) this.ended.set(id, `exited by itself (code ${code}, signal ${signal})`);
    });
    this.procs.set(id, p);
  }

  /** kill -9: the process dies, its disk stays. */
  kill(id: number): void {
    const p = this.procs.get(id);
    if (!p) return;
    this.procs.delete(id);
    this.stopped.delete(id);
    p.kill('SIGKILL');
  }

  /** SIGSTOP: the JVM stops dead (as in a long GC pause); its sockets stay open. Only our own child, by its pid. */
  pause(id: number): void {
    const p = this.procs.get(id);
    if (!p || this.stopped.has(id)) return;
    this.stopped.add(id);
    p.kill('SIGSTOP');
  }

  /** SIGCONT: it runs again and works through what waited. */
  resume(id: number): void {
    const p = this.procs.get(id);
    if (!p || !this.stopped.delete(id)) return;
    p.kill('SIGCONT');
  }

  paused(id: number): boolean {
    return this.stopped.has(id);
  }

  anyPaused(): boolean {
    return this.stopped.size > 0;
  }

  /**
   * The sync this server received from a leader in its current life, as Learner.syncWithLeader
   * logs it on receipt ("Getting a diff from the leader 0x…", "Getting a snapshot from leader
   * 0x…", "Truncating log to get in sync with the leader 0x…"; release-3.8.0-1), or null.
   */
  lastSync(id: number): 'DIFF' | 'SNAP' | 'TRUNC' | null {
    const life = this.life(id);
    let last: 'DIFF' | 'SNAP' | 'TRUNC' | null = null;
    for (const m of life.matchAll(/Getting a diff from the leader|Getting a snapshot from leader|Truncating log to get in sync with the leader/g)) {
      last = m[0].startsWith('Getting a diff') ? 'DIFF' : m[0].startsWith('Getting a snapshot') ? 'SNAP' : 'TRUNC';
    }
    return last;
  }

  /** Server `id`'s log since its last start ('' before it started). */
  private life(id: number): string {
    const f = this.logFile(id);
    if (!existsSync(f)) return '';
    const all = readFileSync(f, 'utf8');
    return all.slice(Math.max(0, all.lastIndexOf(`${START_MARK}${id}\n`)));
  }

  /** Whether server `id` has begun to look for a leader in its current life (QuorumPeer.run's LOOKING line). */
  looking(id: number): boolean {
    return /QuorumPeer@\d+\] - LOOKING$/m.test(this.life(id));
  }

  logFile(id: number): string {
    return join(this.dir, `server${id}.log`);
  }

  /** The PID of server `id`'s JVM, while it runs. */
  pid(id: number): number | null {
    return this.procs.get(id)?.pid ?? null;
  }

  /**
   * What to print when a step does not converge: for each server whether its JVM still runs, the
   * free space where it writes, its WARN/ERROR and role lines (or, when it logged none of those,
   * its last lines as they are), and where its main and QuorumPeer threads are (a SIGQUIT makes
   * a JVM print its threads' stacks to its console, which goes to the same file).
   */
  async diagnose(lines = 15): Promise<string> {
    for (const p of this.procs.values()) p.kill('SIGQUIT');
    if (this.procs.size > 0) await sleep(1500);
    const out: string[] = [];
    try {
      const fs = statfsSync(this.dir);
      out.push(`free space in ${this.dir}: ${Math.round((fs.bavail * fs.bsize) / 2 ** 20)} MB`);
    } catch (e) {
      out.push(`free space in ${this.dir}: unknown (${(e as Error).message})`);
    }
    for (let id = 1; id <= this.voters + this.observers; id++) {
      const f = this.logFile(id);
      const p = this.procs.get(id);
      const how = this.ended.get(id) ?? (p ? `running (pid ${p.pid})` : existsSync(f) ? 'stopped by the test' : 'never started');
      out.push(`--- server ${id}: ${how}; log ${f}`);
      if (!existsSync(f)) continue;
      const all = readFileSync(f, 'utf8').split('\n');
      const dump = all.findIndex((l) => l.startsWith('Full thread dump'));
      const log = dump < 0 ? all : all.slice(0, dump);
      const keep = log.filter((l) => / (WARN|ERROR) |LEADING|FOLLOWING|OBSERVING|LOOKING|Address already in use|Error:/.test(l));
      out.push(...(keep.length > 0 ? keep.slice(-lines) : log.filter((l) => l.trim() !== '').slice(-lines)));
      if (dump >= 0) out.push(...threadStacks(all.slice(dump), ['main', 'QuorumPeer']));
    }
    return out.join('\n');
  }

  /** How the JVM of server `id` ended without being killed by the test, or null while it runs. */
  endedByItself(id: number): string | null {
    return this.procs.has(id) ? (this.ended.get(id) ?? null) : null;
  }

  /** Copies each server's log (every life of it, in one file) to `dir`/server<N>.log. */
  keepLogs(dir: string): void {
    mkdirSync(dir, { recursive: true });
    for (let id = 1; id <= this.voters + this.observers; id++) {
      const f = this.logFile(id);
      if (existsSync(f)) writeFileSync(join(dir, `server${id}.log`), readFileSync(f));
    }
  }

  /** Removes the ensemble's files (logs, data); kept when a test fails, for a look. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
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
  srvr(id: number, timeoutMs = 2000): Promise<Srvr> {
    return srvrAt('127.0.0.1', this.clientPort(id), timeoutMs);
  }

  /**
   * `count` creates through one zkCli session. ZooKeeper logs the session's creation and its
   * close as txns too, so the zxid counter moves by count + 2.
   */
  write(id: number, count: number): boolean {
    const cmds = Array.from({ length: count }, (_, i) => `create /w-${Date.now()}-${i} x`).join('\n') + '\nquit\n';
    const r = spawnSync(CLI, ['-server', `127.0.0.1:${this.clientPort(id)}`], {
      input: cmds,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, CLIENT_JVMFLAGS: `-Djdk.net.hosts.file=${this.hostsFile}` },
    });
    const out = `${r.stdout}\n${r.stderr}`; // zkCli prints its results on stderr
    return r.status === 0 && (out.match(/Created \//g) ?? []).length === count;
  }
}

/** A file's size in bytes, 0 where it is not (yet). */
export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Whole lines of a log file from byte `from`, at most `max` bytes: a chunk ends at a newline,
 * never inside a character; nothing (not an error) where the file is not there yet.
 */
export function wholeLines(file: string, from: number, max: number): { from: number; text: string } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { from, text: '' };
  }
  try {
    const buf = Buffer.alloc(max);
    const n = readSync(fd, buf, 0, max, from);
    const end = buf.subarray(0, n).lastIndexOf(10) + 1;
    return { from, text: buf.subarray(0, end).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

/** A four-letter word's whole answer (empty if the server did not answer within the time). */
export function fourLetter(host: string, port: number, word: 'srvr' | 'conf' | 'mntr', timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const sock = connect({ host, port }, () => sock.write(word));
    sock.setTimeout(timeoutMs, () => sock.destroy());
    sock.on('data', (d) => (out += d.toString()).length > 65536 && sock.destroy());
    sock.on('close', () => resolve(out.slice(0, 65536)));
    sock.on('error', () => undefined);
  });
}

/**
 * `srvr`: the Mode a server serves in and its last Zxid; nulls while it does not serve (being
 * elected, it answers "This ZooKeeper instance is not currently serving requests": information,
 * not an error).
 */
export async function srvrAt(host: string, port: number, timeoutMs = 2000): Promise<Srvr> {
  return readSrvr(await fourLetter(host, port, 'srvr', timeoutMs));
}

/** `srvr`'s answer read: empty when the server did not answer. */
export function readSrvr(out: string): Srvr {
  const mode = /Mode: (\w+)/.exec(out)?.[1] as Srvr['mode'] | undefined;
  const zxid = /Zxid: (0x[0-9a-f]+)/.exec(out)?.[1];
  return { answered: out.length > 0, mode: mode ?? null, zxid: zxid ? Number(zxid) : null };
}

/** The stacks of the threads whose names start with one of `names`, from a JVM thread dump. */
function threadStacks(dump: string[], names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < dump.length; i++) {
    const name = /^"([^"]*)"/.exec(dump[i]!)?.[1];
    if (name === undefined || !names.some((n) => name.startsWith(n))) continue;
    for (let j = i; j < dump.length && j < i + 12 && dump[j]!.trim() !== ''; j++) out.push('  ' + dump[j]!.trim());
  }
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The line the harness writes to a server's log file before each start. */
const START_MARK = '=== zab-viz: start of server ';
