/** The Protocol around the handlers: routing, disk mirroring, labels, views and checkpoints. */
import { describe, expect, it } from 'vitest';
import { Simulator } from '../sim/simulator';
import type { Durable } from '../sim/types';
import { FakeCtx } from '../testing/fakeCtx';
import { diskLabel, type TwoPcDisk } from './state';
import { TwoPcChecker } from './checker';
import { twoPcConfig, twoPcNodes } from './config';
import { labelOf, type TwoPcMessage } from './messages';
import { runUntil, startRun } from './testkit';
import { createTwoPc } from './twopc';

const proto = createTwoPc(twoPcConfig(4));

describe('twoPcNodes and the config', () => {
  it('node 1 coordinates, the rest take part; n ≥ 2', () => {
    expect(twoPcNodes(3)).toEqual([{ id: 1, role: 'coordinator' }, { id: 2, role: 'participant' }, { id: 3, role: 'participant' }]);
    expect(() => twoPcNodes(1)).toThrow();
    expect(twoPcConfig(3)).toMatchObject({ coordinator: 1, participants: [2, 3] });
  });
});

describe('the protocol', () => {
  it('labels messages with their tx', () => {
    const labels = (
      [
        { kind: 'PREPARE', tx: 3 },
        { kind: 'VOTE', tx: 3, vote: 'yes' },
        { kind: 'VOTE', tx: 3, vote: 'no' },
        { kind: 'COMMIT', tx: 3 },
        { kind: 'ABORT', tx: 3 },
        { kind: 'ACK', tx: 3 },
        { kind: 'DECISION_REQ', tx: 3 },
      ] as TwoPcMessage[]
    ).map(labelOf);
    expect(labels).toEqual(['T3', 'T3 yes', 'T3 no', 'T3', 'T3', 'T3', 'T3?']);
  });

  it('only the coordinator takes client writes; a participant refuses and says why', () => {
    const ctx = new FakeCtx<TwoPcMessage, TwoPcDisk>(2);
    const p = proto.init({ id: 2, role: 'participant' }, {}, ctx);
    const c = proto.init({ id: 1, role: 'coordinator' }, {}, new FakeCtx<TwoPcMessage, TwoPcDisk>(1));
    expect(proto.isClientTarget(c)).toBe(true);
    expect(proto.isClientTarget(p)).toBe(false);
    proto.onClient(p, { kind: 'write', reqId: 4 }, ctx);
    expect(ctx.notes).toEqual(['twopc.notCoordinator']);
    expect(ctx.persisted).toEqual([]);
  });

  it('ignores messages from the wrong side (a PREPARE from a participant, a VOTE to a participant)', () => {
    const ctx = new FakeCtx<TwoPcMessage, TwoPcDisk>(2);
    const p = proto.init({ id: 2, role: 'participant' }, {}, ctx);
    proto.onMessage(p, 3, { kind: 'PREPARE', tx: 1 }, null, ctx);
    proto.onMessage(p, 1, { kind: 'VOTE', tx: 1, vote: 'yes' }, null, ctx);
    expect(ctx.persisted).toEqual([]);
    proto.onMessage(p, 1, { kind: 'PREPARE', tx: 1 }, null, ctx);
    expect(ctx.persisted.map((x) => diskLabel(x.then))).toEqual(['vote:PREPARED:1']);
  });

  it('mirrors a completed write in the node state, and a failed one not', () => {
    const ctx = new FakeCtx<TwoPcMessage, TwoPcDisk>(2);
    const p = proto.init({ id: 2, role: 'participant' }, {}, ctx);
    proto.onMessage(p, 1, { kind: 'PREPARE', tx: 1 }, null, ctx);
    proto.onDisk(p, { what: 'vote', record: { tx: 1, rec: 'PREPARED' } }, false, ctx);
    expect(p.log).toEqual([]);
    proto.onMessage(p, 1, { kind: 'PREPARE', tx: 2 }, null, ctx);
    proto.onDisk(p, { what: 'vote', record: { tx: 2, rec: 'PREPARED' } }, true, ctx);
    expect(p.log).toEqual([{ tx: 2, rec: 'PREPARED' }]);
  });

  it('a restarted participant reads its log: still PREPARED, holding the lock', () => {
    const durable: Durable = { log: [{ tx: 1, rec: 'PREPARED' }, { tx: 1, rec: 'COMMIT' }, { tx: 2, rec: 'PREPARED' }] };
    const ctx = new FakeCtx<TwoPcMessage, TwoPcDisk>(2);
    const p = proto.init({ id: 2, role: 'participant' }, durable, ctx);
    expect(proto.view(p, durable)).toMatchObject({
      state: 'PREPARED',
      tx: 2,
      lock: 2,
      logLength: 3,
      face: { lines: ['T2 PREPARED', 'lock T2'], log: [{ label: 'T1', status: 'committed' }, { label: 'T2', status: 'pending' }] },
    });
    expect(ctx.sent).toEqual([{ to: 1, msg: { kind: 'DECISION_REQ', tx: 2 } }]);
  });

  it('views the coordinator: votes, ACKs owed, queue, face', () => {
    const r = startRun({ n: 4, actions: [{ at: 100, action: { verb: 'write', count: 2 } }] });
    const view = () => {
      const v = r.sim.view(1);
      return v.state === 'DOWN' ? 'DOWN' : `${v.state} ${v.face.lines.join(' / ')}`;
    };
    const views: string[] = [view()];
    while (r.sim.now < 1000 && r.sim.step()) {
      views.push(view());
      const v = r.sim.view(1);
      if (v.state === 'WAITING_VOTES' && v.tx === 1) expect(v.queued).toEqual([2]);
      if (v.state === 'COMMITTING' && v.decision) expect(v.awaitingAck).toHaveLength(3 - Number(/ACK (\d)/.exec(v.face.lines[1]!)![1]));
    }
    const seen = [...new Set(views)];
    expect(seen[0]).toBe('IDLE IDLE');
    expect(seen).toContain('WAITING_VOTES T1 PREPARE / votes 0/3');
    expect(seen).toContain('WAITING_VOTES T1 PREPARE / votes 2/3');
    expect(seen).toContain('COMMITTING T1 COMMIT / ACK 1/3');
    expect(views.at(-1)).toBe('IDLE IDLE');
    const v = r.sim.view(1);
    expect(v).toMatchObject({ role: 'coordinator', face: { log: [{ label: 'T1', status: 'committed' }, { label: 'T2', status: 'committed' }] } });
    expect('log' in v && v.log.map((x) => `${x.rec}${x.tx}`)).toEqual(['BEGIN1', 'COMMIT1', 'END1', 'BEGIN2', 'COMMIT2', 'END2']);
  });

  it('face.log keeps the last 12 txs, oldest first', () => {
    const r = startRun({ n: 3, actions: [{ at: 100, action: { verb: 'write', count: 15 } }] });
    runUntil(r, 5000);
    for (const id of [1, 2, 3]) {
      const v = r.sim.view(id);
      expect(v.state === 'DOWN' ? [] : v.face.log.map((x) => x.label)).toEqual(Array.from({ length: 12 }, (_, i) => `T${i + 4}`));
    }
  });

  it('a checkpoint restored mid-run replays to the same trace, logs shared or not', () => {
    const actions = [
      { at: 100, action: { verb: 'rate' as const, perSecond: 5 } },
      { at: 2000, action: { verb: 'crash' as const, id: 1 } },
      { at: 2500, action: { verb: 'restart' as const, id: 1 } },
    ];
    const straight = startRun({ n: 3, seed: 9, actions });
    runUntil(straight, 6000);
    const forked = startRun({ n: 3, seed: 9, actions });
    runUntil(forked, 1500);
    const cp = forked.sim.checkpoint();
    const ccp = forked.checker.checkpoint();
    runUntil(forked, 4000);
    forked.sim.restore(cp);
    forked.checker.restore(ccp);
    runUntil(forked, 6000);
    expect(forked.sim.traceHash()).toBe(straight.sim.traceHash());
    expect(forked.sim.node(2).durable).toEqual(straight.sim.node(2).durable);
    expect(forked.checker.st).toEqual(straight.checker.st);
  });
});

