/**
 * ZooKeeper as a simulator Protocol: routes each message, timer, disk completion and closed
 * connection to the handler named after ZooKeeper's own action.
 */
import type { Ctx, Durable, NodeId, NodeSpec, Note, Protocol } from '../sim/types';
import { clientName } from '../sim/actions';
import { connectToLeader, lead, onLearnerClosed, onAckEpoch, onLeaderAcceptedEpochWritten, onLeaderClosed, onLeaderInfo, onLearnerAcceptedEpochWritten, onLearnerInfo, tryConnect } from './discovery';
import { NO_SID, lookForLeader, onFinalizeTimeout, onNotification, onPollTimeout } from './election';
import type { ZkConfig } from './config';
import { zkMessageCode, type ServerState, type ZabState, type ZkMessage } from './messages';
import { goLooking, onSnapshotWritten, startServer } from './peer';
import { QuorumVerifier } from './quorum';
import type { Env, LastSync, ZkDisk, ZkServer } from './state';
import { onLeaderCurrentEpochWritten, onNewLeader, onNewLeaderAck, onNewLeaderWritten, onSyncCommit, onSyncMode, onSyncProposal, onTruncWritten, onUpToDate } from './sync';
import { isSynced, logProposal, onClientWrite, onCommit, onInform, onLearnerAck, onLearnerPing, onLeaderTick, onLearnerSilent, onPing, onRevalidate, onTxnLogged, revalidate, submitRequest, touchLearner, touchSession } from './broadcast';
import { clientView, newClient, onClientClosed, onClientMessage, onClientTimer, onCommand, type ZkClient } from './client';
import { finishSessionInit, onClientRequest, onCnxnClosed, onConnectRequest, syncDone, type Submit } from './cnxn';
import { dataTree, hasBodies, listTree, txnLabel } from './datatree';
import { agreeing } from './vote';
import { proposal } from './election';
import { lastOf, makeZxid, zxidShort } from './zxid';

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
  /** voters needed for a quorum (a majority of the configured voters) */
  quorumSize: number;
  /** on a leader: its learners and where each is */
  learners: { sid: NodeId; stage: string; synced: boolean; syncMode: string | null }[];
  lastReason: Note | null;
  /** the last sync its leader chose for it, since the process started */
  lastSync: LastSync | null;
  /** last txn applied to the data tree */
  committedZxid: number;
  /** txns in the log on disk */
  logLength: number;
  /** the log's tail, oldest first; the first `logCommitted` of them are committed (applied) */
  logTail: number[];
  logCommitted: number;
  /** on a leader: proposals waiting for a quorum of ACKs */
  outstanding: { zxid: number; acks: NodeId[] }[];
  /** on a learner: when it last heard from its leader, and how long it waits before giving up */
  lastHeard: number | null;
  readTimeout: number;
  /** the data tree's znodes, by path, and its live sessions (empty in a run without clients) */
  znodes: { path: string; data: string; version: number; owner: string | null }[];
  sessions: string[];
  /** the clients connected to it (their node ids) */
  clients: NodeId[];
}

export type ZkCtx = Ctx<ZkMessage, ZkDisk>;

/** A node of a ZooKeeper run: a server, or a client of the ensemble. */
export type ZkNode = ZkServer | ZkClient;

/**
 * QuorumPeer.run: the election decided our state, so take up the role (lead(), followLeader(),
 * observeLeader()). When a role ends it calls goLooking (peer.ts), which starts a new election.
 */
function startRole(s: ZkServer, env: Env): void {
  if (s.state === 'LEADING') lead(s, env);
  else connectToLeader(s, env);
}

/**
 * What a server does with a client's request or session that needs the leader: the leader
 * submits it to itself; a learner forwards it (REQUEST, REVALIDATE). See cnxn.ts.
 */
