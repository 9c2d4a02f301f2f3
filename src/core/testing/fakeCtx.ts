import type { Ctx, DiskOp, Message, NodeId } from '../sim/types';

/** A hand-driven Ctx for unit tests of single handlers: it records what the handler asks for. */
export class FakeCtx<M extends Message, D = unknown> implements Ctx<M, D> {
  now = 0;
  sent: { to: NodeId; msg: M }[] = [];
  streamed: { conn: number; msg: M }[] = [];
  timers = new Map<string, number>();
  persisted: { ops: DiskOp[]; then: D }[] = [];
  closed: number[] = [];
  notes: string[] = [];
  private nextConn = 100;

  constructor(readonly self: NodeId) {}

  send(to: NodeId, msg: M): void {
    this.sent.push({ to, msg });
  }
  connect(_to: NodeId, first: M): number {
    const c = this.nextConn++;
    this.streamed.push({ conn: c, msg: first });
    return c;
  }
  sendOn(conn: number, msg: M): void {
    this.streamed.push({ conn, msg });
  }
  close(conn: number): void {
    this.closed.push(conn);
  }
  setTimer(name: string, delayMs: number): void {
    this.timers.set(name, this.now + delayMs);
  }
  cancelTimer(name: string): void {
    this.timers.delete(name);
  }
  persist(ops: DiskOp[], then: D): void {
    this.persisted.push({ ops, then });
  }
  flags = new Set<string>();
  flag(name: string): boolean {
    return this.flags.has(name);
  }
  random(): number {
    return 0.5;
  }
  note(text: string): void {
    this.notes.push(text);
  }
  /** Forget what was recorded so far. */
  clear(): void {
    this.sent = [];
    this.streamed = [];
    this.persisted = [];
    this.closed = [];
    this.notes = [];
  }
}
