/**
 * The data tree's content: znodes and sessions, and the txns that change them. A txn's body is
 * what PrepRequestProcessor made of a client's request on the leader; every server applies the
 * same body at the same zxid (DataTree.processTxn). The zxid list in ZkServer.history says which
 * txns a tree holds; this says what they did.
 */
import type { Zxid } from './zxid';

/** A session id, as ZooKeeper makes them: the server's myid in the high bits (SessionTrackerImpl.initializeNextSessionId). */
export type SessionId = number;

/** KeeperException.Code, by name. */
export type KeeperErr = 'OK' | 'NONODE' | 'NODEEXISTS' | 'NOTEMPTY' | 'NOCHILDRENFOREPHEMERALS' | 'SESSIONEXPIRED' | 'SESSIONMOVED' | 'CONNECTIONLOSS';

/** What a client asks for (the request's record); reads and sync make no txn. */
export type ClientOpBody =
  | { op: 'create'; path: string; data: string; ephemeral: boolean }
  | { op: 'setData'; path: string; data: string }
  | { op: 'delete'; path: string }
  | { op: 'getData'; path: string }
  | { op: 'sync' }
  | { op: 'ping' }
  | { op: 'closeSession' };

export type WriteOp = Extract<ClientOpBody, { op: 'create' | 'setData' | 'delete' | 'closeSession' }>;

export function isWrite(b: ClientOpBody): b is WriteOp {
  return b.op === 'create' || b.op === 'setData' || b.op === 'delete' || b.op === 'closeSession';
}

/**
 * A txn's body (TxnHeader's type and its record). `cxid` is the client's request number, by
 * which the server the client is connected to finds the request the txn answers. A request the
 * leader refuses still takes a zxid, as an error txn (PrepRequestProcessor.pRequest's catch).
 */
export type Txn =
  | { type: 'createSession'; session: SessionId; timeout: number }
  | { type: 'closeSession'; session: SessionId; cxid: number }
  | { type: 'create'; session: SessionId; cxid: number; path: string; data: string; ephemeral: boolean }
  | { type: 'setData'; session: SessionId; cxid: number; path: string; data: string }
  | { type: 'delete'; session: SessionId; cxid: number; path: string }
  | { type: 'error'; session: SessionId; cxid: number; err: KeeperErr };

export interface ZNode {
  data: string;
  /** the data's version: 0 at create, +1 per setData */
  version: number;
  /** the session that owns an ephemeral node; 0 for a persistent one */
  ephemeralOwner: SessionId;
  czxid: Zxid;
  mzxid: Zxid;
}

/** DataTree: znodes by path ("/" is always there and never listed) and the live sessions with their timeouts. */
export interface DataTree {
  nodes: Record<string, ZNode>;
  sessions: Record<string, number>;
  lastZxid: Zxid;
}

export function emptyTree(): DataTree {
  return { nodes: {}, sessions: {}, lastZxid: 0 };
}

