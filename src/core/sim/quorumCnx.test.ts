import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulator } from './simulator';
import { CNX_TIMEOUT_MS } from './quorumCnx';
import type { Ctx, Message, NodeSpec, Protocol } from './types';

/** A protocol that only records what reaches it, its send() going through QuorumCnxManager. */
interface Rx {
  got: { from: number; n: number; at: number }[];
}
type M = Message & { kind: 'PING'; n: number };
type V = { id: number; role: string; state: string };
type Sim = Simulator<Rx, M, V, string>;
const rx: Protocol<Rx, M, V, string> = {
  name: 'rx',
  quorumCnx: true,
  init: () => ({ got: [] }),
  onMessage(s, from, msg, _conn, ctx) {
    s.got.push({ from, n: msg.n, at: ctx.now });
  },
  onTimer() {},
  onDisk() {},
  diskLabel: (t) => t,
  onClosed() {
    throw new Error('an election connection never reaches the protocol');
  },
  onClient() {},
  isClientTarget: () => false,
  label: (m) => String(m.n),
  view: () => ({ id: 0, role: 'voter', state: 'UP' }),
};

function sim(latency = 10, nodes = [1, 2, 3], loss = 0, seed = 1) {
  const s = new Simulator(rx, { seed, nodes: nodes.map((id) => ({ id, role: 'voter' }) as NodeSpec), net: { latencyMin: latency, latencyMax: latency, loss }, disk: { latencyMin: 1, latencyMax: 1 } });
  s.start();
  s.records = [];
  return s;
}
function as(s: Sim, id: number, fn: (ctx: Ctx<M, string>) => void) {
  fn((s as unknown as { ctx(id: number): Ctx<M, string> }).ctx(id));
}
const got = (s: Sim, id: number) => s.node(id).state!.got;
const codes = (s: Sim) => (s.records ?? []).map((r) => `${r.node}:${r.code}`);

