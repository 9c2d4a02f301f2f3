/**
 * FastLeaderElection (ZooKeeper 3.8, Q/FastLeaderElection.java), as event handlers:
 * lookForLeader's blocking loop becomes "a notification arrived" and "the poll timed out".
 */
import type { NodeId } from '../sim/types';
import type { Notification } from './messages';
import type { Env, Vote, ZkServer } from './state';
import { quorumNow } from './quorum';
import { agreeing, hasQuorumFor, totalOrderPredicate } from './vote';
import { NO_ZXID } from './zxid';

/** Long.MIN_VALUE: what a non-voter proposes (getInitId / getInitLastLoggedZxid / getPeerEpoch). */
export const NO_SID = Number.MIN_SAFE_INTEGER;

function initId(s: ZkServer): NodeId {
  return s.voter ? s.id : NO_SID;
}
function initZxid(s: ZkServer): number {
  return s.voter ? s.lastZxid : NO_ZXID;
}
function initEpoch(s: ZkServer): number {
  return s.voter ? s.currentEpoch : NO_ZXID;
}

/** The proposal this server advertises, as a LOOKING vote of its current round. */
export function proposal(s: ZkServer): Vote {
  const e = s.election;
  return { leader: e.proposedLeader, zxid: e.proposedZxid, electionEpoch: e.logicalclock, peerEpoch: e.proposedEpoch, state: 'LOOKING' };
}

/** A handler's answer: true when the election is decided and the server must take up its role. */
export type Decided = boolean;

/** lookForLeader(): a new round. Bump logicalclock, vote for ourselves, tell every voter. */
export function lookForLeader(s: ZkServer, env: Env): void {
  const e = s.election;
  e.logicalclock++;
  e.recvset = {};
  e.outofelection = {};
  e.notTimeout = env.cfg.timing.minNotificationInterval;
  e.finalizing = false;
  updateProposal(s, initId(s), initZxid(s), initEpoch(s));
  if (s.voter) env.ctx.note('looking', { round: e.logicalclock, leader: s.id });
  else env.ctx.note('lookingObserver', { round: e.logicalclock });
  sendNotifications(s, env);
  env.ctx.setTimer('poll', e.notTimeout);
}

function updateProposal(s: ZkServer, leader: NodeId, zxid: number, epoch: number): void {
  s.election.proposedLeader = leader;
  s.election.proposedZxid = zxid;
  s.election.proposedEpoch = epoch;
}

/** sendNotifications(): our proposal to every configured voter, ourselves included (loopback). */
export function sendNotifications(s: ZkServer, env: Env): void {
  const e = s.election;
  for (const sid of env.cfg.voters) {
    env.ctx.send(sid, {
      kind: 'NOTIFICATION',
      leader: e.proposedLeader,
      zxid: e.proposedZxid,
      electionEpoch: e.logicalclock,
      peerEpoch: e.proposedEpoch,
      state: 'LOOKING',
    });
  }
}

/**
 * A Notification arrives. First what the receiver thread (WorkerReceiver) does, which may
 * answer at once; then, if we are LOOKING, what lookForLeader's loop does with it.
 */
export function onNotification(s: ZkServer, env: Env, from: NodeId, n: Notification): Decided {
  const { ctx, qv } = env;
  if (!qv.isVoter(from)) {
    // an observer (or unknown sid): answer with our current vote, never enqueue it
    const v = s.currentVote;
    ctx.send(from, { kind: 'NOTIFICATION', leader: v.leader, zxid: v.zxid, electionEpoch: s.election.logicalclock, peerEpoch: v.peerEpoch, state: s.state });
    return false;
  }
  if (s.state !== 'LOOKING') {
    // we follow or lead: tell a LOOKING sender who we believe leads; ignore everyone else
    if (n.state === 'LOOKING') {
      const v = s.currentVote;
      ctx.send(from, { kind: 'NOTIFICATION', leader: v.leader, zxid: v.zxid, electionEpoch: v.electionEpoch, peerEpoch: v.peerEpoch, state: s.state });
    }
    return false;
  }
  if (n.state === 'LOOKING' && n.electionEpoch < s.election.logicalclock) {
    // a laggard: send it our proposal and round so it catches up
    const p = proposal(s);
    ctx.send(from, { kind: 'NOTIFICATION', leader: p.leader, zxid: p.zxid, electionEpoch: p.electionEpoch, peerEpoch: p.peerEpoch, state: 'LOOKING' });
  }
  if (s.election.finalizing) return whileFinalizing(s, env, from, n);
  if (handleInLoop(s, env, from, n)) return true;
  if (!s.election.finalizing) ctx.setTimer('poll', s.election.notTimeout);
  return false;
}

