import { clientName, clientNodeId, MAX_CLIENTS, type Action, type ClientCommand } from './actions';
import { queueEvents } from './eventQueue';
import { closeConn, flights, releaseHeld } from './network';
import { qcmCrashed } from './quorumCnx';
import { linkKey, newNodeRt } from './state';
import type { AnyKernel, Kernel } from './kernel';
import type { ClientOp, Message, NodeId, NodeViewBase } from './types';

/**
 * What a person or a script does to a run: crash and restart servers (lifecycle), partition the
 * network or cut single links, fail disks, lose or delay messages, drop one in flight, and send
 * client writes, one by one or at a steady rate.
 */

/** Apply an action now (the worker schedules user clicks as actions instead, see Simulator.schedule). */
export function applyAction<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>, action: Action): void {
  const st = k.st;
  k.hashEvent('A', action.verb, JSON.stringify(action));
  switch (action.verb) {
    case 'crash':
      return crash(k, action.id);
    case 'restart':
      return restart(k, action.id);
    case 'pause':
      return pause(k, action.id);
    case 'resume':
      return resume(k, action.id);
    case 'partition':
      return partition(k, action.groups);
    case 'heal':
      st.cut = {};
      st.anyCut = false;
      return partition(k, []);
    case 'cut':
    case 'mend':
      return cutLink(k, action.a, action.b, action.verb === 'cut');
    case 'rate':
      st.writeRate = Math.max(0, action.perSecond);
      st.rateGen++;
      k.record({ type: 'action', node: 0, code: 'action.rate', args: { n: st.writeRate } });
      return scheduleClientTick(k);
    case 'write':
      clientWrites(k, action.count, action.node);
      return;
    case 'flag': {
      const n = st.nodes[action.id];
      if (!n) return k.record({ type: 'action', node: 0, code: 'action.noServer', args: { id: action.id } });
      if (action.on) n.flags[action.name] = true;
      else delete n.flags[action.name];
      return k.record({ type: 'action', node: action.id, code: action.on ? 'action.flagOn' : 'action.flagOff', args: { name: action.name } });
    }
    case 'diskfail':
    case 'diskok': {
      const n = st.nodes[action.id];
      if (!n) return k.record({ type: 'action', node: 0, code: 'action.noServer', args: { id: action.id } });
      n.diskFailed = action.verb === 'diskfail';
      return k.record({ type: 'action', node: action.id, code: `action.${action.verb}`, args: {} });
    }
    case 'loss':
      st.net.loss = Math.min(1, Math.max(0, action.p));
      return k.record({ type: 'action', node: 0, code: 'action.loss', args: { p: st.net.loss } });
    case 'latency':
      st.net.latencyMin = Math.max(0, action.min);
      st.net.latencyMax = Math.max(st.net.latencyMin, action.max);
      return k.record({ type: 'action', node: 0, code: 'action.latency', args: { min: action.min, max: action.max } });
    case 'drop':
      return dropMessage(k, action.msg);
    case 'client':
      return clientCommand(k, action.client, action.cmd);
  }
}

// ---- lifecycle ----------------------------------------------------------------------------------

function crash(k: AnyKernel, id: NodeId): void {
  const st = k.st;
  const n = st.nodes[id];
  if (n && !n.up && n.inc === 0 && st.now === 0) return k.record({ type: 'crash', node: id, code: 'crash', args: { id } }); // down from the start
  if (!n || !n.up) return k.record({ type: 'action', node: id, code: 'action.crashNotRunning', args: { id } });
  n.up = false;
  n.state = null;
  n.inc++;
  n.flush = null;
  n.paused = false;
  qcmCrashed(k, id, n.backlog);
  n.backlog = [];
  n.timers = {};
  n.timerEvents = {};
  k.record({ type: 'crash', node: id, code: 'crash', args: { id } });
  for (const key of Object.keys(st.undelivered)) if (key.startsWith(`${id}>`)) delete st.undelivered[key];
  // a killed process's sockets are reset by its OS: reachable peers see the close at once
  for (const [cid, c] of Object.entries(st.conns)) {
    if (!c.open || (c.a !== id && c.b !== id)) continue;
    closeConn(k, Number(cid), id);
  }
}

