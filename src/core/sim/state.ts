import type { Action } from './actions';
import { queueInit, type EventQueue } from './eventQueue';
import { prngInit, type PrngState } from './prng';
import { hashInit, type HashState } from './traceHash';
import type { ClientOp, DiskOp, Durable, Message, NodeId, NodeSpec, NoteArgs } from './types';

/**
 * The simulator's whole state as plain data: a checkpoint is a structured clone of it, and the
 * same config and actions always lead to the same one. Every module of the simulator (kernel,
 * network, disk, faults, checkpoint) reads and writes it; nothing else does.
 */

export interface NetConfig {
  /** one-way latency, drawn uniformly per message from [latencyMin, latencyMax] ms */
  latencyMin: number;
  latencyMax: number;
  /** probability that a datagram is lost (a stream message is retransmitted instead) */
  loss: number;
}

export interface DiskConfig {
  latencyMin: number;
  latencyMax: number;
}

export interface SimConfig {
  seed: number | string;
  nodes: NodeSpec[];
  net: NetConfig;
  disk: DiskConfig;
}

/** TCP retransmission timeout used when a stream segment is "lost": it arrives late, not never. */
export const STREAM_RTO_MS = 200;

type EvBase = { time: number; pri: number; seq: number };
export type SimEvent = EvBase &
  (
    /** `arrived`: it reached a paused process earlier and waited for it (network.ts deliver) */
    | { type: 'deliver'; msgId: number; from: NodeId; to: NodeId; conn: number | null; msg: Message; sentAt: number; arrived?: true }
    | { type: 'timer'; node: NodeId; inc: number; name: string }
    /** `landed`: its writes reached the disk while the process was paused; only its callbacks are left */
    | { type: 'disk'; node: NodeId; inc: number; writes: DiskWrite[]; landed?: true }
    /** `qcm`: an election connection (quorumCnx.ts), which the protocol never sees */
    | { type: 'closed'; node: NodeId; conn: number; peer: NodeId; refused?: boolean; qcm?: true }
    /** a QuorumCnxManager dial reaches its peer, or gives up (quorumCnx.ts); `inc`: the dialler's life */
    | { type: 'dial'; from: NodeId; to: NodeId; inc: number }
    | { type: 'action'; action: Action }
    | { type: 'clientTick'; gen: number }
    /** a client request that reached a paused server and waited for it */
    | { type: 'client'; node: NodeId; op: ClientOp }
  );

export interface Flight {
  id: number;
  from: NodeId;
  to: NodeId;
  kind: string;
  label: string;
  sentAt: number;
  /** null while held on a cut stream */
  deliverAt: number | null;
  stream: boolean;
}

/** One write of a flush: what to persist, whether the disk takes it, and what to tell the node. */
export interface DiskWrite {
  /** the protocol's continuation, handed back to onDisk (plain data: it is checkpointed) */
  then: unknown;
  ok: boolean;
  ops: DiskOp[];
  /** the node's count of writes when this one was queued (NodeRt.writeSeq) */
  seq: number;
}

export interface Conn {
  a: NodeId;
  b: NodeId;
  open: boolean;
  /** messages waiting for a cut link to heal */
  held: { msgId: number; from: NodeId; to: NodeId; msg: Message; sentAt: number }[];
  /** the id of the message that opened it (its connect): a reset on that one is a refused connect */
  first?: number;
  /** an election connection of QuorumCnxManager (quorumCnx.ts), not a protocol's own stream */
  qcm?: true;
}

/** What one server's QuorumCnxManager holds for one peer (quorumCnx.ts). */
export interface QcmPeer {
  /** the connection to it, as this end believes */
  conn: number | null;
  /** the one-slot send queue (SEND_CAPACITY = 1) */
  queue: { msgId: number; msg: Message } | null;
  /** lastMessageSent: sent again when a new connection starts with an empty queue */
  last: Message | null;
  /** a dial is under way (inprogressConnections) */
  dialing: boolean;
}

export interface NodeRt<S> {
  spec: NodeSpec;
  up: boolean;
  /** bumped on crash and restart: timers and disk completions of older lives are void */
  inc: number;
  state: S | null;
  durable: Durable;
  diskFailed: boolean;
  /** behaviours a person switched on (the `flag` action); they survive restarts */
  flags: Record<string, true>;
  /** armed timers: when each is due */
  timers: Record<string, number>;
  /**
   * the time of the one queued event that stands for each timer. Re-arming later (a learner's
   * read timeout, moved on every packet) does not queue a new event: the queued one, when it
   * comes, sees the later deadline and requeues itself. The queue stays small.
   */
  timerEvents: Record<string, number>;
  /** when the last scheduled flush ends, and when it starts (writes join a flush not yet started) */
  diskFreeAt: number;
  flushStart: number;
  /** the writes of the last flush scheduled (its queued event holds the same array; a checkpoint's clone keeps the two one) */
  flush: DiskWrite[] | null;
  /** writes queued so far, over every life of the node */
  writeSeq: number;
  /**
   * Append-only files (a txn log) whose writer hit an I/O error: an append to one of them queued
   * before the error came back fails too, as a writer thread that dies at its first error never
   * writes what was queued behind it. Key → the writeSeq at the error.
   */
  brokenFiles: Record<string, number>;
  /** the largest value in brokenFiles (0: none) */
  brokenUntil: number;
  /**
   * Stopped (a long GC pause, SIGSTOP): alive, its connections open, but it runs nothing. What
   * reaches it (messages, timers that come due, disk completions, closed connections, client
   * requests) waits in `backlog`, in order, and is handled when it resumes.
   */
  paused: boolean;
  backlog: SimEvent[];
}

