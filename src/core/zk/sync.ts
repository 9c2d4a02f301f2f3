/**
 * Synchronization (ZAB phase 2): the leader brings each learner's history level with its own
 * (DIFF, TRUNC or SNAP), then NEWLEADER; a quorum acking NEWLEADER establishes the epoch and
 * UPTODATE lets each learner serve. Q/LearnerHandler.java syncFollower / queueCommittedProposals,
 * Q/Leader.java startForwarding, waitForNewLeaderAck, startZkServer; Q/Learner.java syncWithLeader.
 */
import type { DiskOp } from '../sim/types';
import type { QuorumPacket } from './messages';
import { bodyOf, hasBodies, setBody, type Txn } from './datatree';
import { DISK } from './disk';
import { goLooking, snapshotFile } from './peer';
import { applyTxn, commitPending, committedLog } from './tree';
import { quorumNow } from './quorum';
import type { Env, LearnerHandler, ZkDisk, ZkServer } from './state';
import { counterOf, epochOf, lastOf, makeZxid, zxidHex, type Zxid } from './zxid';
import { appendToLog, armReadTimeout, logOps, logProposal, newLogFile, proposalOf, sendProposal, startBroadcast, startSessionTracker } from './broadcast';

// ---- leader side ----------------------------------------------------------------------------

export type SyncPlan = { mode: 'DIFF' | 'TRUNC' | 'SNAP'; zxid: Zxid; proposals: Zxid[] };

/**
 * syncFollower's decision, in ZooKeeper's order. `committed` is the leader's committedLog (its
 * last commitLogCount committed txns); `txnLog` is what its on-disk log can still replay.
 */
export function planSync(peerLastZxid: Zxid, lastProcessedZxid: Zxid, committed: Zxid[], txnLog: Zxid[]): SyncPlan {
  const isPeerNewEpochZxid = counterOf(peerLastZxid) === 0;
  const minCommitted = committed.length ? committed[0]! : lastProcessedZxid;
  const maxCommitted = committed.length ? lastOf(committed) : lastProcessedZxid;
  const snap: SyncPlan = { mode: 'SNAP', zxid: lastProcessedZxid, proposals: [] };
  if (peerLastZxid === lastProcessedZxid) return { mode: 'DIFF', zxid: peerLastZxid, proposals: [] };
  if (peerLastZxid > maxCommitted && !isPeerNewEpochZxid) return { mode: 'TRUNC', zxid: maxCommitted, proposals: [] };
  if (minCommitted <= peerLastZxid && peerLastZxid <= maxCommitted) return walk(peerLastZxid, committed, maxCommitted) ?? snap;
  // older than committedLog: replay the txn log up to minCommittedLog (inclusive), then the
  // committedLog after what that queued; a gap between the two means SNAP. Only older: an
  // epoch-start zxid past maxCommittedLog (a leader that logged nothing in its epoch) gets a SNAP
  if (peerLastZxid < minCommitted && txnLog.length && txnLog[0]! <= peerLastZxid) {
    const plan = walk(peerLastZxid, txnLog.filter((z) => z <= minCommitted), maxCommitted);
    if (!plan) return snap;
    const queued = plan.proposals.length ? lastOf(plan.proposals) : peerLastZxid;
    if (queued < minCommitted) return snap; // "Detected gap between end of txnlog … and start of committedLog"
    plan.proposals.push(...committed.filter((z) => z > queued));
    return plan;
  }
  return snap;
}

/** A SNAP's bodies: those of the leader's txns, when any has one. */
function withBodies(s: ZkServer): { bodies?: Record<number, Txn> } {
  if (hasBodies(s)) return { bodies: { ...s.bodies } };
  return {};
}

