/**
 * Broadcast (ZAB phase 3). For now: the leader's tick loop, with PINGs keeping learners alive
 * and the quorum check that makes a leader without enough synced followers step down.
 * Q/Leader.java lead() loop, Q/LearnerHandler.java ping / synced, Q/Follower.java PING.
 */
import { goLooking } from './peer';
import type { Env, LearnerHandler, ZkServer } from './state';
import { makeZxid } from './zxid';

export function startBroadcast(_s: ZkServer, env: Env): void {
  env.ctx.setTimer('tick', env.cfg.timing.tickTime / 2);
}

/**
 * The leader wakes every tickTime/2. On every other wake-up it advances its tick and checks that
 * itself plus the learners heard from within syncLimit ticks still form a quorum of voters.
 * Then it PINGs every learner that has been sent NEWLEADER.
 */
export function onLeaderTick(s: ZkServer, env: Env): void {
  const l = s.leader;
  if (!l || !l.established) return;
  if (!l.tickSkip) l.tick++;
  const synced = [s.id, ...Object.values(l.handlers).filter((h) => synced_(l.tick, h)).map((h) => h.sid)];
  if (!l.tickSkip && !env.qv.containsQuorum(synced)) {
    return goLooking(s, env, `not sufficient followers synced, only synced with sids: [${synced.join(',')}]`);
  }
  l.tickSkip = !l.tickSkip;
  for (const h of Object.values(l.handlers)) {
    if (h.stage === 'NEWLEADER' || h.stage === 'UPTODATE') env.ctx.sendOn(h.conn, { kind: 'PING', zxid: lastProposed(s) });
  }
  env.ctx.setTimer('tick', env.cfg.timing.tickTime / 2);
}

function synced_(tick: number, h: LearnerHandler): boolean {
  return tick <= h.tickOfNextAckDeadline;
}

export function lastProposed(s: ZkServer): number {
  return makeZxid(s.leader!.epoch, 0);
}

/** Any packet from a learner proves it alive: its deadline moves to tick + syncLimit. */
export function touchLearner(s: ZkServer, env: Env, h: LearnerHandler): void {
  h.tickOfNextAckDeadline = s.leader!.tick + env.cfg.timing.syncLimit;
}

/** A learner answers the leader's PING (with its session touches, in ZooKeeper). */
export function onPing(s: ZkServer, env: Env, zxid: number): void {
  const ln = s.learner!;
  if (s.zabState !== 'BROADCAST') return; // during sync a PING only proves the leader alive
  env.ctx.sendOn(ln.conn!, { kind: 'PING', zxid });
}
