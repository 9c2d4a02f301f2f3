/**
 * Synchronization (ZAB phase 2): the leader brings each learner's history level with its own
 * (DIFF, TRUNC or SNAP), then NEWLEADER; a quorum acking NEWLEADER establishes the epoch and
 * UPTODATE lets each learner serve. Q/LearnerHandler.java syncFollower, Q/Leader.java
 * waitForNewLeaderAck and startZkServer, Q/Learner.java syncWithLeader.
 */
import type { QuorumPacket } from './messages';
import { DISK, goLooking } from './peer';
import type { Env, LearnerHandler, ZkServer } from './state';
import { counterOf, makeZxid } from './zxid';
import { startBroadcast } from './broadcast';

// ---- leader side ----------------------------------------------------------------------------

/**
 * syncFollower's decision table, in order. The leader's committedLog holds no transactions
 * until ZAB's broadcast lands, so min and max committed are both its lastProcessedZxid.
 */
export function chooseSync(peerLastZxid: number, lastProcessedZxid: number, minCommitted: number, maxCommitted: number): { mode: 'DIFF' | 'TRUNC' | 'SNAP'; zxid: number } {
  const isPeerNewEpochZxid = counterOf(peerLastZxid) === 0;
  if (peerLastZxid === lastProcessedZxid) return { mode: 'DIFF', zxid: peerLastZxid };
  if (peerLastZxid > maxCommitted && !isPeerNewEpochZxid) return { mode: 'TRUNC', zxid: maxCommitted };
  if (minCommitted <= peerLastZxid && peerLastZxid <= maxCommitted) return { mode: 'DIFF', zxid: maxCommitted };
  return { mode: 'SNAP', zxid: lastProcessedZxid };
}

export function syncFollower(s: ZkServer, env: Env, h: LearnerHandler): void {
  const l = s.leader!;
  const { mode, zxid } = chooseSync(h.peerLastZxid, s.lastZxid, s.lastZxid, s.lastZxid);
  h.syncMode = mode;
  h.stage = 'NEWLEADER';
  env.ctx.sendOn(h.conn, { kind: mode, zxid });
  env.ctx.sendOn(h.conn, { kind: 'NEWLEADER', zxid: makeZxid(l.epoch, 0) });
}

/** currentEpoch is on disk: the leader is in SYNCHRONIZATION and acks NEWLEADER itself. */
export function onLeaderCurrentEpochWritten(s: ZkServer, env: Env, ok: boolean): void {
  const l = s.leader;
  if (!l) return;
  if (!ok) return goLooking(s, env, 'could not write currentEpoch (disk failure)');
  s.currentEpoch = l.epoch;
  s.zabState = 'SYNCHRONIZATION';
  env.ctx.setTimer('leaderWait', env.cfg.timing.initLimit * env.cfg.timing.tickTime);
  waitForNewLeaderAck(s, env, s.id);
}

/** An ACK of NEWLEADER from a learner (or the leader itself). */
export function onNewLeaderAck(s: ZkServer, env: Env, h: LearnerHandler, zxid: number): void {
  const l = s.leader!;
  if (zxid !== makeZxid(l.epoch, 0)) {
    env.ctx.note(`NEWLEADER ACK from ${h.sid} is from a different epoch`);
    return;
  }
  h.stage = 'UPTODATE';
  if (l.established) {
    env.ctx.sendOn(h.conn, { kind: 'UPTODATE' });
    return;
  }
  waitForNewLeaderAck(s, env, h.sid);
}

function waitForNewLeaderAck(s: ZkServer, env: Env, sid: number): void {
  const l = s.leader!;
  if (env.qv.isVoter(sid) && !l.newLeaderAcks.includes(sid)) l.newLeaderAcks.push(sid);
  // the leader serves once a quorum acked NEWLEADER and its own currentEpoch is written
  if (s.currentEpoch === l.epoch && env.qv.containsQuorum(l.newLeaderAcks)) startZkServer(s, env);
}

/** startZkServer: the epoch is established. */
function startZkServer(s: ZkServer, env: Env): void {
  const l = s.leader!;
  l.established = true;
  s.lastZxid = makeZxid(l.epoch, 0);
  // ZOOKEEPER-1732: report the new epoch to servers that join later
  s.currentVote = { ...s.currentVote, peerEpoch: l.epoch };
  s.zabState = 'BROADCAST';
  env.ctx.cancelTimer('leaderWait');
  env.ctx.note(`epoch ${l.epoch} established: NEWLEADER acked by {${l.newLeaderAcks.join(',')}}`);
  for (const h of Object.values(l.handlers)) if (h.stage === 'UPTODATE') env.ctx.sendOn(h.conn, { kind: 'UPTODATE' });
  startBroadcast(s, env);
}

// ---- learner side ---------------------------------------------------------------------------

/** The first packet of synchronization says how we will be brought level. */
export function onSyncMode(s: ZkServer, env: Env, p: Extract<QuorumPacket, { kind: 'DIFF' | 'TRUNC' | 'SNAP' }>): void {
  const ln = s.learner!;
  ln.syncMode = p.kind;
  if (p.kind === 'DIFF') return;
  // TRUNC(z): cut our log back to z. SNAP: take the leader's tree at z. Either way we now stand at z.
  s.lastZxid = p.zxid;
  env.ctx.note(p.kind === 'TRUNC' ? `truncates its log to ${p.zxid}` : `loads the leader's snapshot`);
}

/**
 * NEWLEADER: persist what the sync brought (a snapshot after SNAP), then
 * currentEpoch = the new epoch, and only then ACK (ZOOKEEPER-4646 / -4643 ordering).
 */
export function onNewLeader(s: ZkServer, env: Env, p: Extract<QuorumPacket, { kind: 'NEWLEADER' }>): void {
  const ln = s.learner!;
  const ops = [];
  if (ln.syncMode === 'SNAP') {
    ops.push({ op: 'set' as const, key: DISK.snapshot, value: s.lastZxid });
    ops.push({ op: 'truncate' as const, key: DISK.log, length: 0 });
  }
  ops.push({ op: 'set' as const, key: DISK.currentEpoch, value: ln.newEpoch });
  env.ctx.persist(ops, `learner.newleader:${p.zxid}`);
}

export function onNewLeaderWritten(s: ZkServer, env: Env, ok: boolean, zxid: number): void {
  const ln = s.learner;
  if (!ln || ln.conn === null) return;
  if (!ok) return goLooking(s, env, 'could not write currentEpoch (disk failure)');
  s.currentEpoch = ln.newEpoch;
  ln.newLeaderAcked = true;
  env.ctx.sendOn(ln.conn, { kind: 'ACK', zxid });
}

/** UPTODATE: synchronization is over; serve, and report the new epoch in our vote. */
export function onUpToDate(s: ZkServer, env: Env): void {
  const ln = s.learner!;
  env.ctx.sendOn(ln.conn!, { kind: 'ACK', zxid: makeZxid(ln.newEpoch, 0) });
  s.zabState = 'BROADCAST';
  s.currentVote = { ...s.currentVote, peerEpoch: ln.newEpoch };
  env.ctx.setTimer('leaderSilence', env.cfg.timing.syncLimit * env.cfg.timing.tickTime);
  env.ctx.note(`synced with leader ${ln.leader} (${ln.syncMode}); epoch ${ln.newEpoch}`);
}
