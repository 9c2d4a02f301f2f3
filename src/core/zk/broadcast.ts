/**
 * Broadcast (ZAB phase 3): the leader gives each write a zxid, sends PROPOSAL, logs it, counts
 * the voters' ACKs (its own after its log write), commits in zxid order on a quorum, and sends
 * COMMIT to followers and INFORM to observers. Its tick loop PINGs learners and steps down
 * without a synced quorum. Q/Leader.java propose / processAck / tryToCommit / lead loop,
 * Q/LearnerHandler.java ping / synced, Q/Follower.java processPacket, Q/Observer.java.
 */
import type { ClientOp, DiskOp, NodeId } from '../sim/types';
import { answerEarly, onTxnApplied, syncDone } from './cnxn';
import { bodyOf, copyTree, dataTree, prepRequest, processTxn, sessionHex, setBody, txnLabel, type DataTree, type SessionId, type Txn } from './datatree';
import type { QuorumPacket } from './messages';
import { DISK } from './disk';
import { goLooking, takeSnapshot } from './peer';
import { quorumNow } from './quorum';
import type { Env, LeaderState, LearnerHandler, Proposal, ZkServer } from './state';
import { applyTxn, commitPending } from './tree';
import { counterOf, lastOf, MAX_COUNTER, zxidHex, type Zxid } from './zxid';

export function startBroadcast(_s: ZkServer, env: Env): void {
  env.ctx.setTimer('tick', env.cfg.timing.tickTime / 2);
}

// ---- leader: propose, ack, commit -----------------------------------------------------------

/** A bare client write (the `write` action) reaches the leader (after the request pipeline): propose it. */
export function onClientWrite(s: ZkServer, env: Env, op: ClientOp): void {
  const l = s.leader;
  if (s.state !== 'LEADING' || !l || !l.established) {
    env.ctx.note('write.refusedNotLeader', { req: op.reqId });
    return;
  }
  propose(s, env, undefined, op.reqId);
}

/**
 * Leader.propose: give the txn the next zxid, send its PROPOSAL (with the body, if it has one)
 * to every forwarding follower, and hand it to the leader's own log. Returns the zxid, or null
 * when the counter would wrap.
 */
export function propose(s: ZkServer, env: Env, txn: Txn | undefined, req: number | string): Zxid | null {
  const l = s.leader!;
  // ZOOKEEPER-1277: the counter may not wrap into the epoch bits; force a new election instead
  if (counterOf(l.lastProposed) >= MAX_COUNTER - 1) {
    env.ctx.note('write.refusedRollover', { req });
    goLooking(s, env, { code: 'rollover' });
    return null;
  }
  const zxid = l.lastProposed + 1;
  l.lastProposed = zxid;
  if (txn) setBody(s, zxid, txn);
  l.outstanding.push({ zxid, acks: [], logged: false, proposedAt: env.ctx.now });
  // ProposalRequestProcessor sends the PROPOSAL, then hands the request to the leader's own log
  const msg = proposalOf(s, zxid); // one packet for every learner, as Leader.sendPacket does
  // (Object.values: for-in over numeric keys builds a string per key, on every write)
  for (const h of Object.values(l.handlers)) if (forwarding(h)) sendProposal(env, h, zxid, msg);
  appendToLog(s, env, zxid);
  if (txn) env.ctx.note('txn.proposed', () => ({ txn: txnLabel(txn), session: sessionHex(txn.session), zxid: zxidHex(zxid) }));
  else env.ctx.note('write.proposed', () => ({ req, zxid: zxidHex(zxid) }));
  return zxid;
}

/** The PROPOSAL packet of a txn, with its body when it has one. */
export function proposalOf(s: ZkServer, zxid: Zxid): Extract<QuorumPacket, { kind: 'PROPOSAL' }> {
  const txn = bodyOf(s, zxid);
  return txn ? { kind: 'PROPOSAL', zxid, txn } : { kind: 'PROPOSAL', zxid };
}

/** A participant that has been sent NEWLEADER gets every new proposal (forwardingFollowers). */
function forwarding(h: LearnerHandler): boolean {
  return !h.observer && (h.stage === 'NEWLEADER' || h.stage === 'UPTODATE');
}

export function sendProposal(env: Env, h: LearnerHandler, zxid: Zxid, msg: Extract<QuorumPacket, { kind: 'PROPOSAL' }> = { kind: 'PROPOSAL', zxid }): void {
  env.ctx.sendOn(h.conn, msg);
  // SyncLimitCheck.updateProposal
  const c = h.syncLimitCheck;
  if (!c.started) return;
  if (c.current === null) {
    c.current = zxid;
    c.currentAt = env.ctx.now;
  } else {
    c.next = zxid;
    c.nextAt = env.ctx.now;
  }
}

