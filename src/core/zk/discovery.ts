/**
 * Discovery (ZAB phase 1): the learners tell the prospective leader their acceptedEpoch
 * (FOLLOWERINFO), it picks a new epoch above every one it saw (LEADERINFO), and a quorum
 * promises not to accept an older leader (ACKEPOCH). Q/Leader.java lead(), getEpochToPropose,
 * waitForEpochAck; Q/Learner.java connectToLeader, registerWithLeader.
 */
import type { NodeId } from '../sim/types';
import type { QuorumPacket } from './messages';
import { DISK } from './disk';
import { goLooking, takeSnapshot } from './peer';
import { quorumNow } from './quorum';
import type { Env, LearnerHandler, ZkServer } from './state';
import { syncFollower } from './sync';
import { armReadTimeout } from './broadcast';
import { makeZxid, epochOf, zxidHex } from './zxid';

// ---- leader side ----------------------------------------------------------------------------

/** Leader.lead(): start accepting learners and propose ourselves an epoch. */
export function lead(s: ZkServer, env: Env): void {
  s.zabState = 'DISCOVERY';
  s.leader = {
    epoch: -1,
    epochState: 'waiting',
    connectingFollowers: [],
    electingFollowers: [],
    electionFinished: false,
    newLeaderAcks: [],
    established: false,
    summaryEpoch: s.currentEpoch,
    summaryZxid: s.lastZxid,
    handlers: {},
    tick: 0,
    tickSkip: true,
    lastProposed: 0,
    lastCommitted: 0,
    outstanding: [],
    sessions: {},
    pendingSyncs: [],
  };
  // ZooKeeperServer.loadData, first thing in Leader.lead: "Make a clean snapshot"
  takeSnapshot(s, env);
  env.ctx.setTimer('leaderWait', env.cfg.timing.initLimit * env.cfg.timing.tickTime);
  getEpochToPropose(s, env, s.id, s.acceptedEpoch);
}

/**
 * Every caller raises the candidate epoch past its acceptedEpoch; once the connected
 * participants, the leader among them, form a quorum, the epoch is fixed and persisted.
 */
function getEpochToPropose(s: ZkServer, env: Env, sid: NodeId, lastAcceptedEpoch: number): void {
  const l = s.leader!;
  if (l.epochState !== 'waiting') return;
  if (lastAcceptedEpoch >= l.epoch) l.epoch = lastAcceptedEpoch + 1;
  if (env.qv.isVoter(sid) && !l.connectingFollowers.includes(sid)) l.connectingFollowers.push(sid);
  if (l.connectingFollowers.includes(s.id) && quorumNow(env).containsQuorum(l.connectingFollowers)) {
    l.epochState = 'persisting';
    env.ctx.note('epochChosen', { epoch: l.epoch, ids: l.connectingFollowers.join(',') });
    env.ctx.persist([{ op: 'set', key: DISK.acceptedEpoch, value: l.epoch }], { kind: 'leader.acceptedEpoch' });
  }
}

/** acceptedEpoch is on disk: answer every waiting learner and wait for their ACKEPOCHs. */
export function onLeaderAcceptedEpochWritten(s: ZkServer, env: Env, ok: boolean): void {
  const l = s.leader;
  if (!l || l.epochState !== 'persisting') return;
  if (!ok) return goLooking(s, env, { code: 'acceptedEpochWriteFailed' });
  l.epochState = 'fixed';
  s.acceptedEpoch = l.epoch;
  l.lastProposed = makeZxid(l.epoch, env.cfg.timing.initialZxidCounter);
  env.ctx.setTimer('leaderWait', env.cfg.timing.initLimit * env.cfg.timing.tickTime);
  for (const h of Object.values(l.handlers)) if (h.stage === 'FOLLOWERINFO') sendLeaderInfo(s, env, h);
  waitForEpochAck(s, env, s.id, s.currentEpoch, s.lastZxid);
}

function sendLeaderInfo(s: ZkServer, env: Env, h: LearnerHandler): void {
  h.stage = 'LEADERINFO';
  env.ctx.sendOn(h.conn, { kind: 'LEADERINFO', zxid: makeZxid(s.leader!.epoch, 0) });
}

