import type { Simulator } from '../sim/simulator';
import type { NodeId } from '../sim/types';
import { InvariantChecker, type CheckerStateBase } from '../check/checker';
import { say, type Said } from '../check/types';
import type { SnapshotFile } from './disk';
import type { ZkServer } from './state';
import type { ZkMessage } from './messages';
import type { ZkNode, ZkView } from './zab';
import type { ZkClient } from './client';
import { CLIENT_BASE, clientName } from '../sim/actions';
import { dataTree, hasBodies, isWrite, sessionHex, type Txn } from './datatree';
import { counterOf, epochOf, lastOf, zxidHex, type Zxid } from './zxid';

/**
 * A simulator of ZooKeeper's servers, typed as such: the nodes of nodeIds() hold a ZkServer. Its
 * client nodes (clientIds()) hold a ZkClient: read them through clientOf.
 */
export type ZabSim = Simulator<ZkServer, ZkMessage, ZkView>;

/** A client node's state, if it is up. */
export function clientOf(sim: ZabSim, id: NodeId): ZkClient | null {
  const n = sim.st.nodes[id];
  const c = n?.up ? (n.state as ZkNode | null) : null;
  return c?.kind === 'client' ? c : null;
}

/**
 * Live safety checks, evaluated after every step. Each is a named predicate, as in
 * zookeeper-specifications (Zab.tla, ZkV3_7_0.tla) and the Zab paper (DSN 2011).
 * "Delivered" means applied to a serving server's data tree (it is in BROADCAST).
 */
export type { Violation } from '../check/types';

export const INVARIANTS = {
  Leadership: 'at most one established leader per epoch',
  PrefixConsistency: 'servers deliver the same txns in the same order (agreement, total order)',
  GlobalPrimaryOrder: "each server's delivered zxids strictly increase",
  LocalPrimaryOrder: "a leader's txns are delivered in the order it proposed them, with no gap in its epoch",
  PrimaryIntegrity: 'a leader holds every txn committed in earlier epochs before it proposes',
  NoCommittedLoss: 'an established leader holds every committed txn',
  Durability: 'a committed txn is on the disk of a quorum of voters',
  // ZooKeeper's guarantees to its clients (docs: "ZooKeeper Programmer's Guide", Consistency Guarantees)
  LinearizableWrites: 'a write acknowledged to a client is committed, and after every write acknowledged before it was sent',
  ClientOrder: "a client's writes take effect in the order it sent them",
  NoTimeTravel: 'a client never sees an older tree than it has seen, across reconnects too',
  SyncedRead: 'a read after sync() sees every write committed before the sync',
  EphemeralLifetime: 'an ephemeral node lives exactly as long as its session',
} as const;
export type InvariantName = keyof typeof INVARIANTS;


/** Everything the checker remembers: plain data, so it is checkpointed with the simulator. */
export interface CheckerState extends CheckerStateBase {
  /** epoch → the server established as its leader */
  leaderOfEpoch: Record<number, NodeId>;
  /** the committed sequence, as first delivered by any server */
  committed: Zxid[];
  /** per leader and epoch ("id@epoch"): the last zxid it proposed */
  proposed: Record<string, Zxid>;
  establishedChecked: Record<string, true>;
  integrityChecked: Record<string, true>;
  lastCommittedSeen: Record<string, Zxid>;
  /** per client node: how many of its results were checked, and its last acknowledged write's zxid */
  clients: Record<number, { checked: number; lastWrite: Zxid; syncedTo: Zxid | null }>;
  /** per request ("node:xid"), when first seen: the newest write acknowledged anywhere, and the newest committed txn */
  issued: Record<string, { acked: Zxid; committed: Zxid }>;
  /** the newest write acknowledged to any client */
  acked: Zxid;
  /** per session: the highest request number of its writes committed so far */
  cxidOf: Record<string, number>;
  /** reads answered from a tree older than what was committed when they were asked: allowed, and shown */
  staleReads: StaleRead[];
}