function toLeader(s: ZkServer, env: Env, x: Submit): void {
  if (s.state === 'LEADING') {
    if (x.kind === 'revalidate') return finishSessionInit(s, env, x.conn, revalidate(s, env, x.session, s.id));
    if (x.kind === 'createSession') return submitRequest(s, env, s.id, x.session, 0, { op: 'createSession', timeout: x.timeout });
    // LeaderZooKeeperServer's CommitProcessor does not match syncs (matchSyncs off): a sync of
    // the leader's own client waits only behind its session's writes, as a read does
    if (x.body.op === 'sync') return syncDone(s, env, x.conn);
    return submitRequest(s, env, s.id, x.session, x.cxid, x.body, x.conn);
  }
  const ln = s.learner;
  if (!ln || ln.conn === null) return;
  if (x.kind === 'revalidate') {
    ln.revalidating[x.session] = x.conn;
    return env.ctx.sendOn(ln.conn, { kind: 'REVALIDATE', session: x.session, timeout: x.timeout });
  }
  if (x.kind === 'createSession') return env.ctx.sendOn(ln.conn, { kind: 'REQUEST', session: x.session, cxid: 0, req: { op: 'createSession', timeout: x.timeout } });
  if (x.body.op === 'sync') ln.pendingSyncs.push(x.conn);
  env.ctx.sendOn(ln.conn, { kind: 'REQUEST', session: x.session, cxid: x.cxid, req: x.body });
}