describe('QuorumCnxManager', () => {
  it('a larger sid dials and sends at once; a smaller sid’s dial is dropped and the larger dials back, two hops later', () => {
    const down = sim(10);
    as(down, 3, (c) => c.send(1, { kind: 'PING', n: 1 }));
    down.runUntil(1000);
    expect(got(down, 1)).toEqual([{ from: 3, n: 1, at: 20 }]); // the dial (one hop), then the message

    const up = sim(10);
    as(up, 1, (c) => c.send(3, { kind: 'PING', n: 1 }));
    up.runUntil(1000);
    // dial 1→3 reaches S3 at 10 and is dropped; S3 dials back (20); the message rides S3's connection (30)
    expect(got(up, 3)).toEqual([{ from: 1, n: 1, at: 30 }]);
    expect(codes(up)).toContain('1:cnx.smallerSid');
  });

  it('keeps one slot per peer: what waits for a connection is replaced by a newer message', () => {
    const s = sim(10);
    as(s, 1, (c) => {
      for (let n = 1; n <= 5; n++) c.send(3, { kind: 'PING', n });
    });
    s.runUntil(1000);
    expect(got(s, 3).map((g) => g.n)).toEqual([5]);
    expect(codes(s).filter((c) => c.endsWith('queued.replaced'))).toHaveLength(4);
    // once connected, every message goes, in order
    as(s, 1, (c) => {
      for (let n = 6; n <= 9; n++) c.send(3, { kind: 'PING', n });
    });
    s.runUntil(2000);
    expect(got(s, 3).map((g) => g.n)).toEqual([5, 6, 7, 8, 9]);
  });

  it('a dial to a process that is down is refused; the message waits and goes when the peer dials us', () => {
    const s = sim(10);
    s.apply({ verb: 'crash', id: 3 });
    as(s, 1, (c) => c.send(3, { kind: 'PING', n: 7 }));
    s.runUntil(500);
    expect(codes(s)).toContain('1:cnx.refused');
    s.apply({ verb: 'restart', id: 3 });
    as(s, 3, (c) => c.send(1, { kind: 'PING', n: 1 }));
    s.runUntil(1000);
    expect(got(s, 3).map((g) => g.n)).toEqual([7]); // S3's dial made the connection S1's queue was waiting for
  });

  it('a dial across a cut link gives up after cnxTO, and no second dial starts meanwhile', () => {
    const s = sim(10);
    s.apply({ verb: 'cut', a: 1, b: 2 });
    as(s, 2, (c) => c.send(1, { kind: 'PING', n: 1 }));
    s.runUntil(100);
    as(s, 2, (c) => c.send(1, { kind: 'PING', n: 2 }));
    s.runUntil(CNX_TIMEOUT_MS - 1);
    expect(codes(s)).not.toContain('2:cnx.timeout');
    s.runUntil(CNX_TIMEOUT_MS);
    expect(codes(s).filter((c) => c === '2:cnx.timeout')).toHaveLength(1);
    expect(got(s, 1)).toEqual([]);
  });

  it('a connection broken (a message dropped by hand) is redialled at the next send, and the last message sent goes again', () => {
    const s = sim(10);
    as(s, 2, (c) => c.send(1, { kind: 'PING', n: 1 }));
    s.runUntil(100);
    as(s, 1, (c) => c.send(2, { kind: 'PING', n: 10 })); // S1's last message to S2
    s.runUntil(200);
    as(s, 2, (c) => c.send(1, { kind: 'PING', n: 2 }));
    const f = s.flights().find((x) => x.from === 2 && x.to === 1)!;
    s.apply({ verb: 'drop', msg: f.id });
    s.runUntil(400);
    expect(codes(s)).toContain('1:cnx.broken');
    expect(got(s, 1).map((g) => g.n)).toEqual([1]);
    as(s, 2, (c) => c.send(1, { kind: 'PING', n: 3 }));
    s.runUntil(600);
    expect(got(s, 1).map((g) => g.n)).toEqual([1, 3]);
    // S1's SendWorker on the new connection, with nothing queued, sent its last message again
    expect(got(s, 2).map((g) => g.n)).toEqual([10, 10]);
    expect(codes(s)).toContain('1:send.last');
  });

  it('haveDelivered is false until some queue empties; connectAll dials again without a new message', () => {
    const s = sim(10);
    s.apply({ verb: 'crash', id: 2 });
    s.apply({ verb: 'crash', id: 3 });
    as(s, 1, (c) => {
      c.send(2, { kind: 'PING', n: 1 });
      c.send(3, { kind: 'PING', n: 1 });
    });
    s.runUntil(100);
    as(s, 1, (c) => expect(c.haveDelivered!()).toBe(false));
    s.apply({ verb: 'restart', id: 3 });
    as(s, 1, (c) => c.connectAll!());
    s.runUntil(200);
    expect(got(s, 3).map((g) => g.n)).toEqual([1]);
    as(s, 1, (c) => expect(c.haveDelivered!()).toBe(true));
  });

  it('a peer that crashed behind a partition: the survivor’s write draws a reset, and the next send dials again', () => {
    const s = sim(10);
    as(s, 3, (c) => c.send(1, { kind: 'PING', n: 1 }));
    s.runUntil(100);
    s.apply({ verb: 'partition', groups: [[1, 2], [3]] });
    s.apply({ verb: 'crash', id: 3 }); // S1 never hears of it: its connection is half-open
    s.apply({ verb: 'restart', id: 3 });
    s.apply({ verb: 'heal' });
    as(s, 1, (c) => c.send(3, { kind: 'PING', n: 2 })); // on the dead connection: lost, reset
    s.runUntil(200);
    expect(codes(s)).toContain('1:cnx.broken');
    as(s, 1, (c) => c.send(3, { kind: 'PING', n: 3 }));
    s.runUntil(400);
    expect(got(s, 3).map((g) => g.n)).toEqual([3]);
  });

  it('under any mix of sends, crashes, cuts and loss: FIFO per pair, and once calm the last message gets through', () => {
    const op = fc.oneof(
      fc.record({ send: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })) }),
      fc.record({ crash: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ cut: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 2, max: 3 })) }),
      fc.record({ wait: fc.integer({ min: 1, max: 200 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.integer({ min: 1, max: 1000 }), fc.constantFrom(0, 0.3), (ops, seed, loss) => {
        const s = new Simulator(rx, { seed, nodes: [1, 2, 3].map((id) => ({ id, role: 'voter' }) as NodeSpec), net: { latencyMin: 5, latencyMax: 30, loss }, disk: { latencyMin: 1, latencyMax: 1 } });
        s.start();
        let n = 0;
        let t = 0;
        const last: Record<string, number> = {};
        for (const o of ops) {
          if ('send' in o) {
            const [a, b] = o.send;
            if (a === b || !s.node(a).up || !s.node(b).up) continue;
            as(s, a, (c) => c.send(b, { kind: 'PING', n: ++n }));
            last[`${a}>${b}`] = n;
          } else if ('crash' in o) {
            s.apply({ verb: 'crash', id: o.crash });
            s.apply({ verb: 'restart', id: o.crash });
            for (const k of Object.keys(last)) if (k.startsWith(`${o.crash}>`)) delete last[k];
          } else if ('cut' in o) {
            if (o.cut[0] !== o.cut[1]) s.apply({ verb: 'cut', a: o.cut[0], b: o.cut[1] });
          } else s.runUntil((t += o.wait));
        }
        s.apply({ verb: 'heal' });
        for (const [a, b] of [[1, 2], [1, 3], [2, 3]]) s.apply({ verb: 'mend', a: a!, b: b! });
        // as FastLeaderElection's poll does, each sender sends its last message again: a write
        // on a connection the peer dropped unheard (a crash behind a cut) draws the reset that
        // lets the next one dial
        for (let round = 0; round < 3; round++) {
          for (const [key, m] of Object.entries(last)) {
            const [a, b] = key.split('>').map(Number);
            as(s, a!, (c) => c.send(b!, { kind: 'PING', n: m }));
          }
          s.runUntil((t += 20_000));
        }
        for (const id of [1, 2, 3]) {
          const g = got(s, id);
          for (const from of [1, 2, 3]) {
            const ns = g.filter((x) => x.from === from).map((x) => x.n);
            // FIFO within a connection; a new connection may send the last message again, never an older one
            for (let i = 1; i < ns.length; i++) expect(ns[i]!).toBeGreaterThanOrEqual(ns[i - 1]!);
            const want = last[`${from}>${id}`];
            if (want !== undefined) expect(ns.at(-1)).toBe(want);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