/** A read that missed writes committed before it was asked (allowed: reads are answered locally). */
export interface StaleRead {
  time: number;
  step: number;
  client: NodeId;
  /** the read's request number (its result's xid) */
  xid: number;
  server: NodeId;
  path: string;
  /** the answering server's tree, and the newest txn committed when the read was asked (or the sync before it) */
  zxid: Zxid;
  committed: Zxid;
  /**
   * the read came after a sync that a leader already replaced answered (its tree still in the old
   * epoch): ZooKeeper's sync is not a quorum operation (ZOOKEEPER-1675), so this is not counted
   * as a broken SyncedRead
   */
  afterSync?: true;
}

interface LeaderProgress {
  epoch: number;
  /** "id@epoch", the key of its records in CheckerState */
  key: string;
  proposed: Zxid | null;
  committed: Zxid;
  integrity: boolean;
}

export interface CheckerCheckpoint {
  st: CheckerState;
  committed: Zxid[];
  len: number;
}

export class Checker extends InvariantChecker<ZabSim, CheckerState, InvariantName, CheckerCheckpoint> {
  st: CheckerState = {
    violations: [],
    reported: {},
    leaderOfEpoch: {},
    committed: [],
    proposed: {},
    establishedChecked: {},
    integrityChecked: {},
    lastCommittedSeen: {},
    clients: {},
    issued: {},
    acked: 0,
    cxidOf: {},
    staleReads: [],
  };

  /** not part of the state: each server's history array and how much of it was checked */
  private checkedUpTo: ({ h: Zxid[]; n: number } | undefined)[] = [];

  private readonly voterIds: NodeId[];

  constructor(private readonly voters: ReadonlySet<NodeId> = new Set()) {
    super();
    this.voterIds = [...voters];
  }

  /** The committed sequence only grows: a checkpoint shares it (reference + length). */
  override checkpoint(): CheckerCheckpoint {
    const committed = this.st.committed;
    this.st.committed = [];
    const st = structuredClone(this.st);
    this.st.committed = committed;
    return { st, committed, len: committed.length };
  }

  override restore(cp_: unknown): void {
    const cp = cp_ as CheckerCheckpoint;
    this.st = structuredClone(cp.st);
    this.st.committed = cp.committed.slice(0, cp.len);
    this.forget();
  }

  protected override forget(): void {
    this.checkedUpTo = [];
    this.lastLeader = [];
    this.treeCheckedUpTo = [];
  }

  afterStep(sim: ZabSim): void {
    const touched = sim.lastStep.touched;
    if (touched !== null) return this.checkNode(sim, touched);
    for (const id of sim.nodeIds()) this.checkServer(sim, id);
    for (const id of sim.clientIds()) this.checkClient(sim, id);
  }

  private checkNode(sim: ZabSim, id: NodeId): void {
    if (id >= CLIENT_BASE) this.checkClient(sim, id);
    else this.checkServer(sim, id);
  }

  /** Reads answered from a tree older than what was committed when they were asked (not violations). */
  get staleReads(): StaleRead[] {
    return this.st.staleReads;
  }