export function createZab(cfg: ZkConfig): Protocol<ZkNode, ZkMessage, ZkView, ZkDisk> {
  const qv = new QuorumVerifier(cfg.voters);
  // one Env per server context, made once (handlers run millions of times)
  // (indexed by myid: an array read is cheaper than a Map lookup keyed by an object)
  const envs: Env[] = [];
  const env = (ctx: ZkCtx): Env => {
    let e = envs[ctx.self];
    if (!e || e.ctx !== ctx) envs[ctx.self] = e = { cfg, qv, ctx };
    return e;
  };

  return {
    name: 'zab',
    appendOnly: { state: ['history', 'log'], durable: ['log', 'txnBodies'] },
    // notifications travel on QuorumCnxManager's TCP connections: loss delays them
    quorumCnx: true,

    init(spec: NodeSpec, durable: Durable, ctx: ZkCtx): ZkNode {
      if (spec.role === 'client') return newClient(spec);
      return startServer(spec, durable, env(ctx));
    },

    onCommand(s, cmd, ctx) {
      if (s.kind === 'client') onCommand(s, cmd, ctx);
    },

    onMessage(s, from, msg, conn, ctx) {
      if (s.kind === 'client') return onClientMessage(s, msg, conn, ctx);
      const e = env(ctx);
      if (msg.kind === 'NOTIFICATION') {
        if (onNotification(s, e, from, msg)) startRole(s, e);
        return;
      }
      if (conn === null) return;
      // packets on a learner connection
      if (msg.kind === 'FOLLOWERINFO' || msg.kind === 'OBSERVERINFO') return onLearnerInfo(s, e, from, conn, msg);
      const h = s.leader?.handlers[from];
      if (h && h.conn === conn) {
        touchLearner(s, e, h);
        if (msg.kind === 'ACKEPOCH') return onAckEpoch(s, e, h, msg);
        if (msg.kind === 'ACK') {
          if (h.stage === 'NEWLEADER' && msg.zxid === makeZxid(s.leader!.epoch, 0)) return onNewLeaderAck(s, e, h, msg.zxid);
          return onLearnerAck(s, e, h, msg.zxid);
        }
        if (msg.kind === 'REQUEST') return h.stage === 'UPTODATE' ? submitRequest(s, e, h.sid, msg.session, msg.cxid, msg.req) : undefined;
        if (msg.kind === 'REVALIDATE') return onRevalidate(s, e, h, msg.session, msg.timeout);
        // a PING reply proves the learner alive, and carries its clients' session touches
        if (msg.kind === 'PING') return onLearnerPing(s, e, msg.touches);
        return;
      }
      // a client's connection: its first packet, then its requests (after the quorum's packets, the hot path)
      if (msg.kind === 'ConnectRequest') {
        const x = onConnectRequest(s, e, from, conn, msg);
        return x ? toLeader(s, e, x) : undefined;
      }
      if (msg.kind === 'ClientRequest') {
        const c = s.cnxns[conn];
        // ZooKeeperServer.submitRequestNow: a request of a session that is closing or gone is dropped, unanswered
        if (c && c.established && s.state === 'LEADING' && msg.body.op !== 'ping' && !touchSession(s, e, c.session)) return e.ctx.note('client.dropped', { client: clientName(c.client) });
        const x = onClientRequest(s, e, conn, msg);
        return x ? toLeader(s, e, x) : undefined;
      }
      const ln = s.learner;
      if (!ln || ln.conn !== conn) return;
      ln.lastHeard = ctx.now;
      ctx.setTimer('leaderSilence', cfg.timing[ln.readLimit] * cfg.timing.tickTime);
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
        case 'PROPOSAL':
          return s.zabState === 'BROADCAST' ? logProposal(s, e, msg.zxid, msg.txn) : onSyncProposal(s, e, msg.zxid, msg.txn);
        case 'COMMIT':
          return s.zabState === 'BROADCAST' ? onCommit(s, e, msg.zxid) : onSyncCommit(s, e, msg.zxid);
        case 'INFORM':
          if (s.zabState === 'BROADCAST') return onInform(s, e, msg.zxid, msg.txn);
          onSyncProposal(s, e, msg.zxid, msg.txn);
          return onSyncCommit(s, e, msg.zxid);
        case 'SYNC': {
          // FollowerZooKeeperServer.sync: the oldest sync waiting is answered
          const c = ln.pendingSyncs.shift();
          return c === undefined ? undefined : syncDone(s, e, c);
        }
        case 'REVALIDATE': {
          const c = ln.revalidating[msg.session];
          if (c === undefined) return;
          delete ln.revalidating[msg.session];
          return finishSessionInit(s, e, c, msg.valid === true);
        }
      }
    },

    onTimer(s, name, ctx) {
      if (s.kind === 'client') return onClientTimer(s, name, ctx);
      const e = env(ctx);
      if (name.startsWith('learnerSilence.')) return onLearnerSilent(s, e, name);
      switch (name) {
        case 'poll':
          return onPollTimeout(s, e);
        case 'finalize':
          if (onFinalizeTimeout(s, e)) startRole(s, e);
          return;
        case 'observerDelay':
          return lookForLeader(s, e);
        case 'connectRetry':
          return tryConnect(s, e);
        case 'tick':
          return onLeaderTick(s, e);
        case 'leaderWait':
          return goLooking(s, e, leaderWaitReason(s));
        case 'leaderSilence':
          return goLooking(s, e, { code: 'leaderSilent', args: { leader: s.learner?.leader ?? '—', limit: s.learner?.readLimit ?? 'initLimit' } });
      }
    },

    onDisk(s, then, ok, ctx) {
      if (s.kind === 'client') return;
      const e = env(ctx);
      switch (then.kind) {
        case 'txn':
          return onTxnLogged(s, e, then.zxid, ok);
        case 'leader.acceptedEpoch':
          return onLeaderAcceptedEpochWritten(s, e, ok);
        case 'leader.currentEpoch':
          return onLeaderCurrentEpochWritten(s, e, ok);
        case 'learner.acceptedEpoch':
          return onLearnerAcceptedEpochWritten(s, e, ok);
        case 'learner.newleader':
          return onNewLeaderWritten(s, e, ok, then);
        case 'trunc':
          return onTruncWritten(s, e, ok, then);
        case 'snapshot':
          return onSnapshotWritten(s, e, ok, then.zxid);
        case 'startup.epochs':
          return;
      }
    },

    diskLabel(then) {
      // the event log's words, as they were when these were string tags
      switch (then.kind) {
        case 'txn':
          return `txn:${then.zxid}`;
        case 'learner.newleader':
          return `learner.newleader:${then.zxid}:${then.snapshot ? 1 : 0}:${then.logged.join(',')}`;
        default:
          return then.kind;
      }
    },

    onClosed(s, conn, _peer, ctx, refused) {
      if (s.kind === 'client') return onClientClosed(s, conn, ctx);
      const e = env(ctx);
      if (s.cnxns[conn]) return onCnxnClosed(s, conn);
      if (s.leader) return onLearnerClosed(s, e, conn);
      if (s.learner) return onLeaderClosed(s, e, conn, refused === true);
    },

    onClient(s, op, ctx) {
      if (s.kind === 'server') onClientWrite(s, env(ctx), op);
    },

    isClientTarget(s) {
      return s.kind === 'server' && s.state === 'LEADING' && !!s.leader?.established;
    },

    companionOf(s) {
      return s.kind === 'client' ? s.server : null;
    },

    viewClient(s) {
      return s.kind === 'client' ? clientView(s) : { id: s.id, role: 'client', state: 'NONE' };
    },

    messageCode: zkMessageCode,
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
        case 'COMMIT':
          return zxidShort(msg.zxid);
        case 'PROPOSAL':
        case 'INFORM':
          return msg.txn ? `${zxidShort(msg.zxid)} ${txnLabel(msg.txn)}` : zxidShort(msg.zxid);
        // (a session id is left out of a label: written in hex it reads as a zxid on the page)
        case 'REQUEST':
          return `${msg.req.op}${'path' in msg.req ? ' ' + msg.req.path : ''}`;
        case 'SYNC':
          return '';
        case 'REVALIDATE':
          return msg.valid === undefined ? '' : msg.valid ? 'valid' : 'expired';
        case 'ConnectRequest':
          return `${msg.session ? 'resume' : 'new'}, seen ${zxidShort(msg.lastZxidSeen)}`;
        case 'ConnectResponse':
          return msg.timeout > 0 ? `${msg.timeout} ms` : 'expired';
        case 'ClientRequest':
          return `${msg.body.op}${'path' in msg.body ? ' ' + msg.body.path : ''}`;
        case 'ClientReply':
          return `${msg.err} ${zxidShort(msg.zxid)}${msg.data !== undefined ? ` "${msg.data}"` : ''}`;
        case 'ACKEPOCH':
          return `${msg.currentEpoch}, ${zxidShort(msg.zxid)}`;
        case 'UPTODATE':
          return '';
      }
    },

    view(s_, _durable, detail = true): ZkView {
      // a client node is shown by viewClient; the simulator never asks its view here
      const s = s_ as ZkServer;
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
        recvset: detail ? Object.entries(e.recvset).map(([k, v]) => toView(k, v)) : [],
        outofelection: detail ? Object.entries(e.outofelection).map(([k, v]) => toView(k, v)) : [],
        agreeing: s.state === 'LOOKING' ? agreeing(e.recvset, proposal(s)).filter((sid) => qv.isVoter(sid)) : [],
        quorumSize: qv.size,
        learners: s.leader && detail ? Object.values(s.leader.handlers).map((h) => ({ sid: h.sid, stage: h.stage, synced: isSynced(tick, h), syncMode: h.syncMode })) : [],
        lastReason: s.lastReason,
        lastSync: s.lastSync,
        committedZxid: lastOf(s.history, s.snapZxid),
        logLength: s.log.length,
        ...logTail(s, detail ? LOG_TAIL : 8),
        lastHeard: s.learner ? s.learner.lastHeard : null,
        readTimeout: cfg.timing[s.learner?.readLimit ?? 'initLimit'] * cfg.timing.tickTime,
        outstanding: s.leader && detail ? s.leader.outstanding.map((p) => ({ zxid: p.zxid, acks: [...p.acks] })) : [],
        ...treeView(s),
      };
    },
  };
}

