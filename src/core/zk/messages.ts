import { codeOf, foldInt, foldKind, messageCode, SMALL } from '../sim/traceHash';
import type { NodeId } from '../sim/types';
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
  /** the leader's whole data tree at zxid (here: the committed zxids it holds) */
  | { kind: 'SNAP'; zxid: Zxid; history: Zxid[] }
  | { kind: 'PROPOSAL'; zxid: Zxid }
  | { kind: 'COMMIT'; zxid: Zxid }
  /** a committed txn, to an observer */
  | { kind: 'INFORM'; zxid: Zxid }
  | { kind: 'NEWLEADER'; zxid: Zxid }
  | { kind: 'UPTODATE' }
  | { kind: 'ACK'; zxid: Zxid }
  | { kind: 'PING'; zxid: Zxid };

export type ZkMessage = Notification | QuorumPacket;

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