/** A txn reached the disk: the leader acks its own proposal; a follower ACKs to the leader. */
/** Hand a txn to the log (SyncRequestProcessor); it reaches the disk later, in order. */
export function appendToLog(s: ZkServer, env: Env, zxid: Zxid): void {
  s.unflushed.push(zxid);
  const ops = logOps(s, [zxid]);
  if (s.newLogFile) ops.push(...newLogFile(s, zxid));
  env.ctx.persist(ops, { kind: 'txn', zxid });
  snapshotEvery(s, env);
}

/** The writes that append txns to the log: their zxids, and the bodies of those that have one. */
export function logOps(s: ZkServer, zxids: Zxid[]): DiskOp[] {
  const ops: DiskOp[] = [{ op: 'append', key: DISK.log, items: zxids }];
  if (s.bodies === null) return ops;
  let bodies: [Zxid, Txn][] | null = null;
  for (const z of zxids) {
    const t = s.bodies[z];
    if (t) (bodies ??= []).push([z, t]);
  }
  if (bodies) ops.push({ op: 'append', key: DISK.bodies, items: bodies });
  return ops;
}

/** FileTxnLog.append with no open stream creates log.<zxid>: the file's first txn names it. */
export function newLogFile(s: ZkServer, zxid: Zxid): DiskOp[] {
  if (!s.newLogFile) return [];
  s.newLogFile = false;
  s.logFiles.push(zxid);
  return [{ op: 'append', key: DISK.logFiles, items: [zxid] }];
}

export function onTxnLogged(s: ZkServer, env: Env, zxid: Zxid, ok: boolean): void {
  // flushes complete in order: the logged txn is almost always the first one waiting
  if (s.unflushed[0] === zxid) s.unflushed.shift();
  else s.unflushed = s.unflushed.filter((z) => z !== zxid);
  if (ok && zxid > lastOf(s.log, -1)) s.log.push(zxid);
  if (s.state === 'LEADING' && s.leader) {
    // SyncRequestProcessor is a critical thread: a failed log write puts the server in ERROR and
    // the role ends (3.8's Leader.lead notices at its next tick: "Unexpected internal error")
    if (!ok) return goLooking(s, env, { code: 'leaderLogFailed', args: { zxid: zxidHex(zxid) } }, 'errored');
    const p = outstandingProposal(s.leader, zxid);
    if (p) p.logged = true;
    return processAck(s, env, s.id, zxid);
  }
  const ln = s.learner;
  if (!ln || ln.conn === null) return;
  if (!ok) return goLooking(s, env, { code: 'logFailed', args: { zxid: zxidHex(zxid) } }, 'errored');
  if (s.voter) env.ctx.sendOn(ln.conn, { kind: 'ACK', zxid });
}

/**
 * SyncRequestProcessor.shouldSnapshot, checked after each append: after snapCount/2 plus a random
 * share (randRoll, up to snapCount/2) of appended txns, roll the log (the next append opens a new
 * file) and snapshot the tree as it is (a snapshot thread's fuzzy snapshot). (The share is drawn when the
 * count first reaches snapCount/2, which leaves the PRNG alone in runs that never get there.)
 */
function snapshotEvery(s: ZkServer, env: Env): void {
  const half = Math.floor(env.cfg.timing.snapCount / 2);
  if (++s.logCount <= half) return;
  if (s.randRoll < 0) s.randRoll = Math.floor(env.ctx.random() * half);
  if (s.logCount <= half + s.randRoll) return;
  s.logCount = 0;
  s.randRoll = -1;
  // rollLog: the next txn starts a new file
  s.newLogFile = true;
  takeSnapshot(s, env);
}

/** processAck: count a voter's ACK; commit what has a quorum, strictly in zxid order. */
export function processAck(s: ZkServer, env: Env, sid: number, zxid: Zxid): void {
  const l = s.leader!;
  if (counterOf(zxid) === 0 || zxid <= l.lastCommitted) return;
  const p = outstandingProposal(l, zxid);
  if (!p) return;
  if (env.qv.isVoter(sid) && !p.acks.includes(sid)) p.acks.push(sid);
  // a commit may unblock the ones after it
  while (l.outstanding.length && tryToCommit(s, env, l.outstanding[0]!)) l.outstanding.shift();
}

