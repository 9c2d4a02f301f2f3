/**
 * ZooKeeper's own bugs and findings that the bug hunter meets with no rule switched off, each
 * recognised by what happens in a replay (not by the schedule that shows it), so that its output
 * can say "this is ZOOKEEPER-4882 again" rather than leave a person to work it out. A violation
 * none of these explains is something new: docs/PROTOCOL.md, "Findings", is where it goes.
 */
import type { Scenario } from '../scenario/scenario';
import { buildZabRun } from '../scenario/run';
import { loadDataBase } from '../zk/disk';
import type { ZkServer } from '../zk/state';
import { RELEASE_RULES, DEFAULT_RELEASE } from '../zk/release';

export type KnownBugId = 'ZOOKEEPER-4882' | 'ZOOKEEPER-4646' | 'ZOOKEEPER-4394' | 'ZOOKEEPER-4712' | 'sync-cut-short' | 'stale-ack';

export interface KnownBug {
  id: KnownBugId;
  /** the issue at issues.apache.org, or null for a behaviour of ZooKeeper's that has none */
  jira: string | null;
  /** the releases of zk/release.ts that have it */
  releases: string;
  /** the guided story that shows it, if any */
  story: string | null;
  /** one line, for the CLI (the page words it from the catalogue, `bug.<id>`) */
  summary: string;
}

export const KNOWN_BUGS: Record<KnownBugId, KnownBug> = {
  'ZOOKEEPER-4882': {
    id: 'ZOOKEEPER-4882',
    jira: 'https://issues.apache.org/jira/browse/ZOOKEEPER-4882',
    releases: 'all (open in 3.9.5)',
    story: 'zookeeper-4882',
    summary: 'after a failed txn-log write (from 3.9.3 also a failed fsync at NEWLEADER) the server goes on with txns in memory its disk never got; it rejoins with them and its log gets a hole that a restart exposes',
  },
  'ZOOKEEPER-4646': {
    id: 'ZOOKEEPER-4646',
    jira: 'https://issues.apache.org/jira/browse/ZOOKEEPER-4646',
    releases: '3.8.0 (fixed by ZOOKEEPER-4785 in 3.8.5 and 3.9.2)',
    story: 'zookeeper-4646',
    summary: "a follower ACKs NEWLEADER before the sync's txns are on its disk, and crashes: its new epoch can win an election without them",
  },
  'ZOOKEEPER-4394': {
    id: 'ZOOKEEPER-4394',
    jira: 'https://issues.apache.org/jira/browse/ZOOKEEPER-4394',
    releases: '3.8.0 to 3.9.2 (fixed in 3.9.3)',
    story: 'zookeeper-4394',
    summary: 'a COMMIT that reaches a syncing follower between NEWLEADER and UPTODATE finds no proposal to match: a NullPointerException ends its sync; with ZOOKEEPER-4712 the sync\'s txns can then reach the log twice',
  },
  'ZOOKEEPER-4712': {
    id: 'ZOOKEEPER-4712',
    jira: 'https://issues.apache.org/jira/browse/ZOOKEEPER-4712',
    releases: '3.8.0 to 3.9.2 (fixed in 3.9.3)',
    story: 'zookeeper-4712',
    summary: "a learner's shutdown does not flush its SyncRequestProcessor: txns still queued miss its tree and its vote, and the orphaned thread writes them to the log afterwards, where a restart finds them",
  },
  'sync-cut-short': {
    id: 'sync-cut-short',
    jira: null,
    releases: '3.8.0 to 3.9.2 (3.9.3 applies the committed txns at NEWLEADER, ZOOKEEPER-4394)',
    story: 'sync-cut-short',
    summary: "a learner whose sync ends after NEWLEADER but before UPTODATE keeps its old tree (ZooKeeperServer.shutdown does nothing before the server runs) while its log holds the sync's txns and its currentEpoch is new: it votes with the new epoch and the old zxid, can win, and TRUNCs committed txns away; or it rejoins from the old zxid and logs them twice",
  },
  'stale-ack': {
    id: 'stale-ack',
    jira: null,
    releases: 'all',
    story: 'stale-ack',
    summary: 'the leader counts an ACK sent before the learner restarted and was truncated: a txn is committed with fewer copies on disk than a quorum (Leader.processAck keeps the ACK sets of a learner that left)',
  },
};

