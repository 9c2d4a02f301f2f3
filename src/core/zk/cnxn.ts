/**
 * A server's side of its clients' connections (ServerCnxn, ZooKeeperServer.processConnectRequest)
 * and the order it answers their requests in (CommitProcessor, FinalRequestProcessor): each
 * connection's requests are answered in the order they came; a read is answered from this
 * server's own tree, but not before the same session's earlier writes are committed here. A
 * write waits for its txn's commit on this server; a sync for the leader's SYNC.
 * Whoever needs the leader (a write, a sync, a new or resumed session) is handed back to the
 * caller (zab.ts), which forwards it or, on the leader, proposes it (broadcast.ts).
 */
import { clientName } from '../sim/actions';
import type { NodeId } from '../sim/types';
import { dataTree, isWrite, sessionHex, type SessionId, type Txn, type WriteOp } from './datatree';
import type { ClientPacket } from './messages';
import type { Env, ServerCnxn, ZkServer } from './state';
import { lastOf, zxidHex, type Zxid } from './zxid';

/** A server takes clients only while it serves: a leader once established, a learner once UPTODATE. */
export function serving(s: ZkServer): boolean {
  if (s.zabState !== 'BROADCAST') return false;
  return s.state === 'LEADING' ? s.leader?.established === true : s.learner?.conn != null;
}

/** The tree's lastProcessedZxid: what a reply's header carries and a connecting client is compared with. */
export function lastProcessed(s: ZkServer): Zxid {
  return lastOf(s.history, s.snapZxid);
}

/** ZooKeeperServer's session timeout bounds: 2 and 20 ticks (minSessionTimeout, maxSessionTimeout). */
export function negotiate(env: Env, requested: number): number {
  const tick = env.cfg.timing.tickTime;
  return Math.min(20 * tick, Math.max(2 * tick, requested));
}

/** What the caller must do with a connection's new session, or a request that needs the leader. */
export type Submit =
  | { kind: 'createSession'; session: SessionId; timeout: number; conn: number }
  | { kind: 'revalidate'; session: SessionId; timeout: number; conn: number }
  | { kind: 'request'; session: SessionId; cxid: number; body: WriteOp | { op: 'sync' }; conn: number };

/**
 * processConnectRequest: a server that does not serve drops the connection; one whose tree is
 * behind what the client has seen refuses it ("Refusing session request for client … as it has
 * seen zxid …", and the client tries another server); otherwise a new session is created
 * (a createSession txn, through the leader) or an old one revalidated with the leader.
 */
export function onConnectRequest(s: ZkServer, env: Env, from: NodeId, conn: number, p: Extract<ClientPacket, { kind: 'ConnectRequest' }>): Submit | null {
  const { ctx } = env;
  if (!serving(s)) {
    ctx.note('client.notServing', { client: clientName(from) });
    ctx.close(conn);
    return null;
  }
  const ours = lastProcessed(s);
  // ablation acceptStaleClient: drops the check of the client's last seen zxid against our tree
  if (p.lastZxidSeen > ours && !env.cfg.ablations?.acceptStaleClient) {
    ctx.note('client.refused', { client: clientName(from), seen: zxidHex(p.lastZxidSeen), ours: zxidHex(ours) });
    ctx.close(conn);
    return null;
  }
  const timeout = negotiate(env, p.timeout);
  if (p.session === 0) {
    const session = s.id * 2 ** 32 + s.nextSession++;
    s.cnxns[conn] = { conn, client: from, session, timeout, established: false, queue: [] };
    return { kind: 'createSession', session, timeout, conn };
  }
  s.cnxns[conn] = { conn, client: from, session: p.session, timeout, established: false, queue: [] };
  return { kind: 'revalidate', session: p.session, timeout, conn };
}

/** finishSessionInit: answer the client's ConnectRequest; an expired session gets timeout 0 and the connection closes. */
export function finishSessionInit(s: ZkServer, env: Env, conn: number, valid: boolean): void {
  const c = s.cnxns[conn];
  if (!c) return;
  if (!valid) {
    // ZooKeeper closes the connection once this response is written (its close follows the data);
    // the simulator's close is a reset that would overtake it, so the client closes on reading it
    env.ctx.sendOn(conn, { kind: 'ConnectResponse', session: c.session, timeout: 0 });
    env.ctx.note('client.expiredSession', { client: clientName(c.client), session: sessionHex(c.session) });
    delete s.cnxns[conn];
    return;
  }
  c.established = true;
  env.ctx.sendOn(conn, { kind: 'ConnectResponse', session: c.session, timeout: c.timeout });
  env.ctx.note('client.connected', { client: clientName(c.client), session: sessionHex(c.session) });
  drain(s, env, c);
}

/**
 * A request on an established connection: queued in arrival order, and handed back if it needs
 * the leader (a write or a sync). A learner notes the session as touched for its next PING.
 */