/** queueCommittedProposals: DIFF from the peer's zxid, or TRUNC its extra tail; null means SNAP. */
function walk(peerLastZxid: Zxid, entries: Zxid[], maxCommitted: Zxid): SyncPlan | null {
  const isPeerNewEpochZxid = counterOf(peerLastZxid) === 0;
  let prev = -1;
  let plan: SyncPlan | null = null;
  for (const z of entries) {
    if (z < peerLastZxid) {
      prev = z;
      continue;
    }
    if (!plan) {
      if (z === peerLastZxid) {
        plan = { mode: 'DIFF', zxid: maxCommitted, proposals: [] };
        prev = z;
        continue;
      }
      if (isPeerNewEpochZxid) plan = { mode: 'DIFF', zxid: maxCommitted, proposals: [] };
      else {
        // the peer has txns we lack: cut them, but never across an epoch boundary
        if (epochOf(z) !== epochOf(peerLastZxid)) return null;
        plan = { mode: 'TRUNC', zxid: prev, proposals: [] };
      }
    }
    plan.proposals.push(z);
    prev = z;
  }
  return plan ?? { mode: 'DIFF', zxid: maxCommitted, proposals: [] };
}

/**
 * ZKDatabase.getProposalsFromTxnLog: can the txn log replay what a learner older than the
 * committedLog misses? Only if the file holding its zxid starts at or before it ("Unable to find
 * proposals from txnlog") and the files after that one weigh no more than snapshotSizeFactor
 * (0.33) × the newest snapshot. FileTxnIterator.getStorageSize counts only the files after the
 * one it opened, so when the learner's zxid is in the newest file the check always passes; each
 * newer file is preallocated (64 MiB by default), far more than a third of a small snapshot (the
 * model counts ~100 bytes a txn). Read at release-3.8.0-1; the conformance suite's real leader
 * replays its log this way ("Use txnlog and committedLog").
 */
const TXN_LOG_FILE_BYTES = 64 * 2 ** 20;
const SNAPSHOT_SIZE_FACTOR = 0.33;
const SNAPSHOT_BYTES_PER_TXN = 100;
function txnLogServes(s: ZkServer, peerLastZxid: Zxid): boolean {
  let held = s.logFiles.length - 1;
  while (held >= 0 && s.logFiles[held]! > peerLastZxid) held--;
  if (held < 0) return false;
  const newer = s.logFiles.length - 1 - held;
  return newer * TXN_LOG_FILE_BYTES <= s.history.length * SNAPSHOT_BYTES_PER_TXN * SNAPSHOT_SIZE_FACTOR;
}

export function syncFollower(s: ZkServer, env: Env, h: LearnerHandler): void {
  const l = s.leader!;
  const committed = committedLog(s, env.cfg.timing.commitLogCount);
  let plan = planSync(h.peerLastZxid, s.lastZxid, committed, txnLogServes(s, h.peerLastZxid) ? s.log : []);
  // ablation noTrunc: drops LearnerHandler.syncFollower's TRUNC (the learner keeps the tail the leader lacks)
  if (plan.mode === 'TRUNC' && env.cfg.ablations?.noTrunc) plan = { ...plan, mode: 'DIFF' };
  h.syncMode = plan.mode;
  h.stage = 'NEWLEADER';
  const { ctx } = env;
  if (plan.mode === 'SNAP') ctx.sendOn(h.conn, { kind: 'SNAP', zxid: plan.zxid, history: [...s.history], ...withBodies(s) });
  else ctx.sendOn(h.conn, { kind: plan.mode, zxid: plan.zxid });
  for (const z of plan.proposals) {
    const txn = bodyOf(s, z);
    ctx.sendOn(h.conn, txn ? { kind: 'PROPOSAL', zxid: z, txn } : { kind: 'PROPOSAL', zxid: z });
    ctx.sendOn(h.conn, { kind: 'COMMIT', zxid: z });
  }
  // startForwarding: a participant also gets the proposals still in flight, then every new one
  if (!h.observer) for (const p of l.outstanding) sendProposal(env, h, p.zxid, proposalOf(s, p.zxid));
  ctx.sendOn(h.conn, { kind: 'NEWLEADER', zxid: makeZxid(l.epoch, 0) });
  ctx.note('syncs', { sid: h.sid, mode: plan.mode, n: plan.proposals.length });
}

/** currentEpoch is on disk: the leader is in SYNCHRONIZATION and acks NEWLEADER itself. */
export function onLeaderCurrentEpochWritten(s: ZkServer, env: Env, ok: boolean): void {
  const l = s.leader;
  if (!l) return;
  if (!ok) return goLooking(s, env, { code: 'currentEpochWriteFailed' });
  s.currentEpoch = l.epoch;
  s.zabState = 'SYNCHRONIZATION';
  env.ctx.setTimer('leaderWait', env.cfg.timing.initLimit * env.cfg.timing.tickTime);
  waitForNewLeaderAck(s, env, s.id);
}