function restart<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>, id: NodeId): void {
  const n = k.st.nodes[id];
  if (!n || n.up) return k.record({ type: 'action', node: id, code: 'action.restartRunning', args: { id } });
  bootNode(k, id);
}

/**
 * Stop a process without killing it (a long stop-the-world GC, SIGSTOP): its sockets stay open and
 * its peers hear nothing from it; what reaches it waits (NodeRt.backlog).
 */
function pause(k: AnyKernel, id: NodeId): void {
  const n = k.st.nodes[id];
  if (!n || !n.up) return k.record({ type: 'action', node: id, code: 'action.pauseNotRunning', args: { id } });
  if (n.paused) return;
  n.paused = true;
  k.record({ type: 'action', node: id, code: 'action.pause', args: { id } });
}

/**
 * The process runs again and works through what waited for it, in the order it came: messages,
 * then timers that came due meanwhile (they fire late), disk completions, closed connections.
 */
function resume(k: AnyKernel, id: NodeId): void {
  const st = k.st;
  const n = st.nodes[id];
  if (!n || !n.up || !n.paused) return k.record({ type: 'action', node: id, code: 'action.resumeNotPaused', args: { id } });
  n.paused = false;
  const backlog = n.backlog;
  n.backlog = [];
  k.record({ type: 'action', node: id, code: 'action.resume', args: { id, n: backlog.length } });
  for (const ev of backlog) {
    ev.time = st.now;
    if (ev.type === 'timer') n.timerEvents[ev.name] = st.now;
    k.push(ev);
  }
}

/** Start a node: a new life (its timers and disk completions of older lives void), from its disk. */
export function bootNode<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>, id: NodeId): void {
  const st = k.st;
  const n = st.nodes[id];
  if (!n) throw new Error(`no server ${id}`);
  n.up = true;
  n.inc++;
  n.timers = {};
  n.timerEvents = {};
  n.diskFreeAt = st.now;
  n.flushStart = st.now;
  n.flush = null;
  n.paused = false;
  n.backlog = [];
  k.record({ type: 'restart', node: id, code: 'start', args: { id } });
  n.state = k.protocol.init(n.spec, structuredClone(n.durable), k.ctx(id));
}

// ---- the network --------------------------------------------------------------------------------

function cutLink(k: AnyKernel, a: NodeId, b: NodeId, cut: boolean): void {
  const st = k.st;
  if (!st.nodes[a] || !st.nodes[b] || a === b) return k.record({ type: 'action', node: 0, code: 'action.noServer', args: { id: `${a}-${b}` } });
  if (cut) st.cut[linkKey(a, b)] = true;
  else delete st.cut[linkKey(a, b)];
  st.anyCut = Object.keys(st.cut).length > 0;
  k.record({ type: 'action', node: 0, code: cut ? 'action.cut' : 'action.mend', args: { a, b } });
  if (!cut) releaseHeld(k);
}

function partition(k: AnyKernel, groups: NodeId[][]): void {
  const g: Record<NodeId, number> = {};
  const named = new Set<NodeId>();
  groups.forEach((grp, i) => grp.forEach((id) => ((g[id] = i + 1), named.add(id))));
  for (const id of k.st.order) if (!named.has(id)) g[id] = 0;
  // a client named in no group stays on the side of the server it talks to
  for (const id of k.st.clients) if (!named.has(id)) g[id] = g[companionOf(k, id)] ?? 0;
  k.st.group = g;
  k.record({ type: 'action', node: 0, code: groups.length ? 'action.partition' : 'action.heal', args: { groups: groups.map((x) => x.join(',')).join(' | ') } });
  releaseHeld(k);
}

function dropMessage<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>, msgId: number): void {
  const st = k.st;
  const f = flights(k).find((x) => x.id === msgId);
  if (!f) return k.record({ type: 'action', node: 0, code: 'action.dropMissing', args: { msg: msgId } });
  st.dropped[msgId] = true;
  k.record({ type: 'lost', node: f.to, peer: f.from, msgId, kind: f.kind, code: 'dropped', args: { kind: f.kind, from: f.from, to: f.to } });
  // TCP cannot lose one segment and carry on: dropping it means its connection breaks
  const conn = connOf(k, msgId);
  if (conn !== null) closeConn(k, conn, null);
}