export function onClientRequest(s: ZkServer, env: Env, conn: number, p: Extract<ClientPacket, { kind: 'ClientRequest' }>): Submit | null {
  const c = s.cnxns[conn];
  if (!c || !c.established) return null;
  if (s.learner) s.learner.touches[c.session] = c.timeout;
  c.queue.push({ xid: p.xid, body: p.body, done: null });
  let submit: Submit | null = null;
  if (isWrite(p.body)) submit = { kind: 'request', session: c.session, cxid: p.xid, body: p.body, conn };
  else if (p.body.op === 'sync') {
    // ablation syncLocally: a learner answers sync from its own tree, without the leader
    if (s.learner && env.cfg.ablations?.syncLocally) c.queue[c.queue.length - 1]!.done = { err: 'OK', zxid: lastProcessed(s) };
    else submit = { kind: 'request', session: c.session, cxid: p.xid, body: { op: 'sync' }, conn };
  }
  drain(s, env, c);
  return submit;
}

/**
 * Answer what can be answered, in order: a read or a ping at once, from this server's tree; a
 * write or a sync once it is done. The first that is not stops the rest (a session's reads wait
 * behind its writes: CommitProcessor's per-session queue).
 */
export function drain(s: ZkServer, env: Env, c: ServerCnxn): void {
  while (c.queue.length) {
    const r = c.queue[0]!;
    const b = r.body;
    if (b.op === 'getData') {
      const n = dataTree(s).nodes[b.path];
      const zxid = lastProcessed(s);
      env.ctx.sendOn(c.conn, n ? { kind: 'ClientReply', xid: r.xid, zxid, err: 'OK', data: n.data, version: n.version } : { kind: 'ClientReply', xid: r.xid, zxid, err: 'NONODE' });
    } else if (b.op === 'ping') {
      env.ctx.sendOn(c.conn, { kind: 'ClientReply', xid: r.xid, zxid: lastProcessed(s), err: 'OK' });
    } else if (r.done) {
      // a sync's reply carries the tree's zxid as it is once the SYNC came
      // (after its closeSession's reply the client closes the connection itself)
      env.ctx.sendOn(c.conn, { kind: 'ClientReply', xid: r.xid, zxid: b.op === 'sync' ? lastProcessed(s) : r.done.zxid, err: r.done.err });
    } else return;
    c.queue.shift();
  }
}

/**
 * A txn with a body was applied to this server's tree (FinalRequestProcessor): the connection
 * whose request made it is answered; a new session's connection is established; a closed or
 * expired session's connection is closed (after answering its own close).
 */
export function onTxnApplied(s: ZkServer, env: Env, zxid: Zxid, txn: Txn): void {
  for (const c of Object.values(s.cnxns)) {
    if (c.session !== txn.session) continue;
    if (txn.type === 'createSession') {
      if (!c.established) finishSessionInit(s, env, c.conn, true);
      continue;
    }
    if (!answer(s, env, c, zxid, txn) && txn.type === 'closeSession') {
      // expired by the leader: the server closes the connection (the client learns at its reconnect)
      env.ctx.close(c.conn);
      delete s.cnxns[c.conn];
    }
  }
}

/** A proposal a learner just logged (answerBeforeCommit only): the client is told before the txn is committed anywhere. */
export function answerEarly(s: ZkServer, env: Env, zxid: Zxid, txn: Txn): void {
  if (txn.type === 'createSession') return;
  for (const c of Object.values(s.cnxns)) if (c.session === txn.session) answer(s, env, c, zxid, txn);
}

/** The write of this connection that a txn made is done, with the txn's zxid and outcome; false if it has none. */
function answer(s: ZkServer, env: Env, c: ServerCnxn, zxid: Zxid, txn: Exclude<Txn, { type: 'createSession' }>): boolean {
  const r = c.queue.find((q) => q.xid === txn.cxid && isWrite(q.body) && q.done === null);
  if (!r) return false;
  r.done = { err: txn.type === 'error' ? txn.err : 'OK', zxid };
  drain(s, env, c);
  return true;
}

/** The sync a connection sent is answered (the leader's SYNC came, or on the leader its commit). */
export function syncDone(s: ZkServer, env: Env, conn: number): void {
  const c = s.cnxns[conn];
  const r = c?.queue.find((q) => q.body.op === 'sync' && q.done === null);
  if (!c || !r) return;
  r.done = { err: 'OK', zxid: lastProcessed(s) };
  drain(s, env, c);
}

/** The client closed its end (or its process is gone): the session lives on until it times out. */
export function onCnxnClosed(s: ZkServer, conn: number): void {
  delete s.cnxns[conn];
}

/** Leader.shutdown / Learner.shutdown: closeAllConnections. Clients see Disconnected and look for another server. */
export function closeAllConnections(s: ZkServer, env: Env): void {
  for (const c of Object.values(s.cnxns)) env.ctx.close(c.conn);
  s.cnxns = {};
}

