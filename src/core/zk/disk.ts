/**
 * What a ZooKeeper server keeps on disk (its dataDir): the epoch files, the txn log and the
 * latest snapshot, and how a starting server reads them back. Every phase reads these names;
 * none of them needs another phase to do so.
 */
import type { Durable } from '../sim/types';
import type { Txn } from './datatree';
import type { Zxid } from './zxid';

/** snapshot.<zxid>: the data tree at zxid (the txns in it, and the bodies of those that have one) */
export interface SnapshotFile {
  zxid: Zxid;
  history: Zxid[];
  bodies?: Record<number, Txn>;
}

/** Durable keys, named after the files of a real dataDir (`log` holds each logged txn's zxid, in order). */
export const DISK = {
  acceptedEpoch: 'acceptedEpoch',
  currentEpoch: 'currentEpoch',
  log: 'log',
  /** the first zxid of each log.<zxid> file, oldest first (the `log` key holds their txns, concatenated) */
  logFiles: 'logFiles',
  snapshot: 'snapshot',
  /**
   * The bodies of logged txns that have one, [zxid, txn] in the order logged: the rest of each
   * log entry (`log` keeps its zxid). Never cut: a TRUNC's txns stay here unread, and a later txn
   * of the same zxid (a new leader's) comes after them and is the one read.
   */
  bodies: 'txnBodies',
} as const;

/**
 * ZKDatabase.loadDataBase: the latest snapshot, then every txn of the log after it, committed or
 * not. So a restarted server's tree (and its vote) includes proposals it logged but never saw
 * committed; a later TRUNC removes them if the new leader lacks them.
 */
export function loadDataBase(d: Durable): { history: Zxid[]; log: Zxid[]; logFiles: Zxid[]; snapZxid: Zxid; replayedFrom: number; bodies: Record<number, Txn> | null } {
  const snap = (d[DISK.snapshot] as SnapshotFile | undefined) ?? { zxid: 0, history: [] };
  const logged = (d[DISK.bodies] as [Zxid, Txn][] | undefined) ?? [];
  let bodies: Record<number, Txn> | null = snap.bodies || logged.length ? { ...snap.bodies } : null;
  for (const [z, t] of logged) (bodies ??= {})[z] = t;
  const log = [...((d[DISK.log] as Zxid[] | undefined) ?? [])];
  const history = [...snap.history, ...log.filter((z) => z > snap.zxid)];
  // a disk written before files were kept apart (a scenario's initial disk) is one file
  const logFiles = [...((d[DISK.logFiles] as Zxid[] | undefined) ?? (log.length ? [log[0]!] : []))];
  // the txns replayed from the log (not the snapshot's) are what the committedLog starts with
  return { history, log, logFiles, snapZxid: snap.zxid, replayedFrom: snap.history.length, bodies };
}
