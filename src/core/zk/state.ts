import type { Ctx, NodeId, Note } from '../sim/types';
import type { ZkConfig } from './config';
import type { ServerState, ZabState, ZkMessage } from './messages';
import type { QuorumVerifier } from './quorum';
import type { ClientOpBody, KeeperErr, SessionId, Txn } from './datatree';
import type { Zxid } from './zxid';

/** Vote.java: what a server proposes, follows or leads, and the round it was cast in. */
export interface Vote {
  leader: NodeId;
  zxid: Zxid;
  electionEpoch: number;
  peerEpoch: number;
  state: ServerState;
}

/** FastLeaderElection's per-election variables (lookForLeader's locals and fields). */
export interface ElectionState {
  /** the election round; in memory only, so a restarted server starts again from 0 */
  logicalclock: number;
  proposedLeader: NodeId;
  proposedZxid: Zxid;
  proposedEpoch: number;
  /** sid → latest vote received in the current round */
  recvset: Record<NodeId, Vote>;
  /** sid → votes of FOLLOWING / LEADING senders, any round */
  outofelection: Record<NodeId, Vote>;
  /** current poll timeout, doubled on each silent poll up to maxNotificationInterval */
  notTimeout: number;
  /** a quorum agrees with our proposal: waiting finalizeWait for a better vote */
  finalizing: boolean;
}

/**
 * ZooKeeper's SyncLimitCheck keeps two slots, not a list: the proposal it waits on an ACK for and
 * the latest one sent after it. When the first is ACKed the latest takes its place, so with many
 * proposals in flight the age measured is the latest one's, as in ZooKeeper. null: none. It
 * starts once the learner has ACKed NEWLEADER: proposals forwarded during sync are not timed.
 */
export interface SyncLimitCheck {
  started: boolean;
  current: Zxid | null;
  currentAt: number;
  next: Zxid | null;
  nextAt: number;
}

/** One LearnerHandler on the leader. */
export interface LearnerHandler {
  sid: NodeId;
  conn: number;
  observer: boolean;
  /** where this handler is in Discovery / Synchronization / Broadcast */
  stage: 'FOLLOWERINFO' | 'LEADERINFO' | 'ACKEPOCH' | 'NEWLEADER' | 'UPTODATE';
  peerLastZxid: Zxid;
  /** the learner's currentEpoch from ACKEPOCH (−1: it had already accepted our epoch) */
  peerCurrentEpoch: number;
  syncMode: 'DIFF' | 'TRUNC' | 'SNAP' | null;
  /** LearnerHandler.SyncLimitCheck: how old the proposal this learner owes an ACK is */
  syncLimitCheck: SyncLimitCheck;
  /** the leader tick by which this learner must have sent something (LearnerHandler.synced) */
  tickOfNextAckDeadline: number;
  /** the timer standing for the handler's socket read timeout (see broadcast.ts onLearnerSilent) */
  silenceTimer: string;
  /** when the learner last sent anything */
  heardAt: number;
}

/** Leader.java's state for one lead() call. */
export interface LeaderState {
  /** candidate epoch: max over connecting acceptedEpochs + 1 (getEpochToPropose) */
  epoch: number;
  /** 'waiting' for a quorum of FOLLOWERINFO, 'persisting' acceptedEpoch, then 'fixed' */
  epochState: 'waiting' | 'persisting' | 'fixed';
  connectingFollowers: NodeId[];
  electingFollowers: NodeId[];
  /** waitForEpochAck finished; currentEpoch may still be being written */
  electionFinished: boolean;
  newLeaderAcks: NodeId[];
  /** a quorum acked NEWLEADER and the server is running (startZkServer) */
  established: boolean;
  /** (currentEpoch, lastZxid) when lead() started: no learner may be ahead of it */
  summaryEpoch: number;
  summaryZxid: Zxid;
  handlers: Record<NodeId, LearnerHandler>;
  tick: number;
  tickSkip: boolean;
  /** the last zxid given to a proposal (makeZxid(epoch, 0) before any) */
  lastProposed: Zxid;
  /** the last zxid committed by this leader */
  lastCommitted: Zxid;
  /** proposals not yet committed, in zxid order, with the voters that ACKed each */
  outstanding: Proposal[];
  /**
   * The leader's SessionTracker: each live session's timeout, when it expires unless touched, and
   * the server its client is connected through (its owner: null until a request or a
   * revalidation names one). Rebuilt from the tree's sessions when the leader starts serving, each
   * given a whole timeout.
   */
  sessions: Record<string, { timeout: number; expiresAt: number; owner: NodeId | null }>;
  /** syncs waiting for a proposal's commit (Leader.pendingSyncs): the learner to answer, or the leader itself */
  pendingSyncs: { zxid: Zxid; sid: NodeId }[];
}

