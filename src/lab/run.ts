/**
 * Lab mode's run target (issue 21): a real ensemble started here, on loopback, each link through
 * a proxy that can cut it, polled with `srvr` and read through its epoch files and logs, broken by
 * the person's clicks: SIGKILL and a fresh start, SIGSTOP and SIGCONT (only to the JVMs it
 * started, by PID), links cut and mended, and writes through a real ZooKeeper client.
 */
import zookeeper from 'node-zookeeper-client';
import { LAB_MAX_READS, type LabAction, type LabRead, type LabServer, type LabState } from '../core/lab/wire';
import type { LabTarget } from './bridge';
import { Links } from './links';
import { fileSize, RealEnsemble, sleep, wholeLines } from './ensemble';
import { Prober, type Probe } from './probe';

export class LabRun implements LabTarget {
  readonly mode = 'run' as const;
  readonly origin = Date.now();
  private readonly seen = new Map<number, Probe>();
  private readonly done: { at: number; action: LabAction }[] = [];
  private readonly links: Links;
  private polling = false;
  private release: string | null = null;
  private writes = 0;

  constructor(
    readonly ensemble: RealEnsemble,
    /** start every server at once rather than one by one */
    readonly together = false,
  ) {
    this.links = new Links(ensemble.voters + ensemble.observers, ensemble);
  }

  private get ids(): number[] {
    return Array.from({ length: this.ensemble.voters + this.ensemble.observers }, (_, i) => i + 1);
  }

  /**
   * Start the proxies, then the servers: one by one by default, or all at once (`together`).
   * One by one, each next server starts once the one before looks for a leader, and, from the
   * one that makes a quorum on, once it serves: S1 looks alone, S2 joins it and they elect, S3
   * finds a leader and joins it. Started together, JVMs reach LOOKING within a few hundred ms of
   * each other, and who leads, and which learner registers first (the first gets an empty DIFF,
   * a later one at zxid 0 a SNAP), is a race that QuorumCnxManager's connection set-up (which the
   * model simulates) and the JVMs' warm-up (which it cannot know) decide (docs/PROTOCOL.md): the
   * model beside may then disagree, and says so.
   */
  async start(): Promise<void> {
    await this.links.start();
    this.polling = true;
    for (const id of this.ids) void this.poll(id);
    if (this.together) for (const id of this.ids) this.ensemble.start(id);
    else void this.oneByOne();
  }

  private async oneByOne(): Promise<void> {
    const quorum = Math.floor(this.ensemble.voters / 2) + 1;
    for (const id of this.ids) {
      if (!this.polling) return;
      this.ensemble.start(id);
      const ready = () => (id < quorum ? this.ensemble.looking(id) : this.seen.get(id)?.mode != null);
      for (let waited = 0; waited < 30_000 && this.polling && !ready(); waited += 100) await sleep(100);
    }
  }

  /** Each server asked in a loop of its own: a paused one does not hold up the others. */
  private async poll(id: number): Promise<void> {
    const ask = new Prober('127.0.0.1', this.ensemble.clientPort(id), `http://127.0.0.1:${this.ensemble.adminPort(id)}`);
    while (this.polling) {
      const up = this.ensemble.up(id) && !this.ensemble.paused(id);
      this.seen.set(id, up ? await ask.next() : ask.down());
      await sleep(150);
    }
  }

  state(): LabState {
    const servers: LabServer[] = this.ids.map((id) => {
      const s = this.seen.get(id);
      const { acceptedEpoch, currentEpoch } = this.ensemble.epochs(id);
      const up = this.ensemble.up(id);
      return {
        id,
        role: id > this.ensemble.voters ? 'observer' : 'voter',
        up,
        paused: this.ensemble.paused(id),
        mode: up ? (s?.mode ?? null) : null,
        zxid: up ? (s?.zxid ?? null) : null,
        acceptedEpoch: Number.isSafeInteger(acceptedEpoch) ? acceptedEpoch : null,
        currentEpoch: Number.isSafeInteger(currentEpoch) ? currentEpoch : null,
        logBytes: fileSize(this.ensemble.logFile(id)),
        zab: up ? (s?.zab ?? null) : null,
        mntr: up ? (s?.mntr ?? {}) : {},
      };
    });
    return { mode: 'run', release: this.releaseSeen(), origin: this.origin, now: Date.now(), tickTime: this.ensemble.tickTime, rate: this.rate, servers, cut: this.links.cuts, actions: this.done.slice(-10_000), reads: this.reads.slice(-LAB_MAX_READS) };
  }


  /** The release the servers say they run (their first log line of Environment). */
  private releaseSeen(): string {
    if (this.release) return this.release;
    for (const id of this.ids) {
      const head = this.log(id, 0, 64 * 1024)?.text ?? '';
      const m = /zookeeper\.version=(\d+\.\d+\.\d+)/.exec(head);
      if (m) return (this.release = m[1]!);
    }
    return 'unknown';
  }

  /** Whole lines of server `id`'s log from byte `from` (a chunk ends at a newline, so never inside a character). */
  log(id: number, from: number, max: number): { from: number; text: string } | null {
    if (!this.ids.includes(id)) return null;
    return wholeLines(this.ensemble.logFile(id), from, max);
  }

