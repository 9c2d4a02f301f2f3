import type { NodeId } from '../sim/types';
import type { QuorumVerifier } from './quorum';
import type { Vote } from './state';
import type { Zxid } from './zxid';

/**
 * FastLeaderElection.totalOrderPredicate: does (newId, newZxid, newEpoch) beat the current
 * proposal? peerEpoch first, then zxid, then sid. (The weight check only matters for
 * hierarchical quorums; under QuorumMaj every voter weighs 1.)
 */
export function totalOrderPredicate(
  newId: NodeId,
  newZxid: Zxid,
  newEpoch: number,
  curId: NodeId,
  curZxid: Zxid,
  curEpoch: number,
  byMyid = false,
): boolean {
  // ablation voteByMyid: drops the (peerEpoch, zxid) order that FastLeaderElection.totalOrderPredicate puts before sid
  if (byMyid) return newId > curId;
  return (
    newEpoch > curEpoch ||
    (newEpoch === curEpoch && (newZxid > curZxid || (newZxid === curZxid && newId > curId)))
  );
}

/**
 * Vote.equals: a vote cast while LOOKING must match in full; two votes of servers that
 * already follow or lead match on (leader, peerEpoch) alone (ZOOKEEPER-1732 / -1805), since
 * members of a running ensemble report different zxids and rounds.
 */
export function voteEquals(a: Vote, b: Vote): boolean {
  if (a.state === 'LOOKING' || b.state === 'LOOKING') {
    return a.leader === b.leader && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch;
  }
  return a.leader === b.leader && a.peerEpoch === b.peerEpoch;
}

/** getVoteTracker(...).hasAllQuorums(): do the voters whose vote equals `vote` form a quorum? */
export function hasQuorumFor(votes: Record<NodeId, Vote>, vote: Vote, qv: QuorumVerifier): boolean {
  // counted in place: with 51 voters this runs on every Notification
  let n = 0;
  for (const sid in votes) if (qv.isVoter(Number(sid)) && voteEquals(vote, votes[sid as unknown as NodeId]!)) n++;
  return n > qv.half;
}

export function agreeing(votes: Record<NodeId, Vote>, vote: Vote): NodeId[] {
  const ids: NodeId[] = [];
  for (const sid in votes) if (voteEquals(vote, votes[sid as unknown as NodeId]!)) ids.push(Number(sid));
  return ids;
}