/**
 * Leader.outstandingProposals, looked up by zxid. Proposals are numbered consecutively from the
 * oldest uncommitted one, so the position is the distance from it (checked, in case it is not).
 */
function outstandingProposal(l: LeaderState, zxid: Zxid): Proposal | undefined {
  const first = l.outstanding[0];
  if (!first) return undefined;
  const p = l.outstanding[zxid - first.zxid];
  return p && p.zxid === zxid ? p : l.outstanding.find((x) => x.zxid === zxid);
}

function tryToCommit(s: ZkServer, env: Env, p: Proposal): boolean {
  const l = s.leader!;
  // ablation commitEarly: drops Leader.tryToCommit's "a quorum of ACKs" (the leader's own log write is enough)
  const early = env.cfg.ablations?.commitEarly && p.acks.includes(s.id);
  if (!early && !quorumNow(env).containsQuorum(p.acks)) return false;
  l.lastCommitted = p.zxid;
  applyTxn(s, p.zxid);
  const commit = { kind: 'COMMIT', zxid: p.zxid } as const;
  const txn = bodyOf(s, p.zxid);
  for (const h of Object.values(l.handlers)) {
    if (forwarding(h)) env.ctx.sendOn(h.conn, commit);
    else if (h.observer && (h.stage === 'NEWLEADER' || h.stage === 'UPTODATE')) env.ctx.sendOn(h.conn, txn ? { kind: 'INFORM', zxid: p.zxid, txn } : { kind: 'INFORM', zxid: p.zxid });
  }
  env.ctx.note('commits', () => ({ zxid: zxidHex(p.zxid), acks: p.acks.join(',') }));
  if (txn) onTxnApplied(s, env, p.zxid, txn);
  // Leader.commit: the syncs that waited for this proposal are answered
  while (l.pendingSyncs.length && l.pendingSyncs[0]!.zxid <= p.zxid) sendSync(s, env, l.pendingSyncs.shift()!);
  return true;
}

/** An ACK from a learner: of NEWLEADER (sync), of UPTODATE (ignored), or of a proposal. */
export function onLearnerAck(s: ZkServer, env: Env, h: LearnerHandler, zxid: Zxid): void {
  // SyncLimitCheck.updateAck: only an ACK of the awaited proposal moves the check on
  const c = h.syncLimitCheck;
  if (c.current === zxid) {
    c.current = c.next;
    c.currentAt = c.nextAt;
    c.next = null;
  } else if (c.next === zxid) c.next = null;
  processAck(s, env, h.sid, zxid);
}

// ---- leader: the tick loop ------------------------------------------------------------------

/**
 * The leader wakes every tickTime/2. On every other wake-up it advances its tick and checks that
 * itself plus the learners heard from within syncLimit ticks still form a quorum of voters.
 * Then it PINGs every learner that has been sent NEWLEADER, and drops one whose awaited
 * proposal is older than syncLimit ticks (SyncLimitCheck).
 */
export function onLeaderTick(s: ZkServer, env: Env): void {
  const l = s.leader;
  if (!l || !l.established) return;
  if (!l.tickSkip) l.tick++;
  const synced = [s.id, ...Object.values(l.handlers).filter((h) => isSynced(l.tick, h)).map((h) => h.sid)];
  if (!l.tickSkip && !quorumNow(env).containsQuorum(synced)) {
    return goLooking(s, env, { code: 'notSynced', args: { ids: synced.join(',') } });
  }
  l.tickSkip = !l.tickSkip;
  expireSessions(s, env);
  if (s.state !== 'LEADING') return;
  const limit = env.cfg.timing.syncLimit * env.cfg.timing.tickTime;
  for (const h of Object.values(l.handlers)) {
    if (h.stage !== 'NEWLEADER' && h.stage !== 'UPTODATE') continue;
    const c = h.syncLimitCheck;
    if (c.current !== null && env.ctx.now - c.currentAt > limit) {
      env.ctx.note('closesTxnTimeout', { sid: h.sid, zxid: zxidHex(c.current) });
      env.ctx.close(h.conn);
      delete l.handlers[h.sid];
      continue;
    }
    env.ctx.sendOn(h.conn, { kind: 'PING', zxid: l.lastProposed });
  }
  env.ctx.setTimer('tick', env.cfg.timing.tickTime / 2);
}

export function isSynced(tick: number, h: LearnerHandler): boolean {
  return tick <= h.tickOfNextAckDeadline;
}

/**
 * Any packet from a learner proves it alive: its deadline moves to tick + syncLimit, and its
 * socket's read timeout starts again (onLearnerSilent looks at heardAt when the timer fires).
 */
