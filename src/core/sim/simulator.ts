import type { Action, TimedAction } from './actions';
import { queueEvents, queueFind, queueInit, queueNextTime, queuePop, queuePush, queueRemove, type EventQueue } from './eventQueue';
import { prngFloat, prngInit, prngInt, type PrngState } from './prng';
import { hashInit, messageCode, TraceHash, type HashState } from './traceHash';
import type { ClientOp, Ctx, DiskOp, Durable, Message, NodeId, NodeSpec, NodeViewBase, NoteArgs, Protocol } from './types';

/**
 * The deterministic discrete-event simulator. It owns simulated time, the seeded PRNG, the
 * network (latency, loss, partitions, FIFO links, streams), the disks and node lifecycles, and
 * drives a Protocol's handlers. Its whole state is plain data (see SimState), so a checkpoint is
 * a structured clone, and the same config and actions always give the same trace hash.
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
    | { type: 'deliver'; msgId: number; from: NodeId; to: NodeId; conn: number | null; msg: Message; sentAt: number }
    | { type: 'timer'; node: NodeId; inc: number; name: string }
    | { type: 'disk'; node: NodeId; inc: number; writes: DiskWrite[] }
    | { type: 'closed'; node: NodeId; conn: number; peer: NodeId }
    | { type: 'action'; action: Action }
    | { type: 'clientTick'; gen: number }
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
interface DiskWrite {
  /** the protocol's continuation, handed back to onDisk (plain data: it is checkpointed) */
  then: unknown;
  ok: boolean;
  ops: DiskOp[];
}

interface Conn {
  a: NodeId;
  b: NodeId;
  open: boolean;
  /** messages waiting for a cut link to heal */
  held: { msgId: number; from: NodeId; to: NodeId; msg: Message; sentAt: number }[];
}

interface NodeRt<S> {
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
  order: NodeId[];
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
   * The election channel's one-slot send queue per directed link (QuorumCnxManager): the last
   * datagram that could not get through (peer down, link cut). It goes out as soon as the two
   * servers are in contact again, i.e. when the peer next reaches us.
   */
  undelivered: Record<string, { msgId: number; msg: Message }>;
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

export class Simulator<S, M extends Message, V extends NodeViewBase, D = unknown> {
  st: SimState<S>;
  /** when set, trace records are collected here for the UI (the CLI leaves it off) */
  records: TraceRecord[] | null = null;
  /** past this many undrained records the oldest half goes (the page drains every frame) */
  recordCap = Infinity;
  /** off only to measure what the trace hash costs (npm run bench): the hash then stays at its start */
  hashing = true;
  /** the trace hash as the run goes (st.hash holds it at each checkpoint) */
  private th = new TraceHash();

  constructor(
    readonly protocol: Protocol<S, M, V, D>,
    config: SimConfig,
    initialDurable: Record<NodeId, Durable> = {},
  ) {
    const nodes: Record<NodeId, NodeRt<S>> = {};
    const group: Record<NodeId, number> = {};
    for (const spec of config.nodes) {
      nodes[spec.id] = {
        spec,
        up: false,
        inc: 0,
        state: null,
        durable: structuredClone(initialDurable[spec.id] ?? {}),
        diskFailed: false,
        flags: {},
        timers: {},
        timerEvents: {},
        diskFreeAt: 0,
        flushStart: 0,
        flush: null,
      };
      group[spec.id] = 0;
    }
    this.st = {
      now: 0,
      step: 0,
      seq: 0,
      rng: prngInit(config.seed),
      hash: hashInit(),
      queue: queueInit(),
      nodes,
      order: config.nodes.map((n) => n.id),
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
      cut: {},
      anyCut: false,
      actionsDone: 0,
      delivered: 0,
      writeRate: 0,
      rateGen: 0,
    };
  }

  /** Start every node at time 0 except those the script crashes at time 0 (they start down). */
  start(actions: TimedAction[] = []): void {
    const downAtZero = new Set(
      actions.filter((a) => a.at === 0 && a.action.verb === 'crash').map((a) => (a.action as { id: NodeId }).id),
    );
    // those crashes are still applied (and counted) in their turn, so that a replay from a
    // checkpoint finds the same actions left to apply; they find their server not yet started
    for (const a of actions) this.schedule(a);
    for (const id of this.st.order) if (!downAtZero.has(id)) this.bootNode(id);
  }

