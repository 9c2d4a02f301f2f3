/**
 * What a ZooKeeper server keeps on disk (its dataDir): the epoch files, the txn log and the
 * latest snapshot, and how a starting server reads them back. Every phase reads these names;
 * none of them needs another phase to do so.
 */
import type { Durable } from '../sim/types';
import type { Zxid } from './zxid';

/** snapshot.<zxid>: the data tree at zxid */
export interface SnapshotFile {
  zxid: Zxid;
  history: Zxid[];
}

/** Durable keys, named after the files of a real dataDir (`log` holds each logged txn's zxid, in order). */
export const DISK = {
  acceptedEpoch: 'acceptedEpoch',
  currentEpoch: 'currentEpoch',
  log: 'log',
  /** the first zxid of each log.<zxid> file, oldest first (the `log` key holds their txns, concatenated) */
  logFiles: 'logFiles',
  snapshot: 'snapshot',
} as const;

/**
 * ZKDatabase.loadDataBase: the latest snapshot, then every txn of the log after it, committed or
 * not. So a restarted server's tree (and its vote) includes proposals it logged but never saw
 * committed; a later TRUNC removes them if the new leader lacks them.
 */
export function loadDataBase(d: Durable): { history: Zxid[]; log: Zxid[]; logFiles: Zxid[]; snapZxid: Zxid; replayedFrom: number } {
  const snap = (d[DISK.snapshot] as SnapshotFile | undefined) ?? { zxid: 0, history: [] };
  const log = [...((d[DISK.log] as Zxid[] | undefined) ?? [])];
  const history = [...snap.history, ...log.filter((z) => z > snap.zxid)];
  // a disk written before files were kept apart (a scenario's initial disk) is one file
  const logFiles = [...((d[DISK.logFiles] as Zxid[] | undefined) ?? (log.length ? [log[0]!] : []))];
  // the txns replayed from the log (not the snapshot's) are what the committedLog starts with
  return { history, log, logFiles, snapZxid: snap.zxid, replayedFrom: snap.history.length };
}
