import { queueEvents, queueRemove } from './eventQueue';
import { prngFloat } from './prng';
import { STREAM_RTO_MS, type Conn, type Flight, type SimEvent } from './state';
import type { AnyKernel, Kernel } from './kernel';
import type { Message, NodeId, NodeViewBase } from './types';

/**
 * The network: datagrams (2PC's and Paxos's messages: lost when the link is cut or to loss, one
 * queued per directed link until the two are in contact again) and streams (TCP: a learner's
 * connection, ZooKeeper's election connections of quorumCnx.ts; FIFO, held while a link is cut,
 * loss turned into retransmission delay, reset when a process dies). Latency per message from
 * the seeded PRNG; each directed link stays FIFO.
 */

/**
 * What every send() does first: number, hash and log the message; one to the sender itself is
 * handed to its receive queue (loopback). Returns its id if it is for another known node, to be
 * sent on by the caller; null if nothing is left to do.
 */
export function beginSend(k: AnyKernel, from: NodeId, to: NodeId, msg: Message): number | null {
  const st = k.st;
  const msgId = st.nextMsg++;
  k.hashSent(msg);
  k.log.send(msgId, from, to, msg);
  if (from === to) {
    k.push({ type: 'deliver', msgId, from, to, conn: null, msg, sentAt: st.now, time: st.now, pri: 1, seq: 0 });
    return null;
  }
  if (k.records) k.record({ type: 'send', node: from, peer: to, msgId, kind: msg.kind, code: 'send', args: { kind: msg.kind, to }, msg });
  return st.nodes[to] ? msgId : null;
}

export function sendDatagram(k: AnyKernel, from: NodeId, to: NodeId, msg: Message): void {
  const st = k.st;
  const msgId = beginSend(k, from, to, msg);
  if (msgId === null) return;
  if (!k.connected(from, to)) {
    st.undelivered[`${from}>${to}`] = { msgId, msg };
    k.record({ type: 'lost', node: to, peer: from, msgId, kind: msg.kind, code: 'queued.cut', args: { kind: msg.kind, from, to } });
    return;
  }
  if (st.net.loss > 0 && prngFloat(st.rng) < st.net.loss) {
    k.record({ type: 'lost', node: to, peer: from, msgId, kind: msg.kind, code: 'lost.loss', args: { kind: msg.kind, from, to } });
    return;
  }
  transmit(k, msgId, from, to, msg, null);
}

/**
 * A datagram from `from` reached `to`: the two are in contact, so `to`'s queued datagram for
 * `from`, if any, goes out now (QuorumCnxManager's SendWorker starts with its queue).
 */
function contact(k: AnyKernel, from: NodeId, to: NodeId): void {
  const undelivered = k.st.undelivered;
  delete undelivered[`${from}>${to}`];
  const back = undelivered[`${to}>${from}`];
  if (!back) return;
  delete undelivered[`${to}>${from}`];
  transmit(k, back.msgId, to, from, back.msg, null);
}

/** Put a message on the wire: FIFO per directed link, stream loss becomes retransmission delay. */
export function transmit(k: AnyKernel, msgId: number, from: NodeId, to: NodeId, msg: Message, conn: number | null, sentAt = k.st.now): void {
  const st = k.st;
  let lat = k.latency();
  if (conn !== null) while (st.net.loss > 0 && prngFloat(st.rng) < st.net.loss && lat < 60_000) lat += STREAM_RTO_MS;
  const clock = (st.linkClock[from] ??= {});
  const at = Math.max(st.now + lat, clock[to] ?? 0);
  clock[to] = at;
  k.push({ type: 'deliver', msgId, from, to, conn, msg, sentAt, time: at, pri: 1, seq: 0 });
}

export function openConn(k: AnyKernel, from: NodeId, to: NodeId, first: Message): number {
  const id = k.st.nextConn++;
  k.st.conns[id] = { a: from, b: to, open: true, held: [], first: k.st.nextMsg };
  streamSend(k, id, from, first);
  return id;
}