describe('the checker', () => {
  function checkFrom(initial: Record<number, Durable>) {
    const sim = new Simulator(createTwoPc(twoPcConfig(3)), { seed: 1, nodes: twoPcNodes(3), net: { latencyMin: 10, latencyMax: 30, loss: 0 }, disk: { latencyMin: 1, latencyMax: 4 } }, initial);
    const checker = new TwoPcChecker();
    sim.log.keepsSent = true;
    sim.start();
    checker.afterStep(sim);
    return checker;
  }

  it('Atomicity: a tx committed on one disk and aborted on another, crashed or not', () => {
    const c = checkFrom({ 1: { log: [{ tx: 1, rec: 'BEGIN' }, { tx: 1, rec: 'COMMIT' }] }, 2: { log: [{ tx: 1, rec: 'PREPARED' }] }, 3: { log: [{ tx: 1, rec: 'ABORT' }] } });
    const inv = c.violations.map((v) => [v.invariant, v.nodes]);
    expect(inv).toContainEqual(['Atomicity', [1, 3]]);
    expect(inv).toContainEqual(['CommitValidity', [1, 3]]);
  });

  it('CommitValidity: a COMMIT with every participant PREPARED is fine', () => {
    const c = checkFrom({ 1: { log: [{ tx: 1, rec: 'BEGIN' }, { tx: 1, rec: 'COMMIT' }] }, 2: { log: [{ tx: 1, rec: 'PREPARED' }] }, 3: { log: [{ tx: 1, rec: 'PREPARED' }] } });
    expect(c.violations).toEqual([]);
  });

  it('checkpoint() is a copy: later steps do not change it', () => {
    const r = startRun({ n: 3, actions: [{ at: 100, action: { verb: 'write', count: 1 } }] });
    const cp = r.checker.checkpoint();
    runUntil(r, 2000);
    expect(cp.read).toEqual({});
    expect(Object.keys(r.checker.st.read)).toHaveLength(3);
  });
});
