import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { queueEvents, queueInit, queueNextTime, queuePop, queuePush, queueRemove } from './eventQueue';
import { prngFloat, prngInit } from './prng';
import { Simulator } from './simulator';
import type { Ctx, Message, NodeSpec, Protocol } from './types';

describe('event queue', () => {
  type Ev = { time: number; pri: number; seq: number };
  const key = (e: Ev) => `${e.time}/${e.pri}/${e.seq}`;
  const byOrder = (a: Ev, b: Ev) => a.time - b.time || a.pri - b.pri || a.seq - b.seq;

  it('orders by time, then actions before other events, then insertion order', () => {
    const q = queueInit<Ev>();
    const evs = [
      { time: 5, pri: 1, seq: 1 },
      { time: 3, pri: 1, seq: 2 },
      { time: 5, pri: 0, seq: 3 },
      { time: 5, pri: 1, seq: 0 },
      { time: 1, pri: 1, seq: 4 },
    ];
    for (const e of evs) queuePush(q, e);
    const out = [];
    for (let e = queuePop(q); e; e = queuePop(q)) out.push(key(e));
    expect(out).toEqual(['1/1/4', '3/1/2', '5/0/3', '5/1/0', '5/1/1']);
  });

  it('pops in (time, pri, seq) order under any mix of pushes, pops and removals, and survives a structured clone', () => {
    // whole multiples of the queue's 4096-slot ring away, give or take a little: times that share a slot
    const farDt = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 })).map(([k, d]) => k * 4096 + d);
    const op = fc.oneof(
      fc.record({ push: fc.constant(true), dt: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 300 }), farDt), pri: fc.integer({ min: 0, max: 1 }) }),
      fc.record({ pop: fc.constant(true) }),
      fc.record({ remove: fc.integer({ min: 2, max: 5 }) }),
      fc.record({ clone: fc.constant(true) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        let q = queueInit<Ev>();
        let model: Ev[] = [];
        let now = 0;
        let seq = 0;
        for (const o of ops) {
          if ('push' in o) {
            const e = { time: now + o.dt, pri: o.pri, seq: seq++ };
            queuePush(q, e);
            model.push(e);
          } else if ('pop' in o) {
            model.sort(byOrder);
            const want = model.shift();
            const got = queuePop(q);
            expect(got && key(got)).toBe(want && key(want));
            if (got) now = got.time; // time never runs backwards: pushes are at or after now
          } else if ('remove' in o) {
            queueRemove(q, (e) => e.seq % o.remove === 0);
            model = model.filter((e) => e.seq % o.remove !== 0);
          } else q = structuredClone(q);
          expect(q.size).toBe(model.length);
          expect(queueEvents(q).map(key).sort()).toEqual(model.map(key).sort());
          expect(queueNextTime(q)).toBe(model.length ? Math.min(...model.map((e) => e.time)) : null);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('seeded PRNG', () => {
  it('same seed, same stream; different seeds differ', () => {
    const a = prngInit(42);
    const b = prngInit(42);
    const c = prngInit(43);
    const xs = Array.from({ length: 5 }, () => prngFloat(a));
    expect(Array.from({ length: 5 }, () => prngFloat(b))).toEqual(xs);
    expect(Array.from({ length: 5 }, () => prngFloat(c))).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

/** A toy protocol to test the simulator alone: every node pings its peers and counts replies. */
interface Toy {
  id: number;
  got: { from: number; n: number }[];
  diskResults: string[];
  closed: number[];
  /** the refused flag of each close heard */
  refused?: boolean[];
  conn: number | null;
}
type ToyMsg = Message & { kind: 'PING' | 'DATA'; n: number };
const toy: Protocol<Toy, ToyMsg, { id: number; role: string; state: string }, string> = {
  name: 'toy',
  init(spec: NodeSpec, durable, _ctx: Ctx<ToyMsg, string>) {
    return { id: spec.id, got: [], diskResults: [String(durable.boots ?? 0)], closed: [], conn: null };
  },
  onMessage(s, from, msg) {
    s.got.push({ from, n: msg.n });
  },
  onTimer() {},
  onDisk(s, tag, ok) {
    s.diskResults.push(`${tag}:${ok}`);
  },
  diskLabel: (tag) => tag,
  onClosed(s, conn, _peer, _ctx, refused) {
    s.closed.push(conn);
    (s.refused ??= []).push(refused === true);
  },
  onClient() {},
  isClientTarget: () => false,
  label: (m) => String(m.n),
  view: (s) => ({ id: s.id, role: 'voter', state: 'UP' }),
};

function toySim(seed = 1, latency: [number, number] = [10, 50], loss = 0) {
  const sim = new Simulator(toy, { seed, nodes: [1, 2, 3].map((id) => ({ id, role: 'voter' })), net: { latencyMin: latency[0], latencyMax: latency[1], loss }, disk: { latencyMin: 5, latencyMax: 5 } });
  sim.start();
  return sim;
}

/** Run `fn` with the given node's context, as a handler would. */
function asNode(sim: ReturnType<typeof toySim>, id: number, fn: (ctx: Ctx<ToyMsg, string>) => void) {
  fn((sim as unknown as { ctx(id: number): Ctx<ToyMsg> }).ctx(id));
}

describe('network', () => {
  it('loss loses datagrams; a protocol whose send() rides QuorumCnxManager’s TCP gets them all, later', () => {
    const run = (qcm: boolean) => {
      const sim = new Simulator({ ...toy, ...(qcm ? { quorumCnx: true } : {}) }, { seed: 3, nodes: [1, 2, 3].map((id) => ({ id, role: 'voter' })), net: { latencyMin: 10, latencyMax: 20, loss: 0.5 }, disk: { latencyMin: 5, latencyMax: 5 } });
      sim.start();
      // S2 dials S1 first (the larger sid keeps the connection), so nothing waits in a one-slot queue
      asNode(sim, 2, (ctx) => ctx.send(1, { kind: 'PING', n: -1 }));
      sim.runUntil(10_000);
      asNode(sim, 1, (ctx) => {
        for (let n = 0; n < 40; n++) ctx.send(2, { kind: 'PING', n });
      });
      sim.runUntil(120_000);
      return sim.node(2).state!.got.map((g) => g.n);
    };
    const lossy = run(false);
    expect(lossy.length).toBeGreaterThan(5);
    expect(lossy.length).toBeLessThan(35);
    const tcp = run(true);
    expect(tcp).toEqual(Array.from({ length: 40 }, (_, n) => n)); // all of them, in order
  });

  it('keeps each link FIFO whatever the random latencies', () => {
    const sim = toySim(7, [1, 100]);
    asNode(sim, 1, (ctx) => {
      for (let n = 0; n < 50; n++) ctx.send(2, { kind: 'PING', n });
    });
    sim.runUntil(10_000);
    expect(sim.node(2).state!.got.map((g) => g.n)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('draws latency from the configured range', () => {
    const sim = toySim(3, [20, 30]);
    asNode(sim, 1, (ctx) => ctx.send(2, { kind: 'PING', n: 1 }));
    const f = sim.flights()[0]!;
    expect(f.deliverAt! - f.sentAt).toBeGreaterThanOrEqual(20);
    expect(f.deliverAt! - f.sentAt).toBeLessThanOrEqual(30);
  });

  it('a datagram that cannot get through waits in a one-slot queue and goes out when the peer next reaches us', () => {
    const sim = toySim();
    sim.apply({ verb: 'crash', id: 2 });
    asNode(sim, 1, (ctx) => {
      ctx.send(2, { kind: 'PING', n: 1 });
      ctx.send(2, { kind: 'PING', n: 2 }); // replaces 1 in the queue
    });
    sim.runUntil(500);
    sim.apply({ verb: 'restart', id: 2 });
    sim.runUntil(1000);
    expect(sim.node(2).state!.got).toEqual([]); // nothing until the peer gets in touch
    asNode(sim, 2, (ctx) => ctx.send(1, { kind: 'PING', n: 9 }));
    sim.runUntil(2000);
    expect(sim.node(2).state!.got).toEqual([{ from: 1, n: 2 }]);
  });

  it('a partition loses datagrams across it but not within a group', () => {
    const sim = toySim();
    sim.apply({ verb: 'partition', groups: [[1, 2], [3]] });
    asNode(sim, 1, (ctx) => {
      ctx.send(2, { kind: 'PING', n: 1 });
      ctx.send(3, { kind: 'PING', n: 2 });
    });
    sim.runUntil(1000);
    expect(sim.node(2).state!.got).toHaveLength(1);
    expect(sim.node(3).state!.got).toHaveLength(0);
  });

  it('a stream holds its messages while the link is cut and delivers them, in order, on heal', () => {
    const sim = toySim();
    sim.apply({ verb: 'partition', groups: [[1], [2, 3]] });
    asNode(sim, 1, (ctx) => {
      const c = ctx.connect(2, { kind: 'DATA', n: 0 });
      ctx.sendOn(c, { kind: 'DATA', n: 1 });
    });
    sim.runUntil(5000);
    expect(sim.node(2).state!.got).toHaveLength(0);
    sim.apply({ verb: 'heal' });
    sim.runUntil(6000);
    expect(sim.node(2).state!.got.map((g) => g.n)).toEqual([0, 1]);
  });

  it('a stream stays in order when a cut heals while later segments are still on the wire', () => {
    // segment 0 reaches the cut and is held; 1..9 were sent behind it and are still travelling
    // when the link heals: they must not overtake it (ZAB's followers rely on TCP's order)
    for (let seed = 1; seed <= 20; seed++) {
      const sim = toySim(seed, [5, 60]);
      let conn = 0;
      asNode(sim, 1, (ctx) => {
        conn = ctx.connect(2, { kind: 'DATA', n: 0 });
      });
      sim.apply({ verb: 'cut', a: 1, b: 2 });
      sim.apply({ verb: 'mend', a: 1, b: 2 });
      asNode(sim, 1, (ctx) => {
        for (let n = 1; n < 10; n++) ctx.sendOn(conn, { kind: 'DATA', n });
      });
      sim.apply({ verb: 'cut', a: 1, b: 2 });
      sim.runUntil(sim.now + 30);
      sim.apply({ verb: 'mend', a: 1, b: 2 });
      sim.runUntil(5000);
      expect(sim.node(2).state!.got.map((g) => g.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('loss drops datagrams with the given probability, deterministically per seed', () => {
    const count = (seed: number) => {
      const sim = toySim(seed, [1, 2], 0.3);
      asNode(sim, 1, (ctx) => {
        for (let n = 0; n < 1000; n++) ctx.send(2, { kind: 'PING', n });
      });
      sim.runUntil(100_000);
      return sim.node(2).state!.got.length;
    };
    const a = count(5);
    expect(a).toBeGreaterThan(620);
    expect(a).toBeLessThan(780);
    expect(count(5)).toBe(a);
  });
});

describe('crash, restart and disk', () => {
  it('a crash loses volatile state and keeps what the disk completed; writes in flight are lost', () => {
    const sim = toySim();
    asNode(sim, 1, (ctx) => ctx.persist([{ op: 'set', key: 'boots', value: 1 }], 'a'));
    sim.runUntil(100);
    asNode(sim, 1, (ctx) => ctx.persist([{ op: 'set', key: 'boots', value: 2 }], 'b'));
    sim.apply({ verb: 'crash', id: 1 });
    sim.runUntil(200);
    expect(sim.node(1).up).toBe(false);
    expect(sim.node(1).state).toBeNull();
    sim.apply({ verb: 'restart', id: 1 });
    expect(sim.node(1).state!.diskResults).toEqual(['1']);
  });

  it('disk writes take time, and fail while the disk is failing', () => {
    const sim = toySim();
    sim.apply({ verb: 'diskfail', id: 2 });
    asNode(sim, 2, (ctx) => ctx.persist([{ op: 'set', key: 'x', value: 1 }], 'w'));
    expect(sim.node(2).state!.diskResults).toEqual(['0']);
    sim.runUntil(4);
    expect(sim.node(2).state!.diskResults).toEqual(['0']);
    sim.runUntil(10);
    expect(sim.node(2).state!.diskResults).toEqual(['0', 'w:false']);
    expect(sim.node(2).durable.x).toBeUndefined();
  });

  it('a connect to a dead process, or one the other end refuses, is refused; closing an accepted stream is not', () => {
    const sim = toySim();
    sim.apply({ verb: 'crash', id: 2 });
    let toDead = -1;
    let toLive = -1;
    asNode(sim, 1, (ctx) => {
      toDead = ctx.connect(2, { kind: 'DATA', n: 0 });
      toLive = ctx.connect(3, { kind: 'DATA', n: 0 });
    });
    sim.runUntil(100);
    expect(sim.node(1).state!.closed).toEqual([toDead]);
    expect(sim.node(1).state!.refused).toEqual([true]);
    // node 3 accepted; it closes one stream as refused (nobody listening), the other as a plain close
    let again = -1;
    asNode(sim, 1, (ctx) => void (again = ctx.connect(3, { kind: 'DATA', n: 1 })));
    sim.runUntil(200);
    asNode(sim, 3, (ctx) => {
      ctx.close(toLive);
      ctx.close(again, true);
    });
    sim.runUntil(300);
    const st = sim.node(1).state!;
    const heard = Object.fromEntries(st.closed.map((c, i) => [c, st.refused![i]]));
    expect(heard).toEqual({ [toDead]: true, [toLive]: false, [again]: true });
  });

  it('a stream whose other end died behind a partition is reset by the next write after the heal', () => {
    const sim = toySim();
    let conn = -1;
    asNode(sim, 1, (ctx) => void (conn = ctx.connect(2, { kind: 'DATA', n: 0 })));
    sim.runUntil(100);
    sim.apply({ verb: 'partition', groups: [[1], [2, 3]] });
    sim.apply({ verb: 'crash', id: 2 });
    sim.apply({ verb: 'restart', id: 2 });
    sim.runUntil(200);
    expect(sim.node(1).state!.closed).toEqual([]); // the FIN never came
    sim.apply({ verb: 'heal' });
    sim.runUntil(300);
    expect(sim.node(1).state!.closed).toEqual([]); // nothing tells it yet
    asNode(sim, 1, (ctx) => ctx.sendOn(conn, { kind: 'DATA', n: 1 }));
    sim.runUntil(500);
    expect(sim.node(1).state!.closed).toEqual([conn]);
    expect(sim.node(1).state!.refused).toEqual([false]);
  });

  it('a crashed process resets its streams: the reachable peer hears of it', () => {
    const sim = toySim();
    asNode(sim, 1, (ctx) => {
      ctx.connect(2, { kind: 'DATA', n: 0 });
    });
    sim.runUntil(100);
    sim.apply({ verb: 'crash', id: 1 });
    sim.runUntil(200);
    expect(sim.node(2).state!.closed).toHaveLength(1);
  });

  it("the trace hash sees a message's fields, its receiver, a timer's name and a disk write", () => {
    const run = (f: (ctx: Ctx<ToyMsg>) => void, node = 1) => {
      const sim = toySim(5);
      asNode(sim, node, f);
      sim.runUntil(1000);
      return sim.traceHash();
    };
    const base = run((ctx) => ctx.send(2, { kind: 'DATA', n: 1 }));
    expect(run((ctx) => ctx.send(2, { kind: 'DATA', n: 1 }))).toBe(base);
    expect(run((ctx) => ctx.send(2, { kind: 'DATA', n: 2 }))).not.toBe(base);
    expect(run((ctx) => ctx.send(2, { kind: 'PING', n: 1 }))).not.toBe(base);
    expect(run((ctx) => ctx.send(3, { kind: 'DATA', n: 1 }))).not.toBe(base);
    const timer = run((ctx) => ctx.setTimer('a', 10));
    expect(run((ctx) => ctx.setTimer('b', 10))).not.toBe(timer);
    expect(run((ctx) => ctx.setTimer('a', 10), 2)).not.toBe(timer);
    const write = (ctx: Ctx<ToyMsg, string>) => ctx.persist([{ op: 'set', key: 'x', value: 1 }], 'w');
    expect(run(write, 2)).not.toBe(run(write, 3));
    expect(run((ctx) => ctx.persist([{ op: 'set', key: 'x', value: 1 }], 'w'))).not.toBe(run(() => {}));
    // one packet object sent to two peers (as ZooKeeper's leader broadcasts): its fields are read once, but read
    const shared = (n: number) => (ctx: Ctx<ToyMsg>) => {
      const p = { kind: 'DATA' as const, n };
      ctx.send(2, p);
      ctx.send(3, p);
    };
    expect(run(shared(4))).toBe(run(shared(4)));
    expect(run(shared(4))).not.toBe(run(shared(5)));
  });

  it('a checkpoint restores the exact state: replaying from it gives the same trace', () => {
    const sim = toySim(9, [1, 100], 0.1);
    asNode(sim, 1, (ctx) => {
      for (let n = 0; n < 20; n++) ctx.send(n % 2 ? 2 : 3, { kind: 'PING', n });
    });
    sim.runUntil(30);
    const cp = sim.checkpoint();
    sim.runUntil(10_000);
    const h1 = sim.traceHash();
    sim.restore(cp);
    sim.runUntil(10_000);
    expect(sim.traceHash()).toBe(h1);
  });
});

describe('the step record', () => {
  it('says what each step sent, delivered and touched; sends between steps belong to the next step', () => {
    const sim = toySim(3, [10, 10]);
    sim.log.keepsSent = true;
    // sent before any step (as servers do when they boot): the first step reports it
    asNode(sim, 1, (ctx) => ctx.send(2, { kind: 'PING', n: 7 }));
    asNode(sim, 1, (ctx) => ctx.send(3, { kind: 'PING', n: 8 }));
    expect(sim.lastStep.sent.map((s) => [s.from, s.to, (s.msg as ToyMsg).n])).toEqual([[1, 2, 7], [1, 3, 8]]);
    expect(sim.step()).toBe(true);
    expect(sim.lastStep.delivered?.msg).toMatchObject({ n: 7 });
    expect(sim.lastStep.touched).toBe(2);
    expect(sim.lastStep.sent.map((s) => (s.msg as ToyMsg).n)).toEqual([7, 8]);
    // the next step starts afresh
    sim.step();
    expect(sim.lastStep.touched).toBe(3);
    expect(sim.lastStep.sent).toEqual([]);
    // a timer's step touches its owner and delivers nothing
    asNode(sim, 2, (ctx) => ctx.setTimer('t', 5));
    sim.step();
    expect(sim.lastStep).toMatchObject({ touched: 2, delivered: null });
    // a restored checkpoint forgets the record
    const cp = sim.checkpoint();
    asNode(sim, 3, (ctx) => ctx.send(1, { kind: 'PING', n: 9 }));
    sim.restore(cp);
    expect(sim.lastStep.sent).toEqual([]);
  });

  it('keeps no sends unless asked (a send is the hot path)', () => {
    const sim = toySim(3, [10, 10]);
    asNode(sim, 1, (ctx) => ctx.send(2, { kind: 'PING', n: 7 }));
    sim.step();
    expect(sim.lastStep.keepsSent).toBe(false);
    expect(sim.lastStep.sent).toEqual([]);
    expect(sim.lastStep.touched).toBe(2);
  });
});

describe('a paused process', () => {
  it('runs nothing while paused: messages, timers, disk callbacks and closed streams wait, then come in order', () => {
    const sim = toySim(4, [10, 10]);
    sim.records = [];
    asNode(sim, 2, (ctx) => ctx.setTimer('t', 50));
    asNode(sim, 2, (ctx) => ctx.persist([{ op: 'set', key: 'x', value: 7 }], 'w'));
    sim.apply({ verb: 'pause', id: 2 });
    asNode(sim, 1, (ctx) => ctx.send(2, { kind: 'PING', n: 1 }));
    asNode(sim, 3, (ctx) => ctx.send(2, { kind: 'PING', n: 2 }));
    sim.runUntil(500);
    const s = sim.node(2).state!;
    expect(s.got).toEqual([]);
    expect(s.diskResults).toEqual(['0']);
    // the kernel finished the write: it is on disk, only the process has not heard yet
    expect(sim.node(2).durable.x).toBe(7);
    expect(sim.records.filter((r) => r.node === 2 && (r.type === 'timer' || r.type === 'deliver'))).toEqual([]);
    expect(sim.view(2)).toMatchObject({ up: true, paused: { backlog: 4 } });
    sim.apply({ verb: 'resume', id: 2 });
    sim.runUntil(500);
    expect(s.got.map((g) => g.n)).toEqual([1, 2]);
    expect(s.diskResults).toEqual(['0', 'w:true']);
    // the timer fired late, at the resume
    expect(sim.records.filter((r) => r.node === 2 && r.type === 'timer').map((r) => r.time)).toEqual([500]);
    expect(sim.view(2)).not.toHaveProperty('paused');
  });

  it('a crash while paused discards what waited; the restarted process is not paused', () => {
    const sim = toySim(4, [10, 10]);
    sim.apply({ verb: 'pause', id: 2 });
    asNode(sim, 1, (ctx) => ctx.send(2, { kind: 'PING', n: 1 }));
    sim.runUntil(100);
    sim.apply({ verb: 'crash', id: 2 });
    sim.apply({ verb: 'restart', id: 2 });
    sim.runUntil(200);
    expect(sim.node(2).paused).toBe(false);
    expect(sim.node(2).state!.got).toEqual([]);
    asNode(sim, 1, (ctx) => ctx.send(2, { kind: 'PING', n: 3 }));
    sim.runUntil(300);
    expect(sim.node(2).state!.got.map((g) => g.n)).toEqual([3]);
  });

  it('a checkpoint taken mid-pause replays to the same trace', () => {
    const sim = toySim(6);
    sim.apply({ verb: 'pause', id: 3 });
    asNode(sim, 1, (ctx) => ctx.send(3, { kind: 'PING', n: 1 }));
    sim.runUntil(100);
    const cp = sim.checkpoint();
    const go = () => {
      asNode(sim, 2, (ctx) => ctx.send(3, { kind: 'PING', n: 2 }));
      sim.apply({ verb: 'resume', id: 3 });
      sim.runUntil(400);
      return [sim.traceHash(), sim.node(3).state!.got.map((g) => g.n).join(',')];
    };
    const first = go();
    sim.restore(cp);
    expect(go()).toEqual(first);
    expect(first[1]).toBe('1,2');
  });
});
