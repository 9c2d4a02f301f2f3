/**
 * What an ensemble's logs tell, in a few lists (issue 20): each server's last known state, the
 * elections, the syncs, and every stretch without an established leader with the evidence of why.
 * The CLI prints it (a public contract); the page says the same in words (zklog.* codes).
 */
import type { Beat, EnsembleLog } from './ensemble';
import { applyBeat, emptyNow, serving, votersOf, type EnsembleNow, type SyncMode } from './replay';
import type { ServerState } from './parse';

export interface ElectionSeen {
  start: number;
  /** when the last server looking decided; null if one still looked at the end of the logs */
  end: number | null;
  /** a leader was established all along: servers that came back joined it (no new leader) */
  join: boolean;
  leader: number | null;
  epoch: number | null;
  durationMs: number | null;
  /** what each server logged it took ("… - LEADER ELECTION TOOK - N MS") */
  reportedMs: Record<number, number>;
  /** the servers that looked */
  servers: number[];
}

export interface SyncSeen {
  time: number;
  learner: number;
  leader: number | null;
  mode: SyncMode;
  zxid: number;
}

/**
 * Why a stretch had no leader, from the lines that show it. Codes (zklog.reason.<code> in the catalogue):
 * - starting: the ensemble's first servers were starting
 * - leaderStopped: the leader shut itself down (Leader.shutdown's reason in `text`)
 * - followersLost: ... because it lost its quorum of synced followers (syncLimit)
 * - initLimit: ... because too few followers synced within initLimit ("Waiting for a quorum of followers")
 * - zxidRollover: ... because its zxid counter rolled over (Leader.propose)
 * - leaderGone: the leader's process ended (its next line is a restart)
 * - followerGone: a follower's process ended, and too few stayed with the leader
 * - leaderLost: too few followers stayed with the leader ("Exception when following the leader"), before it said why, if it did
 * - leaderSilent: ... because their reads timed out: the leader had stopped answering syncLimit × tickTime
 *   (`ms`, the learner's own settings) before they said so (a pause, a partition), and the stretch
 *   starts then (Learner.syncWithLeader sets the socket's timeout to tickTime × syncLimit, ZOOKEEPER-3911)
 * - unreachable: servers could not open election channels to some peers (`peers`)
 * - backoff: notification time-outs while looking (the longest in `ms`)
 * - initTicks: a leader found enough followers only late ("Perhaps the initTicks need to be increased")
 * - noQuorum: fewer servers were up than a quorum of the voters the logs show
 * - slowSync: a learner's synchronization took longer than initLimit × tickTime (its log's own
 *   settings), so the leader gave up waiting for it
 */
export type GapReason = 'starting' | 'leaderStopped' | 'followersLost' | 'initLimit' | 'zxidRollover' | 'leaderGone' | 'followerGone' | 'leaderLost' | 'leaderSilent' | 'unreachable' | 'backoff' | 'initTicks' | 'noQuorum' | 'slowSync';

export interface Gap {
  from: number;
  /** null: no leader until the logs end */
  to: number | null;
  ms: number | null;
  reasons: GapReason[];
  /** each reason's evidence: the server and line, with what it says */
  evidence: { reason: GapReason; node: number; t: number; file: number; line: number; args: Record<string, string | number> }[];
}

export interface FinalState {
  state: ServerState | 'DOWN' | null;
  leader: number | null;
  epoch: number | null;
  zxid: number | null;
}

export interface LogSummary {
  final: Record<number, FinalState>;
  elections: ElectionSeen[];
  syncs: SyncSeen[];
  gaps: Gap[];
}

function reasonOfShutdown(text: string): GapReason {
  if (text.startsWith('zxid lower 32 bits have rolled over')) return 'zxidRollover';
  if (text.startsWith('Not sufficient followers synced')) return 'followersLost';
  if (text.startsWith('Waiting for a quorum of followers')) return 'initLimit';
  return 'leaderStopped';
}

