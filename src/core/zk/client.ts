/**
 * A ZooKeeper client (ClientCnxn and its SendThread): it connects to one server of its connect
 * string at a time, keeps its session alive with pings, and when it hears nothing for two thirds
 * of the session timeout, or its server goes away, it is Disconnected and tries the next server,
 * resuming the same session with the last zxid it has seen. Requests sent and not answered when
 * the connection is lost fail with CONNECTIONLOSS (a write among them may still have happened).
 * A server that says the session has expired ends it: the client must start a new one.
 */
import type { ClientCommand } from '../sim/actions';
import type { Ctx, NodeId, NodeSpec } from '../sim/types';
import { sessionHex, type ClientOpBody, type KeeperErr, type SessionId } from './datatree';
import type { ClientPacket, ZkMessage } from './messages';
import type { ZkDisk } from './state';
import { zxidHex, type Zxid } from './zxid';

export type ClientState = 'IDLE' | 'CONNECTING' | 'CONNECTED' | 'EXPIRED' | 'CLOSED';

/** A request the client made, waiting to be sent or answered. */
export interface ClientCall {
  xid: number;
  body: ClientOpBody;
  issuedAt: number;
}

/** What came of a request, as the client saw it. */
export interface ClientResult {
  xid: number;
  op: ClientOpBody['op'];
  path?: string;
  err: KeeperErr;
  /** the reply header's zxid (0 when no reply came) */
  zxid: Zxid;
  data?: string;
  version?: number;
  issuedAt: number;
  at: number;
  /** the server that answered (null: none did) */
  server: NodeId | null;
  /** the last zxid the client had seen before this reply */
  seenBefore: Zxid;
}

export interface ZkClient {
  kind: 'client';
  id: NodeId;
  /** the connect string's servers, tried in turn */
  servers: NodeId[];
  next: number;
  state: ClientState;
  conn: number | null;
  server: NodeId | null;
  session: SessionId;
  /** the timeout asked for, and the one the server granted */
  requested: number;
  timeout: number;
  /** the last zxid seen in a reply (ClientCnxn.lastZxid), sent with every ConnectRequest */
  lastZxid: Zxid;
  xid: number;
  /** sent, waiting for their replies, in order (pendingQueue) */
  pending: ClientCall[];
  /** waiting for a connection (outgoingQueue) */
  queued: ClientCall[];
  lastRecv: number;
  lastSend: number;
  results: ClientResult[];
  /** close() was called: whatever happens next, the handle ends CLOSED (ZooKeeper.close disconnects) */
  closing: boolean;
}

type ClientCtx = Ctx<ZkMessage, ZkDisk>;

/** The session timeout a client asks for unless told otherwise. */
export const DEFAULT_SESSION_TIMEOUT = 10_000;

export function newClient(spec: NodeSpec): ZkClient {
  return { kind: 'client', id: spec.id, servers: [], next: 0, state: 'IDLE', conn: null, server: null, session: 0, requested: DEFAULT_SESSION_TIMEOUT, timeout: 0, lastZxid: 0, xid: 1, pending: [], queued: [], lastRecv: 0, lastSend: 0, results: [], closing: false };
}

/** The read timeout: two thirds of the session timeout without a word from the server. */
function readTimeout(c: ZkClient): number {
  return Math.floor(((c.timeout || c.requested) * 2) / 3);
}

/** What a person tells the client to do. */
export function onCommand(c: ZkClient, cmd: ClientCommand, ctx: ClientCtx): void {
  if (cmd.op === 'connect') {
    c.servers = [...cmd.servers];
    c.next = 0;
    if (cmd.timeout) c.requested = cmd.timeout;
    if (c.conn !== null) {
      // moving to another connect string: the session goes along, what waits for a reply is lost
      ctx.close(c.conn);
      c.conn = null;
      for (const call of c.pending.splice(0)) finish(c, call, 'CONNECTIONLOSS', ctx);
    }
    if (c.state === 'IDLE' || c.state === 'EXPIRED' || c.state === 'CLOSED') {
      // a new ZooKeeper handle: a new session, nothing seen yet
      c.session = 0;
      c.lastZxid = 0;
      c.timeout = 0;
      c.closing = false;
    }
    ctx.note('client.connecting', { servers: c.servers.join(',') });
    return startConnect(c, ctx);
  }
  if (c.state === 'IDLE' || c.state === 'EXPIRED' || c.state === 'CLOSED') {
    const body = toBody(cmd);
    return finish(c, { xid: c.xid++, body, issuedAt: ctx.now }, c.state === 'EXPIRED' ? 'SESSIONEXPIRED' : 'CONNECTIONLOSS', ctx);
  }
  const call = { xid: c.xid++, body: toBody(cmd), issuedAt: ctx.now };
  if (cmd.op === 'close' && c.state !== 'CONNECTED') {
    // ZooKeeper.close on a handle not connected: the closeSession cannot go out; it disconnects
    c.queued.push(call);
    c.closing = true;
    return disconnected(c, ctx, 'closed');
  }
  if (cmd.op === 'close') c.closing = true;
  if (c.state === 'CONNECTED') send(c, call, ctx);
  else c.queued.push(call);
}

