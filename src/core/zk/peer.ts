/**
 * QuorumPeer: a server's life between roles. After an election it runs lead(), followLeader()
 * or observeLeader() (zab.ts's startRole); when that role ends, for whatever reason, it goes
 * back to LOOKING (goLooking, here).
 */
import type { Durable, NodeSpec, Note } from '../sim/types';
import { closeAllConnections } from './cnxn';
import { hasBodies } from './datatree';
import { lookForLeader } from './election';
import { DISK, loadDataBase, type SnapshotFile } from './disk';
import type { Env, ZkServer } from './state';
import { epochOf, lastOf, type Zxid } from './zxid';

/**
 * QuorumPeer.start: loadDataBase, then LOOKING. A missing epoch file is created from the
 * epoch of the last logged zxid, as ZooKeeper does on first start.
 */
export function startServer(spec: NodeSpec, d: Durable, env: Env): ZkServer {
  const db = loadDataBase(d);
  const lastZxid = Math.max(db.snapZxid, lastOf(db.history));
  const currentEpoch = (d[DISK.currentEpoch] as number | undefined) ?? epochOf(lastZxid);
  const acceptedEpoch = (d[DISK.acceptedEpoch] as number | undefined) ?? epochOf(lastZxid);
  const voter = env.qv.isVoter(spec.id);
  const s: ZkServer = {
    kind: 'server',
    id: spec.id,
    voter,
    state: 'LOOKING',
    zabState: 'ELECTION',
    acceptedEpoch,
    currentEpoch,
    lastZxid,
    history: db.history,
    log: db.log,
    logFiles: db.logFiles,
    newLogFile: true,
    snapZxid: db.snapZxid,
    committedFrom: db.replayedFrom,
    logCount: 0,
    randRoll: -1,
    unflushed: [],
    currentVote: { leader: spec.id, zxid: lastZxid, electionEpoch: -1, peerEpoch: currentEpoch, state: 'LOOKING' },
    election: {
      logicalclock: 0,
      proposedLeader: spec.id,
      proposedZxid: lastZxid,
      proposedEpoch: currentEpoch,
      recvset: {},
      outofelection: {},
      notTimeout: env.cfg.timing.minNotificationInterval,
      finalizing: false,
    },
    leader: null,
    learner: null,
    lastReason: null,
    lastSync: null,
    bodies: db.bodies,
    cnxns: {},
    // SessionTrackerImpl.initializeNextSessionId starts from the clock: ids stay unique across restarts
    nextSession: env.ctx.now * 16 + 1,
  };
  // loadDataBase writes a missing epoch file at once, from the last logged zxid's epoch
  const missing = [];
  if (d[DISK.acceptedEpoch] === undefined) missing.push({ op: 'set' as const, key: DISK.acceptedEpoch, value: acceptedEpoch });
  if (d[DISK.currentEpoch] === undefined) missing.push({ op: 'set' as const, key: DISK.currentEpoch, value: currentEpoch });
  if (missing.length) env.ctx.persist(missing, { kind: 'startup.epochs' });
  lookForLeader(s, env);
  return s;
}

/**
 * How a role ends, for what happens to the tree in memory:
 * - `shutdown`: the role's ZooKeeperServer is shut down (ZooKeeperServer.shutdown): the tree is
 *   fast-forwarded from the txn log, unless a SNAP sync was cut short (below).
 * - `errored`: SyncRequestProcessor, a ZooKeeperCriticalThread, died on a failed log write and
 *   set the server to ERROR (ZooKeeperServerListenerImpl.notifyStopping); the process goes on.
 *   What it queued behind the failed write is never written, and the tree keeps every txn it
 *   applied, logged or not: ZOOKEEPER-4882, open in every release to 3.9.5.
 * - `exit`: ServiceUtils.requestSystemExit (a failed snapshot or TRUNC). The model restarts the
 *   server at once from its disk, as a supervisor would.
 */
export type RoleEnd = 'shutdown' | 'errored' | 'exit';

/**
 * ZooKeeperServer.shutdown flushes the txn log and fast-forwards the tree from it: proposals this
 * server logged but never saw committed are in its tree, and its vote, when it looks again.
 */
function fastForwardFromLog(s: ZkServer, flushes: boolean): void {
  // shutting down the sync processor flushes its queue first; a 3.8 learner's is never shut
  // down (ZOOKEEPER-4712): what it still holds is missing from the tree and the vote, and the
  // orphaned thread may write it to the log afterwards (onTxnLogged)
  const last = lastOf(s.history, s.snapZxid);
  for (const z of flushes ? [...s.log, ...s.unflushed] : s.log) if (z > lastOf(s.history, last)) s.history.push(z);
  s.lastZxid = Math.max(s.lastZxid, lastOf(s.history, s.snapZxid));
}