/** One iteration of lookForLeader's loop for a dequeued notification. */
function handleInLoop(s: ZkServer, env: Env, from: NodeId, n: Notification): Decided {
  const { qv, ctx } = env;
  if (!qv.isVoter(from) || !qv.isVoter(n.leader)) {
    ctx.note('ignoresNonVoter', { leader: n.leader, from });
    return false;
  }
  switch (n.state) {
    case 'LOOKING':
      return receivedLookingNotification(s, env, from, n);
    case 'OBSERVING':
      return false; // observers never vote
    case 'FOLLOWING':
    case 'LEADING':
      return receivedFollowingOrLeadingNotification(s, env, from, n);
  }
}

function receivedLookingNotification(s: ZkServer, env: Env, from: NodeId, n: Notification): Decided {
  const e = s.election;
  const { ctx } = env;
  if (n.electionEpoch > e.logicalclock) {
    // a newer round: join it, forget this round's votes, and re-decide against our own
    // *initial* vote, not the stale proposal of the old round
    e.logicalclock = n.electionEpoch;
    e.recvset = {};
    if (totalOrderPredicate(n.leader, n.zxid, n.peerEpoch, initId(s), initZxid(s), initEpoch(s), env.cfg.ablations?.voteByMyid)) {
      updateProposal(s, n.leader, n.zxid, n.peerEpoch);
    } else {
      updateProposal(s, initId(s), initZxid(s), initEpoch(s));
    }
    ctx.note('joinsRound', { round: e.logicalclock, from, leader: e.proposedLeader });
    sendNotifications(s, env);
  } else if (n.electionEpoch < e.logicalclock) {
    return false; // an old round: dropped (the receiver thread already answered)
  } else if (totalOrderPredicate(n.leader, n.zxid, n.peerEpoch, e.proposedLeader, e.proposedZxid, e.proposedEpoch, env.cfg.ablations?.voteByMyid)) {
    // why it wins, judged against the proposal it replaces
    const on = winsOn(n, s, env);
    updateProposal(s, n.leader, n.zxid, n.peerEpoch);
    ctx.note(`adopts.${on}`, { from, leader: n.leader });
    sendNotifications(s, env);
  }
  e.recvset[from] = { leader: n.leader, zxid: n.zxid, electionEpoch: n.electionEpoch, peerEpoch: n.peerEpoch, state: 'LOOKING' };

  // termPredicate: does a quorum of configured voters agree with our proposal in this round?
  if (hasQuorumFor(e.recvset, proposal(s), quorumNow(env))) {
    ctx.note('quorumFinalize', () => ({ ids: agreeing(e.recvset, proposal(s)).join(','), leader: e.proposedLeader }));
    // ablation noFinalizeWait: skips lookForLeader's finalizeWait poll for a better notification
    if (env.cfg.ablations?.noFinalizeWait) return decide(s, env, proposal(s));
    e.finalizing = true;
    ctx.cancelTimer('poll');
    ctx.setTimer('finalize', env.cfg.timing.finalizeWait);
  }
  return false;
}

function winsOn(n: Notification, s: ZkServer, env: Env): string {
  const e = s.election;
  if (env.cfg.ablations?.voteByMyid) return 'myid';
  if (n.peerEpoch !== e.proposedEpoch) return 'epoch';
  if (n.zxid !== e.proposedZxid) return 'zxid';
  return 'myid';
}

/**
 * finalizeWait: with a quorum, keep listening. A better vote resumes the election; anything
 * else is discarded (not even recorded), and each arrival restarts the 200 ms wait.
 */
