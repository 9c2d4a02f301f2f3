import type { SimEvent } from './state';
import type { Message, NodeId } from './types';

/** A message as it was sent (its fate, delivered, held or lost, is the network's business). */
export interface Sent {
  msgId: number;
  from: NodeId;
  to: NodeId;
  msg: Message;
}

export type Delivery = Extract<SimEvent, { type: 'deliver' }>;

/**
 * What one step did, for the checkers: they look at what changed instead of searching the
 * simulator's state (its queue, its held messages). Valid until the next step begins; what is
 * sent between steps (servers booting at the start) belongs to the step after it.
 */
export interface StepRecord {
  /**
   * The one server whose state the step could change (the receiver of a message, the owner of a
   * timer or disk write, the server a steady client write went to), or null when it could be any
   * (actions). Checkers look only there: a step of a 45-server run costs one server's check.
   */
  readonly touched: NodeId | null;
  /** the message the step handed to a live server, if it did */
  readonly delivered: Delivery | null;
  /** every message sent in the step, in order, whatever then becomes of it (kept only if `keepsSent`) */
  readonly sent: readonly Sent[];
  /** whether `sent` is kept: a checker that reads it asks for it (a send is the hot path) */
  readonly keepsSent: boolean;
}

/** The kernel's writable record: reused from step to step (steps run millions of times). */
export class StepLog implements StepRecord {
  touched: NodeId | null = null;
  delivered: Delivery | null = null;
  sent: Sent[] = [];
  keepsSent = false;
  /** the step it describes has ended: the next write starts a new one */
  private ended = true;

  /** A step begins (or, between steps, something happens that belongs to the next one). */
  begin(): void {
    if (!this.ended) return;
    this.ended = false;
    this.touched = null;
    this.delivered = null;
    // a fresh array only when there was something: setting an array's length is a runtime call
    if (this.sent.length !== 0) this.sent = [];
  }

  end(): void {
    this.ended = true;
  }

  send(msgId: number, from: NodeId, to: NodeId, msg: Message): void {
    if (!this.keepsSent) return;
    if (this.ended) this.begin();
    this.sent.push({ msgId, from, to, msg });
  }

  /** Forget everything (a checkpoint was restored). */
  clear(): void {
    this.touched = null;
    this.delivered = null;
    this.sent = [];
    this.ended = true;
  }
}