export function touchLearner(s: ZkServer, env: Env, h: LearnerHandler): void {
  h.tickOfNextAckDeadline = s.leader!.tick + env.cfg.timing.syncLimit;
  h.heardAt = env.ctx.now;
}

/**
 * The handler's socket read timeout: initLimit ticks (LearnerCnxAcceptor) until its NEWLEADER
 * ACK is in, syncLimit ticks from then on (LearnerHandler.run: setSoTimeout(syncTimeout())).
 */
function readTimeout(env: Env, h: LearnerHandler): number {
  const t = env.cfg.timing;
  return (h.syncLimitCheck.started ? t.syncLimit : t.initLimit) * t.tickTime;
}

export function armReadTimeout(env: Env, h: LearnerHandler): void {
  env.ctx.setTimer(h.silenceTimer, h.heardAt + readTimeout(env, h) - env.ctx.now);
}

/** A learner said nothing for its read timeout: the handler's read fails and it leaves (LearnerHandler.run). */
export function onLearnerSilent(s: ZkServer, env: Env, timer: string): void {
  const l = s.leader;
  const h = l && Object.values(l.handlers).find((x) => x.silenceTimer === timer);
  if (!l || !h) return;
  // it was heard since the timer was set: wait the rest (re-arming on every packet would cost more)
  if (h.heardAt + readTimeout(env, h) > env.ctx.now) return armReadTimeout(env, h);
  env.ctx.note('closesSilentLearner', { sid: h.sid });
  env.ctx.close(h.conn);
  delete l.handlers[h.sid];
}

// ---- learner ----------------------------------------------------------------------------------

/** A learner answers the leader's PING (with its session touches, in ZooKeeper). */
export function onPing(s: ZkServer, env: Env, zxid: number): void {
  const ln = s.learner!;
  if (s.zabState !== 'BROADCAST') return; // during sync a PING only proves the leader alive
  // the sessions its clients touched since the last PING go with the reply
  let touches: Record<string, number> | null = null;
  for (const k in ln.touches) {
    if (k === '') continue;
    touches = ln.touches;
    ln.touches = {};
    break;
  }
  env.ctx.sendOn(ln.conn!, touches ? { kind: 'PING', zxid, touches } : { kind: 'PING', zxid });
}

/** Follower: log the proposal; the ACK goes out once it is on disk. */
export function logProposal(s: ZkServer, env: Env, zxid: Zxid, txn?: Txn): void {
  if (txn) setBody(s, zxid, txn);
  s.learner!.pendingTxns.push(zxid);
  appendToLog(s, env, zxid);
  // ablation answerBeforeCommit: the client is answered before its txn is committed
  if (txn && env.cfg.ablations?.answerBeforeCommit) answerEarly(s, env, zxid, txn);
}

export function onCommit(s: ZkServer, env: Env, zxid: Zxid): void {
  if (!commitPending(s, env, zxid)) return;
  const txn = bodyOf(s, zxid);
  if (txn) onTxnApplied(s, env, zxid, txn);
}

/** Observer: INFORM carries a committed txn; log it and apply it. */
export function onInform(s: ZkServer, env: Env, zxid: Zxid, txn?: Txn): void {
  if (txn) setBody(s, zxid, txn);
  appendToLog(s, env, zxid);
  applyTxn(s, zxid);
  if (txn) onTxnApplied(s, env, zxid, txn);
}

// ---- clients' requests and sessions, on the leader -------------------------------------------

/**
 * A client's write, sync or new session reached the leader, from a learner (REQUEST) or from a
 * client connected to the leader itself (`conn`). PrepRequestProcessor checks a write against the
 * tree as it will be once what is outstanding is applied, and makes its txn (an error txn when
 * the check fails); a sync goes to Leader.processSync.
 */
