/** Broadcast handlers one by one (Q/Leader.java processAck / tryToCommit, Q/Follower.java). */
import { describe, expect, it } from 'vitest';
import { parseActions } from '../scenario/actionText';
import { defaultScenario } from '../scenario/scenario';
import { buildZabRun, runTo, type ZabRun } from '../scenario/run';
import { onCommit, onLearnerAck, onLeaderTick, processAck, sendProposal } from './broadcast';
import { labelMessages } from '../sim/simulator';
import type { ZkMessage } from './messages';
import type { Env, ZkServer } from './state';
import { ensemble } from './config';
import { QuorumVerifier } from './quorum';
import { FakeCtx } from '../testing/fakeCtx';
import { makeZxid } from './zxid';

/** A 5-voter ensemble with 2 observers, run until server 5 leads epoch 1. */
function established(): ZabRun {
  const r = buildZabRun(defaultScenario({ voters: 5, observers: 2 }));
  runTo(r, 3000);
  return r;
}

function leaderEnv(): { s: ZkServer; env: Env; ctx: FakeCtx<ZkMessage> } {
  const r = established();
  const s = structuredClone(r.sim.node(5).state!);
  const ctx = new FakeCtx<ZkMessage>(5);
  const cfg = ensemble(5, 2);
  return { s, env: { cfg, qv: new QuorumVerifier(cfg.voters), ctx }, ctx };
}

const z = (c: number) => makeZxid(1, c);

describe('leader: processAck and tryToCommit', () => {
  it('commits on a quorum of voter ACKs (the leader\'s own included) and sends COMMIT and INFORM', () => {
    const { s, env, ctx } = leaderEnv();
    const l = s.leader!;
    l.lastProposed = z(1);
    l.outstanding.push({ zxid: z(1), acks: [], logged: true, proposedAt: 0 });
    processAck(s, env, 5, z(1));
    processAck(s, env, 1, z(1));
    expect(l.lastCommitted).toBe(z(0));
    processAck(s, env, 2, z(1));
    expect(l.lastCommitted).toBe(z(1));
    expect(s.history.at(-1)).toBe(z(1));
    const kinds = ctx.streamed.map((m) => m.msg.kind);
    expect(kinds.filter((k) => k === 'COMMIT')).toHaveLength(4); // to followers 1-4
    expect(kinds.filter((k) => k === 'INFORM')).toHaveLength(2); // to observers 6, 7
  });

  it('observers\' ACKs never count toward the quorum', () => {
    const { s, env } = leaderEnv();
    const l = s.leader!;
    l.outstanding.push({ zxid: z(1), acks: [], logged: true, proposedAt: 0 });
    for (const sid of [5, 6, 7, 1]) processAck(s, env, sid, z(1));
    expect(l.lastCommitted).toBe(z(0));
  });

  it('commits strictly in zxid order: a later proposal with a quorum waits for the earlier one', () => {
    const { s, env } = leaderEnv();
    const l = s.leader!;
    l.outstanding.push({ zxid: z(1), acks: [], logged: true, proposedAt: 0 }, { zxid: z(2), acks: [], logged: true, proposedAt: 0 });
    for (const sid of [5, 1, 2]) processAck(s, env, sid, z(2));
    expect(l.lastCommitted).toBe(z(0));
    for (const sid of [5, 1, 2]) processAck(s, env, sid, z(1));
    expect(l.lastCommitted).toBe(z(2));
    expect(s.history.slice(-2)).toEqual([z(1), z(2)]);
  });

  // Leader.processAck's guards. In a run no proposal is ever outstanding under a counter-0 or a
  // committed zxid, so each case plants one: without its guard the ACKs would count for it.
  it('ignores ACKs of counter 0 (NEWLEADER\'s are not proposals\' ACKs)', () => {
    const { s, env } = leaderEnv();
    const l = s.leader!;
    const newleader = makeZxid(2, 0);
    l.outstanding.push({ zxid: newleader, acks: [], logged: true, proposedAt: 0 });
    for (const sid of [5, 1, 2]) processAck(s, env, sid, newleader);
    expect(l.outstanding[0]!.acks).toEqual([]);
    expect(l.lastCommitted).toBe(z(0));
  });

  it('ignores ACKs of a zxid already committed', () => {
    const { s, env } = leaderEnv();
    const l = s.leader!;
    l.lastCommitted = z(2);
    const before = s.history.length;
    l.outstanding.push({ zxid: z(2), acks: [], logged: true, proposedAt: 0 });
    for (const sid of [5, 1, 2]) processAck(s, env, sid, z(2));
    expect(l.outstanding[0]!.acks).toEqual([]);
    expect(s.history).toHaveLength(before); // not applied a second time
  });

  it('ignores ACKs of a zxid it never proposed', () => {
    const { s, env } = leaderEnv();
    const l = s.leader!;
    l.outstanding.push({ zxid: z(3), acks: [], logged: true, proposedAt: 0 });
    expect(() => {
      for (const sid of [5, 1, 2]) processAck(s, env, sid, z(7));
    }).not.toThrow();
    expect(l.outstanding.map((p) => p.acks)).toEqual([[]]);
  });
});