export function summarize(log: EnsembleLog): LogSummary {
  const now = emptyNow(log.servers);
  const elections: ElectionSeen[] = [];
  const syncs: SyncSeen[] = [];
  const gaps: Gap[] = [];
  let election: ElectionSeen | null = null;
  // the last election closed: a joiner logs what it took only after it decided (Follower.followLeader)
  let closed: ElectionSeen | null = null;
  // the leader when the open election began
  let joinOf: number | null = null;
  let gap: Gap | null = null;
  const evidence = (g: Gap, reason: GapReason, b: Beat, args: Record<string, string | number> = {}) => {
    if (!g.reasons.includes(reason)) g.reasons.push(reason);
    // one piece of evidence per reason and server is enough to show
    if (!g.evidence.some((x) => x.reason === reason && x.node === b.node)) g.evidence.push({ reason, node: b.node, t: b.t, file: b.file, line: b.line, args });
  };
  const voters = votersOf(log);
  const unknown = Math.max(0, voters - log.servers.length);
  // the servers' records (applyBeat changes them in place: this list stays theirs)
  const all = Object.values(now.servers);
  // the leader serving after the beat before (a notification changes no one's state)
  let served = serving(now, voters, all);
  // the followers of the serving leader whose reads from it timed out (and have not followed since),
  // each with its read timeout: syncLimit × tickTime in broadcast, initLimit × tickTime before
  // (Learner.connectToLeader, then syncWithLeader after NEWLEADER)
  let silentOf: NonNullable<EnsembleNow['leader']> | null = null;
  const silent = new Map<number, { b: Beat; ms: number }>();
  for (const b of log.beats) {
    // what a notification changes (the votes a server heard) decides nothing here: the common case, kept short
    if (b.event.kind === 'notification') {
      applyBeat(now, b);
      continue;
    }
    const leaderBefore = now.leader;
    const servedBefore = served;
    const e = b.event;
    const syncing = now.servers[b.node]?.syncSince ?? null;
    if (servedBefore !== silentOf) {
      silentOf = servedBefore;
      silent.clear();
    }
    if (e.kind === 'state' && e.state === 'FOLLOWING') silent.delete(b.node);
    else if (e.kind === 'learnerLost' && e.timedOut && servedBefore && now.servers[b.node]?.state === 'FOLLOWING' && !silent.has(b.node)) {
      const s = now.servers[b.node]!;
      const ticks = s.zab === 'broadcast' ? s.config.syncLimit : s.config.initLimit;
      if (ticks && s.config.tickTime) silent.set(b.node, { b, ms: ticks * s.config.tickTime });
    }
    applyBeat(now, b);
    served = serving(now, voters, all);
    if (!gap && !served && (servedBefore || gaps.length === 0)) {
      // the first stretch starts with the first line; a later one when its leader stops serving
      gap = { from: b.t, to: null, ms: null, reasons: [], evidence: [] };
      gaps.push(gap);
      if (!servedBefore) evidence(gap, 'starting', b);
      else if (e.kind === 'gone') evidence(gap, b.node === servedBefore.id ? 'leaderGone' : 'followerGone', b);
      else if (e.kind !== 'leaderShutdown') evidence(gap, 'leaderLost', b);
      if (servedBefore && e.kind === 'learnerLost' && silent.size > 0) {
        // the first of its followers whose read timed out: the leader had been silent since (not
        // before it was established)
        const first = [...silent.values()].reduce((x, y) => (y.b.t - y.ms < x.b.t - x.ms ? y : x));
        gap.from = Math.max(first.b.t - first.ms, servedBefore.since);
        evidence(gap, 'leaderSilent', first.b, { ms: first.ms });
      }
    }
    if (gap) {
      if (e.kind === 'leaderShutdown' && leaderBefore?.id === b.node) evidence(gap, reasonOfShutdown(e.reason), b, { text: e.reason });
      else if (e.kind === 'cannotOpen') evidence(gap, 'unreachable', b, { peer: e.peer });
      else if (e.kind === 'noticeTimeout') {
        evidence(gap, 'backoff', b, { ms: e.ms });
        const ev = gap.evidence.find((x) => x.reason === 'backoff' && x.node === b.node)!;
        if (e.ms > Number(ev.args.ms)) ev.args.ms = e.ms;
      } else if (e.kind === 'initTicks') evidence(gap, 'initTicks', b);
      // a learner syncing for longer than initLimit × tickTime (its own settings), or that stopped after it
      let up = 0;
      for (const s of all) {
        if (s.up) up++;
        const since = s.id === b.node && s.syncSince === null ? syncing : s.syncSince;
        if (since === null) continue;
        const limit = (s.config.initLimit ?? 0) * (s.config.tickTime ?? 0);
        if (limit > 0 && b.t - since > limit && !gap.evidence.some((x) => x.reason === 'slowSync' && x.node === s.id)) {
          evidence(gap, 'slowSync', { ...b, node: s.id }, { ms: b.t - since, limit });
        }
      }
      // (a voter whose log is missing may be running: it is not counted down)
      if ((up + unknown) * 2 <= voters && !gap.reasons.includes('starting')) evidence(gap, 'noQuorum', b, { up, voters });
      if (served) {
        gap.to = b.t;
        gap.ms = b.t - gap.from;
        gap = null;
      }
    }
    // elections: from the first server looking to the last one deciding
    const looking: number[] = [];
    if (election || (e.kind === 'state' && e.state === 'LOOKING')) for (const s of all) if (s.up && s.state === 'LOOKING') looking.push(s.id);
    if (e.kind === 'state' && e.state === 'LOOKING' && !election) {
      joinOf = now.leader?.id ?? null;
      election = { start: b.t, end: null, join: now.leader !== null, leader: null, epoch: null, durationMs: null, reportedMs: {}, servers: [] };
      elections.push(election);
      closed = null;
    }
    if (!election && closed && e.kind === 'electionTook' && closed.servers.includes(b.node)) closed.reportedMs[b.node] ??= e.ms;
    if (election && e.kind === 'gone' && election.servers.every((id) => now.servers[id]!.up === false)) {
      // every server that looked is down before any decided: that election had no outcome
      Object.assign(election, { end: b.t, durationMs: b.t - election.start, leader: null, epoch: null });
      election = null;
    }
    if (election) {
      for (const id of looking) if (!election.servers.includes(id)) election.servers.push(id);
      if (e.kind === 'electionTook' && election.reportedMs[b.node] === undefined) election.reportedMs[b.node] = e.ms;
      if (now.leader === null) election.join = false;
      if (e.kind === 'state' && e.state === 'LEADING') {
        // a new leader: not a joiner's election, whatever led before
        election.leader = b.node;
        election.join = false;
      }
      if (looking.length > 0) {
        // someone looks (again: a leader that could not establish itself): not over yet
        election.end = null;
        election.durationMs = null;
      } else if (election.end === null) {
        election.end = b.t;
        election.durationMs = b.t - election.start;
        election.leader ??= now.leader?.id ?? now.servers[b.node]?.leader ?? null;
      }
      // over once everyone decided and the leader is established (a joiner's leader already was)
      // (a joiner's once those that looked follow that leader: the one they knew may have gone silent)
      const lead = now.leader;
      if (election.end !== null && lead && (election.join ? election.servers.every((id) => now.servers[id]!.up === false || now.servers[id]!.leader === lead.id) : lead.id === election.leader)) {
        // a joiner's election whose servers ended with another leader (the one before went silent, and the new one's log is missing) was not a join
        if (lead.id !== joinOf) election.join = false;
        election.leader = lead.id;
        election.epoch = lead.epoch;
        closed = election;
        election = null;
      }
    }
    if (e.kind === 'sync') syncs.push({ time: b.t, learner: b.node, leader: now.servers[b.node]!.sync!.leader, mode: e.mode, zxid: e.zxid });
  }
  const final: Record<number, FinalState> = {};
  for (const id of log.servers) {
    const s = now.servers[id]!;
    final[id] = { state: s.up === false ? 'DOWN' : s.state, leader: s.leader, epoch: s.epoch, zxid: s.zxid };
  }
  return { final, elections, syncs, gaps };
}

export type { EnsembleNow };