/** A learner connected: FOLLOWERINFO / OBSERVERINFO with its acceptedEpoch. */
export function onLearnerInfo(s: ZkServer, env: Env, from: NodeId, conn: number, p: Extract<QuorumPacket, { kind: 'FOLLOWERINFO' | 'OBSERVERINFO' }>): void {
  const l = s.leader;
  if (s.state !== 'LEADING' || !l) {
    env.ctx.close(conn, true); // nobody is listening on the quorum port: connection refused
    return;
  }
  const old = l.handlers[from];
  if (old) env.ctx.close(old.conn);
  const h: LearnerHandler = {
    sid: from,
    conn,
    observer: p.kind === 'OBSERVERINFO',
    stage: 'FOLLOWERINFO',
    peerLastZxid: 0,
    peerCurrentEpoch: -1,
    syncMode: null,
    syncLimitCheck: { started: false, current: null, currentAt: 0, next: null, nextAt: 0 },
    tickOfNextAckDeadline: l.tick + env.cfg.timing.initLimit + env.cfg.timing.syncLimit,
    silenceTimer: `learnerSilence.${from}`,
    heardAt: env.ctx.now,
  };
  l.handlers[from] = h;
  armReadTimeout(env, h);
  getEpochToPropose(s, env, from, p.acceptedEpoch);
  if (l.epochState === 'fixed') sendLeaderInfo(s, env, h);
}

/** ACKEPOCH: the learner's promise, with its currentEpoch and last zxid. */
export function onAckEpoch(s: ZkServer, env: Env, h: LearnerHandler, p: Extract<QuorumPacket, { kind: 'ACKEPOCH' }>): void {
  if (h.stage !== 'LEADERINFO') return;
  h.stage = 'ACKEPOCH';
  h.peerLastZxid = p.zxid;
  h.peerCurrentEpoch = p.currentEpoch;
  const l = s.leader!;
  if (l.electionFinished) return syncFollower(s, env, h);
  waitForEpochAck(s, env, h.sid, p.currentEpoch, p.zxid);
}

/**
 * waitForEpochAck: count the participants that acked our epoch. A learner more recent than us
 * (higher currentEpoch, or the same with a higher zxid) is refused: it must not be truncated by
 * a leader that lacks its history.
 */
function waitForEpochAck(s: ZkServer, env: Env, sid: NodeId, currentEpoch: number, lastZxid: number): void {
  const l = s.leader!;
  if (l.electionFinished) return;
  if (currentEpoch !== -1) {
    if (currentEpoch > l.summaryEpoch || (currentEpoch === l.summaryEpoch && lastZxid > l.summaryZxid)) {
      const h = l.handlers[sid];
      env.ctx.note('refusesAhead', { sid, epoch: currentEpoch, zxid: zxidHex(lastZxid) });
      if (h) {
        env.ctx.close(h.conn);
        delete l.handlers[sid];
      }
      return;
    }
    if (env.qv.isVoter(sid) && !l.electingFollowers.includes(sid)) l.electingFollowers.push(sid);
  }
  if (l.electingFollowers.includes(s.id) && quorumNow(env).containsQuorum(l.electingFollowers)) {
    l.electionFinished = true;
    env.ctx.note('epochAcked', { epoch: l.epoch, ids: l.electingFollowers.join(',') });
    env.ctx.persist([{ op: 'set', key: DISK.currentEpoch, value: l.epoch }], { kind: 'leader.currentEpoch' });
    for (const h of Object.values(l.handlers)) if (h.stage === 'ACKEPOCH') syncFollower(s, env, h);
  }
}

/** A learner's connection closed: its LearnerHandler ends. */
export function onLearnerClosed(s: ZkServer, env: Env, conn: number): void {
  const l = s.leader;
  if (!l) return;
  for (const h of Object.values(l.handlers)) {
    if (h.conn === conn) {
      delete l.handlers[h.sid];
      env.ctx.note('losesLearner', { sid: h.sid });
    }
  }
}

// ---- learner side ---------------------------------------------------------------------------