describe('leader: SyncLimitCheck (LearnerHandler)', () => {
  it('times nothing before NEWLEADER is ACKed, then keeps two slots as ZooKeeper does, and drops a learner whose awaited ACK is older than syncLimit', () => {
    const { s, env, ctx } = leaderEnv();
    const h = s.leader!.handlers[1]!;
    const c = h.syncLimitCheck;
    expect(c.started).toBe(true); // server 1 was synced before leaderEnv() returned
    c.started = false;
    c.current = null;
    c.next = null;
    sendProposal(env, h, z(1));
    expect(c.current).toBeNull(); // forwarded during sync: not timed
    c.started = true;
    ctx.now = 100;
    sendProposal(env, h, z(2));
    ctx.now = 200;
    sendProposal(env, h, z(3));
    ctx.now = 300;
    sendProposal(env, h, z(4));
    expect(c).toMatchObject({ current: z(2), currentAt: 100, next: z(4), nextAt: 300 });
    // the awaited ACK moves the check to the latest proposal (not to z(3): ZooKeeper keeps no list)
    onLearnerAck(s, env, h, z(2));
    expect(c).toMatchObject({ current: z(4), currentAt: 300, next: null });
    onLearnerAck(s, env, h, z(3));
    expect(c.current).toBe(z(4));
    // syncLimit (5 ticks of 2 s) after z(4) was sent, the leader's tick drops the learner
    const limit = env.cfg.timing.syncLimit * env.cfg.timing.tickTime;
    ctx.now = 300 + limit;
    onLeaderTick(s, env);
    expect(s.leader!.handlers[1]).toBeDefined();
    ctx.now = 301 + limit;
    onLeaderTick(s, env);
    expect(s.leader!.handlers[1]).toBeUndefined();
    expect(ctx.notes.some((n) => n.startsWith('closesTxnTimeout'))).toBe(true);
  });
});

describe('follower and observer', () => {
  it('a follower ACKs a PROPOSAL only after logging it, and applies it on COMMIT', () => {
    const r = buildZabRun(defaultScenario({ voters: 3, disk: { latencyMin: 50, latencyMax: 50 }, actions: parseActions('3000 write 1') }));
    r.sim.records = [];
    runTo(r, 5000);
    const recs = labelMessages(r.sim.records!, (m: ZkMessage) => r.sim.protocol.label(m));
    const proposalAt1 = recs.find((x) => x.node === 1 && x.type === 'deliver' && x.kind === 'PROPOSAL')!.time;
    const ackFrom1 = recs.find((x) => x.node === 3 && x.type === 'deliver' && x.kind === 'ACK' && x.peer === 1 && x.args.label === '1:1')!;
    const sentAck = recs.find((x) => x.node === 1 && x.type === 'send' && x.kind === 'ACK' && x.args.label === '1:1')!;
    expect(sentAck.time - proposalAt1).toBeGreaterThanOrEqual(50); // the disk write came first
    expect(ackFrom1.time).toBeGreaterThan(sentAck.time);
    expect(r.sim.node(1).state!.history).toEqual([z(1)]);
    expect(r.sim.node(1).durable.log).toEqual([z(1)]);
  });

  it('observers never send ACKs', () => {
    const r = buildZabRun(defaultScenario({ voters: 3, observers: 1, actions: parseActions('3000 write 3') }));
    r.sim.records = [];
    runTo(r, 6000);
    expect(labelMessages(r.sim.records!, (m: ZkMessage) => r.sim.protocol.label(m)).some((x) => x.node === 4 && x.type === 'send' && x.kind === 'ACK' && !/:0$/.test(String(x.args.label)))).toBe(false);
    expect(r.sim.node(4).state!.history).toEqual([z(1), z(2), z(3)]);
  });

  it('an observer restarted under a steady write rate ACKs only NEWLEADER and UPTODATE (counter 0), and catches up', () => {
    // INFORMs arrive while it syncs: 3.8.0 logs them only on a follower at NEWLEADER
    // (Learner.syncWithLeader: `zk instanceof FollowerZooKeeperServer`); an observer commits them at UPTODATE
    const r = buildZabRun(defaultScenario({ voters: 3, observers: 1, actions: parseActions('1000 rate 200; 2000 crash 4; 2500 restart 4; 4000 rate 0') }));
    r.sim.records = [];
    runTo(r, 6000);
    const acks = labelMessages(r.sim.records!, (m: ZkMessage) => r.sim.protocol.label(m)).filter((x) => x.node === 4 && x.type === 'send' && x.kind === 'ACK');
    expect(acks.map((x) => x.args.label)).toEqual(['1:0', '1:0', '1:0', '1:0']); // two syncs: at start and after the restart
    expect(r.sim.node(4).state!.history).toEqual(r.sim.node(3).state!.history);
    expect(r.checker.violations).toEqual([]);
  });

  it('a COMMIT with no txn pending only warns (FollowerZooKeeperServer.commit, 3.8.0): the follower keeps following', () => {
    const r = established();
    const s = structuredClone(r.sim.node(1).state!);
    const ctx = new FakeCtx<ZkMessage>(1);
    const cfg = ensemble(5, 2);
    expect(s.learner!.pendingTxns).toEqual([]);
    onCommit(s, { cfg, qv: new QuorumVerifier(cfg.voters), ctx }, z(9));
    expect(s.state).toBe('FOLLOWING');
    expect(s.learner).not.toBeNull();
    expect(ctx.notes).toEqual(['commitWithoutTxn']);
    expect(s.history).not.toContain(z(9));
  });
});
