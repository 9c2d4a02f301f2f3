import type { NodeId, NodeSpec } from '../sim/types';

export type PaxosMode = 'basic' | 'multi';
export type PaxosRole = 'acceptor' | 'proposer' | 'learner';

/** Timers of the Paxos nodes, in simulated ms. */
export interface PaxosTiming {
  /** a proposer gives up a ballot whose phase 1 has no quorum of PROMISEs by then */
  prepareTimeout: number;
  /** basic: gives up a ballot whose phase 2 has no quorum of ACCEPTEDs; multi: the leader re-sends ACCEPT this often */
  acceptTimeout: number;
  /** after a NACK or a timeout a proposer waits uniformly in [backoffMin, backoffMax] before a higher round */
  backoffMin: number;
  backoffMax: number;
  /** multi: the leader's HEARTBEAT period */
  heartbeat: number;
  /** multi: a proposer that hears no leader for leaderTimeout + random(0..leaderTimeout) tries to lead */
  leaderTimeout: number;
  /** basic: a learner that saw ACCEPTEDs but no majority asks the proposers for the outcome this often */
  learnerRetry: number;
}

/**
 * A round trip is 20–60 ms with the default network (10–30 ms one way) plus 1–4 ms of disk.
 * The back-off is comparable to a round trip, so dueling proposers are visible before one wins;
 * the leader timeout is several heartbeats, so a lost HEARTBEAT does not unseat a leader.
 */
export const DEFAULT_PAXOS_TIMING: PaxosTiming = {
  prepareTimeout: 300,
  acceptTimeout: 300,
  backoffMin: 10,
  backoffMax: 120,
  heartbeat: 100,
  leaderTimeout: 500,
  learnerRetry: 600,
};

/** Deliberate bugs, for the invariant checker to find. */
export interface PaxosAblations {
  /** an acceptor restarts with its promise reset, as if it had never persisted it */
  forgetPromise?: boolean;
}

export interface PaxosConfig {
  acceptors: NodeId[];
  proposers: NodeId[];
  learners: NodeId[];
  mode: PaxosMode;
  timing: PaxosTiming;
  ablations?: PaxosAblations;
}

export const DEFAULT_ACCEPTORS = 3;
export const DEFAULT_PROPOSERS = 2;
export const DEFAULT_LEARNERS = 1;

/** Ids 1..A are acceptors, then P proposers, then L learners. */
export function paxosNodes(acceptors: number, proposers = DEFAULT_PROPOSERS, learners = DEFAULT_LEARNERS): NodeSpec[] {
  if (!Number.isInteger(acceptors) || acceptors < 1) throw new Error(`Paxos needs at least one acceptor, got ${acceptors}`);
  if (!Number.isInteger(proposers) || proposers < 1) throw new Error(`Paxos needs at least one proposer, got ${proposers}`);
  if (!Number.isInteger(learners) || learners < 0) throw new Error(`learners must be ≥ 0, got ${learners}`);
  const role = (i: number): PaxosRole => (i < acceptors ? 'acceptor' : i < acceptors + proposers ? 'proposer' : 'learner');
  return Array.from({ length: acceptors + proposers + learners }, (_, i) => ({ id: i + 1, role: role(i) }));
}

export interface PaxosOptions {
  mode?: PaxosMode;
  timing?: Partial<PaxosTiming>;
  ablations?: PaxosAblations;
}

/** The config matching paxosNodes(acceptors, proposers, learners). */
export function paxosConfig(acceptors = DEFAULT_ACCEPTORS, proposers = DEFAULT_PROPOSERS, learners = DEFAULT_LEARNERS, o: PaxosOptions = {}): PaxosConfig {
  const nodes = paxosNodes(acceptors, proposers, learners);
  const ids = (r: PaxosRole) => nodes.filter((n) => n.role === r).map((n) => n.id);
  return {
    acceptors: ids('acceptor'),
    proposers: ids('proposer'),
    learners: ids('learner'),
    mode: o.mode ?? 'basic',
    timing: { ...DEFAULT_PAXOS_TIMING, ...o.timing },
    ...(o.ablations ? { ablations: o.ablations } : {}),
  };
}

/** A majority of the configured acceptors, however many are up. */
export function quorumSize(cfg: PaxosConfig): number {
  return Math.floor(cfg.acceptors.length / 2) + 1;
}
