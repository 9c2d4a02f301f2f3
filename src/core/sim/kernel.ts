import { queuePush } from './eventQueue';
import { prngFloat, prngInt } from './prng';
import { initialState, linkKey, type NodeRt, type SimConfig, type SimEvent, type SimState, type TraceRecord } from './state';
import { messageCode, TraceHash } from './traceHash';
import type { Ctx, Durable, Message, NodeId, NodeViewBase, Protocol } from './types';
import { closeConn, openConn, sendDatagram, streamSend } from './network';
import { connectAll, haveDelivered, toSend } from './quorumCnx';
import { persist } from './disk';
import { StepLog, type StepRecord } from './stepRecord';

/**
 * What every part of the simulator shares: the state, the event queue's plumbing, the trace hash
 * and records, and each node's context (the one door through which a protocol acts). The
 * network, the disks, faults and checkpoints are modules of functions over it; the Simulator
 * (simulator.ts) is the kernel with its public face: start, step, run, look, act.
 */
export class Kernel<S, M extends Message, V extends NodeViewBase, D> {
  st: SimState<S>;
  /** when set, trace records are collected here for the UI (the CLI leaves it off) */
  records: TraceRecord[] | null = null;
  /** past this many undrained records the oldest half goes (the page drains every frame) */
  recordCap = Infinity;
  /** when set, every ctx.note code reached is counted here (the explorer's coverage); off by default */
  noteCounts: Record<string, number> | null = null;
  /** off only to measure what the trace hash costs (npm run bench): the hash then stays at its start */
  hashing = true;
  /** the trace hash as the run goes (st.hash holds it at each checkpoint) */
  readonly th = new TraceHash();
  /** what the current (or last) step did: the checkers read it as `lastStep` */
  readonly log = new StepLog();
  /** The message object sent last in this step, for the trace hash (never kept across steps). */
  lastSent: Message | null = null;

  constructor(
    readonly protocol: Protocol<S, M, V, D>,
    config: SimConfig,
    initialDurable: Record<NodeId, Durable> = {},
  ) {
    this.st = initialState<S>(config, initialDurable);
  }

  /** What the last step did: who it touched, what it delivered and sent. */
  get lastStep(): StepRecord {
    return this.log;
  }

  connected(a: NodeId, b: NodeId): boolean {
    return this.st.group[a] === this.st.group[b] && !(this.st.anyCut && this.st.cut[linkKey(a, b)]);
  }

  latency(): number {
    return prngInt(this.st.rng, this.st.net.latencyMin, this.st.net.latencyMax);
  }

  push(ev: SimEvent): void {
    ev.seq = this.st.seq++;
    queuePush(this.st.queue, ev);
  }

  queueTimer(n: NodeRt<S>, id: NodeId, name: string, due: number): void {
    n.timerEvents[name] = due;
    this.push({ type: 'timer', node: id, inc: n.inc, name, time: due, pri: 1, seq: 0 });
  }

  /**
   * A message's fields, as it is sent. A packet broadcast to every learner is one object sent
   * several times in one step: its fields go in once.
   */
  hashSent(msg: Message): void {
    if (!this.hashing || msg === this.lastSent) return;
    this.lastSent = msg;
    this.th.word(this.protocol.messageCode ? this.protocol.messageCode(msg as M) : messageCode(msg));
  }

  hashEvent(tag: string, who: string, detail: string): void {
    if (this.hashing) this.th.chars(`${this.st.now}|${tag}|${who}|${detail};`);
  }

  record(r: Omit<TraceRecord, 'step' | 'time'>): void {
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

  ctx(id: NodeId): Ctx<M, D> {
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
      send: this.protocol.quorumCnx ? (to, msg) => toSend(this, id, to, msg) : (to, msg) => sendDatagram(this, id, to, msg),
      haveDelivered: () => !this.protocol.quorumCnx || haveDelivered(this, id),
      connectAll: () => connectAll(this, id),
      connect: (to, first) => openConn(this, id, to, first),
      sendOn: (conn, msg) => streamSend(this, conn, id, msg),
      close: (conn, refuse) => closeConn(this, conn, id, refuse === true),
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
      persist: (ops, then) => persist(this, id, ops, then),
      flag: (name) => node().flags[name] === true,
      inContact: () => this.st.order.filter((o) => o === id || (this.st.nodes[o]!.up && this.connected(id, o))),
      random: () => prngFloat(this.st.rng),
      note: (code, args) => {
        if (this.noteCounts) this.noteCounts[code] = (this.noteCounts[code] ?? 0) + 1;
        if (this.records) this.record({ type: 'note', node: id, code, args: (typeof args === 'function' ? args() : args) ?? {} });
      },
    };
    this.ctxs[id] = c;
    return c;
  }
}

/** A kernel of any protocol, for the parts that need none of its types. */
export type AnyKernel = Kernel<unknown, Message, NodeViewBase, unknown>;