  /**
   * Put the actions not yet applied back in the queue: `all` is every action of the run in the
   * order they apply (by time, then as listed). After restoring a checkpoint taken before some
   * of them were added (a person's clicks), this makes the replay see them again.
   */
  rescheduleActions(all: TimedAction[]): void {
    queueRemove(this.st.queue, (e) => e.type === 'action');
    for (const a of all.slice(this.st.actionsDone)) this.schedule(a);
  }

  schedule(a: TimedAction): void {
    this.push({ type: 'action', action: a.action, time: Math.max(a.at, this.st.now), pri: 0, seq: 0 });
  }

  get now(): number {
    return this.st.now;
  }

  traceHash(): string {
    return this.th.hex();
  }

  nextEventTime(): number | null {
    return queueNextTime(this.st.queue);
  }

  /** Is a message due next (rather than only timers, disk writes and actions)? */
  messageDueNext(): boolean {
    const t = queueNextTime(this.st.queue);
    return t !== null && queueFind(this.st.queue, t, (ev) => ev.type === 'deliver') !== undefined;
  }

  /**
   * The one server whose state the last step could change (the receiver of a message, the owner
   * of a timer or disk write, the server a steady client write went to), or null when it could be
   * any (actions). Checkers look only there: a step of a 45-server run costs one server's check.
   */
  touched: NodeId | null = null;

  /** The message object sent last in this step, for the trace hash (never kept across steps). */
  private lastSent: Message | null = null;

  /** Process one event; returns false when nothing is left to do. */
  step(): boolean {
    const ev = queuePop(this.st.queue);
    if (!ev) return false;
    this.st.now = ev.time;
    this.st.step++;
    this.touched = ev.type === 'deliver' ? ev.to : ev.type === 'action' || ev.type === 'clientTick' ? null : ev.node;
    if (this.hashing) {
      // every event, even one that turns out superseded, by its time (not its queue number: going
      // back in time schedules a person's actions again, with new numbers)
      this.th.word(ev.time);
      this.lastSent = null;
    }
    this.dispatch(ev);
    return true;
  }

  /** Run every event due at or before `t`, then set the clock to `t`. */
  runUntil(t: number, maxSteps = Infinity): void {
    let n = 0;
    for (;;) {
      const next = queueNextTime(this.st.queue);
      if (next === null || next > t || n >= maxSteps) break;
      this.step();
      n++;
    }
    if (n < maxSteps && t > this.st.now) this.st.now = t;
  }

  // ---- inspection -------------------------------------------------------------------------

  node(id: NodeId): NodeRt<S> {
    const n = this.st.nodes[id];
    if (!n) throw new Error(`no server ${id}`);
    return n;
  }

  nodeIds(): NodeId[] {
    return this.st.order;
  }

  view(id: NodeId, detail = true): (V & { up: boolean; diskFailed: boolean; flags?: string[] }) | { id: NodeId; role: string; state: 'DOWN'; up: false; diskFailed: boolean; flags?: string[] } {
    const n = this.node(id);
    // only when a person switched one on: snapshots of large ensembles stay small
    const f = Object.keys(n.flags);
    const flags = f.length ? { flags: f } : {};
    if (!n.up || n.state === null) return { id, role: n.spec.role, state: 'DOWN', up: false, diskFailed: n.diskFailed, ...flags };
    return { ...this.protocol.view(n.state, n.durable, detail), up: true, diskFailed: n.diskFailed, ...flags };
  }