/** The reasons a role ends after a failed write that leave the process running. */
const FAILED_WRITES = new Set(['logFailed', 'leaderLogFailed', 'newLeaderWriteFailed']);

/** The known bugs a replay of `sc` up to `until` (ms) shows (ZAB only; other protocols have none). */
export function knownBugs(sc: Scenario, until: number): Set<KnownBugId> {
  const found = new Set<KnownBugId>();
  if (sc.protocol !== 'zab') return found;
  const rules = RELEASE_RULES[sc.zk ?? DEFAULT_RELEASE];
  const r = buildZabRun(sc);
  const sim = r.sim;
  sim.records = [];
  // followers that ACKed NEWLEADER with txns of the sync not yet on disk (3.8.0's order)
  const exposed = new Set<number>();
  // learners between NEWLEADER and UPTODATE (as of the step before)
  const midSync = new Set<number>();
  while ((sim.nextEventTime() ?? Infinity) <= until) {
    sim.step();
    for (const x of sim.records) {
      if (x.type === 'crash' && exposed.has(x.node)) found.add('ZOOKEEPER-4646');
      if (x.type === 'crash' || x.type === 'restart') exposed.delete(x.node);
      if (x.type !== 'note') continue;
      const s = serverOf(sim, x.node);
      if (!s) continue;
      // a failed write the process survives: what is in the tree that the disk does not have? (a
      // dead sync thread; or 3.9.3+'s NEWLEADER, which applies the committed txns before its fsync)
      if (x.code === 'goesLooking' && FAILED_WRITES.has(String(x.args.reason))) {
        const onDisk = new Set(loadDataBase(sim.st.nodes[x.node]!.durable).history);
        if (s.history.some((z) => !onDisk.has(z))) found.add('ZOOKEEPER-4882');
      }
      if (x.code === 'goesLooking' && x.args.reason === 'syncNullPointer') found.add('ZOOKEEPER-4394');
      // a learner's role ended after NEWLEADER, before its server ran: the tree leaves out txns its log has, or will have
      if (x.code === 'goesLooking' && !FAILED_WRITES.has(String(x.args.reason)) && midSync.has(x.node)) {
        const logged = loadDataBase(sim.st.nodes[x.node]!.durable).history;
        if ([...logged, ...s.unflushed].some((z) => !s.history.includes(z))) found.add('sync-cut-short');
      }
      // a role ended with txns queued for the log that the tree (and so the vote) leaves out
      if (x.code === 'goesLooking' && !FAILED_WRITES.has(String(x.args.reason)) && s.unflushed.some((z) => !s.history.includes(z))) found.add('ZOOKEEPER-4712');
      // a commit counting an ACK from a voter whose disk no longer holds the txn: a voter ACKs only
      // what it has flushed, so the ACK predates a TRUNC (whatever it has queued to log again)
      if (x.code === 'commits') {
        const zxid = Number(x.args.zxid);
        for (const id of String(x.args.acks).split(',').map(Number)) {
          if (id !== x.node && !loadDataBase(sim.st.nodes[id]!.durable).history.includes(zxid)) found.add('stale-ack');
        }
      }
    }
    sim.records.length = 0;
    midSync.clear();
    for (const id of sim.nodeIds()) {
      const ln = serverOf(sim, id)?.learner;
      if (ln?.newLeaderSeen && serverOf(sim, id)!.zabState !== 'BROADCAST') midSync.add(id);
    }
    if (rules.newLeaderPersistsFirst) continue;
    for (const id of sim.nodeIds()) {
      const s = serverOf(sim, id);
      if (!s?.learner?.newLeaderAcked || s.unflushed.length === 0) exposed.delete(id);
      else if (s.zabState !== 'BROADCAST') exposed.add(id);
    }
  }
  return found;
}

function serverOf(sim: ReturnType<typeof buildZabRun>['sim'], id: number): ZkServer | null {
  const n = sim.st.nodes[id];
  return n?.up ? (n.state as ZkServer | null) : null;
}
