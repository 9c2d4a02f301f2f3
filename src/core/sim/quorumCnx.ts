import { beginSend, closeConn, writeOn } from './network';
import type { QcmPeer, SimEvent } from './state';
import type { AnyKernel } from './kernel';
import type { Message, NodeId } from './types';

/**
 * ZooKeeper's election channel, QuorumCnxManager (Q/QuorumCnxManager.java, 3.8): one TCP
 * connection per pair of servers. Per peer, a send queue of one slot (SEND_CAPACITY = 1: a newer
 * message replaces one not yet sent) and the last message sent, which a new connection's
 * SendWorker sends again when the queue is empty. A server dials a peer when it has something for
 * it and no connection (connectOne; one dial at a time, inprogressConnections). Only the larger
 * sid keeps a connection: a smaller sid's dial is dropped by both ends (startConnection "Have
 * smaller server identifier, so dropping the connection", handleConnection) and the larger sid
 * dials back, so a lower sid's first message to a higher one waits for that second dial. A dial
 * to a dead process is refused; across a cut link it gives up after cnxTO (5 s).
 *
 * The TCP handshake is drawn as one hop: a dial that arrives makes the connection, and both ends'
 * SendWorkers start there. Once made, a connection is a stream (network.ts): FIFO, held while the
 * link is cut, loss turned into retransmission delay, closed when either process dies.
 */

/** QuorumCnxManager.cnxTO: how long a connect waits for a host that does not answer. */
export const CNX_TIMEOUT_MS = 5000;

function peerOf(k: AnyKernel, self: NodeId, peer: NodeId): QcmPeer {
  const mine = (k.st.qcm[self] ??= {});
  return (mine[peer] ??= { conn: null, queue: null, last: null, dialing: false });
}

/** toSend: loopback to ourselves; otherwise into the peer's one-slot queue, then connectOne. */
export function toSend(k: AnyKernel, from: NodeId, to: NodeId, msg: Message): void {
  const msgId = beginSend(k, from, to, msg);
  if (msgId === null) return;
  const p = peerOf(k, from, to);
  if (p.queue) k.record({ type: 'lost', node: to, peer: from, msgId: p.queue.msgId, kind: p.queue.msg.kind, code: 'queued.replaced', args: { kind: p.queue.msg.kind, from, to } });
  p.queue = { msgId, msg };
  if (p.conn !== null) return sendQueued(k, from, to, p);
  connectOne(k, from, to, p);
}

/** SendWorker: the queued message goes on the connection and becomes the last one sent. */
function sendQueued(k: AnyKernel, from: NodeId, to: NodeId, p: QcmPeer): void {
  const q = p.queue;
  if (!q || p.conn === null) return;
  p.queue = null;
  p.last = q.msg;
  writeOn(k, p.conn, from, to, q.msgId, q.msg);
}

/** SendWorker.run on a new connection: the queue, or else the last message sent, again. */
function startSendWorker(k: AnyKernel, from: NodeId, to: NodeId, p: QcmPeer): void {
  if (p.queue) return sendQueued(k, from, to, p);
  if (!p.last || p.conn === null) return;
  const st = k.st;
  const msgId = st.nextMsg++;
  k.hashSent(p.last);
  k.log.send(msgId, from, to, p.last);
  if (k.records) k.record({ type: 'send', node: from, peer: to, msgId, kind: p.last.kind, code: 'send.last', args: { kind: p.last.kind, to }, msg: p.last });
  writeOn(k, p.conn, from, to, msgId, p.last);
}

/** connectOne: dial the peer unless connected or already dialling. */
function connectOne(k: AnyKernel, from: NodeId, to: NodeId, p: QcmPeer): void {
  if (p.conn !== null || p.dialing) return;
  p.dialing = true;
  const reach = k.connected(from, to);
  k.push({ type: 'dial', from, to, inc: k.st.nodes[from]!.inc, time: k.st.now + (reach ? k.latency() : CNX_TIMEOUT_MS), pri: 1, seq: 0 });
}

/** connectAll: dial every peer we ever had a queue for (queueSendMap's keys) and have no connection to. */
export function connectAll(k: AnyKernel, self: NodeId): void {
  const mine = k.st.qcm[self];
  if (!mine) return;
  for (const [peer, p] of Object.entries(mine)) connectOne(k, self, Number(peer), p);
}

/** haveDelivered: is some peer's queue empty (something got out)? */
export function haveDelivered(k: AnyKernel, self: NodeId): boolean {
  const mine = k.st.qcm[self];
  if (!mine) return false;
  for (const p of Object.values(mine)) if (!p.queue) return true;
  return false;
}

/** The worker of a replaced or given-up connection finishes: its socket closes. */
function finish(k: AnyKernel, self: NodeId, p: QcmPeer): void {
  if (p.conn === null) return;
  const c = p.conn;
  p.conn = null;
  closeConn(k, c, self);
}

/** A dial reaches its peer (or fails): receiveConnection / handleConnection at the other end. */
export function onDial(k: AnyKernel, ev: Extract<SimEvent, { type: 'dial' }>): void {
  const st = k.st;
  const { from, to } = ev;
  const dialer = st.nodes[from];
  if (!dialer?.up || dialer.inc !== ev.inc) return; // the dialler died meanwhile: its sockets went with it
  const p = peerOf(k, from, to);
  const host = st.nodes[to]!;
  if (!k.connected(from, to) || !host.up) {
    p.dialing = false;
    k.hashEvent('dial', `${from}>${to}`, 'failed');
    k.record({ type: 'note', node: from, code: host.up ? 'cnx.timeout' : 'cnx.refused', args: { to } });
    return;
  }
  if (host.paused) return void host.backlog.push(ev); // in the listen backlog until it runs
  p.dialing = false;
  k.hashEvent('dial', `${from}>${to}`, 'ok');
  const q = peerOf(k, to, from);
  // a stale connection the other end still believes in is finished before anything else
  finish(k, to, q);
  if (from < to) {
    k.record({ type: 'note', node: from, code: 'cnx.smallerSid', args: { to } });
    return connectOne(k, to, from, q);
  }
  finish(k, from, p);
  const id = st.nextConn++;
  st.conns[id] = { a: from, b: to, open: true, held: [], qcm: true };
  p.conn = id;
  q.conn = id;
  startSendWorker(k, from, to, p);
  startSendWorker(k, to, from, q);
}

/** A connection broke (the peer died, a reset, a dropped segment): its workers finish. */
export function onCnxClosed(k: AnyKernel, node: NodeId, peer: NodeId, conn: number): void {
  const p = k.st.qcm[node]?.[peer];
  if (!p || p.conn !== conn) return;
  p.conn = null;
  k.record({ type: 'note', node, code: 'cnx.broken', args: { peer } });
}

/** A process dies: its QuorumCnxManager and what it held go with it; dials waiting for it fail. */
export function qcmCrashed(k: AnyKernel, id: NodeId, backlog: SimEvent[]): void {
  delete k.st.qcm[id];
  for (const ev of backlog) if (ev.type === 'dial') peerOf(k, ev.from, ev.to).dialing = false;
}