  /**
   * Every message on the wire or held on a cut stream, oldest first; with `newest`, only that many
   * of the latest (their labels are strings to build: a snapshot draws a few dozen of hundreds).
   */
  flights(newest = Infinity): Flight[] {
    const raw: { msgId: number; from: NodeId; to: NodeId; msg: Message; sentAt: number; deliverAt: number | null; stream: boolean }[] = [];
    for (const ev of queueEvents(this.st.queue)) {
      if (ev.type !== 'deliver' || ev.from === ev.to || this.st.dropped[ev.msgId]) continue;
      if (ev.conn !== null && !this.st.conns[ev.conn]?.open) continue;
      raw.push({ msgId: ev.msgId, from: ev.from, to: ev.to, msg: ev.msg, sentAt: ev.sentAt, deliverAt: ev.time, stream: ev.conn !== null });
    }
    for (const c of Object.values(this.st.conns)) for (const h of c.held) raw.push({ ...h, deliverAt: null, stream: true });
    raw.sort((a, b) => a.msgId - b.msgId);
    return raw
      .slice(Math.max(0, raw.length - newest))
      .map((f) => ({ id: f.msgId, from: f.from, to: f.to, kind: f.msg.kind, label: this.protocol.label(f.msg as M), sentAt: f.sentAt, deliverAt: f.deliverAt, stream: f.stream }));
  }

  private inFlight(msgId: number): Flight | undefined {
    return this.flights().find((f) => f.id === msgId);
  }

  connected(a: NodeId, b: NodeId): boolean {
    return this.st.group[a] === this.st.group[b] && !(this.st.anyCut && this.st.cut[linkKey(a, b)]);
  }

  // ---- actions ------------------------------------------------------------------------------

  /** Apply an action now (the worker schedules user clicks as actions instead, see schedule). */
  apply(action: Action): void {
    this.hashEvent('A', action.verb, JSON.stringify(action));
    switch (action.verb) {
      case 'crash':
        return this.crash(action.id);
      case 'restart':
        return this.restart(action.id);
      case 'partition':
        return this.partition(action.groups);
      case 'heal':
        this.st.cut = {};
        this.st.anyCut = false;
        return this.partition([]);
      case 'cut':
      case 'mend':
        return this.cutLink(action.a, action.b, action.verb === 'cut');
      case 'rate':
        this.st.writeRate = Math.max(0, action.perSecond);
        this.st.rateGen++;
        this.record({ type: 'action', node: 0, code: 'action.rate', args: { n: this.st.writeRate } });
        return this.scheduleClientTick();
      case 'write':
        this.clientWrites(action.count, action.node);
        return;
      case 'flag': {
        const n = this.st.nodes[action.id];
        if (!n) return this.record({ type: 'action', node: 0, code: 'action.noServer', args: { id: action.id } });
        if (action.on) n.flags[action.name] = true;
        else delete n.flags[action.name];
        return this.record({ type: 'action', node: action.id, code: action.on ? 'action.flagOn' : 'action.flagOff', args: { name: action.name } });
      }
      case 'diskfail':
      case 'diskok': {
        const n = this.st.nodes[action.id];
        if (!n) return this.record({ type: 'action', node: 0, code: 'action.noServer', args: { id: action.id } });
        n.diskFailed = action.verb === 'diskfail';
        return this.record({ type: 'action', node: action.id, code: `action.${action.verb}`, args: {} });
      }
      case 'loss':
        this.st.net.loss = Math.min(1, Math.max(0, action.p));
        return this.record({ type: 'action', node: 0, code: 'action.loss', args: { p: this.st.net.loss } });
      case 'latency':
        this.st.net.latencyMin = Math.max(0, action.min);
        this.st.net.latencyMax = Math.max(this.st.net.latencyMin, action.max);
        return this.record({ type: 'action', node: 0, code: 'action.latency', args: { min: action.min, max: action.max } });
      case 'drop':
        return this.dropMessage(action.msg);
    }
  }

  private crash(id: NodeId): void {
    const n = this.st.nodes[id];
    if (n && !n.up && n.inc === 0 && this.st.now === 0) return this.record({ type: 'crash', node: id, code: 'crash', args: { id } }); // down from the start
    if (!n || !n.up) return this.record({ type: 'action', node: id, code: 'action.crashNotRunning', args: { id } });
    n.up = false;
    n.state = null;
    n.inc++;
    n.flush = null;
    n.timers = {};
    n.timerEvents = {};
    this.record({ type: 'crash', node: id, code: 'crash', args: { id } });
    for (const k of Object.keys(this.st.undelivered)) if (k.startsWith(`${id}>`)) delete this.st.undelivered[k];
    // a killed process's sockets are reset by its OS: reachable peers see the close at once
    for (const [cid, c] of Object.entries(this.st.conns)) {
      if (!c.open || (c.a !== id && c.b !== id)) continue;
      this.closeConn(Number(cid), id);
    }
  }

