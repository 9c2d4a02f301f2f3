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
