/**
 * The open bugs of this ZAB model that the explorer finds with no rule switched off (docs/PROTOCOL.md,
 * "Findings"), each recognised by what happens in a replay, not by the schedule that shows it.
 * Tests use them to tell "the model's known bug again" from "something new"; once a bug is fixed
 * its test of a reproduction fails, and it leaves this list.
 */
import type { Scenario } from '../scenario/scenario';
import { buildZabRun } from '../scenario/run';
import { DISK, loadDataBase, type SnapshotFile } from '../zk/disk';
import type { ZkServer } from '../zk/state';
import { counterOf, epochOf, lastOf } from '../zk/zxid';

export type KnownBug =
  /**
   * a leader's snapshot, loaded in memory by SNAP, outlives a sync that ended before NEWLEADER
   * was written: the server goes on with a tree (and a last zxid) its disk does not hold
   */
  | 'snapshotSurvivesAbortedSync'
  /** a COMMIT (an observer's INFORM) that comes after NEWLEADER, before NEWLEADER's write is done, is applied at once, out of order */
  | 'commitDuringNewLeaderWrite'
  /**
   * after a log write (an append, or a TRUNC's cut) fails, the server carries on: later writes
   * land, and the log on its disk is not the one it believes it has (a hole, a tail it cut, txns
   * out of order)
   */
  | 'carriesOnAfterFailedWrite';

/** The known bugs a replay of `sc` up to `until` (ms) shows. */
export function knownBugs(sc: Scenario, until: number): Set<KnownBug> {
  const r = buildZabRun(sc);
  const sim = r.sim;
  sim.records = [];
  const found = new Set<KnownBug>();
  const snapLoaded = new Set<number>();
  const newLeaderIn = new Set<number>();
  const applied: Record<number, number> = {};
  // servers a write ever failed on (the other bugs leave gaps too: this one follows a failure)
  const failed = new Set<number>();
  // the counter of an epoch's first txn
  const first = (sc.timing.initialZxidCounter ?? 0) + 1;
  while ((sim.nextEventTime() ?? Infinity) <= until) {
    sim.step();
    let commitIn: number | null = null;
    const ended = new Set<number>();
    for (const x of sim.records) {
      if (x.type === 'note' && x.code === 'goesLooking') ended.add(x.node);
      if (x.type === 'disk' && x.code === 'disk.failed') failed.add(x.node);
      if (x.type === 'restart' || x.type === 'crash' || (x.type === 'note' && (x.code === 'synced' || x.code === 'goesLooking'))) newLeaderIn.delete(x.node);
      if (x.type === 'restart' || x.type === 'crash' || (x.type === 'note' && x.code === 'synced')) snapLoaded.delete(x.node);
      if (x.type === 'note' && x.code === 'loadsSnapshot') snapLoaded.add(x.node);
      if (x.type === 'deliver' && x.kind === 'NEWLEADER') newLeaderIn.add(x.node);
      if (x.type === 'deliver' && (x.kind === 'COMMIT' || x.kind === 'INFORM')) commitIn = x.node;
    }
    sim.records.length = 0;
    for (const id of sim.nodeIds()) {
      const n = sim.st.nodes[id]!;
      const s = n.up ? (n.state as ZkServer | null) : null;
      const log = (n.durable[DISK.log] as number[] | undefined) ?? [];
      if (failed.has(id) && !gapless(n.durable[DISK.snapshot] as SnapshotFile | undefined, log, first)) found.add('carriesOnAfterFailedWrite');
      if (!s) continue;
      // with no write in flight, the server's mirror of its log is its disk's log
      if (failed.has(id) && n.diskFreeAt <= sim.st.now && (s.log.length !== log.length || s.log.some((z, i) => z !== log[i]))) found.add('carriesOnAfterFailedWrite');
      // the sync ended (it may have found a new leader in the same step): what is in memory only?
      if (snapLoaded.has(id) && ended.has(id)) {
        // ZooKeeper clears its database when a sync fails and loads it again from disk
        const db = loadDataBase(n.durable);
        const disk = [...db.history, ...s.unflushed.filter((z) => z > lastOf(db.history, db.snapZxid))];
        if (s.history.length !== disk.length || s.history.some((z, i) => z !== disk[i]) || s.lastZxid !== Math.max(db.snapZxid, lastOf(disk))) found.add('snapshotSurvivesAbortedSync');
        snapLoaded.delete(id);
      }
      if (commitIn === id && newLeaderIn.has(id) && s.learner && !s.learner.newLeaderAcked && s.history.length > (applied[id] ?? 0)) found.add('commitDuringNewLeaderWrite');
      applied[id] = s.history.length;
    }
  }
  return found;
}

/** What a disk holds (the snapshot, then the log after it) has every txn of each epoch it has, from the first on, in order. */
function gapless(snap: SnapshotFile | undefined, log: number[], first: number): boolean {
  const txns = [...(snap?.history ?? []), ...log.filter((z) => z > (snap?.zxid ?? 0))];
  return txns.every((z, i) => {
    const prev = txns[i - 1];
    return prev !== undefined && epochOf(prev) === epochOf(z) ? z === prev + 1 : counterOf(z) === first;
  });
}