  private restart(id: NodeId): void {
    const n = this.st.nodes[id];
    if (!n || n.up) return this.record({ type: 'action', node: id, code: 'action.restartRunning', args: { id } });
    this.bootNode(id);
  }

  private bootNode(id: NodeId): void {
    const n = this.node(id);
    n.up = true;
    n.inc++;
    n.timers = {};
    n.timerEvents = {};
    n.diskFreeAt = this.st.now;
    n.flushStart = this.st.now;
    n.flush = null;
    this.record({ type: 'restart', node: id, code: 'start', args: { id } });
    n.state = this.protocol.init(n.spec, structuredClone(n.durable), this.ctx(id));
  }

  private cutLink(a: NodeId, b: NodeId, cut: boolean): void {
    if (!this.st.nodes[a] || !this.st.nodes[b] || a === b) return this.record({ type: 'action', node: 0, code: 'action.noServer', args: { id: `${a}-${b}` } });
    if (cut) this.st.cut[linkKey(a, b)] = true;
    else delete this.st.cut[linkKey(a, b)];
    this.st.anyCut = Object.keys(this.st.cut).length > 0;
    this.record({ type: 'action', node: 0, code: cut ? 'action.cut' : 'action.mend', args: { a, b } });
    if (!cut) this.releaseHeld();
  }

  private scheduleClientTick(): void {
    if (this.st.writeRate <= 0) return;
    const every = Math.max(1, Math.round(1000 / this.st.writeRate));
    this.push({ type: 'clientTick', gen: this.st.rateGen, time: this.st.now + every, pri: 1, seq: 0 });
  }

  private partition(groups: NodeId[][]): void {
    const g: Record<NodeId, number> = {};
    const named = new Set<NodeId>();
    groups.forEach((grp, i) => grp.forEach((id) => ((g[id] = i + 1), named.add(id))));
    for (const id of this.st.order) if (!named.has(id)) g[id] = 0;
    this.st.group = g;
    this.record({ type: 'action', node: 0, code: groups.length ? 'action.partition' : 'action.heal', args: { groups: groups.map((x) => x.join(',')).join(' | ') } });
    this.releaseHeld();
  }

  /** Held stream messages whose link is whole again go on their way, in order. */
  private releaseHeld(): void {
    for (const [cid, c] of Object.entries(this.st.conns)) {
      if (!c.open || c.held.length === 0 || !this.connected(c.a, c.b)) continue;
      const conn = Number(cid);
      // TCP delivers a stream in order: what was sent after the held segments and is still on the
      // wire must not overtake them, so it goes out again behind them (in send order)
      const later: Conn['held'] = [];
      queueRemove(this.st.queue, (ev) => {
        if (ev.type !== 'deliver' || ev.conn !== conn) return false;
        later.push({ msgId: ev.msgId, from: ev.from, to: ev.to, msg: ev.msg, sentAt: ev.sentAt });
        return true;
      });
      const all = [...c.held, ...later].sort((x, y) => x.msgId - y.msgId);
      c.held = [];
      for (const h of all) this.transmit(h.msgId, h.from, h.to, h.msg, conn, h.sentAt);
    }
  }

  /** Client writes to the server `at` or the one the protocol takes them at; returns the last one written to. */
  private clientWrites(count: number, at?: NodeId): NodeId | undefined {
    let last: NodeId | undefined;
    for (let i = 0; i < count; i++) {
      const op: ClientOp = { kind: 'write', reqId: this.st.nextReq++ };
      const target =
        at !== undefined
          ? this.st.nodes[at]?.up && this.st.nodes[at]?.state !== null
            ? at
            : undefined
          : this.st.order.find((id) => {
              const n = this.st.nodes[id]!;
              return n.up && n.state !== null && this.protocol.isClientTarget(n.state);
            });
      if (target === undefined) {
        this.record({ type: 'action', node: 0, code: 'write.noLeader', args: { req: op.reqId } });
        continue;
      }
      const n = this.node(target);
      this.protocol.onClient(n.state as S, op, this.ctx(target));
      last = target;
    }
    return last;
  }

