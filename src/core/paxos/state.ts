import type { Ctx, NodeId, NoteArgs } from '../sim/types';
import type { Ballot } from './ballot';
import type { PaxosConfig } from './config';
import type { AcceptedEntry, PaxosMessage, Value } from './messages';

/** Durable keys. */
export const DISK = {
  /** acceptor: the highest ballot promised */
  promised: 'promised',
  /** acceptor: every accept it made, in order (the latest per slot is its vote there) */
  accepts: 'accepts',
  /** proposer: the highest round it used */
  round: 'round',
  /** learner: what it learned, as {slot, value} records */
  learned: 'learned',
} as const;

/** One record of an acceptor's accept log. */
export interface AcceptRecord {
  slot: number;
  ballot: Ballot;
  value: Value;
}

export interface LearnedRecord {
  slot: number;
  value: Value;
}

/** A write an acceptor is waiting on before it may answer. */
export type AcceptorWrite =
  | { what: 'promise'; to: NodeId; ballot: Ballot; from: number }
  | { what: 'accept'; to: NodeId; ballot: Ballot; slot: number; value: Value };

export interface AcceptorState {
  role: 'acceptor';
  id: NodeId;
  /** the highest ballot durably promised (an accept promises its ballot too) */
  promised: Ballot;
  /** the highest ballot of a promise or accept still being written: nothing below it may pass */
  promising: Ballot;
  /** the highest ballot it accepted in any slot */
  lastVote: Ballot;
  /** per slot, its durable vote (null: none) */
  accepted: (Omit<AcceptedEntry, 'slot'> | null)[];
  /** pending disk writes, by number (a PaxosDisk 'acceptor' continuation names one) */
  writes: Record<number, AcceptorWrite>;
  nextWrite: number;
}

/**
 * Proposer phases. Basic: IDLE → PREPARING → ACCEPTING → DECIDED, with BACKOFF after a NACK or a
 * timeout. Multi: IDLE (following a leader, or none) → PREPARING → LEADER; BACKOFF likewise.
 */
export type ProposerPhase = 'IDLE' | 'PREPARING' | 'ACCEPTING' | 'BACKOFF' | 'DECIDED' | 'LEADER';

/** One slot of a Multi-Paxos proposer's log. */
export interface LogSlot {
  value: Value;
  chosen: boolean;
  /** leader: acceptors that ACCEPTED it at the leader's ballot */
  accepts: NodeId[];
}

export interface ProposerState {
  role: 'proposer';
  id: NodeId;
  phase: ProposerPhase;
  /** the highest round used (durable once ballotReady) and the highest round seen in any ballot */
  round: number;
  seenRound: number;
  /** the ballot of the current (or last) attempt */
  ballot: Ballot | null;
  /** its round is on disk and PREPARE went out */
  ballotReady: boolean;
  promises: NodeId[];
  preemptions: number;
  /** client values this proposer took (in memory), for display and the Validity check */
  received: Value[];
  // ---- basic ----
  /** the client value it set out to propose, and the value of the current ballot (its own or adopted) */
  own: Value | null;
  value: Value | null;
  /** the highest-ballot vote reported by this ballot's PROMISEs */
  highest: { ballot: Ballot; value: Value } | null;
  accepts: NodeId[];
  decided: Value | null;
  // ---- multi ----
  /** phase 1 covers slots ≥ from */
  from: number;
  /** per slot ≥ from: the highest vote the PROMISEs reported (chosen ones win) */
  merged: Record<number, AcceptedEntry>;
  log: (LogSlot | null)[];
  /** slots 0..chosenUpTo-1 are all known chosen */
  chosenUpTo: number;
  /** leader: the next free slot */
  nextSlot: number;
  /** client writes taken while PREPARING, proposed once leading */
  queue: { req: number; value: Value }[];
  leader: NodeId | null;
  leaderBallot: Ballot | null;
  phase1Runs: number;
}

export interface LearnerState {
  role: 'learner';
  id: NodeId;
  /** the chosen values of slots 0..n-1, learned in order */
  learned: Value[];
  /** known chosen beyond a gap */
  ahead: Record<number, Value>;
  /** basic: per slot, "ballot|value" → acceptors that ACCEPTED it */
  votes: Record<number, Record<string, NodeId[]>>;
  /** multi: the leader heard last */
  leader: NodeId | null;
  /** basic: the current CATCHUP retry period (0: not retrying) */
  retryDelay: number;
}

export type PaxosNode = AcceptorState | ProposerState | LearnerState;

/** What a node does once a write is on disk (paxos.ts onDisk). */
export type PaxosDisk =
  /** a promise or a vote: send it (acceptor.ts onAcceptorDisk) */
  | { kind: 'acceptor'; write: number; what: AcceptorWrite['what'] }
  /** a proposer's round: start phase 1 in it (proposer.ts onRoundWritten) */
  | { kind: 'round'; round: number }
  /** values a learner delivered (learner.ts onLearnedWritten) */
  | { kind: 'learned'; slot: number };

export interface Env {
  cfg: PaxosConfig;
  ctx: Ctx<PaxosMessage, PaxosDisk>;
  quorum: number;
}

/** Event-log codes; each has `ev.<code>` in src/i18n/paxos.ts. */
export const NOTE_CODES = [
  'paxos.write',
  'paxos.propose',
  'paxos.busy',
  'paxos.alreadyChosen',
  'paxos.notLeader',
  'paxos.queued',
  'paxos.prepare',
  'paxos.promised',
  'paxos.rejected',
  'paxos.preempted',
  'paxos.timeout',
  'paxos.backoff',
  'paxos.adopted',
  'paxos.accept',
  'paxos.accepted',
  'paxos.chosen',
  'paxos.learned',
  'paxos.leader',
  'paxos.noop',
  'paxos.follow',
  'paxos.leaderSilent',
  'paxos.stepDown',
  'paxos.diskFailed',
  'paxos.forgot',
] as const;
export type NoteCode = (typeof NOTE_CODES)[number];

export function note(env: Env, code: NoteCode, args?: NoteArgs): void {
  env.ctx.note(code, args);
}

export function send(env: Env, to: NodeId[], msg: PaxosMessage): void {
  for (const id of to) env.ctx.send(id, msg);
}
