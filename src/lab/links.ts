/**
 * The links of a real ensemble, each one breakable (lab mode, issue 21): server i reaches server
 * j's quorum and election ports through proxies of its own (i → j), the way Toxiproxy does it, so
 * that cutting a link needs no root. A cut link drops the connections it carries and refuses new
 * ones until it is mended; both directions of a pair are cut together, as a network cut would.
 * Loopback only.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface LinkPorts {
  quorumPort(id: number): number;
  electionPort(id: number): number;
  linkPort(from: number, to: number, kind: 'quorum' | 'election'): number;
}

const key = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);

export class Links {
  private readonly servers: Server[] = [];
  private readonly open = new Map<string, Set<Socket>>();
  private readonly cutPairs = new Set<string>();

  constructor(
    private readonly n: number,
    private readonly ports: LinkPorts,
  ) {}

  /** Listen on every link's ports (n × (n - 1) × 2 proxies). */
  async start(): Promise<void> {
    const listening: Promise<void>[] = [];
    for (let from = 1; from <= this.n; from++)
      for (let to = 1; to <= this.n; to++) {
        if (from === to) continue;
        for (const kind of ['quorum', 'election'] as const) {
          const target = kind === 'quorum' ? this.ports.quorumPort(to) : this.ports.electionPort(to);
          const server = createServer((client) => this.carry(from, to, client, target));
          this.servers.push(server);
          listening.push(
            new Promise((done, fail) => {
              server.once('error', fail);
              server.listen(this.ports.linkPort(from, to, kind), '127.0.0.1', () => done());
            }),
          );
        }
      }
    await Promise.all(listening);
  }

  private carry(from: number, to: number, client: Socket, target: number): void {
    const k = key(from, to);
    if (this.cutPairs.has(k)) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: target });
    const both = this.open.get(k) ?? new Set<Socket>();
    this.open.set(k, both);
    both.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      both.delete(client);
      both.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  cut(a: number, b: number): void {
    const k = key(a, b);
    this.cutPairs.add(k);
    for (const s of this.open.get(k) ?? []) s.destroy();
  }

  mend(a: number, b: number): void {
    this.cutPairs.delete(key(a, b));
  }

  /** Cut every link between groups (a server in no group is alone). */
  partition(groups: number[][]): void {
    const group = new Map<number, number>();
    groups.forEach((g, i) => g.forEach((id) => group.set(id, i)));
    for (let a = 1; a <= this.n; a++)
      for (let b = a + 1; b <= this.n; b++) {
        const ga = group.get(a) ?? -a;
        const gb = group.get(b) ?? -b;
        if (ga !== gb) this.cut(a, b);
      }
  }

  heal(): void {
    this.cutPairs.clear();
  }

  /** The pairs cut, each once, lower id first. */
  get cuts(): [number, number][] {
    return [...this.cutPairs].map((k) => k.split('-').map(Number) as [number, number]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  }

  async close(): Promise<void> {
    for (const set of this.open.values()) for (const s of set) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise((done) => s.close(() => done(undefined)))));
  }
}
