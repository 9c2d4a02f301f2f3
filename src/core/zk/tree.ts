/**
 * The data tree: applying a committed txn, and a learner committing the txn it holds pending
 * (FollowerZooKeeperServer.commit). Sync and broadcast both commit; neither needs the other to.
 */
import type { Env, ZkServer } from './state';
import { goLooking } from './peer';
import { lastOf, zxidHex, type Zxid } from './zxid';

/** Apply a committed txn to the data tree. */
export function applyTxn(s: ZkServer, zxid: Zxid): void {
  if (zxid <= lastOf(s.history, s.snapZxid)) return;
  s.history.push(zxid);
  s.lastZxid = Math.max(s.lastZxid, zxid);
}

/**
 * FollowerZooKeeperServer.commit: with nothing pending, a COMMIT only logs a warning ("Committing
 * … without seeing txn"); otherwise it must match the oldest pending txn, and anything else is
 * fatal in ZooKeeper (the process exits), here the server restarts its role.
 */
export function commitPending(s: ZkServer, env: Env, zxid: Zxid): boolean {
  const ln = s.learner!;
  if (ln.pendingTxns.length === 0) {
    env.ctx.note('commitWithoutTxn', { zxid: zxidHex(zxid) });
    return false;
  }
  if (ln.pendingTxns[0] !== zxid) {
    if (zxid <= lastOf(s.history, s.snapZxid)) return false; // already in the tree (from a snapshot)
    goLooking(s, env, { code: 'unmatchedCommit', args: { zxid: zxidHex(zxid), pending: ln.pendingTxns.length ? zxidHex(ln.pendingTxns[0]!) : '—' } });
    return false;
  }
  ln.pendingTxns.shift();
  applyTxn(s, zxid);
  return true;
}

/**
 * ZKDatabase.committedLog, what the leader syncs a learner from (DIFF or TRUNC): the last
 * commitLogCount txns replayed from the log when the tree was loaded or committed since
 * (ZKDatabase.addCommittedProposal). It is not the tree's tail: a restarted server's holds only
 * the txns logged after its newest snapshot, and a server that took a SNAP starts it empty.
 */
export function committedLog(s: ZkServer, commitLogCount: number): Zxid[] {
  return s.history.slice(Math.max(s.committedFrom, s.history.length - commitLogCount));
}