export function copyTree(t: DataTree): DataTree {
  const nodes: Record<string, ZNode> = {};
  for (const p in t.nodes) nodes[p] = { ...t.nodes[p]! };
  return { nodes, sessions: { ...t.sessions }, lastZxid: t.lastZxid };
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function childrenOf(t: DataTree, path: string): string[] {
  return Object.keys(t.nodes)
    .filter((p) => parentOf(p) === path)
    .sort();
}

/**
 * PrepRequestProcessor.pRequest2Txn: check a write against the tree as it will be once every
 * txn already proposed is applied (its outstandingChanges), and make its txn; a check that fails
 * makes an error txn.
 */
export function prepRequest(t: DataTree, session: SessionId, cxid: number, b: WriteOp, checkSession = true): Txn {
  const err = (e: KeeperErr): Txn => ({ type: 'error', session, cxid, err: e });
  if (b.op === 'closeSession') return { type: 'closeSession', session, cxid };
  // SessionTracker.checkSession: a session that is closing or gone makes no more txns
  if (checkSession && t.sessions[session] === undefined) return err('SESSIONEXPIRED');
  switch (b.op) {
    case 'create': {
      if (t.nodes[b.path]) return err('NODEEXISTS');
      const parent = parentOf(b.path);
      if (parent !== '/' && !t.nodes[parent]) return err('NONODE');
      if (parent !== '/' && t.nodes[parent]!.ephemeralOwner !== 0) return err('NOCHILDRENFOREPHEMERALS');
      return { type: 'create', session, cxid, path: b.path, data: b.data, ephemeral: b.ephemeral };
    }
    case 'setData':
      if (!t.nodes[b.path]) return err('NONODE');
      return { type: 'setData', session, cxid, path: b.path, data: b.data };
    case 'delete':
      if (!t.nodes[b.path]) return err('NONODE');
      if (childrenOf(t, b.path).length) return err('NOTEMPTY');
      return { type: 'delete', session, cxid, path: b.path };
  }
}

/**
 * DataTree.processTxn: apply a txn at zxid. Returns the request's outcome (what the client is
 * told). closeSession deletes the session's ephemeral nodes with it (DataTree.killSession).
 */
export function processTxn(t: DataTree, zxid: Zxid, txn: Txn): KeeperErr {
  t.lastZxid = Math.max(t.lastZxid, zxid);
  switch (txn.type) {
    case 'createSession':
      t.sessions[txn.session] = txn.timeout;
      return 'OK';
    case 'closeSession':
      delete t.sessions[txn.session];
      for (const p of Object.keys(t.nodes)) if (t.nodes[p]!.ephemeralOwner === txn.session) delete t.nodes[p];
      return 'OK';
    case 'create': {
      if (t.nodes[txn.path]) return 'NODEEXISTS';
      const parent = parentOf(txn.path);
      if (parent !== '/' && !t.nodes[parent]) return 'NONODE';
      t.nodes[txn.path] = { data: txn.data, version: 0, ephemeralOwner: txn.ephemeral ? txn.session : 0, czxid: zxid, mzxid: zxid };
      return 'OK';
    }
    case 'setData': {
      const n = t.nodes[txn.path];
      if (!n) return 'NONODE';
      n.data = txn.data;
      n.version++;
      n.mzxid = zxid;
      return 'OK';
    }
    case 'delete':
      if (!t.nodes[txn.path]) return 'NONODE';
      delete t.nodes[txn.path];
      return 'OK';
    case 'error':
      return txn.err;
  }
}

/** A tree's znodes in path order, and its live sessions, as the inspector and the CLI list them. */
export function listTree(t: DataTree): { znodes: { path: string; data: string; version: number; owner: string | null }[]; sessions: string[] } {
  const znodes = Object.keys(t.nodes)
    .sort()
    .map((path) => {
      const n = t.nodes[path]!;
      return { path, data: n.data, version: n.version, owner: n.ephemeralOwner ? sessionHex(n.ephemeralOwner) : null };
    });
  return { znodes, sessions: Object.keys(t.sessions).map((k) => sessionHex(Number(k))) };
}

/** Has any txn of this server a body (a run with clients)? Without, there is no tree to show or check. */
export function hasBodies(s: { bodies: Record<number, Txn> | null }): boolean {
  return s.bodies !== null;
}

/**
 * A txn's body, if it has one. A run without clients has none at all (`bodies` is null), and
 * looks nothing up: a zxid is past the array-index range, so a lookup would spell it as a string
 * on every commit.
 */
export function bodyOf(s: { bodies: Record<number, Txn> | null }, zxid: Zxid): Txn | undefined {
  return s.bodies === null ? undefined : s.bodies[zxid];
}

export function setBody(s: { bodies: Record<number, Txn> | null }, zxid: Zxid, txn: Txn): void {
  (s.bodies ??= {})[zxid] = txn;
}

/** "0x200000001", as ZooKeeper prints session ids. */
export function sessionHex(s: SessionId): string {
  return '0x' + s.toString(16);
}

/** One line of a txn for labels and the event log: "create /a", "closeSession" (no session id: in hex it would read as a zxid on the page). */
export function txnLabel(t: Txn): string {
  switch (t.type) {
    case 'createSession':
      return `createSession ${t.timeout} ms`;
    case 'closeSession':
      return 'closeSession';
    case 'create':
      return `create ${t.path}${t.ephemeral ? ' (ephemeral)' : ''}`;
    case 'setData':
      return `setData ${t.path}`;
    case 'delete':
      return `delete ${t.path}`;
    case 'error':
      return `error ${t.err}`;
  }
}

/**
 * The tree a server holds, from the txns it applied (`history`, in order) and their bodies.
 * Derived, not stored: a history only grows by push or is replaced by a new array (a TRUNC, a
 * SNAP, a reload), so the tree built for one array is brought up to date by applying its new
 * tail, and a new array starts over. Txns without a body (a bare `write`) change nothing.
 */
const built = new WeakMap<readonly Zxid[], { n: number; tree: DataTree }>();

export function dataTree(s: { history: readonly Zxid[]; bodies: Record<number, Txn> | null }): DataTree {
  const h = s.history;
  let b = built.get(h);
  if (!b) built.set(h, (b = { n: 0, tree: emptyTree() }));
  for (; b.n < h.length; b.n++) {
    const z = h[b.n]!;
    const txn = s.bodies?.[z];
    if (txn) processTxn(b.tree, z, txn);
    else b.tree.lastZxid = Math.max(b.tree.lastZxid, z);
  }
  return b.tree;
}