/** An ACK of NEWLEADER from a learner. */
export function onNewLeaderAck(s: ZkServer, env: Env, h: LearnerHandler, zxid: number): void {
  const l = s.leader!;
  if (zxid !== makeZxid(l.epoch, 0)) return; // an ACK of a proposal sent during sync
  h.stage = 'UPTODATE';
  h.syncLimitCheck.started = true;
  armReadTimeout(env, h); // its read timeout is syncLimit from now on
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
  if (s.currentEpoch === l.epoch && quorumNow(env).containsQuorum(l.newLeaderAcks)) startZkServer(s, env);
}

/** startZkServer: the epoch is established. */
function startZkServer(s: ZkServer, env: Env): void {
  const l = s.leader!;
  l.established = true;
  s.lastZxid = Math.max(s.lastZxid, l.lastProposed);
  l.lastCommitted = l.lastProposed;
  // ZOOKEEPER-1732: report the new epoch to servers that join later
  s.currentVote = { ...s.currentVote, peerEpoch: l.epoch };
  s.zabState = 'BROADCAST';
  env.ctx.cancelTimer('leaderWait');
  env.ctx.note('established', { epoch: l.epoch, ids: l.newLeaderAcks.join(',') });
  startSessionTracker(s, env);
  for (const h of Object.values(l.handlers)) if (h.stage === 'UPTODATE') env.ctx.sendOn(h.conn, { kind: 'UPTODATE' });
  startBroadcast(s, env);
}

// ---- learner side ---------------------------------------------------------------------------

/** The first packet of synchronization says how we will be brought level. */
export function onSyncMode(s: ZkServer, env: Env, p: Extract<QuorumPacket, { kind: 'DIFF' | 'TRUNC' | 'SNAP' }>): void {
  const ln = s.learner!;
  ln.syncMode = p.kind;
  s.lastSync = { mode: p.kind, zxid: p.zxid, leader: ln.leader };
  if (p.kind === 'DIFF') return;
  ln.snapshotNeeded = true;
  if (p.kind === 'SNAP') {
    // load the leader's tree (ZKDatabase.deserializeSnapshot clears the committedLog); our own
    // log is superseded by the snapshot taken at NEWLEADER
    s.history = [...p.history];
    if (p.bodies) s.bodies = { ...s.bodies, ...p.bodies };
    s.committedFrom = s.history.length;
    s.lastZxid = p.zxid;
    env.ctx.note('loadsSnapshot', { zxid: zxidHex(p.zxid), n: p.history.length });
    return;
  }
  // TRUNC(z): cut the log back to z and reload the tree from it
  const keep = s.log.filter((z) => z <= p.zxid).length;
  s.history = s.history.filter((z) => z <= p.zxid);
  // ZKDatabase.truncateLog: clear, then loadDataBase; the committedLog is the log after the snapshot
  s.committedFrom = s.history.filter((z) => z <= s.snapZxid).length;
  s.lastZxid = p.zxid;
  // FileTxnLog.truncate deletes the files after the one holding the zxid; truncateLog reopens the log
  s.logFiles = s.logFiles.filter((z) => z <= p.zxid);
  s.newLogFile = true;
  env.ctx.persist([{ op: 'truncate', key: DISK.log, length: keep }, { op: 'set', key: DISK.logFiles, value: [...s.logFiles] }], { kind: 'trunc', cut: s.log.splice(keep) });
  env.ctx.note('truncates', { zxid: zxidHex(p.zxid) });
}

/**
 * The TRUNC's cut is on disk, or failed: ZKDatabase.truncateLog returned false and syncWithLeader
 * exits the process ("Not able to truncate the log"), which restarts with its log uncut.
 */
export function onTruncWritten(s: ZkServer, env: Env, ok: boolean, w: Extract<ZkDisk, { kind: 'trunc' }>): void {
  if (ok) return;
  s.log.push(...w.cut);
  goLooking(s, env, { code: 'truncFailed' }, 'exit');
}