  /**
   * ZooKeeper's guarantees, from what a client saw: each reply it got is checked once, against what
   * the ensemble had committed and acknowledged when the request was made.
   */
  private checkClient(sim: ZabSim, id: NodeId): void {
    const c = clientOf(sim, id);
    if (!c) return;
    const committed = lastOf(this.st.committed);
    for (const call of [...c.pending, ...c.queued]) {
      const key = `${id}:${call.xid}`;
      if (!this.st.issued[key]) this.st.issued[key] = { acked: this.st.acked, committed };
    }
    let mine = this.st.clients[id];
    if (!mine || mine.checked > c.results.length) {
      // a new life of the client (crashed, restarted): its request numbers start again
      for (const key of Object.keys(this.st.issued)) if (key.startsWith(`${id}:`) && !c.pending.some((p) => key === `${id}:${p.xid}`) && !c.queued.some((p) => key === `${id}:${p.xid}`)) delete this.st.issued[key];
      mine = this.st.clients[id] = { checked: 0, lastWrite: 0, syncedTo: null };
    }
    for (; mine.checked < c.results.length; mine.checked++) {
      const r = c.results[mine.checked]!;
      const issued = this.st.issued[`${id}:${r.xid}`];
      delete this.st.issued[`${id}:${r.xid}`];
      if (r.server === null) continue; // no reply: nothing was seen
      const who = clientName(id);
      if (r.zxid < r.seenBefore) {
        this.report(sim, 'NoTimeTravel', [id, r.server], say('timeTravel', { client: who, server: r.server, zxid: zxidHex(r.zxid), seen: zxidHex(r.seenBefore) }, `${who} got a reply from server ${r.server} at ${zxidHex(r.zxid)} after it had seen ${zxidHex(r.seenBefore)}`));
      }
      if (isWrite({ op: r.op } as never) && r.err !== 'CONNECTIONLOSS') {
        if (!this.st.committed.includes(r.zxid)) {
          this.report(sim, 'LinearizableWrites', [id, r.server], say('ackedUncommitted', { client: who, server: r.server, zxid: zxidHex(r.zxid) }, `${who}'s ${r.op} was acknowledged by server ${r.server} as ${zxidHex(r.zxid)}, which is not committed`));
        } else if (issued && r.zxid <= issued.acked) {
          this.report(sim, 'LinearizableWrites', [id], say('writeBefore', { client: who, zxid: zxidHex(r.zxid), acked: zxidHex(issued.acked) }, `${who}'s ${r.op} took effect at ${zxidHex(r.zxid)}, before ${zxidHex(issued.acked)}, acknowledged before it was sent`));
        }
        if (r.zxid <= mine.lastWrite) {
          this.report(sim, 'ClientOrder', [id], say('clientOrder', { client: who, zxid: zxidHex(r.zxid), prev: zxidHex(mine.lastWrite) }, `${who}'s ${r.op} took effect at ${zxidHex(r.zxid)}, before its earlier write at ${zxidHex(mine.lastWrite)}`));
        }
        mine.lastWrite = Math.max(mine.lastWrite, r.zxid);
        this.st.acked = Math.max(this.st.acked, r.zxid);
      }
      if (r.op === 'sync' && r.err === 'OK') mine.syncedTo = issued?.committed ?? null;
      if (r.op === 'getData') {
        if (mine.syncedTo !== null && r.zxid < mine.syncedTo && epochOf(r.zxid) < epochOf(mine.syncedTo)) {
          if (this.st.staleReads.length < 100) this.st.staleReads.push({ time: sim.now, step: sim.st.step, client: id, xid: r.xid, server: r.server, path: r.path ?? '', zxid: r.zxid, committed: mine.syncedTo, afterSync: true });
        } else if (mine.syncedTo !== null && r.zxid < mine.syncedTo) {
          this.report(sim, 'SyncedRead', [id, r.server], say('syncedStale', { client: who, server: r.server, zxid: zxidHex(r.zxid), synced: zxidHex(mine.syncedTo) }, `${who} read ${r.path ?? ''} at ${zxidHex(r.zxid)} on server ${r.server} after a sync, though ${zxidHex(mine.syncedTo)} was committed before the sync`));
        } else if (issued && r.zxid < issued.committed && this.st.staleReads.length < 100) {
          this.st.staleReads.push({ time: sim.now, step: sim.st.step, client: id, xid: r.xid, server: r.server, path: r.path ?? '', zxid: r.zxid, committed: issued.committed });
        }
        mine.syncedTo = null;
      }
    }
  }

  /**
   * ClientOrder, on what took effect: a session's requests are committed in the order its client
   * sent them (request numbers rise with zxids), whether or not their replies reached it. A write
   * the client was told had failed, committed after a later one, breaks it too (the owner check,
   * SESSIONMOVED, is what stops it).
   */
  private checkSessionOrder(sim: ZabSim, id: NodeId, zxid: Zxid, txn: Txn | undefined): void {
    if (!txn || (txn.type !== 'create' && txn.type !== 'setData' && txn.type !== 'delete')) return;
    const last = this.st.cxidOf[txn.session];
    if (last !== undefined && txn.cxid < last) {
      this.report(sim, 'ClientOrder', [id], say('sessionOrder', { session: sessionHex(txn.session), cxid: txn.cxid, zxid: zxidHex(zxid), later: last }, `session ${sessionHex(txn.session)}'s request ${txn.cxid} took effect at ${zxidHex(zxid)}, after its later request ${last}`));
    }
    this.st.cxidOf[txn.session] = Math.max(last ?? 0, txn.cxid);
  }