export function submitRequest(s: ZkServer, env: Env, from: NodeId, session: SessionId, cxid: number, req: Extract<QuorumPacket, { kind: 'REQUEST' }>['req'], conn?: number): void {
  const l = s.leader;
  if (s.state !== 'LEADING' || !l || !l.established) return;
  touchSession(s, env, session);
  if (req.op === 'sync') return processSync(s, env, from, conn);
  let txn: Txn;
  const tracked = l.sessions[session];
  if (req.op === 'createSession') {
    txn = { type: 'createSession', session, timeout: req.timeout };
    l.sessions[session] = { timeout: req.timeout, expiresAt: expiry(env, req.timeout), owner: from };
  } else if (req.op !== 'closeSession' && tracked && tracked.owner !== null && tracked.owner !== from && !env.cfg.ablations?.noSessionCheck) {
    // SessionTrackerImpl.checkSession: the session has moved to another server since this
    // request left its client (a write the client was told had failed): SessionMovedException
    txn = { type: 'error', session, cxid, err: 'SESSIONMOVED' };
  } else {
    if (tracked && tracked.owner === null) tracked.owner = from;
    txn = prepRequest(prepView(s), session, cxid, req, !env.cfg.ablations?.noSessionCheck);
    // setSessionClosing: a closing session is touched and revalidated no more
    if (txn.type === 'closeSession') delete l.sessions[session];
  }
  propose(s, env, txn, `${sessionHex(session)}:${cxid}`);
}

/** The tree as it will be once every outstanding proposal is applied (PrepRequestProcessor's outstandingChanges). */
function prepView(s: ZkServer): DataTree {
  const t = copyTree(dataTree(s));
  for (const p of s.leader!.outstanding) {
    const b = bodyOf(s, p.zxid);
    if (b) processTxn(t, p.zxid, b);
  }
  return t;
}

/** Leader.processSync: answer at once when nothing is outstanding, else once the last proposal is committed. */
function processSync(s: ZkServer, env: Env, sid: NodeId, conn?: number): void {
  const l = s.leader!;
  const r = { zxid: l.lastProposed, sid, ...(conn !== undefined ? { conn } : {}) };
  if (l.outstanding.length === 0) sendSync(s, env, r);
  else l.pendingSyncs.push(r);
}

/** Leader.sendSync: SYNC to the learner, or, for a client of the leader itself, its sync is done. */
function sendSync(s: ZkServer, env: Env, r: { sid: NodeId; conn?: number }): void {
  if (r.sid === s.id) return r.conn !== undefined ? syncDone(s, env, r.conn) : undefined;
  const h = s.leader!.handlers[r.sid];
  if (h) env.ctx.sendOn(h.conn, { kind: 'SYNC' });
}

/** SessionTrackerImpl.roundToExpirationInterval: expiry times fall on tick boundaries. */
function expiry(env: Env, timeout: number): number {
  const tick = env.cfg.timing.tickTime;
  return (Math.floor((env.ctx.now + timeout) / tick) + 1) * tick;
}

/** SessionTracker.touchSession: a live session's expiry moves on; false for a session closing or gone. */
export function touchSession(s: ZkServer, env: Env, session: SessionId): boolean {
  const t = s.leader?.sessions[session];
  if (!t) return false;
  t.expiresAt = expiry(env, t.timeout);
  return true;
}

/**
 * A new leader's SessionTracker starts from the tree's sessions, each with a whole timeout from
 * now: a leader change expires no session whose client reconnects in time.
 */
export function startSessionTracker(s: ZkServer, env: Env): void {
  const l = s.leader!;
  for (const [id, timeout] of Object.entries(dataTree(s).sessions)) l.sessions[id] = { timeout, expiresAt: expiry(env, timeout), owner: null };
}

/** SessionTrackerImpl.run: a session not touched within its timeout expires, as a closeSession txn. */
function expireSessions(s: ZkServer, env: Env): void {
  const l = s.leader!;
  for (const id in l.sessions) {
    if (l.sessions[id]!.expiresAt > env.ctx.now) continue;
    delete l.sessions[id];
    env.ctx.note('sessionExpired', { session: sessionHex(Number(id)) });
    if (propose(s, env, { type: 'closeSession', session: Number(id), cxid: 0 }, sessionHex(Number(id))) === null) return;
  }
}

/** A learner's PING reply: the sessions its clients touched. REVALIDATE: is a reconnecting client's session alive? */
export function onLearnerPing(s: ZkServer, env: Env, touches: Record<string, number> | undefined): void {
  if (touches) for (const id in touches) touchSession(s, env, Number(id));
}

export function onRevalidate(s: ZkServer, env: Env, h: LearnerHandler, session: SessionId, timeout: number): void {
  env.ctx.sendOn(h.conn, { kind: 'REVALIDATE', session, timeout, valid: revalidate(s, env, session, h.sid) });
}

/** Leader.revalidateSession: a live session is touched, and from now on owned by the server the client reached (setOwner). */
export function revalidate(s: ZkServer, env: Env, session: SessionId, through: NodeId): boolean {
  if (!touchSession(s, env, session)) return false;
  s.leader!.sessions[session]!.owner = through;
  return true;
}