/** A PROPOSAL during sync: kept until NEWLEADER (zxids must be contiguous within an epoch). */
export function onSyncProposal(s: ZkServer, env: Env, zxid: Zxid, txn?: Txn): void {
  const ln = s.learner!;
  if (txn) setBody(s, zxid, txn);
  ln.packetsNotLogged.push(zxid);
  void env;
}

/**
 * A COMMIT during sync. Before NEWLEADER, after SNAP or TRUNC, it is applied to the tree at once
 * (the snapshot at NEWLEADER makes it durable); otherwise it waits for UPTODATE. "Before" means
 * before NEWLEADER is received, not before its write is done: syncWithLeader reads no packet
 * while it takes the snapshot, and sets writeToTxnLog as it finishes handling NEWLEADER.
 */
export function onSyncCommit(s: ZkServer, env: Env, zxid: Zxid): void {
  const ln = s.learner!;
  // ZOOKEEPER-4394 (before 3.9.3): NEWLEADER handed every proposal to the log and emptied
  // packetsNotCommitted, so a COMMIT before UPTODATE peeks at nothing: a NullPointerException in
  // syncWithLeader ends the follower's role (observers get INFORMs, and keep their packets)
  if (ln.newLeaderSeen && s.voter && !env.cfg.rules.newLeaderCommittedOnly && ln.packetsNotLogged.length === 0) {
    if (!ln.newLeaderAcked) return void (ln.nullPointerAt ??= zxid);
    return goLooking(s, env, { code: 'syncNullPointer', args: { zxid: zxidHex(zxid) } });
  }
  if (ln.snapshotNeeded && !ln.newLeaderSeen && ln.packetsNotLogged[0] === zxid) {
    ln.packetsNotLogged.shift();
    applyTxn(s, zxid);
    // zk.processTxn(hdr, txn) goes around the request pipeline: not into the committedLog
    s.committedFrom = s.history.length;
    return;
  }
  ln.packetsCommitted.push(zxid);
  void env;
}

/**
 * NEWLEADER: take the snapshot if the tree was rebuilt, make the sync's txns durable, write
 * currentEpoch = the new epoch, and ACK. The order is the release's (zk/release.ts):
 * - 3.8.0 (before ZOOKEEPER-4785): currentEpoch first; the proposals are handed to the txn log
 *   asynchronously and NEWLEADER is ACKed at once, before they are on disk (ZOOKEEPER-4646);
 *   each proposal is ACKed when it is flushed.
 * - 3.8.5 (ZOOKEEPER-4785): the proposals are fsynced, then currentEpoch, then the ACK; their own
 *   ACKs wait for UPTODATE.
 * - 3.9.3+ (ZOOKEEPER-4394): only the txns committed during sync are logged and applied here; the
 *   proposals still outstanding wait for UPTODATE, and no synced txn is ACKed.
 * Only a follower logs here (`zk instanceof FollowerZooKeeperServer`): an observer keeps what it
 * received for UPTODATE, and so never ACKs a proposal.
 */
export function onNewLeader(s: ZkServer, env: Env, p: Extract<QuorumPacket, { kind: 'NEWLEADER' }>): void {
  const ln = s.learner!;
  const rules = env.cfg.rules;
  ln.newLeaderSeen = true;
  // Learner.syncWithLeader: from NEWLEADER on, the socket read timeout is syncLimit, not initLimit
  ln.readLimit = 'syncLimit';
  env.ctx.setTimer('leaderSilence', env.cfg.timing.syncLimit * env.cfg.timing.tickTime);
  const ops: DiskOp[] = [];
  if (ln.snapshotNeeded) {
    ops.push({ op: 'set', key: DISK.snapshot, value: snapshotFile(s, s.lastZxid) });
    // after SNAP our old log is superseded (a simplification: ZooKeeper keeps the files but
    // replays only txns newer than the snapshot); after TRUNC the cut log stays
    if (ln.syncMode === 'SNAP') {
      ops.push({ op: 'truncate', key: DISK.log, length: 0 }, { op: 'set', key: DISK.logFiles, value: [] });
      s.logFiles = [];
      s.newLogFile = true;
    }
  }
  let logged: Zxid[] = [];
  let logAfter: Zxid[] = [];
  if (s.voter && rules.newLeaderCommittedOnly) {
    // the committed ones are logged and applied now; the outstanding stay for UPTODATE
    const committed = new Set(ln.packetsCommitted);
    logged = ln.packetsNotLogged.filter((z) => committed.has(z));
    ln.packetsNotLogged = ln.packetsNotLogged.filter((z) => !committed.has(z));
    ln.packetsCommitted = ln.packetsCommitted.filter((z) => !logged.includes(z));
    for (const z of logged) applyTxn(s, z);
  } else if (s.voter) {
    const toLog = ln.packetsNotLogged.splice(0);
    ln.pendingTxns.push(...toLog);
    if (rules.newLeaderPersistsFirst) logged = toLog;
    else logAfter = toLog;
  }
  if (logged.length) ops.push(...logOps(s, logged), ...newLogFile(s, logged[0]!));
  ops.push({ op: 'set', key: DISK.currentEpoch, value: ln.newEpoch });
  env.ctx.persist(ops, { kind: 'learner.newleader', zxid: p.zxid, snapshot: ln.snapshotNeeded, snapAt: s.lastZxid, replacesLog: ln.snapshotNeeded && ln.syncMode === 'SNAP', epoch: ln.newEpoch, logged, logAfter });
}

