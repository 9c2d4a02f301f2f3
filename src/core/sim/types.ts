/**
 * The contract between the simulator and a protocol (ZAB, 2PC, Paxos).
 *
 * A protocol is a set of handlers over plain, cloneable node state. It never reaches for time,
 * I/O or randomness except through the Ctx it is handed: the simulator owns the clock, the
 * network, the disks and the seeded PRNG (as etcd's raft leaves them to its host).
 */
import type { ClientCommand } from './actions';

export type NodeId = number;

export interface Message {
  readonly kind: string;
}

/** Arguments of a translatable event; the page renders `code` through its message catalogue. */
export type NoteArgs = Record<string, string | number>;

export interface Note {
  code: string;
  args?: NoteArgs;
}

/** What a node keeps across a crash: whatever its disk writes completed. */
export type Durable = Record<string, unknown>;

export type DiskOp =
  | { op: 'set'; key: string; value: unknown }
  | { op: 'append'; key: string; items: unknown[] }
  /** keep the first `length` items of the list at `key` */
  | { op: 'truncate'; key: string; length: number };

export interface NodeSpec {
  id: NodeId;
  /** protocol-defined, e.g. 'voter' | 'observer' */
  role: string;
}

export interface ClientOp {
  kind: 'write';
  /** sequence number of the client request, unique per run */
  reqId: number;
}

/**
 * A node's context. `D` is the protocol's own union of disk continuations: what to do once a
 * write is durable (persist, then act, as etcd raft's Ready contract has it).
 */
export interface Ctx<M extends Message, D = unknown> {
  readonly now: number;
  readonly self: NodeId;
  /** Send a protocol message: a datagram, or through QuorumCnxManager (Protocol.quorumCnx). */
  send(to: NodeId, msg: M): void;
  /** QuorumCnxManager.haveDelivered: has some peer's queue emptied? (true without quorumCnx) */
  haveDelivered?(): boolean;
  /** QuorumCnxManager.connectAll: dial every peer a message waits for. */
  connectAll?(): void;
  /** Open a stream (a learner's TCP connection) to `to` carrying `first`; returns its id. */
  connect(to: NodeId, first: M): number;
  /** Send on an open stream; FIFO, held while the link is cut, gone if the stream closes. */
  sendOn(conn: number, msg: M): void;
  /**
   * Close a stream; the other end learns of it after a network delay, if it is reachable.
   * `refuse`: nobody listens where it was opened to (the opener's connect fails, rather than a
   * connection that was made being closed).
   */
  close(conn: number, refuse?: boolean): void;
  /** (Re)arm a named timer; a timer of the same name is replaced. */
  setTimer(name: string, delayMs: number): void;
  cancelTimer(name: string): void;
  /**
   * Queue a durable write; it completes (or fails) later through onDisk, which gets `then` back:
   * a plain value of the protocol's own continuation type, saying what the write was for.
   */
  persist(ops: DiskOp[], then: D): void;
  /** Is a behaviour switched on for this node by a person (the `flag` action), e.g. 'voteNo'? */
  flag(name: string): boolean;
  /**
   * The nodes that are up and connected to this one, itself included: a perfect failure
   * detector. No real protocol has one; only ablations that assume one use it.
   */
  inContact?(): NodeId[];
  /** Uniform in [0,1) from the simulator's seeded stream. */
  random(): number;
  /**
   * An event for the event log (not part of the protocol): a catalogue code and its arguments.
   * On a hot path pass the arguments as a function: it is only called when someone is watching.
   */
  note(code: string, args?: NoteArgs | (() => NoteArgs)): void;
}

export interface NodeViewBase {
  id: NodeId;
  role: string;
  /** protocol state name, e.g. LOOKING / FOLLOWING */
  state: string;
}

export interface Protocol<S, M extends Message, V extends NodeViewBase, D = unknown> {
  readonly name: string;
  init(self: NodeSpec, durable: Durable, ctx: Ctx<M, D>): S;
  onMessage(s: S, from: NodeId, msg: M, conn: number | null, ctx: Ctx<M, D>): void;
  onTimer(s: S, name: string, ctx: Ctx<M, D>): void;
  /** A write queued with persist(ops, then) completed (ok) or failed. */
  onDisk(s: S, then: D, ok: boolean, ctx: Ctx<M, D>): void;
  /** The event log's name for a write's continuation ("txn:4294967297", "round:3"). */
  diskLabel(then: D): string;
  /** The other end closed a stream (or it reset). */
  onClosed(s: S, conn: number, peer: NodeId, ctx: Ctx<M, D>, refused?: boolean): void;
  /** A client request; a node that refuses it notes why. */
  onClient(s: S, op: ClientOp, ctx: Ctx<M, D>): void;
  /** Is this node the one a client request should go to (the leader / coordinator)? */
  isClientTarget(s: S): boolean;
  /**
   * Something a person has a client node do (the `client` action); the kernel makes the node, with
   * role 'client', on its first command. Only protocols with client nodes (ZAB) have it.
   */
  onCommand?(s: S, cmd: ClientCommand, ctx: Ctx<M, D>): void;
  /** A client node as the page and the CLI show it (its role is 'client'). */
  viewClient?(s: S): NodeViewBase;
  /** The server a client node talks to, if any: a partition that names the client in no group puts it on that server's side. */
  companionOf?(s: S): NodeId | null;
  /** The trace hash's code for a message, as messageCode gives it, spelled out for speed (optional). */
  messageCode?(msg: M): number;
  /** Short label for a message in flight, e.g. "(1, 0x0, 3)". */
  label(msg: M): string;
  /** `detail`: include what only an inspector needs (vote tables, whole log tail...) */
  view(s: S, durable: Durable, detail?: boolean): V;
  /**
   * Top-level arrays of the node state and of its durable store that only ever grow (or are
   * replaced whole): checkpoints share them instead of copying.
   */
  readonly appendOnly?: { state: string[]; durable: string[] };
  /**
   * send() goes through ZooKeeper's QuorumCnxManager (quorumCnx.ts): a TCP connection per pair,
   * dialled on demand, a one-slot queue per peer. Off: datagrams (2PC's and Paxos's messages).
   */
  readonly quorumCnx?: boolean;
}