export interface Proposal {
  zxid: Zxid;
  acks: NodeId[];
  /** the leader's own log write completed */
  logged: boolean;
  proposedAt: number;
}

/** A learner's (follower's or observer's) link to its leader. */
export interface LearnerState {
  leader: NodeId;
  conn: number | null;
  connectTries: number;
  connectStartedAt: number;
  newEpoch: number;
  syncMode: 'DIFF' | 'TRUNC' | 'SNAP' | null;
  /** when the last packet from the leader arrived (the read timeout counts from it) */
  lastHeard: number;
  /** the socket read timeout, in ticks: initLimit until NEWLEADER arrives, syncLimit from then on */
  readLimit: 'initLimit' | 'syncLimit';
  /**
   * NEWLEADER has arrived (Learner.syncWithLeader sets writeToTxnLog and the sync mode NONE on
   * receipt): COMMITs no longer go straight to the tree, and an aborted SNAP no longer clears it
   */
  newLeaderSeen: boolean;
  /** NEWLEADER was persisted and acked; now waiting for UPTODATE */
  newLeaderAcked: boolean;
  /**
   * A COMMIT that will throw ZOOKEEPER-4394's NullPointerException came while NEWLEADER was being
   * written: syncWithLeader reads it only once NEWLEADER is handled (and ACKed)
   */
  nullPointerAt: Zxid | null;
  /** SNAP or TRUNC: the tree is rebuilt, so a snapshot is taken at NEWLEADER */
  snapshotNeeded: boolean;
  /** proposals received during sync, not yet logged (packetsNotCommitted) */
  packetsNotLogged: Zxid[];
  /** COMMITs received during sync, applied at UPTODATE (packetsCommitted) */
  packetsCommitted: Zxid[];
  /** logged proposals awaiting their COMMIT, oldest first (FollowerZooKeeperServer.pendingTxns) */
  pendingTxns: Zxid[];
  /** sessions its clients touched since the last PING (LearnerSessionTracker's touchTable): id → timeout */
  touches: Record<string, number>;
  /** client connections whose sync waits for the leader's SYNC, oldest first (FollowerZooKeeperServer.pendingSyncs) */
  pendingSyncs: number[];
  /** sessions being revalidated with the leader: id → the client connection that asked */
  revalidating: Record<string, number>;
}

/** A request a server received from a client, answered in the order received (CommitProcessor). */
export interface ServedRequest {
  xid: number;
  body: ClientOpBody;
  /** a write's or sync's outcome once committed here (or the SYNC came); reads need none */
  done: { err: KeeperErr; zxid: Zxid } | null;
}

/** A client connected to this server (ServerCnxn). */
export interface ServerCnxn {
  conn: number;
  client: NodeId;
  /** the session; `established` once its createSession committed here, or the leader revalidated it */
  session: SessionId;
  timeout: number;
  established: boolean;
  queue: ServedRequest[];
}