  async act(action: LabAction): Promise<void> {
    this.done.push({ at: Date.now(), action });
    const e = this.ensemble;
    switch (action.verb) {
      case 'crash':
        return e.kill(action.id);
      case 'restart':
        return e.start(action.id);
      case 'pause':
        return e.pause(action.id);
      case 'resume':
        return e.resume(action.id);
      case 'cut':
        return this.links.cut(action.a, action.b);
      case 'mend':
        return this.links.mend(action.a, action.b);
      case 'partition':
        return this.links.partition(action.groups);
      case 'heal':
        return this.links.heal();
      case 'write':
        return this.write(action.count, action.node);
      case 'rate':
        return this.steady(action.perSecond);
      case 'read':
        return this.read(action.node);
    }
  }

  private readonly reads: LabRead[] = [];

  /**
   * A real client reads / on server `node` (its children and their last change, pzxid): the
   * server answers from its own tree, without asking the leader (a sync() first would), so a
   * follower's answer can be behind the leader's last zxid, taken beside it.
   */
  private async read(node: number): Promise<void> {
    let client: zookeeper.Client | null = null;
    let sent = { at: Date.now(), zxid: null as number | null, leaderZxid: null as number | null };
    try {
      client = await this.session(node);
      // the zxids beside it: the last srvr of this server and of the leader as the read goes out
      sent = { at: Date.now(), zxid: this.seen.get(node)?.zxid ?? null, leaderZxid: this.ids.map((i) => this.seen.get(i)).find((p) => p?.mode === 'leader')?.zxid ?? null };
      // a server paused mid-read answers only once resumed: the client library has no time-out of its own
      const { children, pzxid } = await new Promise<{ children: number; pzxid: number }>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`server ${node} did not answer within 5 s`)), 5000);
        client!.getChildren('/', (err, kids, stat) => {
          clearTimeout(timer);
          if (err) fail(err);
          else done({ children: kids.length, pzxid: Number(stat.pzxid.readBigUInt64BE(0)) });
        });
      });
      this.reads.push({ ...sent, node, children, pzxid, error: null });
    } catch (e) {
      this.reads.push({ ...sent, node, children: null, pzxid: null, error: String((e as Error).message ?? e).slice(0, 200) });
    } finally {
      client?.close();
      this.reads.splice(0, Math.max(0, this.reads.length - LAB_MAX_READS));
    }
  }

  private load: { timer: ReturnType<typeof setInterval>; client: zookeeper.Client | null; busy: boolean } | null = null;
  private rate = 0;

  /**
   * A steady load: `perSecond` creates a second through one real session, kept on a serving
   * server and opened again elsewhere when that one goes (0 stops it). A create that fails (no
   * leader, the session moving) is skipped, as a client would see it fail.
   */
  private steady(perSecond: number): void {
    if (this.load) {
      clearInterval(this.load.timer);
      this.load.client?.close();
      this.load = null;
    }
    this.rate = perSecond;
    if (perSecond === 0) return;
    const load: NonNullable<LabRun['load']> = { timer: setInterval(() => void tick(), 1000 / perSecond), client: null, busy: false };
    this.load = load;
    const tick = async () => {
      if (load.busy || this.load !== load) return;
      load.busy = true;
      try {
        if (!load.client) {
          const client = await this.session();
          // the load was changed or stopped meanwhile: a session left open would expire later,
          // and its closeSession be a txn the person never asked for
          if (this.load !== load) return client.close();
          load.client = client;
        }
        const path = `/zab-viz-${process.pid}-${++this.writes}`;
        await new Promise<void>((done, fail) => load.client!.create(path, Buffer.from('x'), (err) => (err ? fail(err) : done())));
      } catch {
        load.client?.close();
        load.client = null;
      } finally {
        load.busy = false;
      }
    };
  }

  /**
   * Writes through a real client (node-zookeeper-client): one session (itself a createSession
   * and a closeSession txn) on the server named, else on one that serves, and `count` creates.
   */
  /** A real client's session on server `node`, else on a serving one (the leader first). */
  private async session(node?: number): Promise<zookeeper.Client> {
    const serving = this.ids.filter((id) => this.seen.get(id)?.mode && !unavailable(this.ensemble, id));
    const id = node ?? serving.find((i) => this.seen.get(i)?.mode === 'leader') ?? serving[0];
    if (id === undefined) throw new Error('no server is serving: a write has nowhere to go');
    const client = zookeeper.createClient(`127.0.0.1:${this.ensemble.clientPort(id)}`, { sessionTimeout: 6000, retries: 0 });
    try {
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`server ${id} did not take a session within 5 s`)), 5000);
        client.once('connected', () => {
          clearTimeout(timer);
          done();
        });
        client.connect();
      });
    } catch (e) {
      client.close();
      throw e;
    }
    return client;
  }

  private async write(count: number, node?: number): Promise<void> {
    const client = await this.session(node);
    try {
      for (let i = 0; i < count; i++) {
        const path = `/zab-viz-${process.pid}-${++this.writes}`;
        await new Promise<void>((done, fail) => client.create(path, Buffer.from('x'), (err) => (err ? fail(err) : done())));
      }
    } finally {
      client.close();
    }
  }

  /** Stop everything this run started: pollers, proxies, servers (by PID), and their files. */
  async stop(): Promise<void> {
    this.steady(0);
    this.polling = false;
    this.ensemble.stopAll();
    await this.links.close();
    this.ensemble.remove();
  }
}

/** A server that is down or paused cannot take a client. */
function unavailable(e: RealEnsemble, id: number): boolean {
  return !e.up(id) || e.paused(id);
}
