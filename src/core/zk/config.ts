import type { NodeId } from '../sim/types';

/** ZooKeeper's timing knobs, with the defaults of conf/zoo_sample.cfg and FastLeaderElection. */
export interface ZkTiming {
  tickTime: number;
  initLimit: number;
  syncLimit: number;
  /** FastLeaderElection.finalizeWait (hard-coded 200 ms in ZooKeeper) */
  finalizeWait: number;
  /** zookeeper.fastleader.minNotificationInterval (defaults to finalizeWait) */
  minNotificationInterval: number;
  /** zookeeper.fastleader.maxNotificationInterval */
  maxNotificationInterval: number;
  /** zookeeper.observer.election.DelayMs: an observer waits up to this before LOOKING again */
  observerElectionDelay: number;
  /** zookeeper.leaderConnectDelayDuringRetryMs */
  leaderConnectDelay: number;
  /** zookeeper.commitLogCount: committed proposals the leader keeps in memory for DIFF sync */
  commitLogCount: number;
  /** zookeeper.testingonly.initialZxid: a new leader's first counter (to reach rollover quickly) */
  initialZxidCounter: number;
}

export const DEFAULT_TIMING: ZkTiming = {
  tickTime: 2000,
  initLimit: 10,
  syncLimit: 5,
  finalizeWait: 200,
  minNotificationInterval: 200,
  maxNotificationInterval: 60_000,
  observerElectionDelay: 200,
  leaderConnectDelay: 100,
  commitLogCount: 500,
  initialZxidCounter: 0,
};

export interface ZkConfig {
  voters: NodeId[];
  observers: NodeId[];
  timing: ZkTiming;
}

/** Server ids 1..voters are voters, the next `observers` ids are observers. */
export function ensemble(voters: number, observers = 0, timing: Partial<ZkTiming> = {}): ZkConfig {
  const v = Array.from({ length: voters }, (_, i) => i + 1);
  const o = Array.from({ length: observers }, (_, i) => voters + i + 1);
  return { voters: v, observers: o, timing: { ...DEFAULT_TIMING, ...timing } };
}