  /** not part of the state: how much of each server's history had its tree checked */
  private treeCheckedUpTo: ({ h: Zxid[]; n: number } | undefined)[] = [];

  /** EphemeralLifetime: every ephemeral node in a server's tree belongs to a session the tree still has. */
  private checkEphemerals(sim: ZabSim, id: NodeId, s: ZkServer): void {
    const seen = this.treeCheckedUpTo[id];
    if (seen && seen.h === s.history && seen.n === s.history.length) return;
    this.treeCheckedUpTo[id] = { h: s.history, n: s.history.length };
    const t = dataTree(s);
    for (const path in t.nodes) {
      const owner = t.nodes[path]!.ephemeralOwner;
      if (owner !== 0 && t.sessions[owner] === undefined) {
        this.report(sim, 'EphemeralLifetime', [id], say('orphanEphemeral', { id, path, session: sessionHex(owner) }, `server ${id} holds ephemeral node ${path} of session ${sessionHex(owner)}, which is closed`));
      }
    }
  }

  /**
   * Not part of the state (rebuilt from it after a restore): for each leader and epoch, what it
   * looked like when last checked, so that a step that moved nothing is not checked again and a
   * step that did reads no string-keyed record. Every change is written through to `st`.
   */
  private lastLeader: (LeaderProgress | undefined)[] = [];

  private checkServer(sim: ZabSim, id: NodeId): void {
    const n = sim.st.nodes[id]!;
    const s = n.state;
    if (!n.up || !s || s.kind !== 'server') return;
    if (s.state === 'LEADING' && s.leader?.established) this.checkLeader(sim, id, s);
    if (s.zabState === 'BROADCAST' && s.state !== 'LOOKING') this.checkDelivered(sim, id, s);
    if (hasBodies(s)) this.checkEphemerals(sim, id, s);
  }

  private checkLeader(sim: ZabSim, id: NodeId, s: ZkServer): void {
    const l = s.leader!;
    const epoch = l.epoch;
    let last = this.lastLeader[id];
    if (last && last.epoch === epoch && last.proposed === l.lastProposed && last.committed === l.lastCommitted) return;
    if (!last || last.epoch !== epoch) {
      const key = `${id}@${epoch}`;
      last = { epoch, key, proposed: this.st.proposed[key] ?? null, committed: this.st.lastCommittedSeen[key] ?? l.lastCommitted, integrity: this.st.integrityChecked[key] === true };
      this.lastLeader[id] = last;
      const prev = this.st.leaderOfEpoch[epoch];
      if (prev === undefined) this.st.leaderOfEpoch[epoch] = id;
      else if (prev !== id) this.report(sim, 'Leadership', [prev, id], say('twoLeaders', { a: prev, b: id, epoch }, `servers ${prev} and ${id} were both established leaders of epoch ${epoch}`));
      if (!this.st.establishedChecked[key]) {
        this.st.establishedChecked[key] = true;
        this.checkHolds(sim, id, s, 'NoCommittedLoss', this.st.committed.length, (zxid) => say('establishedWithout', { id, epoch, zxid }, `leader ${id} of epoch ${epoch} was established without committed txn ${zxid}`));
      }
    }
    const key = last.key;
    if (last.proposed === null) this.st.proposed[key] = last.proposed = l.lastProposed;
    else if (l.lastProposed !== last.proposed) {
      if (l.lastProposed < last.proposed || epochOf(l.lastProposed) !== epoch) {
        this.report(sim, 'LocalPrimaryOrder', [id], say('proposedAfter', { id, epoch, zxid: zxidHex(l.lastProposed), prev: zxidHex(last.proposed) }, `leader ${id} of epoch ${epoch} proposed ${zxidHex(l.lastProposed)} after ${zxidHex(last.proposed)}`));
      }
      if (!last.integrity) {
        this.st.integrityChecked[key] = last.integrity = true;
        const earlier = this.st.committed.filter((z) => epochOf(z) < epoch).length;
        this.checkHolds(sim, id, s, 'PrimaryIntegrity', earlier, (zxid) => say('proposedWithout', { id, proposed: zxidHex(l.lastProposed), zxid }, `leader ${id} proposed ${zxidHex(l.lastProposed)} without committed txn ${zxid}`));
      }
      this.st.proposed[key] = last.proposed = l.lastProposed;
    }
    // Durability: each newly committed txn must be on the disk of a quorum of voters
    if (l.lastCommitted > last.committed && counterOf(l.lastCommitted) > 0) {
      const z = l.lastCommitted;
      let held = 0;
      for (const v of this.voterIds) if (durablyHolds(sim.st.nodes[v]!.durable, z)) held++;
      if (this.voters.size && held * 2 <= this.voters.size) {
        const holds = (v: NodeId) => this.voters.has(v) && durablyHolds(sim.st.nodes[v]!.durable, z);
        const holders = sim.nodeIds().filter(holds);
        this.report(sim, 'Durability', [id], say('durability', { zxid: zxidHex(z), id, holders: holders.join(',') }, `${zxidHex(z)} committed by ${id} is on the disk of only {${holders.join(',')}}`));
      }
    }
    if (last.committed !== l.lastCommitted) this.st.lastCommittedSeen[key] = last.committed = l.lastCommitted;
  }