function toBody(cmd: Exclude<ClientCommand, { op: 'connect' }>): ClientOpBody {
  return cmd.op === 'close' ? { op: 'closeSession' } : cmd;
}

function send(c: ZkClient, call: ClientCall, ctx: ClientCtx): void {
  c.pending.push(call);
  c.lastSend = ctx.now;
  ctx.sendOn(c.conn!, { kind: 'ClientRequest', xid: call.xid, body: call.body });
}

/** SendThread.startConnect: the next server of the connect string, with the session and the last zxid seen. */
function startConnect(c: ZkClient, ctx: ClientCtx): void {
  if (c.conn !== null) ctx.close(c.conn);
  if (!c.servers.length) return;
  const server = c.servers[c.next % c.servers.length]!;
  c.next++;
  c.state = 'CONNECTING';
  c.server = server;
  c.conn = ctx.connect(server, { kind: 'ConnectRequest', session: c.session, timeout: c.timeout || c.requested, lastZxidSeen: c.lastZxid });
  // ClientCnxn's connectTimeout: the session timeout shared among the servers of the connect string
  ctx.setTimer('connect', Math.floor((c.timeout || c.requested) / c.servers.length));
}

/**
 * The connection is gone (closed by the server, refused, timed out): fail what was sent and what
 * waited to be sent (ClientCnxn.cleanup empties both queues), then try the next server, unless the
 * handle is being closed.
 */
function disconnected(c: ZkClient, ctx: ClientCtx, why: string): void {
  const wasConnected = c.state === 'CONNECTED';
  if (c.conn !== null) ctx.close(c.conn);
  c.conn = null;
  for (const call of [...c.pending.splice(0), ...c.queued.splice(0)]) finish(c, call, 'CONNECTIONLOSS', ctx);
  for (const t of ['connect', 'read', 'ping']) ctx.cancelTimer(t);
  if (c.state !== 'CONNECTING' && c.state !== 'CONNECTED') return;
  if (c.closing) {
    c.state = 'CLOSED';
    return;
  }
  c.state = 'CONNECTING';
  if (wasConnected) ctx.note('client.disconnected', { server: c.server ?? '—', why });
  // SendThread.run: a random pause of up to a second before the next server
  ctx.setTimer('reconnect', Math.floor(ctx.random() * 1000));
}