  private dropMessage(msgId: number): void {
    const f = this.inFlight(msgId);
    if (!f) return this.record({ type: 'action', node: 0, code: 'action.dropMissing', args: { msg: msgId } });
    this.st.dropped[msgId] = true;
    this.record({ type: 'lost', node: f.to, peer: f.from, msgId, kind: f.kind, code: 'dropped', args: { kind: f.kind, from: f.from, to: f.to } });
    if (f.stream) {
      // TCP cannot lose one segment and carry on: dropping it means the connection breaks
      for (const [cid, c] of Object.entries(this.st.conns)) {
        if (c.open && ((c.a === f.from && c.b === f.to) || (c.a === f.to && c.b === f.from))) this.closeConn(Number(cid), null);
      }
    }
  }

  // ---- event dispatch -----------------------------------------------------------------------

  private dispatch(ev: SimEvent): void {
    switch (ev.type) {
      case 'action':
        this.st.actionsDone++;
        return this.apply(ev.action);
      case 'clientTick':
        if (ev.gen !== this.st.rateGen) return;
        // one write changes one server: the checkers need look only there
        this.touched = this.clientWrites(1) ?? null;
        return this.scheduleClientTick();
      case 'deliver':
        return this.deliver(ev);
      case 'timer': {
        const n = this.st.nodes[ev.node]!;
        if (!n.up || n.inc !== ev.inc || n.timerEvents[ev.name] !== ev.time) return; // superseded
        delete n.timerEvents[ev.name];
        const due = n.timers[ev.name];
        if (due === undefined) return; // cancelled
        if (due > ev.time) return this.queueTimer(n, ev.node, ev.name, due); // re-armed later
        delete n.timers[ev.name];
        if (this.hashing) {
          this.th.word(ev.node);
          this.th.name(ev.name);
        }
        this.record({ type: 'timer', node: ev.node, code: 'timer', args: { name: ev.name } });
        return this.protocol.onTimer(n.state as S, ev.name, this.ctx(ev.node));
      }
      case 'disk': {
        // a flush ends: the writes it carried complete together, each told to the node in order
        const n = this.st.nodes[ev.node]!;
        if (this.hashing) this.th.word(ev.node);
        for (const w of ev.writes) {
          if (!n.up || n.inc !== ev.inc) return; // the write never reached the platter (or a handler crashed the node)
          if (w.ok) applyDiskOps(n.durable, w.ops);
          if (this.records) this.record({ type: 'disk', node: ev.node, code: w.ok ? 'disk.ok' : 'disk.failed', args: { tag: this.protocol.diskLabel(w.then as D) } });
          this.protocol.onDisk(n.state as S, w.then as D, w.ok, this.ctx(ev.node));
        }
        return;
      }
      case 'closed': {
        const n = this.st.nodes[ev.node]!;
        if (!n.up) return;
        if (this.hashing) {
          this.th.word((ev.node << 16) | ev.peer);
          this.th.word(ev.conn);
        }
        this.record({ type: 'closed', node: ev.node, peer: ev.peer, code: 'closed', args: { peer: ev.peer } });
        return this.protocol.onClosed(n.state as S, ev.conn, ev.peer, this.ctx(ev.node));
      }
    }
  }