/** followLeader / observeLeader: connect to the elected leader and register. */
export function connectToLeader(s: ZkServer, env: Env): void {
  s.zabState = 'DISCOVERY';
  s.learner = {
    leader: s.currentVote.leader,
    conn: null,
    connectTries: 0,
    connectStartedAt: env.ctx.now,
    newEpoch: -1,
    syncMode: null,
    newLeaderSeen: false,
    newLeaderAcked: false,
    nullPointerAt: null,
    lastHeard: env.ctx.now,
    readLimit: 'initLimit',
    snapshotNeeded: false,
    packetsNotLogged: [],
    packetsCommitted: [],
    pendingTxns: [],
    touches: {},
    pendingSyncs: [],
    revalidating: {},
  };
  env.ctx.setTimer('leaderSilence', env.cfg.timing.initLimit * env.cfg.timing.tickTime);
  tryConnect(s, env);
}

export function tryConnect(s: ZkServer, env: Env): void {
  const ln = s.learner;
  if (!ln) return;
  ln.connectTries++;
  ln.conn = env.ctx.connect(ln.leader, { kind: s.voter ? 'FOLLOWERINFO' : 'OBSERVERINFO', acceptedEpoch: s.acceptedEpoch });
}

/**
 * The connection to the leader closed. A connect that failed (nobody listening on the leader's
 * quorum port yet, or its host's process dead) is tried again, up to 5 tries 100 ms apart within
 * initLimit ticks (Learner.LeaderConnector.connectToLeader); a connection that was made and then
 * closed makes registerWithLeader or the read loop throw, and we look for a leader at once.
 */
export function onLeaderClosed(s: ZkServer, env: Env, conn: number, refused: boolean): void {
  const ln = s.learner;
  if (!ln || ln.conn !== conn) return;
  ln.conn = null;
  const t = env.cfg.timing;
  const budgetLeft = t.initLimit * t.tickTime - (env.ctx.now - ln.connectStartedAt);
  if (refused && ln.connectTries < 5 && budgetLeft > t.leaderConnectDelay) {
    env.ctx.setTimer('connectRetry', t.leaderConnectDelay);
    return;
  }
  goLooking(s, env, { code: 'leaderClosed', args: { leader: ln.leader } });
}

/** LEADERINFO: accept the new epoch if it is newer than any we accepted, and say so. */
export function onLeaderInfo(s: ZkServer, env: Env, p: Extract<QuorumPacket, { kind: 'LEADERINFO' }>): void {
  const ln = s.learner!;
  const newEpoch = epochOf(p.zxid);
  ln.newEpoch = newEpoch;
  if (newEpoch > s.acceptedEpoch) {
    env.ctx.persist([{ op: 'set', key: DISK.acceptedEpoch, value: newEpoch }], { kind: 'learner.acceptedEpoch' });
  } else if (newEpoch === s.acceptedEpoch) {
    // already acked an epoch equal to the leader's: cannot ack it again in good conscience
    env.ctx.sendOn(ln.conn!, { kind: 'ACKEPOCH', currentEpoch: -1, zxid: s.lastZxid });
    s.zabState = 'SYNCHRONIZATION';
  } else if (env.cfg.ablations?.noEpochFencing) {
    // ablation noEpochFencing: drops Learner.registerWithLeader's "Leaders epoch, x, is less than accepted epoch, y" refusal
    env.ctx.note('acceptsOlderEpoch', { epoch: newEpoch, accepted: s.acceptedEpoch });
    env.ctx.sendOn(ln.conn!, { kind: 'ACKEPOCH', currentEpoch: s.currentEpoch, zxid: s.lastZxid });
    s.zabState = 'SYNCHRONIZATION';
  } else {
    goLooking(s, env, { code: 'epochLower', args: { epoch: newEpoch, accepted: s.acceptedEpoch } });
  }
}

export function onLearnerAcceptedEpochWritten(s: ZkServer, env: Env, ok: boolean): void {
  const ln = s.learner;
  if (!ln || ln.conn === null) return;
  if (!ok) return goLooking(s, env, { code: 'acceptedEpochWriteFailed' });
  const previous = s.currentEpoch;
  s.acceptedEpoch = ln.newEpoch;
  env.ctx.sendOn(ln.conn, { kind: 'ACKEPOCH', currentEpoch: previous, zxid: s.lastZxid });
  s.zabState = 'SYNCHRONIZATION';
}