export function onClientMessage(c: ZkClient, msg: ZkMessage, conn: number | null, ctx: ClientCtx): void {
  if (conn === null || conn !== c.conn) return;
  const p = msg as ClientPacket;
  c.lastRecv = ctx.now;
  if (p.kind === 'ConnectResponse') {
    if (p.timeout <= 0) {
      // "Unable to reconnect to ZooKeeper service, session 0x… has expired"
      ctx.note('client.expired', { session: sessionHex(c.session) });
      c.state = 'EXPIRED';
      ctx.close(conn);
      c.conn = null;
      for (const call of [...c.pending.splice(0), ...c.queued.splice(0)]) finish(c, call, 'SESSIONEXPIRED', ctx);
      for (const t of ['connect', 'read', 'ping']) ctx.cancelTimer(t);
      return;
    }
    c.state = 'CONNECTED';
    c.session = p.session;
    c.timeout = p.timeout;
    c.next = c.servers.indexOf(c.server!) + 1;
    ctx.cancelTimer('connect');
    ctx.note('client.syncConnected', { server: c.server!, session: sessionHex(p.session), timeout: p.timeout });
    for (const call of c.queued.splice(0)) send(c, call, ctx);
    ctx.setTimer('read', readTimeout(c));
    ctx.setTimer('ping', Math.floor(readTimeout(c) / 2));
    return;
  }
  if (p.kind !== 'ClientReply') return;
  const call = c.pending[0];
  if (!call || call.xid !== p.xid) return; // a ping's reply: it only proves the server alive
  c.pending.shift();
  const seenBefore = c.lastZxid;
  // ClientCnxn.readResponse: the header's zxid becomes the last seen (it is assigned, not maxed)
  if (p.zxid > 0) c.lastZxid = p.zxid;
  const body = call.body;
  c.results.push({ xid: call.xid, op: body.op, ...('path' in body ? { path: body.path } : {}), err: p.err, zxid: p.zxid, ...(p.data !== undefined ? { data: p.data, version: p.version } : {}), issuedAt: call.issuedAt, at: ctx.now, server: c.server, seenBefore });
  ctx.note('client.reply', { what: whatOf(body), err: p.err, zxid: zxidHex(p.zxid) });
  if (body.op === 'closeSession') {
    c.state = 'CLOSED';
    ctx.close(conn);
    c.conn = null;
    for (const t of ['connect', 'read', 'ping']) ctx.cancelTimer(t);
  }
}

/** What a request asked, for the event log: "getData /a", "sync". */
function whatOf(body: ClientOpBody): string {
  return 'path' in body ? `${body.op} ${body.path}` : body.op;
}

/** A request that got no reply: the client is told why. */
function finish(c: ZkClient, call: ClientCall, err: KeeperErr, ctx: ClientCtx): void {
  const body = call.body;
  c.results.push({ xid: call.xid, op: body.op, ...('path' in body ? { path: body.path } : {}), err, zxid: 0, issuedAt: call.issuedAt, at: ctx.now, server: null, seenBefore: c.lastZxid });
  ctx.note('client.failed', { what: whatOf(body), err });
}

export function onClientTimer(c: ZkClient, name: string, ctx: ClientCtx): void {
  switch (name) {
    case 'connect':
      if (c.state === 'CONNECTING') disconnected(c, ctx, 'connectTimeout');
      return;
    case 'reconnect':
      if (c.state === 'CONNECTING') startConnect(c, ctx);
      return;
    case 'read': {
      if (c.state !== 'CONNECTED') return;
      const quiet = ctx.now - c.lastRecv;
      // "Client session timed out, have not heard from server in …ms"
      if (quiet >= readTimeout(c)) return disconnected(c, ctx, 'readTimeout');
      ctx.setTimer('read', readTimeout(c) - quiet);
      return;
    }
    case 'ping': {
      if (c.state !== 'CONNECTED') return;
      const every = Math.floor(readTimeout(c) / 2);
      if (ctx.now - c.lastSend >= every) {
        c.lastSend = ctx.now;
        ctx.sendOn(c.conn!, { kind: 'ClientRequest', xid: -2, body: { op: 'ping' } });
        ctx.setTimer('ping', every);
      } else ctx.setTimer('ping', every - (ctx.now - c.lastSend));
      return;
    }
  }
}

/** The server closed the connection, or it could not be opened. */
export function onClientClosed(c: ZkClient, conn: number, ctx: ClientCtx): void {
  if (conn !== c.conn) return;
  c.conn = null;
  disconnected(c, ctx, 'closed');
}

export interface ZkClientView {
  id: NodeId;
  role: 'client';
  state: ClientState;
  server: NodeId | null;
  servers: NodeId[];
  session: string | null;
  timeout: number;
  lastZxid: Zxid;
  pending: { xid: number; op: string; path?: string }[];
  results: ClientResult[];
}

export function clientView(c: ZkClient): ZkClientView {
  return {
    id: c.id,
    role: 'client',
    state: c.state,
    server: c.state === 'CONNECTED' || c.state === 'CONNECTING' ? c.server : null,
    servers: [...c.servers],
    session: c.session ? sessionHex(c.session) : null,
    timeout: c.timeout,
    lastZxid: c.lastZxid,
    pending: [...c.pending, ...c.queued].map((p) => ({ xid: p.xid, op: p.body.op, ...('path' in p.body ? { path: p.body.path } : {}) })),
    results: c.results.slice(-20),
  };
}
