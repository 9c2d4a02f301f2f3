/**
 * The ZooKeeper releases the model can be: where they differ in anything the page shows, each
 * rule names the JIRA that changed it and the first release that has the change (read in
 * apache/zookeeper at the release tags; docs/PROTOCOL.md, "Releases"). Election, discovery, the
 * leader's choice of DIFF / TRUNC / SNAP and its commit rule are the same in all of them.
 */
export const ZK_RELEASES = ['3.8.0', '3.8.5', '3.9'] as const;
export type ZkRelease = (typeof ZK_RELEASES)[number];

/** What Debian ships and the conformance suite runs against. */
export const DEFAULT_RELEASE: ZkRelease = '3.8.0';

export interface ReleaseRules {
  /** the release the rules are of, as ZooKeeper names it (`3.9` is the newest 3.9 release, 3.9.5) */
  version: string;
  /**
   * ZOOKEEPER-4785 (3.8.5, 3.9.2): at NEWLEADER a follower fsyncs the sync's proposals, then
   * writes currentEpoch, then ACKs, and ACKs those proposals only after UPTODATE. Before it
   * (ZOOKEEPER-4643 / -4646), currentEpoch is written first and the proposals are logged
   * asynchronously while NEWLEADER is ACKed at once.
   */
  newLeaderPersistsFirst: boolean;
  /**
   * ZOOKEEPER-4394 (3.9.3): at NEWLEADER only the txns already committed during sync are logged
   * and applied; proposals still outstanding wait for UPTODATE, and the synced txns get no ACK.
   */
  newLeaderCommittedOnly: boolean;
  /**
   * ZOOKEEPER-4712 (3.9.3): when a learner's role ends, its SyncRequestProcessor is shut down
   * (flushing its queue) before the tree is fast-forwarded from the log. Before it, the queue is
   * not flushed: the txns in it are missing from the tree and the vote, and the orphaned thread
   * may still write them to the log afterwards. (A leader always flushed.)
   */
  learnerShutdownFlushes: boolean;
}

export const RELEASE_RULES: Record<ZkRelease, ReleaseRules> = {
  '3.8.0': { version: '3.8.0', newLeaderPersistsFirst: false, newLeaderCommittedOnly: false, learnerShutdownFlushes: false },
  '3.8.5': { version: '3.8.5', newLeaderPersistsFirst: true, newLeaderCommittedOnly: false, learnerShutdownFlushes: false },
  '3.9': { version: '3.9.5', newLeaderPersistsFirst: true, newLeaderCommittedOnly: true, learnerShutdownFlushes: true },
};

export function isRelease(x: unknown): x is ZkRelease {
  return typeof x === 'string' && (ZK_RELEASES as readonly string[]).includes(x);
}