export function onNewLeaderWritten(s: ZkServer, env: Env, ok: boolean, w: Extract<ZkDisk, { kind: 'learner.newleader' }>): void {
  const ln = s.learner;
  // a failed snapshot exits the process (ZooKeeperServer.takeSnapshot), whatever the role is doing
  if (!ok && w.snapshot) return goLooking(s, env, { code: 'newLeaderWriteFailed' }, 'exit');
  if (ok) {
    // ZooKeeper writes these synchronously while handling NEWLEADER: they are on disk (and its
    // in-memory mirrors say so) even if the role has ended meanwhile
    if (w.snapshot) s.snapZxid = w.snapAt;
    if (w.replacesLog) s.log = [];
    for (const z of w.logged) if (z > lastOf(s.log, -1)) s.log.push(z);
    s.currentEpoch = w.epoch;
  }
  if (!ln || ln.conn === null) return;
  if (!ok) return goLooking(s, env, { code: 'newLeaderWriteFailed' });
  ln.newLeaderAcked = true;
  // 3.8.0: logRequest for each proposal, then the NEWLEADER ACK without waiting for the disk
  for (const z of w.logAfter) appendToLog(s, env, z);
  env.ctx.sendOn(ln.conn, { kind: 'ACK', zxid: w.zxid });
  if (ln.nullPointerAt !== null) goLooking(s, env, { code: 'syncNullPointer', args: { zxid: zxidHex(ln.nullPointerAt) } });
}

/**
 * UPTODATE: serve. Log what arrived after NEWLEADER, commit what was committed during sync, and
 * (ZOOKEEPER-4785, 3.8.5 to 3.9.2) ACK the proposals logged at NEWLEADER only now; 3.8.0 ACKed
 * each as it was flushed, 3.9.3+ logged only committed txns there and ACKs none of them.
 */
export function onUpToDate(s: ZkServer, env: Env): void {
  const ln = s.learner!;
  env.ctx.sendOn(ln.conn!, { kind: 'ACK', zxid: makeZxid(ln.newEpoch, 0) });
  s.zabState = 'BROADCAST';
  s.currentVote = { ...s.currentVote, peerEpoch: ln.newEpoch };
  env.ctx.setTimer('leaderSilence', env.cfg.timing.syncLimit * env.cfg.timing.tickTime);
  const loggedAtNewLeader = [...ln.pendingTxns];
  for (const z of ln.packetsNotLogged.splice(0)) logProposal(s, env, z);
  for (const z of ln.packetsCommitted.splice(0)) commitPending(s, env, z);
  if (s.state === 'LOOKING') return;
  const rules = env.cfg.rules;
  if (rules.newLeaderPersistsFirst && !rules.newLeaderCommittedOnly) for (const z of loggedAtNewLeader) env.ctx.sendOn(ln.conn!, { kind: 'ACK', zxid: z });
  env.ctx.note('synced', { leader: ln.leader, mode: ln.syncMode ?? '', epoch: ln.newEpoch });
}