  private deliver(ev: Extract<SimEvent, { type: 'deliver' }>): void {
    if (this.st.dropped[ev.msgId]) {
      delete this.st.dropped[ev.msgId]; // dropped by hand
      return;
    }
    const conn = ev.conn === null ? null : this.st.conns[ev.conn];
    if (ev.conn !== null && (!conn || !conn.open)) return; // the stream closed under it
    if (!this.connected(ev.from, ev.to)) {
      if (conn) {
        // TCP keeps retransmitting: the segment waits for the link to heal
        conn.held.push({ msgId: ev.msgId, from: ev.from, to: ev.to, msg: ev.msg, sentAt: ev.sentAt });
        return;
      }
      this.st.undelivered[`${ev.from}>${ev.to}`] = { msgId: ev.msgId, msg: ev.msg };
      this.record({ type: 'lost', node: ev.to, peer: ev.from, msgId: ev.msgId, kind: ev.msg.kind, code: 'queued.cut', args: { kind: ev.msg.kind, from: ev.from, to: ev.to } });
      return;
    }
    const n = this.st.nodes[ev.to]!;
    if (!n.up || n.state === null) {
      if (!conn && ev.from !== ev.to) this.st.undelivered[`${ev.from}>${ev.to}`] = { msgId: ev.msgId, msg: ev.msg };
      this.record({ type: 'lost', node: ev.to, peer: ev.from, msgId: ev.msgId, kind: ev.msg.kind, code: conn ? 'lost.down' : 'queued.down', args: { kind: ev.msg.kind, from: ev.from, to: ev.to } });
      // a stream to a dead process is refused by its host: the sender gets a reset
      if (ev.conn !== null) this.closeConn(ev.conn, ev.to);
      return;
    }
    this.st.delivered++;
    if (this.hashing) this.th.word((ev.from << 16) | ev.to); // the message itself went in as it was sent
    if (!conn && ev.from !== ev.to) this.contact(ev.from, ev.to);
    if (this.records && ev.from !== ev.to)
      this.record({ type: 'deliver', node: ev.to, peer: ev.from, msgId: ev.msgId, kind: ev.msg.kind, code: 'deliver', args: { kind: ev.msg.kind, from: ev.from }, msg: ev.msg });
    this.protocol.onMessage(n.state, ev.from, ev.msg as M, ev.conn, this.ctx(ev.to));
  }

  // ---- network ------------------------------------------------------------------------------

  private latency(): number {
    return prngInt(this.st.rng, this.st.net.latencyMin, this.st.net.latencyMax);
  }

  private sendDatagram(from: NodeId, to: NodeId, msg: Message): void {
    const msgId = this.st.nextMsg++;
    if (this.hashing && msg !== this.lastSent) this.hashSent(msg);
    if (from === to) {
      // loopback (QuorumCnxManager hands a message to self straight to the receive queue)
      this.push({ type: 'deliver', msgId, from, to, conn: null, msg, sentAt: this.st.now, time: this.st.now, pri: 1, seq: 0 });
      return;
    }
    if (this.records) this.record({ type: 'send', node: from, peer: to, msgId, kind: msg.kind, code: 'send', args: { kind: msg.kind, to }, msg });
    if (!this.st.nodes[to]) return;
    if (!this.connected(from, to)) {
      this.st.undelivered[`${from}>${to}`] = { msgId, msg };
      this.record({ type: 'lost', node: to, peer: from, msgId, kind: msg.kind, code: 'queued.cut', args: { kind: msg.kind, from, to } });
      return;
    }
    if (this.st.net.loss > 0 && prngFloat(this.st.rng) < this.st.net.loss) {
      this.record({ type: 'lost', node: to, peer: from, msgId, kind: msg.kind, code: 'lost.loss', args: { kind: msg.kind, from, to } });
      return;
    }
    this.transmit(msgId, from, to, msg, null);
  }

  /**
   * A datagram from `from` reached `to`: the two are in contact, so `to`'s queued datagram for
   * `from`, if any, goes out now (QuorumCnxManager's SendWorker starts with its queue).
   */
  private contact(from: NodeId, to: NodeId): void {
    delete this.st.undelivered[`${from}>${to}`];
    const back = this.st.undelivered[`${to}>${from}`];
    if (!back) return;
    delete this.st.undelivered[`${to}>${from}`];
    this.transmit(back.msgId, to, from, back.msg, null);
  }

  /** Put a message on the wire: FIFO per directed link, stream loss becomes retransmission delay. */
  private transmit(msgId: number, from: NodeId, to: NodeId, msg: Message, conn: number | null, sentAt = this.st.now): void {
    let lat = this.latency();
    if (conn !== null) while (this.st.net.loss > 0 && prngFloat(this.st.rng) < this.st.net.loss && lat < 60_000) lat += STREAM_RTO_MS;
    const clock = (this.st.linkClock[from] ??= {});
    const at = Math.max(this.st.now + lat, clock[to] ?? 0);
    clock[to] = at;
    this.push({ type: 'deliver', msgId, from, to, conn, msg, sentAt, time: at, pri: 1, seq: 0 });
  }

