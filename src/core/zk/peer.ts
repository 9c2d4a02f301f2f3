/**
 * QuorumPeer: a server's life between roles. After an election it runs lead(), followLeader()
 * or observeLeader(); when that role ends, for whatever reason, it goes back to LOOKING.
 */
import type { Durable, NodeSpec } from '../sim/types';
import { connectToLeader, lead } from './discovery';
import { lookForLeader } from './election';
import type { Env, ZkServer } from './state';
import { epochOf, type Zxid } from './zxid';

export interface LogEntry {
  zxid: Zxid;
}

/** Durable keys, named after the files of a real dataDir. */
export const DISK = {
  acceptedEpoch: 'acceptedEpoch',
  currentEpoch: 'currentEpoch',
  log: 'log',
  snapshot: 'snapshot',
} as const;

/** What is on disk: the last logged zxid is the newer of the snapshot's and the log's last. */
export function lastLoggedZxid(d: Durable): Zxid {
  const log = (d[DISK.log] as LogEntry[] | undefined) ?? [];
  const snap = (d[DISK.snapshot] as Zxid | undefined) ?? 0;
  return Math.max(snap, log.length ? log[log.length - 1]!.zxid : 0);
}

/**
 * QuorumPeer.start: loadDataBase, then LOOKING. A missing epoch file is created from the
 * epoch of the last logged zxid, as ZooKeeper does on first start.
 */
export function startServer(spec: NodeSpec, d: Durable, env: Env): ZkServer {
  const lastZxid = lastLoggedZxid(d);
  const currentEpoch = (d[DISK.currentEpoch] as number | undefined) ?? epochOf(lastZxid);
  const acceptedEpoch = (d[DISK.acceptedEpoch] as number | undefined) ?? epochOf(lastZxid);
  const voter = env.qv.isVoter(spec.id);
  const s: ZkServer = {
    id: spec.id,
    voter,
    state: 'LOOKING',
    zabState: 'ELECTION',
    acceptedEpoch,
    currentEpoch,
    lastZxid,
    currentVote: { leader: spec.id, zxid: lastZxid, electionEpoch: -1, peerEpoch: currentEpoch, state: 'LOOKING' },
    election: {
      logicalclock: 0,
      proposedLeader: spec.id,
      proposedZxid: lastZxid,
      proposedEpoch: currentEpoch,
      recvset: {},
      outofelection: {},
      notTimeout: env.cfg.timing.minNotificationInterval,
      finalizing: false,
    },
    leader: null,
    learner: null,
    lastReason: null,
  };
  lookForLeader(s, env);
  return s;
}

/** The election decided our state: take up the role. */
export function startRole(s: ZkServer, env: Env): void {
  if (s.state === 'LEADING') lead(s, env);
  else connectToLeader(s, env);
}

/**
 * The role ended (lost quorum, leader gone, timeout, protocol error): shut it down, closing
 * every quorum connection, and start a new election. An observer first waits a random delay
 * (zookeeper.observer.election.DelayMs) so that observers do not stampede the new leader.
 */
export function goLooking(s: ZkServer, env: Env, reason: string): void {
  const { ctx } = env;
  if (s.leader) for (const h of Object.values(s.leader.handlers)) ctx.close(h.conn);
  if (s.learner?.conn != null) ctx.close(s.learner.conn);
  s.leader = null;
  s.learner = null;
  for (const t of ['leaderWait', 'tick', 'leaderSilence', 'connectRetry']) ctx.cancelTimer(t);
  s.state = 'LOOKING';
  s.zabState = 'ELECTION';
  s.lastReason = reason;
  ctx.note(`goes LOOKING: ${reason}`);
  if (!s.voter) {
    ctx.setTimer('observerDelay', Math.floor(ctx.random() * env.cfg.timing.observerElectionDelay));
    return;
  }
  lookForLeader(s, env);
}