/** One ZooKeeper server (QuorumPeer). Plain data: the simulator clones it for checkpoints. */
export interface ZkServer {
  kind: 'server';
  id: NodeId;
  voter: boolean;
  state: ServerState;
  zabState: ZabState;
  /** in-memory copies of dataDir/version-2/acceptedEpoch and currentEpoch */
  acceptedEpoch: number;
  currentEpoch: number;
  /** the data tree's lastProcessedZxid (what FastLeaderElection votes with) */
  lastZxid: Zxid;
  /** the data tree: the txns applied, in order (the tree's content is not modelled, only which txns made it) */
  history: Zxid[];
  /** in-memory mirror of the txn log on disk (log.<zxid> files): every logged txn, committed or not */
  log: Zxid[];
  /**
   * The first zxid of each log file. FileTxnLog starts a new file at the first append of a process,
   * after a roll (every snapshot of SyncRequestProcessor) and after a truncate; `newLogFile` says
   * the next append starts one.
   */
  logFiles: Zxid[];
  newLogFile: boolean;
  /** the zxid of the last snapshot on disk */
  snapZxid: Zxid;
  /**
   * ZKDatabase.committedLog starts at history[committedFrom] (its last commitLogCount entries
   * count): what was replayed from the log after the snapshot when the tree was last loaded, and
   * every txn committed since. A SNAP clears it; txns applied straight to the tree during a sync
   * (before NEWLEADER) never enter it. See tree.ts committedLog.
   */
  committedFrom: number;
  /** SyncRequestProcessor's snapshot trigger: txns logged since the last snapshot, and its random share (−1: not drawn yet) */
  logCount: number;
  randRoll: number;
  /** txns handed to the log but not yet on disk (SyncRequestProcessor's queue) */
  unflushed: Zxid[];
  /** QuorumPeer.currentVote: the outcome of the last election (updated after sync) */
  currentVote: Vote;
  election: ElectionState;
  leader: LeaderState | null;
  learner: LearnerState | null;
  /** why this server last went back to LOOKING, for the inspector */
  lastReason: Note | null;
  /**
   * The last sync its leader chose for it, as Learner.syncWithLeader logs it on receipt ("Getting
   * a diff from the leader 0x…", "Truncating log to get in sync with the leader 0x…", "Getting a
   * snapshot from leader 0x…"): kept across elections, gone with the process.
   */
  lastSync: LastSync | null;
  /** txn bodies by zxid, for the txns clients' requests made (a bare `write` has none); null while there is none */
  bodies: Record<number, Txn> | null;
  /** the clients connected to this server, by connection; all closed when its role ends */
  cnxns: Record<number, ServerCnxn>;
  /** the counter of the session ids this server hands out (SessionTrackerImpl.initializeNextSessionId) */
  nextSession: number;
}

/** A sync as the learner received it: the mode, the packet's zxid, and from which leader. */
export interface LastSync {
  mode: 'DIFF' | 'TRUNC' | 'SNAP';
  zxid: Zxid;
  leader: NodeId;
}

/**
 * What a server does once a write is on disk: ZooKeeper's persist-then-act steps, each handed
 * back to onDisk (zab.ts) and resumed by the handler named in its comment.
 */
export type ZkDisk =
  /** SyncRequestProcessor flushed a txn: ACK it (broadcast.ts onTxnLogged) */
  | { kind: 'txn'; zxid: Zxid }
  /** the leader's acceptedEpoch: send LEADERINFO (discovery.ts onLeaderAcceptedEpochWritten) */
  | { kind: 'leader.acceptedEpoch' }
  /** the leader's currentEpoch (sync.ts onLeaderCurrentEpochWritten) */
  | { kind: 'leader.currentEpoch' }
  /** a snapshot of the tree at zxid: Leader.lead's, or SyncRequestProcessor's every ~snapCount txns (peer.ts onSnapshotWritten) */
  | { kind: 'snapshot'; zxid: Zxid }
  /** a learner's acceptedEpoch: send ACKEPOCH (discovery.ts onLearnerAcceptedEpochWritten) */
  | { kind: 'learner.acceptedEpoch' }
  /** NEWLEADER's snapshot, txns and currentEpoch: ACK NEWLEADER (sync.ts onNewLeaderWritten) */
  | {
      kind: 'learner.newleader';
      zxid: Zxid;
      snapshot: boolean;
      /** the snapshot's zxid (with `snapshot`), whether it replaces the log (after SNAP), and the currentEpoch written */
      snapAt: Zxid;
      replacesLog: boolean;
      epoch: number;
      /** the sync's txns written with it (ZOOKEEPER-4785 and later), and those handed to the txn log after it (3.8.0) */
      logged: Zxid[];
      logAfter: Zxid[];
    }
  /** written with nothing to do after: epochs found missing at start-up */
  | { kind: 'startup.epochs' }
  /** a TRUNC's cut log, and what it cut, should the cut fail (sync.ts onTruncWritten) */
  | { kind: 'trunc'; cut: Zxid[] };

/** What every handler is given: the static configuration and the simulator's context. */
export interface Env {
  cfg: ZkConfig;
  qv: QuorumVerifier;
  ctx: Ctx<ZkMessage, ZkDisk>;
}
