/**
 * ZooKeeper as a simulator Protocol: routes each message, timer, disk completion and closed
 * connection to the handler named after ZooKeeper's own action.
 */
import type { Ctx, Durable, NodeId, NodeSpec, Protocol } from '../sim/types';
import { onLearnerClosed, onAckEpoch, onLeaderAcceptedEpochWritten, onLeaderClosed, onLeaderInfo, onLearnerAcceptedEpochWritten, onLearnerInfo, tryConnect } from './discovery';
import { NO_SID, lookForLeader, onFinalizeTimeout, onNotification, onPollTimeout } from './election';
import type { ZkConfig } from './config';
import type { ServerState, ZabState, ZkMessage } from './messages';
import { goLooking, startServer } from './peer';
import { QuorumVerifier } from './quorum';
import type { Env, ZkServer } from './state';
import { onLeaderCurrentEpochWritten, onNewLeader, onNewLeaderAck, onNewLeaderWritten, onSyncMode, onUpToDate } from './sync';
import { onLeaderTick, onPing, touchLearner } from './broadcast';
import { agreeing } from './vote';
import { proposal } from './election';
import { zxidShort } from './zxid';

export interface ZkVoteView {
  leader: NodeId | null;
  zxid: number;
  peerEpoch: number;
  electionEpoch: number;
}

export interface ZkView {
  id: NodeId;
  role: 'voter' | 'observer';
  state: ServerState;
  zabState: ZabState;
  /** the leader this server follows or is (null while LOOKING) */
  leader: NodeId | null;
  electionEpoch: number;
  acceptedEpoch: number;
  currentEpoch: number;
  lastZxid: number;
  /** the vote it advertises while LOOKING */
  vote: ZkVoteView;
  finalizing: boolean;
  notTimeout: number;
  recvset: { sid: NodeId; vote: ZkVoteView; state: ServerState }[];
  outofelection: { sid: NodeId; vote: ZkVoteView; state: ServerState }[];
  /** voters in recvset that agree with our proposal */
  agreeing: NodeId[];
  /** on a leader: its learners and where each is */
  learners: { sid: NodeId; stage: string; synced: boolean }[];
  lastReason: string | null;
}

export type ZkCtx = Ctx<ZkMessage>;