export function streamSend(k: AnyKernel, connId: number, from: NodeId, msg: Message): void {
  const st = k.st;
  const c = st.conns[connId];
  if (!c || !c.open) return resetHalfOpen(k, connId, from);
  const to = c.a === from ? c.b : c.a;
  const msgId = st.nextMsg++;
  k.hashSent(msg);
  k.log.send(msgId, from, to, msg);
  if (k.records) k.record({ type: 'send', node: from, peer: to, msgId, kind: msg.kind, code: 'send', args: { kind: msg.kind, to }, msg });
  writeOn(k, connId, from, to, msgId, msg);
}

/** Write a message on a stream: on the wire, held while the link is cut, or a reset if it is gone. */
export function writeOn(k: AnyKernel, connId: number, from: NodeId, to: NodeId, msgId: number, msg: Message): void {
  const c = k.st.conns[connId];
  if (!c || !c.open) return resetHalfOpen(k, connId, from);
  if (!k.connected(from, to)) {
    c.held.push({ msgId, from, to, msg, sentAt: k.st.now });
    return;
  }
  transmit(k, msgId, from, to, msg, connId);
}

/**
 * A write on a stream the other end has long closed: once the network carries it, the other host
 * answers with a reset, and the writer learns the stream is gone.
 */
function resetHalfOpen(k: AnyKernel, connId: number, from: NodeId): void {
  const st = k.st;
  const h = st.halfOpen[connId];
  if (!h || h.end !== from || !k.connected(from, h.peer)) return;
  delete st.halfOpen[connId];
  k.push({ type: 'closed', node: from, conn: connId, peer: h.peer, time: st.now + k.latency() + k.latency(), pri: 1, seq: 0, ...(h.qcm ? { qcm: true as const } : {}) });
}

/**
 * Close a stream. `by` closed it (null: reset by the network); the other end(s) hear of it,
 * `refused` when the stream was never accepted (a connect that failed).
 */
export function closeConn(k: AnyKernel, connId: number, by: NodeId | null, refused = false): void {
  const st = k.st;
  const c = st.conns[connId];
  if (!c || !c.open) return;
  // what is still on the wire dies with the stream (deliver finds it closed)
  c.open = false;
  c.held = [];
  for (const end of [c.a, c.b]) {
    if (end === by) continue;
    const other = end === c.a ? c.b : c.a;
    // the FIN / RST only reaches an end that the network still connects
    if (by !== null && !k.connected(end, by)) {
      if (k.st.nodes[end]?.up) st.halfOpen[connId] = { end, peer: other, ...(c.qcm ? { qcm: true as const } : {}) };
      continue;
    }
    k.push({ type: 'closed', node: end, conn: connId, peer: other, time: st.now + k.latency(), pri: 1, seq: 0, ...(refused ? { refused } : {}), ...(c.qcm ? { qcm: true as const } : {}) });
  }
  delete st.conns[connId];
}

/** Held stream messages whose link is whole again go on their way, in order. */
export function releaseHeld(k: AnyKernel): void {
  const st = k.st;
  for (const [cid, c] of Object.entries(st.conns)) {
    if (!c.open || c.held.length === 0 || !k.connected(c.a, c.b)) continue;
    const conn = Number(cid);
    // TCP delivers a stream in order: what was sent after the held segments and is still on the
    // wire must not overtake them, so it goes out again behind them (in send order)
    const later: Conn['held'] = [];
    queueRemove(st.queue, (ev) => {
      if (ev.type !== 'deliver' || ev.conn !== conn) return false;
      later.push({ msgId: ev.msgId, from: ev.from, to: ev.to, msg: ev.msg, sentAt: ev.sentAt });
      return true;
    });
    const all = [...c.held, ...later].sort((x, y) => x.msgId - y.msgId);
    c.held = [];
    for (const h of all) transmit(k, h.msgId, h.from, h.to, h.msg, conn, h.sentAt);
  }
}

