import type { Ballot } from './ballot';
import { fmt } from './ballot';

/** A proposed value: `v<reqId>` for a client write, or NOOP. */
export type Value = string;

/** What a Multi-Paxos leader proposes in a slot that phase 1 found empty below a used one. */
export const NOOP: Value = 'noop';

export const valueOf = (reqId: number): Value => `v${reqId}`;

/** An acceptor's vote in one instance (slot), as reported in a PROMISE. */
export interface AcceptedEntry {
  slot: number;
  ballot: Ballot;
  value: Value;
  /** the acceptor heard (CHOSEN) that this value is chosen there */
  chosen: boolean;
}

/**
 * Datagrams. Phase 1: PREPARE → PROMISE | NACK. Phase 2: ACCEPT → ACCEPTED | NACK.
 * Basic Paxos uses slot 0 only. Multi-Paxos adds CHOSEN (the leader's commit of a slot),
 * HEARTBEAT (leader liveness, and how far its log is chosen) and CATCHUP (a request for chosen
 * values a node missed). Multi-Paxos's ACCEPT / ACCEPTED / CHOSEN are ZAB's PROPOSAL / ACK / COMMIT.
 */
export type PaxosMessage =
  /** phase 1a: promise me `ballot` for every slot from `from` on */
  | { kind: 'PREPARE'; ballot: Ballot; from: number }
  /** phase 1b: promised; with what this acceptor accepted in slots ≥ from */
  | { kind: 'PROMISE'; ballot: Ballot; from: number; accepted: AcceptedEntry[] }
  /** `ballot` refused: the acceptor is bound to `promised` */
  | { kind: 'NACK'; ballot: Ballot; promised: Ballot }
  /** phase 2a */
  | { kind: 'ACCEPT'; ballot: Ballot; slot: number; value: Value }
  /** phase 2b: to the proposer (and, in basic mode, to the learners) */
  | { kind: 'ACCEPTED'; ballot: Ballot; slot: number; value: Value }
  /** chosen values of consecutive slots from `slot` (one, when announced) */
  | { kind: 'CHOSEN'; slot: number; values: Value[] }
  | { kind: 'HEARTBEAT'; ballot: Ballot; chosenUpTo: number }
  /** send me the chosen values from slot `from` on */
  | { kind: 'CATCHUP'; from: number };

export type PaxosKind = PaxosMessage['kind'];

/** Short labels for messages in flight; basic mode leaves the slot out (it is always 0). */
export function labelOf(msg: PaxosMessage, multi: boolean): string {
  switch (msg.kind) {
    case 'PREPARE':
      return multi ? `n=${fmt(msg.ballot)} from ${msg.from}` : `n=${fmt(msg.ballot)}`;
    case 'PROMISE': {
      if (multi) return `${fmt(msg.ballot)} acc×${msg.accepted.length}`;
      const e = msg.accepted[0];
      return e ? `${fmt(msg.ballot)} acc ${fmt(e.ballot)} ${e.value}` : fmt(msg.ballot);
    }
    case 'NACK':
      return `${fmt(msg.ballot)} < ${fmt(msg.promised)}`;
    case 'ACCEPT':
    case 'ACCEPTED':
      return multi ? `${fmt(msg.ballot)} slot ${msg.slot} ${msg.value}` : `${fmt(msg.ballot)} ${msg.value}`;
    case 'CHOSEN':
      if (msg.values.length === 1) return multi ? `slot ${msg.slot} ${msg.values[0]}` : msg.values[0]!;
      return `slots ${msg.slot}–${msg.slot + msg.values.length - 1}`;
    case 'HEARTBEAT':
      return `${fmt(msg.ballot)} chosen ${msg.chosenUpTo}`;
    case 'CATCHUP':
      return `from ${msg.from}`;
  }
}
