import { codeOf, foldInt, foldKind, messageCode, SMALL } from '../sim/traceHash';
import type { NodeId } from '../sim/types';
import type { ClientOpBody, KeeperErr, SessionId, Txn, WriteOp } from './datatree';
import type { Zxid } from './zxid';

export type ServerState = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';
export type ZabState = 'ELECTION' | 'DISCOVERY' | 'SYNCHRONIZATION' | 'BROADCAST';

/**
 * A FastLeaderElection notification (FastLeaderElection.buildMsg). The sender's sid is not in
 * the payload in ZooKeeper (it comes from the connection); the simulator passes it as `from`.
 */
export interface Notification {
  kind: 'NOTIFICATION';
  /** the sid the sender proposes, follows or leads */
  leader: NodeId;
  zxid: Zxid;
  /** the sender's logicalclock */
  electionEpoch: number;
  peerEpoch: number;
  state: ServerState;
}

/** Quorum packets between a learner and its leader (Leader.java packet types). */
export type QuorumPacket =
  | { kind: 'FOLLOWERINFO' | 'OBSERVERINFO'; acceptedEpoch: number }
  | { kind: 'LEADERINFO'; zxid: Zxid }
  | { kind: 'ACKEPOCH'; currentEpoch: number; zxid: Zxid }
  | { kind: 'DIFF' | 'TRUNC'; zxid: Zxid }
  /** the leader's whole data tree at zxid: the committed zxids it holds and the bodies of those that have one */
  | { kind: 'SNAP'; zxid: Zxid; history: Zxid[]; bodies?: Record<number, Txn> }
  /** `txn`: the body, for a txn a client's request made (a bare `write` has none) */
  | { kind: 'PROPOSAL'; zxid: Zxid; txn?: Txn }
  | { kind: 'COMMIT'; zxid: Zxid }
  /** a committed txn, to an observer */
  | { kind: 'INFORM'; zxid: Zxid; txn?: Txn }
  | { kind: 'NEWLEADER'; zxid: Zxid }
  | { kind: 'UPTODATE' }
  | { kind: 'ACK'; zxid: Zxid }
  /** a learner's reply carries the sessions its clients touched since the last one (Learner.ping's touchTable) */
  | { kind: 'PING'; zxid: Zxid; touches?: Record<string, number> }
  /** a learner forwards a client's write, sync or new session to the leader (FollowerRequestProcessor) */
  | { kind: 'REQUEST'; session: SessionId; cxid: number; req: WriteOp | { op: 'sync' } | { op: 'createSession'; timeout: number } }
  /** the leader's answer to a learner's sync, once every earlier proposal is committed (Leader.sendSync) */
  | { kind: 'SYNC' }
  /** a learner asks the leader whether a reconnecting client's session is still alive (Learner.validateSession); the leader answers with `valid` */
  | { kind: 'REVALIDATE'; session: SessionId; timeout: number; valid?: boolean };

/** What a client and the server it is connected to say to each other (ClientCnxn, ServerCnxn). */
export type ClientPacket =
  /** the first packet on a client's connection: a new session (0) or the one to resume, and the last zxid it has seen */
  | { kind: 'ConnectRequest'; session: SessionId; timeout: number; lastZxidSeen: Zxid }
  /** timeout 0: the session has expired */
  | { kind: 'ConnectResponse'; session: SessionId; timeout: number }
  | { kind: 'ClientRequest'; xid: number; body: ClientOpBody }
  /** `zxid`: the txn's for a write, the server's last processed zxid otherwise (ReplyHeader) */
  | { kind: 'ClientReply'; xid: number; zxid: Zxid; err: KeeperErr; data?: string; version?: number };

export type ZkMessage = Notification | QuorumPacket | ClientPacket;

const PROPOSAL = foldKind(codeOf('PROPOSAL'));
const ACK = foldKind(codeOf('ACK'));
const COMMIT = foldKind(codeOf('COMMIT'));
const INFORM = foldKind(codeOf('INFORM'));
const PING = foldKind(codeOf('PING'));

/**
 * The trace hash's code for a message: messageCode's value, with the broadcast packets (most of a
 * run's messages) spelled out, since reading their one field by name is far cheaper than a walk.
 */
export function zkMessageCode(m: ZkMessage): number {
  switch (m.kind) {
    case 'PROPOSAL':
      return foldInt(PROPOSAL, m.zxid) & SMALL;
    case 'ACK':
      return foldInt(ACK, m.zxid) & SMALL;
    case 'COMMIT':
      return foldInt(COMMIT, m.zxid) & SMALL;
    case 'INFORM':
      return foldInt(INFORM, m.zxid) & SMALL;
    case 'PING':
      return foldInt(PING, m.zxid) & SMALL;
    default:
      return messageCode(m);
  }
}