const LOG_TAIL = 24;

/** The tree's content for the inspector: only where some txn has a body (a run with clients). */
function treeView(s: ZkServer): Pick<ZkView, 'znodes' | 'sessions' | 'clients'> {
  const clients = Object.values(s.cnxns).map((c) => c.client);
  if (hasBodies(s)) return { ...listTree(dataTree(s)), clients };
  return { znodes: [], sessions: [], clients };
}

/**
 * The last txns of the log (or of the tree, where a snapshot replaced the log), with commit marks:
 * the two sorted arrays merged from their ends, so a snapshot of 45 servers reads 8 entries each.
 */
function logTail(s: ZkServer, n: number): { logTail: number[]; logCommitted: number } {
  const h = s.history;
  const log = s.log;
  let i = h.length - 1;
  let j = log.length - 1;
  const zs: number[] = [];
  const applied: boolean[] = [];
  while (zs.length < n && (i >= 0 || j >= 0)) {
    const a = i >= 0 ? h[i]! : -Infinity;
    const b = j >= 0 ? log[j]! : -Infinity;
    const z = Math.max(a, b);
    if (a === z) i--;
    if (b === z) j--;
    zs.push(z);
    applied.push(a === z);
  }
  zs.reverse();
  applied.reverse();
  // committed txns are applied in zxid order, so they come first in the sorted tail
  const committed = lastOf(h, s.snapZxid);
  let k = 0;
  while (k < zs.length && zs[k]! <= committed && applied[k]) k++;
  return { logTail: zs, logCommitted: k };
}

function leaderWaitReason(s: ZkServer): Note {
  const l = s.leader;
  if (!l || l.epochState !== 'fixed') return { code: 'waitEpoch' };
  if (!l.electionFinished) return { code: 'waitEpochAck' };
  return { code: 'waitNewLeaderAck' };
}
