/**
 * Note-code coverage: how often a search reached each `ctx.note` code, and which codes a protocol
 * can note that it never reached. The known codes are listed here per protocol (Paxos keeps its
 * own typed list); coverage.test.ts reads the protocols' sources so that a new code cannot be
 * left off, and checks each has words in the message catalogue.
 */
import type { ProtocolName } from '../scenario/scenario';
import { NOTE_CODES as PAXOS_NOTES } from '../paxos/state';

export const ZAB_NOTES = [
  'looking',
  'lookingObserver',
  'ignoresNonVoter',
  'joinsRound',
  'adopts.epoch',
  'adopts.zxid',
  'adopts.myid',
  'quorumFinalize',
  'betterDuringFinalize',
  'decides.LEADING',
  'decides.FOLLOWING',
  'decides.OBSERVING',
  'goesLooking',
  'epochChosen',
  'refusesAhead',
  'acceptsOlderEpoch',
  'epochAcked',
  'losesLearner',
  'syncs',
  'loadsSnapshot',
  'truncates',
  'established',
  'synced',
  'write.proposed',
  'write.refusedNotLeader',
  'write.refusedRollover',
  'commits',
  'closesTxnTimeout',
  'closesSilentLearner',
  'commitWithoutTxn',
  // clients and sessions (cnxn.ts, client.ts, broadcast.ts)
  'client.notServing',
  'client.refused',
  'client.expiredSession',
  'client.connected',
  'client.dropped',
  'sessionExpired',
  'txn.proposed',
  'client.connecting',
  'client.disconnected',
  'client.expired',
  'client.syncConnected',
  'client.reply',
  'client.failed',
] as const;

export const TWOPC_NOTES = [
  'twopc.queued',
  'twopc.beginFailed',
  'twopc.prepare',
  'twopc.gotNo',
  'twopc.voteTimeout',
  'twopc.decided',
  'twopc.end',
  'twopc.resend',
  'twopc.presumedAbort',
  'twopc.presumedCommit',
  'twopc.notCoordinator',
  'twopc.logFailed',
  'twopc.votedNo',
  'twopc.prepareFailed',
  'twopc.prepared',
  'twopc.conflict',
  'twopc.commitUnprepared',
  'twopc.committed',
  'twopc.aborted',
  'twopc.blocked',
  'twopc.stillPrepared',
] as const;

export const KNOWN_NOTES: Record<ProtocolName, readonly string[]> = { zab: ZAB_NOTES, '2pc': TWOPC_NOTES, paxos: PAXOS_NOTES };

export interface Coverage {
  /** how many times each code was noted, over every schedule tried (shrinking not included) */
  counts: Record<string, number>;
  /** the protocol's known codes that no schedule reached */
  neverReached: string[];
  /** codes reached that the list above lacks (it is out of date: coverage.test.ts says so) */
  unknown: string[];
}

export function coverageOf(protocol: ProtocolName, counts: Record<string, number>): Coverage {
  const known = KNOWN_NOTES[protocol];
  const sorted: Record<string, number> = {};
  for (const k of Object.keys(counts).sort()) sorted[k] = counts[k]!;
  return {
    counts: sorted,
    neverReached: known.filter((c) => !counts[c]),
    unknown: Object.keys(sorted).filter((c) => !known.includes(c)),
  };
}