/**
 * The tree as the disk holds it: the snapshot and the log after it. Txns applied in memory but
 * never logged (a follower applies a COMMIT before its own fsync), or a leader's tree a SNAP
 * brought that never reached the disk, are gone, and the server reports the zxid its disk holds.
 */
function reloadFromDisk(s: ZkServer): void {
  const snap = s.history.filter((z) => z <= s.snapZxid);
  const tree = [...snap, ...s.log.filter((z) => z > s.snapZxid)];
  s.history = tree;
  s.committedFrom = snap.length;
  s.lastZxid = lastOf(tree, s.snapZxid);
  s.unflushed = [];
}

/** What the role's end leaves in memory (see RoleEnd). */
function shutdownServer(s: ZkServer, env: Env, how: RoleEnd): void {
  if (how === 'exit') return reloadFromDisk(s);
  // Learner.shutdown: zk.shutdown(syncMode == SNAP) clears the database while a SNAP sync is
  // unfinished (the mode is reset at NEWLEADER); the next vote reloads it from disk
  if (s.learner?.syncMode === 'SNAP' && !s.learner.newLeaderSeen) return reloadFromDisk(s);
  // ZooKeeperServer.shutdown does nothing unless the server is RUNNING or in ERROR (canShutdown):
  // a leader before startZkServer, a learner before UPTODATE keep their tree as it is, and their
  // vote leaves out what they logged meanwhile (the sync's txns included)
  const running = how === 'errored' || (s.state === 'LEADING' ? s.leader?.established === true : s.zabState === 'BROADCAST');
  if (!running) return;
  // a dead sync thread flushes nothing; otherwise a leader's SyncRequestProcessor is in its
  // processor chain and shut down with it, a learner's only from 3.9.3 on
  const flushes = how === 'shutdown' && (s.state === 'LEADING' || env.cfg.rules.learnerShutdownFlushes);
  fastForwardFromLog(s, flushes);
}

/**
 * The role ended (lost quorum, leader gone, timeout, protocol error, a failed write): shut it
 * down, closing every quorum connection, and start a new election. An observer first waits a
 * random delay (zookeeper.observer.election.DelayMs) so that observers do not stampede the new leader.
 */
export function goLooking(s: ZkServer, env: Env, reason: Note, how: RoleEnd = 'shutdown'): void {
  const { ctx } = env;
  shutdownServer(s, env, how);
  closeAllConnections(s, env);
  if (s.leader) for (const h of Object.values(s.leader.handlers)) ctx.close(h.conn);
  if (s.learner?.conn != null) ctx.close(s.learner.conn);
  s.leader = null;
  s.learner = null;
  for (const t of ['leaderWait', 'tick', 'leaderSilence', 'connectRetry']) ctx.cancelTimer(t);
  s.state = 'LOOKING';
  s.zabState = 'ELECTION';
  s.lastReason = reason;
  ctx.note('goesLooking', { reason: reason.code, ...reason.args });
  if (!s.voter) {
    ctx.setTimer('observerDelay', Math.floor(ctx.random() * env.cfg.timing.observerElectionDelay));
    return;
  }
  lookForLeader(s, env);
}

/**
 * A snapshot is on disk (Leader.lead's, or SyncRequestProcessor's), or failed: takeSnapshot exits
 * the process on an IOException ("Severe unrecoverable error, exiting").
 */
export function onSnapshotWritten(s: ZkServer, env: Env, ok: boolean, zxid: Zxid): void {
  if (ok) s.snapZxid = Math.max(s.snapZxid, zxid);
  else goLooking(s, env, { code: 'snapshotFailed' }, 'exit');
}

/** ZooKeeperServer.takeSnapshot: the whole tree, as it is now, to the snapshot file. */
export function takeSnapshot(s: ZkServer, env: Env): void {
  const zxid = lastOf(s.history, s.snapZxid);
  env.ctx.persist([{ op: 'set', key: DISK.snapshot, value: snapshotFile(s, zxid) }], { kind: 'snapshot', zxid });
}

/** The snapshot file of the tree as it is now (bodies only when some txn has one: a bare run's snapshot stays small). */
export function snapshotFile(s: ZkServer, zxid: Zxid): SnapshotFile {
  if (hasBodies(s)) return { zxid, history: [...s.history], bodies: { ...s.bodies } };
  return { zxid, history: [...s.history] };
}
