import type { NodeId } from '../sim/types';

/**
 * A ballot (proposal number) is (round, proposer), ordered by round and then by proposer id:
 * two proposers never share a ballot, and each can always pick one above any it has seen.
 */
export interface Ballot {
  round: number;
  proposer: NodeId;
}

/** Below every real ballot (rounds start at 1): "nothing promised / accepted yet". */
export const ZERO: Ballot = { round: 0, proposer: 0 };

export function cmp(a: Ballot, b: Ballot): number {
  return a.round - b.round || a.proposer - b.proposer;
}

export const gt = (a: Ballot, b: Ballot): boolean => cmp(a, b) > 0;
export const ge = (a: Ballot, b: Ballot): boolean => cmp(a, b) >= 0;
export const same = (a: Ballot | null, b: Ballot | null): boolean => a !== null && b !== null && cmp(a, b) === 0;
export const maxBallot = (a: Ballot, b: Ballot): Ballot => (gt(b, a) ? b : a);
export const isZero = (b: Ballot): boolean => b.round === 0;

/** "round.proposer", e.g. "3.5"; "0" for ZERO. */
export function fmt(b: Ballot | null): string {
  return b === null || isZero(b) ? '0' : `${b.round}.${b.proposer}`;
}