  private openConn(from: NodeId, to: NodeId, first: Message): number {
    const id = this.st.nextConn++;
    this.st.conns[id] = { a: from, b: to, open: true, held: [] };
    this.streamSend(id, from, first);
    return id;
  }

  private streamSend(connId: number, from: NodeId, msg: Message): void {
    const c = this.st.conns[connId];
    if (!c || !c.open) return;
    const to = c.a === from ? c.b : c.a;
    const msgId = this.st.nextMsg++;
    if (this.hashing && msg !== this.lastSent) this.hashSent(msg);
    if (this.records) this.record({ type: 'send', node: from, peer: to, msgId, kind: msg.kind, code: 'send', args: { kind: msg.kind, to }, msg });
    if (!this.connected(from, to)) {
      c.held.push({ msgId, from, to, msg, sentAt: this.st.now });
      return;
    }
    this.transmit(msgId, from, to, msg, connId);
  }

  /** Close a stream. `by` closed it (null: reset by the network); the other end(s) hear of it. */
  private closeConn(connId: number, by: NodeId | null): void {
    const c = this.st.conns[connId];
    if (!c || !c.open) return;
    // what is still on the wire dies with the stream (deliver finds it closed)
    c.open = false;
    c.held = [];
    for (const end of [c.a, c.b]) {
      if (end === by) continue;
      const other = end === c.a ? c.b : c.a;
      // the FIN / RST only reaches an end that the network still connects
      if (by !== null && !this.connected(end, by)) continue;
      this.push({ type: 'closed', node: end, conn: connId, peer: other, time: this.st.now + this.latency(), pri: 1, seq: 0 });
    }
    delete this.st.conns[connId];
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private queueTimer(n: NodeRt<S>, id: NodeId, name: string, due: number): void {
    n.timerEvents[name] = due;
    this.push({ type: 'timer', node: id, inc: n.inc, name, time: due, pri: 1, seq: 0 });
  }

  private push(ev: SimEvent): void {
    ev.seq = this.st.seq++;
    queuePush(this.st.queue, ev);
  }

  /**
   * A message's fields, as it is sent. A packet broadcast to every learner is one object sent
   * several times in one step: its fields go in once.
   */
  private hashSent(msg: Message): void {
    this.lastSent = msg;
    this.th.word(this.protocol.messageCode ? this.protocol.messageCode(msg as M) : messageCode(msg));
  }

  private hashEvent(tag: string, who: string, detail: string): void {
    if (this.hashing) this.th.chars(`${this.st.now}|${tag}|${who}|${detail};`);
  }

  private record(r: Omit<TraceRecord, 'step' | 'time'>): void {
    if (!this.records) return;
    if (this.records.length >= this.recordCap) this.records.splice(0, this.records.length >> 1);
    // callers pass a fresh literal: completing it in place spares a copy per event
    const rec = r as TraceRecord;
    rec.step = this.st.step;
    rec.time = this.st.now;
    this.records.push(rec);
  }

  /** One context per server, made once: handlers run millions of times. */
  private ctxs: Ctx<M, D>[] = [];

  private ctx(id: NodeId): Ctx<M, D> {
    let c = this.ctxs[id];
    if (c) return c;
    // the node is looked up at each call: a restored checkpoint replaces the whole state
    const node = () => this.st.nodes[id]!;
    const clock = () => this.st.now;
    c = {
      // a getter in the literal: defineProperty afterwards would leave the object slow to read
      get now() {
        return clock();
      },
      self: id,
      send: (to, msg) => this.sendDatagram(id, to, msg),
      connect: (to, first) => this.openConn(id, to, first),
      sendOn: (conn, msg) => this.streamSend(conn, id, msg),
      close: (conn) => this.closeConn(conn, id),
      setTimer: (name, delay) => {
        const n = node();
        const due = this.st.now + Math.max(0, Math.round(delay));
        n.timers[name] = due;
        const queued = n.timerEvents[name];
        if (queued === undefined || due < queued) this.queueTimer(n, id, name, due);
      },
      cancelTimer: (name) => {
        delete node().timers[name];
      },
      persist: (ops, then) => {
        const n = node();
        // one disk with group commit (like SyncRequestProcessor): a write joins the next flush if
        // it has not started yet; otherwise it starts a flush after the current one; in order. A
        // flush is one event: its writes complete together, as a flushed batch is handed on at once
        const w: DiskWrite = { then, ok: !n.diskFailed, ops };
        if (this.st.now < n.flushStart && n.flush) return void n.flush.push(w);
        const lat = prngInt(this.st.rng, this.st.disk.latencyMin, this.st.disk.latencyMax);
        n.flushStart = Math.max(this.st.now, n.diskFreeAt);
        n.diskFreeAt = n.flushStart + lat;
        const writes = [w];
        n.flush = writes;
        this.push({ type: 'disk', node: id, inc: n.inc, writes, time: n.diskFreeAt, pri: 1, seq: 0 });
      },
      flag: (name) => node().flags[name] === true,
      inContact: () => this.nodeIds().filter((o) => o === id || (this.st.nodes[o]!.up && this.connected(id, o))),
      random: () => prngFloat(this.st.rng),
      note: (code, args) => {
        if (this.records) this.record({ type: 'note', node: id, code, args: (typeof args === 'function' ? args() : args) ?? {} });
      },
    };
    this.ctxs[id] = c;
    return c;
  }

  // ---- checkpoints --------------------------------------------------------------------------

  /**
   * A copy of the whole state. Arrays the protocol declares append-only (logs, histories) are not
   * copied: the checkpoint keeps a reference and a length, since their first `length` items never
   * change (they only grow, or are replaced by a new array). Long runs stay cheap to checkpoint.
   */
  checkpoint(): Checkpoint<S> {
    this.st.hash = this.th.save();
    const shared: SharedArray[] = [];
    const spec = this.protocol.appendOnly ?? { state: [], durable: [] };
    for (const id of this.st.order) {
      const n = this.st.nodes[id]!;
      const detach = (where: 'state' | 'durable', obj: Record<string, unknown> | null) => {
        if (!obj) return;
        for (const key of spec[where]) {
          const arr = obj[key];
          if (!Array.isArray(arr)) continue;
          shared.push({ id, where, key, ref: arr, len: arr.length });
          obj[key] = null;
        }
      };
      detach('state', n.state as Record<string, unknown> | null);
      detach('durable', n.durable);
    }
    const st = structuredClone(this.st);
    for (const s of shared) this.attach(this.st, s, s.ref);
    return { st, shared };
  }

  restore(cp: Checkpoint<S>): void {
    const st = structuredClone(cp.st);
    for (const s of cp.shared) this.attach(st, s, s.ref.slice(0, s.len));
    this.st = st;
    this.th.load(st.hash);
    this.touched = null;
    this.lastSent = null;
  }

  private attach(st: SimState<S>, s: SharedArray, arr: unknown[]): void {
    const n = st.nodes[s.id]!;
    const obj = (s.where === 'state' ? n.state : n.durable) as Record<string, unknown>;
    obj[s.key] = arr;
  }
}

interface SharedArray {
  id: NodeId;
  where: 'state' | 'durable';
  key: string;
  ref: unknown[];
  len: number;
}

export interface Checkpoint<S> {
  st: SimState<S>;
  shared: SharedArray[];
}

export function applyDiskOps(d: Durable, ops: DiskOp[]): void {
  for (const o of ops) {
    if (o.op === 'set') d[o.key] = structuredClone(o.value);
    else if (o.op === 'append') {
      // in place: logs are append-only (checkpoints share their prefix)
      // items are taken as they are: a protocol hands over fresh values and never touches them again
      const arr = (d[o.key] as unknown[] | undefined) ?? (d[o.key] = []);
      for (const item of o.items) (arr as unknown[]).push(item);
    }
    else d[o.key] = ((d[o.key] as unknown[]) ?? []).slice(0, o.length);
  }
}

function linkKey(a: NodeId, b: NodeId): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}