export function createZab(cfg: ZkConfig): Protocol<ZkServer, ZkMessage, ZkView> {
  const qv = new QuorumVerifier(cfg.voters);
  const env = (ctx: ZkCtx): Env => ({ cfg, qv, ctx });

  return {
    name: 'zab',

    init(spec: NodeSpec, durable: Durable, ctx: ZkCtx): ZkServer {
      return startServer(spec, durable, env(ctx));
    },

    onMessage(s, from, msg, conn, ctx) {
      const e = env(ctx);
      if (msg.kind === 'NOTIFICATION') return onNotification(s, e, from, msg);
      if (conn === null) return;
      // packets on a learner connection
      if (msg.kind === 'FOLLOWERINFO' || msg.kind === 'OBSERVERINFO') return onLearnerInfo(s, e, from, conn, msg);
      const h = s.leader?.handlers[from];
      if (h && h.conn === conn) {
        touchLearner(s, e, h);
        if (msg.kind === 'ACKEPOCH') return onAckEpoch(s, e, h, msg);
        if (msg.kind === 'ACK' && h.stage === 'NEWLEADER') return onNewLeaderAck(s, e, h, msg.zxid);
        return; // PING replies and other ACKs only prove the learner alive
      }
      const ln = s.learner;
      if (!ln || ln.conn !== conn) return;
      ctx.setTimer('leaderSilence', (s.zabState === 'BROADCAST' ? cfg.timing.syncLimit : cfg.timing.initLimit) * cfg.timing.tickTime);
      switch (msg.kind) {
        case 'LEADERINFO':
          return onLeaderInfo(s, e, msg);
        case 'DIFF':
        case 'TRUNC':
        case 'SNAP':
          return onSyncMode(s, e, msg);
        case 'NEWLEADER':
          return onNewLeader(s, e, msg);
        case 'UPTODATE':
          return onUpToDate(s, e);
        case 'PING':
          return onPing(s, e, msg.zxid);
      }
    },

    onTimer(s, name, ctx) {
      const e = env(ctx);
      switch (name) {
        case 'poll':
          return onPollTimeout(s, e);
        case 'finalize':
          return onFinalizeTimeout(s, e);
        case 'observerDelay':
          return lookForLeader(s, e);
        case 'connectRetry':
          return tryConnect(s, e);
        case 'tick':
          return onLeaderTick(s, e);
        case 'leaderWait':
          return goLooking(s, e, leaderWaitReason(s));
        case 'leaderSilence':
          return goLooking(s, e, `no packet from leader ${s.learner?.leader} within ${s.zabState === 'BROADCAST' ? 'syncLimit' : 'initLimit'} ticks`);
      }
    },

    onDisk(s, tag, ok, ctx) {
      const e = env(ctx);
      if (tag === 'leader.acceptedEpoch') return onLeaderAcceptedEpochWritten(s, e, ok);
      if (tag === 'leader.currentEpoch') return onLeaderCurrentEpochWritten(s, e, ok);
      if (tag === 'learner.acceptedEpoch') return onLearnerAcceptedEpochWritten(s, e, ok);
      if (tag.startsWith('learner.newleader:')) return onNewLeaderWritten(s, e, ok, Number(tag.slice(18)));
    },

    onClosed(s, conn, _peer, ctx) {
      const e = env(ctx);
      if (s.leader) return onLearnerClosed(s, e, conn);
      if (s.learner) return onLeaderClosed(s, e, conn);
    },

    onClient(_s, op, ctx) {
      ctx.note(`write #${op.reqId} refused: atomic broadcast is not implemented yet`);
    },

    isClientTarget(s) {
      return s.state === 'LEADING' && !!s.leader?.established;
    },

    label(msg) {
      switch (msg.kind) {
        case 'NOTIFICATION':
          return `(${msg.peerEpoch < 0 ? '—' : msg.peerEpoch}, ${zxidShort(msg.zxid)}, ${msg.leader === NO_SID ? '—' : msg.leader})`;
        case 'FOLLOWERINFO':
        case 'OBSERVERINFO':
          return `acceptedEpoch ${msg.acceptedEpoch}`;
        case 'LEADERINFO':
        case 'NEWLEADER':
        case 'DIFF':
        case 'TRUNC':
        case 'SNAP':
        case 'ACK':
        case 'PING':
          return zxidShort(msg.zxid);
        case 'ACKEPOCH':
          return `${msg.currentEpoch}, ${zxidShort(msg.zxid)}`;
        case 'UPTODATE':
          return '';
      }
    },

    view(s): ZkView {
      const e = s.election;
      const tick = s.leader?.tick ?? 0;
      const toView = (sid: string, v: ZkServer['currentVote']) => ({
        sid: Number(sid),
        vote: { leader: v.leader, zxid: v.zxid, peerEpoch: v.peerEpoch, electionEpoch: v.electionEpoch },
        state: v.state,
      });
      return {
        id: s.id,
        role: s.voter ? 'voter' : 'observer',
        state: s.state,
        zabState: s.zabState,
        leader: s.state === 'LOOKING' ? null : s.currentVote.leader,
        electionEpoch: e.logicalclock,
        acceptedEpoch: s.acceptedEpoch,
        currentEpoch: s.currentEpoch,
        lastZxid: s.lastZxid,
        vote: { leader: e.proposedLeader === NO_SID ? null : e.proposedLeader, zxid: e.proposedZxid, peerEpoch: e.proposedEpoch, electionEpoch: e.logicalclock },
        finalizing: e.finalizing,
        notTimeout: e.notTimeout,
        recvset: Object.entries(e.recvset).map(([k, v]) => toView(k, v)),
        outofelection: Object.entries(e.outofelection).map(([k, v]) => toView(k, v)),
        agreeing: s.state === 'LOOKING' ? agreeing(e.recvset, proposal(s)) : [],
        learners: s.leader ? Object.values(s.leader.handlers).map((h) => ({ sid: h.sid, stage: h.stage, synced: tick <= h.tickOfNextAckDeadline })) : [],
        lastReason: s.lastReason,
      };
    },
  };
}

function leaderWaitReason(s: ZkServer): string {
  const l = s.leader;
  if (!l || l.epochState !== 'fixed') return 'timeout while waiting for epoch from quorum';
  if (!l.electionFinished) return 'timeout while waiting for epoch to be acked by quorum';
  return 'timeout while waiting for NEWLEADER to be acked by quorum';
}
