import type { NodeId, NodeSpec } from '../sim/types';

/** Timers of the 2PC nodes, in simulated ms. */
export interface TwoPcTiming {
  /** how long the coordinator waits for every vote before it aborts */
  voteTimeout: number;
  /** the coordinator re-sends PREPARE (to missing voters) or the decision (to missing ACKs) this often */
  retryInterval: number;
  /** a PREPARED participant that has heard no decision asks the coordinator this often */
  inquiryInterval: number;
}

/**
 * With the default network (10–30 ms one way) and disk (1–4 ms), a vote is back in well under
 * 100 ms: the timeout leaves room for two PREPARE re-sends over a lossy link.
 */
export const DEFAULT_TWOPC_TIMING: TwoPcTiming = {
  voteTimeout: 1000,
  retryInterval: 300,
  inquiryInterval: 1000,
};

/** Deliberate bugs, for a bug hunter to find with the invariant checker. */
export interface TwoPcAblations {
  /** commit instead of abort on a vote timeout, and for an undecided tx found at restart */
  presumeCommit?: boolean;
}

export interface TwoPcConfig {
  coordinator: NodeId;
  participants: NodeId[];
  timing: TwoPcTiming;
  ablations?: TwoPcAblations;
}

/** Node 1 coordinates, nodes 2..n take part. */
export function twoPcNodes(n: number): NodeSpec[] {
  if (!Number.isInteger(n) || n < 2) throw new Error(`2PC needs a coordinator and at least one participant (n ≥ 2), got ${n}`);
  return Array.from({ length: n }, (_, i) => ({ id: i + 1, role: i === 0 ? 'coordinator' : 'participant' }));
}

/** The config matching twoPcNodes(n). */
export function twoPcConfig(n: number, timing: Partial<TwoPcTiming> = {}, ablations?: TwoPcAblations): TwoPcConfig {
  const nodes = twoPcNodes(n);
  return {
    coordinator: nodes[0]!.id,
    participants: nodes.slice(1).map((x) => x.id),
    timing: { ...DEFAULT_TWOPC_TIMING, ...timing },
    ...(ablations ? { ablations } : {}),
  };
}