function whileFinalizing(s: ZkServer, env: Env, from: NodeId, n: Notification): Decided {
  const e = s.election;
  if (totalOrderPredicate(n.leader, n.zxid, n.peerEpoch, e.proposedLeader, e.proposedZxid, e.proposedEpoch, env.cfg.ablations?.voteByMyid)) {
    e.finalizing = false;
    env.ctx.cancelTimer('finalize');
    env.ctx.note('betterDuringFinalize', { leader: n.leader });
    if (handleInLoop(s, env, from, n)) return true;
    if (!e.finalizing) env.ctx.setTimer('poll', e.notTimeout);
    return false;
  }
  env.ctx.setTimer('finalize', env.cfg.timing.finalizeWait);
  return false;
}

/** 200 ms of silence after reaching a quorum: the election is decided. */
export function onFinalizeTimeout(s: ZkServer, env: Env): Decided {
  const e = s.election;
  if (s.state !== 'LOOKING' || !e.finalizing) return false;
  return decide(s, env, { leader: e.proposedLeader, zxid: e.proposedZxid, electionEpoch: e.logicalclock, peerEpoch: e.proposedEpoch, state: 'LOOKING' });
}

/**
 * No notification within notTimeout: if something got out (haveDelivered), send ours again, else
 * only dial every peer our queued notifications wait for (connectAll); back off either way.
 */
export function onPollTimeout(s: ZkServer, env: Env): void {
  const e = s.election;
  if (s.state !== 'LOOKING' || e.finalizing) return;
  if (env.ctx.haveDelivered?.() ?? true) sendNotifications(s, env);
  else env.ctx.connectAll?.();
  e.notTimeout = Math.min(e.notTimeout * 2, env.cfg.timing.maxNotificationInterval);
  env.ctx.setTimer('poll', e.notTimeout);
}

/**
 * receivedFollowingNotification / receivedLeadingNotification: a server that already follows or
 * leads tells us its leader. In our round, its vote joins recvset; in any round, outofelection.
 * Either set agreeing on that leader by a quorum, with checkLeader passing, ends our election:
 * this is how a server joins an ensemble that already has a leader, whatever its myid or zxid.
 */
function receivedFollowingOrLeadingNotification(s: ZkServer, env: Env, from: NodeId, n: Notification): Decided {
  const e = s.election;
  const v: Vote = { leader: n.leader, zxid: n.zxid, electionEpoch: n.electionEpoch, peerEpoch: n.peerEpoch, state: n.state };
  if (n.electionEpoch === e.logicalclock) {
    e.recvset[from] = v;
    if (hasQuorumFor(e.recvset, v, quorumNow(env)) && checkLeader(s, e.recvset, n.leader, n.electionEpoch)) {
      return decide(s, env, v);
    }
  }
  e.outofelection[from] = v;
  if (hasQuorumFor(e.outofelection, v, quorumNow(env)) && checkLeader(s, e.outofelection, n.leader, n.electionEpoch)) {
    e.logicalclock = n.electionEpoch;
    return decide(s, env, v);
  }
  return false;
}

/**
 * checkLeader: never follow a leader we have not heard from as LEADING (it may have crashed);
 * if the leader would be us, only in the round we are in.
 */
export function checkLeader(s: ZkServer, votes: Record<NodeId, Vote>, leader: NodeId, electionEpoch: number): boolean {
  if (leader !== s.id) return votes[leader]?.state === 'LEADING';
  return s.election.logicalclock === electionEpoch;
}

/**
 * setPeerState + leaveInstance: LEADING if we won, else FOLLOWING (voter) or OBSERVING. Taking
 * up the role is the peer's business (QuorumPeer.run's loop; here zab.ts's startRole).
 */
function decide(s: ZkServer, env: Env, end: Vote): Decided {
  const { ctx } = env;
  ctx.cancelTimer('poll');
  ctx.cancelTimer('finalize');
  s.election.finalizing = false;
  s.state = end.leader === s.id ? 'LEADING' : s.voter ? 'FOLLOWING' : 'OBSERVING';
  s.currentVote = { leader: end.leader, zxid: end.zxid, electionEpoch: s.election.logicalclock, peerEpoch: end.peerEpoch, state: s.state };
  ctx.note(`decides.${s.state}`, { leader: end.leader, round: s.election.logicalclock });
  return true;
}