/** A message arrives: to a live receiver over a whole link, or it is held, queued or lost. */
export function deliver<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>, ev: Extract<SimEvent, { type: 'deliver' }>): void {
  const st = k.st;
  if (ev.arrived) return handOver(k, ev); // it reached a paused process, which now reads it
  if (st.dropped[ev.msgId]) {
    delete st.dropped[ev.msgId]; // dropped by hand
    return;
  }
  const conn = ev.conn === null ? null : st.conns[ev.conn];
  if (ev.conn !== null && (!conn || !conn.open)) return; // the stream closed under it
  if (!k.connected(ev.from, ev.to)) {
    if (conn) {
      // TCP keeps retransmitting: the segment waits for the link to heal
      conn.held.push({ msgId: ev.msgId, from: ev.from, to: ev.to, msg: ev.msg, sentAt: ev.sentAt });
      return;
    }
    st.undelivered[`${ev.from}>${ev.to}`] = { msgId: ev.msgId, msg: ev.msg };
    k.record({ type: 'lost', node: ev.to, peer: ev.from, msgId: ev.msgId, kind: ev.msg.kind, code: 'queued.cut', args: { kind: ev.msg.kind, from: ev.from, to: ev.to } });
    return;
  }
  const n = st.nodes[ev.to]!;
  if (!n.up || n.state === null) {
    if (!conn && ev.from !== ev.to) st.undelivered[`${ev.from}>${ev.to}`] = { msgId: ev.msgId, msg: ev.msg };
    k.record({ type: 'lost', node: ev.to, peer: ev.from, msgId: ev.msgId, kind: ev.msg.kind, code: conn ? 'lost.down' : 'queued.down', args: { kind: ev.msg.kind, from: ev.from, to: ev.to } });
    // a stream to a dead process is refused by its host: the sender gets a reset (a connect that
    // fails, if this was the stream's first message)
    if (ev.conn !== null) closeConn(k, ev.conn, ev.to, conn?.first === ev.msgId);
    return;
  }
  if (n.paused) {
    // in its socket's buffer: the stopped process reads it when it resumes
    ev.arrived = true;
    n.backlog.push(ev);
    return;
  }
  handOver(k, ev);
}

/** The receiver reads the message and handles it. */
function handOver<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>, ev: Extract<SimEvent, { type: 'deliver' }>): void {
  const st = k.st;
  const n = st.nodes[ev.to]!;
  st.delivered++;
  k.log.delivered = ev;
  if (k.hashing) k.th.word((ev.from << 16) | ev.to); // the message itself went in as it was sent
  if (ev.conn === null && ev.from !== ev.to) contact(k, ev.from, ev.to);
  if (k.records && ev.from !== ev.to)
    k.record({ type: 'deliver', node: ev.to, peer: ev.from, msgId: ev.msgId, kind: ev.msg.kind, code: 'deliver', args: { kind: ev.msg.kind, from: ev.from }, msg: ev.msg });
  k.protocol.onMessage(n.state as S, ev.from, ev.msg as M, ev.conn, k.ctx(ev.to));
}

/**
 * Every message on the wire or held on a cut stream, oldest first; with `newest`, only that many
 * of the latest (their labels are strings to build: a snapshot draws a few dozen of hundreds).
 */
export function flights<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>, newest = Infinity): Flight[] {
  const st = k.st;
  const raw: { msgId: number; from: NodeId; to: NodeId; msg: Message; sentAt: number; deliverAt: number | null; stream: boolean }[] = [];
  // an election connection's messages are drawn as the election's own (stream: a protocol's)
  for (const ev of queueEvents(st.queue)) {
    if (ev.type !== 'deliver' || ev.from === ev.to || st.dropped[ev.msgId]) continue;
    const c = ev.conn === null ? null : st.conns[ev.conn];
    if (ev.conn !== null && !c?.open) continue;
    raw.push({ msgId: ev.msgId, from: ev.from, to: ev.to, msg: ev.msg, sentAt: ev.sentAt, deliverAt: ev.time, stream: c !== null && c?.qcm !== true });
  }
  for (const c of Object.values(st.conns)) for (const h of c.held) raw.push({ ...h, deliverAt: null, stream: c.qcm !== true });
  raw.sort((a, b) => a.msgId - b.msgId);
  return raw
    .slice(Math.max(0, raw.length - newest))
    .map((f) => ({ id: f.msgId, from: f.from, to: f.to, kind: f.msg.kind, label: k.protocol.label(f.msg as M), sentAt: f.sentAt, deliverAt: f.deliverAt, stream: f.stream }));
}