  /** Does `s`'s tree start with the first `count` committed txns? */
  private checkHolds(sim: ZabSim, id: NodeId, s: ZkServer, inv: InvariantName, count: number, what: (zxid: string) => Said): void {
    for (let i = 0; i < count; i++) {
      if (s.history[i] !== this.st.committed[i]) {
        this.report(sim, inv, [id], what(zxidHex(this.st.committed[i]!)));
        return;
      }
    }
  }

  private checkDelivered(sim: ZabSim, id: NodeId, s: ZkServer): void {
    // how far this server's history was checked; a replaced array (SNAP, TRUNC, restart, restore) starts over
    const h = s.history;
    const seen = this.checkedUpTo[id];
    const from = seen && seen.h === h ? seen.n : 0;
    if (from === h.length) return;
    if (seen) {
      seen.h = h;
      seen.n = h.length;
    } else this.checkedUpTo[id] = { h, n: h.length };
    for (let i = from; i < h.length; i++) {
      const z = h[i]!;
      const prev = i > 0 ? h[i - 1]! : null;
      if (prev !== null && z <= prev) {
        this.report(sim, 'GlobalPrimaryOrder', [id], say('deliveredAfter', { id, zxid: zxidHex(z), prev: zxidHex(prev) }, `server ${id} delivered ${zxidHex(z)} after ${zxidHex(prev)}`));
      } else if (prev !== null && epochOf(prev) === epochOf(z) && z !== prev + 1) {
        this.report(sim, 'LocalPrimaryOrder', [id], say('deliveredGap', { id, zxid: zxidHex(z), prev: zxidHex(prev), epoch: epochOf(z) }, `server ${id} delivered ${zxidHex(z)} after ${zxidHex(prev)}: a gap within epoch ${epochOf(z)}`));
      }
      if (i < this.st.committed.length) {
        if (this.st.committed[i] !== z) {
          this.report(sim, 'PrefixConsistency', [id], say('deliveredOther', { id, zxid: zxidHex(z), n: i + 1, other: zxidHex(this.st.committed[i]!) }, `server ${id} delivered ${zxidHex(z)} as txn #${i + 1}, where others delivered ${zxidHex(this.st.committed[i]!)}`));
          return;
        }
      } else {
        this.st.committed.push(z);
        if (s.bodies !== null) this.checkSessionOrder(sim, id, z, s.bodies[z]);
      }
    }
  }
}

function durablyHolds(d: Record<string, unknown>, z: Zxid): boolean {
  const snap = d.snapshot as SnapshotFile | undefined;
  if (snap && snap.zxid >= z && snap.history.includes(z)) return true;
  // the txn log is in zxid order: binary search (a leader's log runs well past its commit point)
  const log = (d.log as Zxid[] | undefined) ?? [];
  if (log.length === 0 || log[log.length - 1]! < z) return false; // a follower that has not logged it yet
  let lo = 0;
  let hi = log.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = log[mid]!;
    if (e === z) return true;
    if (e < z) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
