/** Paxos (single-decree Basic Paxos and Multi-Paxos with a stable leader) on the deterministic simulator. */
export { createPaxos, ACCEPTOR_STATES, PROPOSER_STATES, LEARNER_STATES, type PaxosView, type PaxosState, type PaxosFace, type PaxosSlotView } from './paxos';
export {
  paxosNodes,
  paxosConfig,
  quorumSize,
  DEFAULT_PAXOS_TIMING,
  DEFAULT_ACCEPTORS,
  DEFAULT_PROPOSERS,
  DEFAULT_LEARNERS,
  type PaxosConfig,
  type PaxosTiming,
  type PaxosAblations,
  type PaxosMode,
  type PaxosRole,
  type PaxosOptions,
} from './config';
export { labelOf, NOOP, type PaxosMessage, type PaxosKind, type Value, type AcceptedEntry } from './messages';
export { fmt as ballotLabel, type Ballot } from './ballot';
export { NOTE_CODES, type NoteCode, type PaxosNode } from './state';
export { PaxosChecker, PAXOS_INVARIANTS, type PaxosInvariant, type PaxosSim, type PaxosCheckerState } from './checker';
export { startRun, runUntil, type PaxosRun, type PaxosRunOptions } from './testkit';