/** A record of one processed event, for event logs and space-time diagrams. */
export interface TraceRecord {
  step: number;
  time: number;
  type: 'send' | 'deliver' | 'lost' | 'timer' | 'disk' | 'closed' | 'action' | 'note' | 'crash' | 'restart';
  node: NodeId;
  peer?: NodeId;
  msgId?: number;
  kind?: string;
  /** what happened, as a message-catalogue code (rendered as `ev.<code>`) and its arguments */
  code: string;
  args: NoteArgs;
  /**
   * A send or delivery keeps its message until the record is shown: labelMessages() then adds its
   * label to args (most records of a busy run are never shown, and a label is a string to build).
   */
  msg?: Message;
}

/** Give the shown send / deliver records their message's label, and let go of the message. */
export function labelMessages<M extends Message>(records: TraceRecord[], label: (m: M) => string): TraceRecord[] {
  return records.map((r) => {
    if (!r.msg) return r;
    const { msg, ...rest } = r;
    return { ...rest, args: { ...r.args, label: label(msg as M) } };
  });
}

export interface SimState<S> {
  now: number;
  step: number;
  seq: number;
  rng: PrngState;
  hash: HashState;
  queue: EventQueue<SimEvent>;
  nodes: Record<NodeId, NodeRt<S>>;
  /** the servers (the ensemble), in id order; clients are nodes too, but listed apart */
  order: NodeId[];
  /** client nodes (ZooKeeper's clients), in the order they were started; not members of the ensemble */
  clients: NodeId[];
  net: NetConfig;
  disk: DiskConfig;
  /** group number of each node; two nodes talk only within a group */
  group: Record<NodeId, number>;
  /** last delivery time on each directed link (from → to → time), to keep links FIFO */
  linkClock: Record<NodeId, Record<NodeId, number>>;
  conns: Record<number, Conn>;
  nextConn: number;
  nextMsg: number;
  nextReq: number;
  /**
   * Messages dropped by hand while on the wire. What is in flight is read off the queue (see
   * flights()), so a send costs no bookkeeping beyond its event: a run moves millions of them.
   */
  dropped: Record<number, true>;
  /**
   * A datagram protocol's (2PC's, Paxos's) last message per directed link that could not get
   * through (peer down, link cut): it goes out as soon as the peer next reaches us.
   */
  undelivered: Record<string, { msgId: number; msg: Message }>;
  /**
   * Streams closed while one end could not hear of it (a partition ate the FIN): that end still
   * believes them open. Its next write, once the network carries it, draws a reset.
   */
  halfOpen: Record<number, { end: NodeId; peer: NodeId; qcm?: true }>;
  /** each live server's QuorumCnxManager: per peer, its queue, last message and connection */
  qcm: Record<NodeId, Record<NodeId, QcmPeer>>;
  /** links cut one by one ("a-b" with a < b), on top of the partition groups */
  cut: Record<string, true>;
  /** is any link in `cut`? (connected() runs on every message) */
  anyCut: boolean;
  /** how many scripted or user actions have been applied so far */
  actionsDone: number;
  /** messages handed to a live receiver so far */
  delivered: number;
  /** steady client writes per simulated second, and the generation of its ticker */
  writeRate: number;
  rateGen: number;
}


/** The state of a run that has not started: every node down, nothing queued. */
export function initialState<S>(config: SimConfig, initialDurable: Record<NodeId, Durable>): SimState<S> {
  const nodes: Record<NodeId, NodeRt<S>> = {};
  const group: Record<NodeId, number> = {};
  for (const spec of config.nodes) {
    nodes[spec.id] = newNodeRt(spec, structuredClone(initialDurable[spec.id] ?? {}));
    group[spec.id] = 0;
  }
  return {
    now: 0,
    step: 0,
    seq: 0,
    rng: prngInit(config.seed),
    hash: hashInit(),
    queue: queueInit(),
    nodes,
    order: config.nodes.map((n) => n.id),
    clients: [],
    net: { ...config.net },
    disk: { ...config.disk },
    group,
    linkClock: {},
    conns: {},
    nextConn: 1,
    nextMsg: 1,
    nextReq: 1,
    dropped: {},
    undelivered: {},
    halfOpen: {},
    qcm: {},
    cut: {},
    anyCut: false,
    actionsDone: 0,
    delivered: 0,
    writeRate: 0,
    rateGen: 0,
  };
}

/** A node not started yet: down, nothing on its timers, its disk as given. */
export function newNodeRt<S>(spec: NodeSpec, durable: Durable): NodeRt<S> {
  return {
    spec,
    up: false,
    inc: 0,
    state: null,
    durable,
    diskFailed: false,
    flags: {},
    timers: {},
    timerEvents: {},
    diskFreeAt: 0,
    flushStart: 0,
    flush: null,
    writeSeq: 0,
    brokenFiles: {},
    brokenUntil: 0,
    paused: false,
    backlog: [],
  };
}

export function linkKey(a: NodeId, b: NodeId): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}