/** The stream a message in flight rides, if any. */
function connOf(k: AnyKernel, msgId: number): number | null {
  for (const ev of queueEvents(k.st.queue)) if (ev.type === 'deliver' && ev.msgId === msgId) return ev.conn;
  for (const [cid, c] of Object.entries(k.st.conns)) if (c.held.some((h) => h.msgId === msgId)) return Number(cid);
  return null;
}

// ---- clients ------------------------------------------------------------------------------------

/** The server a client node talks to (or last tried), where the protocol says; else its own id. */
function companionOf(k: AnyKernel, id: NodeId): NodeId {
  const n = k.st.nodes[id];
  return (n?.up && n.state !== null && k.protocol.companionOf?.(n.state)) || id;
}

/**
 * A person has a client do something. Its first command starts it: a node of role 'client',
 * placed on the network beside the server it connects to.
 */
function clientCommand<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>, client: number, cmd: ClientCommand): void {
  const st = k.st;
  const id = clientNodeId(client);
  const name = clientName(id);
  if (!k.protocol.onCommand || client < 1 || client > MAX_CLIENTS) return k.record({ type: 'action', node: 0, code: 'action.noClients', args: { id: name } });
  if (!st.nodes[id]) {
    st.nodes[id] = newNodeRt<S>({ id, role: 'client' }, {});
    st.clients.push(id);
    // on the network, beside the first server it will try
    st.group[id] = cmd.op === 'connect' ? (st.group[cmd.servers[0]!] ?? 0) : 0;
    bootNode(k, id);
  }
  const n = st.nodes[id]!;
  if (!n.up || n.state === null || n.paused) return k.record({ type: 'action', node: id, code: 'action.clientNotRunning', args: { id: name } });
  const what = 'path' in cmd ? `${cmd.op} ${cmd.path}` : cmd.op === 'connect' ? `connect ${cmd.servers.map((s) => `S${s}`).join(',')}` : cmd.op;
  k.record({ type: 'action', node: id, code: 'action.client', args: { id: name, what } });
  k.protocol.onCommand(n.state, cmd, k.ctx(id));
}

export function scheduleClientTick(k: AnyKernel): void {
  const st = k.st;
  if (st.writeRate <= 0) return;
  const every = Math.max(1, Math.round(1000 / st.writeRate));
  k.push({ type: 'clientTick', gen: st.rateGen, time: st.now + every, pri: 1, seq: 0 });
}

/** Client writes to the server `at` or the one the protocol takes them at; returns the last one written to. */
export function clientWrites<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>, count: number, at?: NodeId): NodeId | undefined {
  const st = k.st;
  let last: NodeId | undefined;
  for (let i = 0; i < count; i++) {
    const op: ClientOp = { kind: 'write', reqId: st.nextReq++ };
    const target =
      at !== undefined
        ? st.nodes[at]?.up && st.nodes[at]?.state !== null
          ? at
          : undefined
        : st.order.find((id) => {
            const n = st.nodes[id]!;
            return n.up && n.state !== null && k.protocol.isClientTarget(n.state);
          });
    if (target === undefined) {
      k.record({ type: 'action', node: 0, code: 'write.noLeader', args: { req: op.reqId } });
      continue;
    }
    const n = st.nodes[target]!;
    if (n.paused) {
      // the request sits in the stopped server's socket until it resumes
      n.backlog.push({ type: 'client', node: target, op, time: st.now, pri: 1, seq: 0 });
      continue;
    }
    k.protocol.onClient(n.state as S, op, k.ctx(target));
    last = target;
  }
  return last;
}

/** A client request that waited for a paused server: it handles it now (unless it died meanwhile). */
export function clientRequest<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>, id: NodeId, op: ClientOp): void {
  const n = k.st.nodes[id]!;
  if (!n.up || n.state === null) return k.record({ type: 'action', node: 0, code: 'write.noLeader', args: { req: op.reqId } });
  k.protocol.onClient(n.state as S, op, k.ctx(id));
}
