/** The 2PC messages. Every one names its transaction; the sender comes from the network. */
export type Decision = 'COMMIT' | 'ABORT';

export type TwoPcMessage =
  /** coordinator → participant: phase 1, can you commit tx? */
  | { kind: 'PREPARE'; tx: number }
  /** participant → coordinator: its vote, sent only once it is on the participant's disk */
  | { kind: 'VOTE'; tx: number; vote: 'yes' | 'no' }
  /** coordinator → participant: phase 2, the decision, sent only once it is on the coordinator's disk */
  | { kind: Decision; tx: number }
  /** participant → coordinator: the decision is on my disk, you may forget tx */
  | { kind: 'ACK'; tx: number }
  /** a PREPARED participant, blocked, asks the coordinator what was decided */
  | { kind: 'DECISION_REQ'; tx: number };

export function txLabel(tx: number): string {
  return `T${tx}`;
}

export function labelOf(msg: TwoPcMessage): string {
  switch (msg.kind) {
    case 'VOTE':
      return `${txLabel(msg.tx)} ${msg.vote}`;
    case 'DECISION_REQ':
      return `${txLabel(msg.tx)}?`;
    default:
      return txLabel(msg.tx);
  }
}
