/**
 * Where an ensemble stood at a moment of its logs: each server's state folded from its beats, one
 * at a time, so that a page can play, step and scrub a real ensemble's life as it does a model's.
 * What the logs do not say stays unknown (null), never guessed from the model.
 */
import type { Beat } from './ensemble';
import type { ServerState } from './parse';

export type SyncMode = 'DIFF' | 'SNAP' | 'TRUNC';

export interface ServerNow {
  id: number;
  /** null: nothing heard of it yet; false: its process ended (its last line before a restart) */
  up: boolean | null;
  /** null while it starts (before QuorumPeer runs) */
  state: ServerState | null;
  /** the Zab phase "Peer state changed" gives: discovery, synchronization, broadcast */
  zab: string | null;
  /** the leader it follows or is, as far as the logs say */
  leader: number | null;
  /** the epoch it serves in, once its leader has one */
  epoch: number | null;
  /** the last zxid the logs give it: its vote's at a new election, a leader's at establishment */
  zxid: number | null;
  /** while LOOKING: its round (the logical clock its peers' notifications carry back) and the last vote of each peer */
  heard: Record<number, { leader: number; zxid: number; peerEpoch: number; round: number; state: string }>;
  /** the last sync it received: mode, zxid, from whom */
  sync: { mode: SyncMode; zxid: number; leader: number | null } | null;
  /** tickTime, initLimit, syncLimit as its log said at start */
  config: { tickTime?: number; initLimit?: number; syncLimit?: number };
  /** when its current synchronization with a leader began (a learner's "following - synchronization") */
  syncSince: number | null;
  /** lives it started, and notification time-outs in its current election (the back-off) */
  starts: number;
  timeouts: number;
}

export interface EnsembleNow {
  servers: Record<number, ServerNow>;
  /**
   * the established leader ("Have quorum of supporters") until it stops leading; `unlogged`: its
   * followers whose logs are missing (of its quorum, or that it took on later: "Follower sid",
   * "Sending"), taken to follow it while it leads
   */
  leader: { id: number; epoch: number; since: number; unlogged: number[]; inferred?: boolean } | null;
  /** the highest epoch established so far */
  epoch: number;
}

export function emptyNow(servers: readonly number[]): EnsembleNow {
  const out: EnsembleNow = { servers: {}, leader: null, epoch: 0 };
  for (const id of servers) out.servers[id] = { id, up: null, state: null, zab: null, leader: null, epoch: null, zxid: null, heard: {}, sync: null, starts: 0, timeouts: 0, config: {}, syncSince: null };
  return out;
}

const EPOCH = 2 ** 32;

/** Apply one beat (in timeline order). Mutates `now`. */
export function applyBeat(now: EnsembleNow, b: Beat): void {
  const s = now.servers[b.node];
  if (!s) return;
  const e = b.event;
  const leaderGone = () => {
    if (now.leader?.id === b.node) now.leader = null;
  };
  switch (e.kind) {
    case 'start':
      Object.assign(s, { up: true, state: null, zab: null, leader: null, heard: {}, timeouts: 0, sync: null, syncSince: null });
      s.starts++;
      leaderGone();
      return;
    case 'gone':
      Object.assign(s, { up: false, state: null, zab: null, leader: null, heard: {}, syncSince: null });
      leaderGone();
      return;
    case 'config':
      s.config[e.name] = e.value;
      return;
    case 'state': {
      s.up = true;
      if (e.state !== 'LEADING' && e.zab === 'synchronization') s.syncSince ??= b.t;
      else if (e.zab !== 'synchronization' && e.zab !== null) s.syncSince = null;
      // 3.4's bare "FOLLOWING" after a phase is known keeps the phase
      if (e.state === s.state && e.zab === null && s.zab !== null) return;
      const was = s.state;
      s.state = e.state;
      s.zab = e.zab;
      if (e.state === 'LOOKING') {
        s.syncSince = null;
        if (was !== 'LOOKING') {
          s.heard = {};
          s.timeouts = 0;
        }
        s.leader = null;
        leaderGone();
      } else if (e.state === 'LEADING') {
        s.leader = b.node;
      } else if (was === 'LOOKING') {
        s.leader = leaderHeard(s);
      }
      if (e.zab === 'broadcast' && s.leader !== null && !now.servers[s.leader] && now.leader?.id !== s.leader) {
        // in broadcast under a leader whose log is missing: it was established (UPTODATE follows a
        // quorum's NEWLEADER ACKs), in an epoch above every one before (at least the next; a LEADING
        // notification from it says which, updateElectionVote)
        const epoch = Math.max(now.epoch + 1, s.heard[s.leader]?.state === 'LEADING' ? s.heard[s.leader]!.peerEpoch : 0);
        now.leader = { id: s.leader, epoch, since: b.t, unlogged: [], inferred: true };
        now.epoch = epoch;
      }
      if (now.leader?.inferred && s.leader === now.leader.id) s.epoch = now.leader.epoch;
      return;
    }
    case 'newElection':
      s.zxid = e.zxid;
      return;
    case 'noticeTimeout':
      s.timeouts++;
      return;
    case 'notification': {
      // the peer's last vote, its record reused (a real log holds notifications by the hundred thousand)
      const v = s.heard[e.from];
      if (v) {
        v.leader = e.leader;
        v.zxid = e.zxid;
        v.peerEpoch = e.peerEpoch;
        v.round = e.round;
        v.state = e.state;
      } else s.heard[e.from] = { leader: e.leader, zxid: e.zxid, peerEpoch: e.peerEpoch, round: e.round, state: e.state };
      // a leader whose log is missing tells its epoch once established
      const l = now.leader;
      if (l !== null && l.inferred && l.id === e.from && e.state === 'LEADING' && e.peerEpoch > l.epoch) {
        l.epoch = now.epoch = e.peerEpoch;
        for (const f of Object.values(now.servers)) if (f.leader === l.id) f.epoch = l.epoch;
      }
      return;
    }
    case 'established': {
      const epoch = Math.floor(e.zxid / EPOCH);
      now.epoch = Math.max(now.epoch, epoch);
      now.leader = { id: b.node, epoch, since: b.t, unlogged: e.sids.filter((id) => id !== b.node && !now.servers[id]) };
      s.epoch = epoch;
      s.zxid = e.zxid;
      for (const id of e.sids) {
        const f = now.servers[id];
        if (f && id !== b.node) {
          f.leader = b.node;
          f.epoch = epoch;
        }
      }
      return;
    }
    case 'sending': {
      // a DIFF's zxid is the leader's own last committed (LearnerHandler.syncFollower, queueCommittedProposals)
      if (e.mode === 'DIFF' && e.zxid > (s.zxid ?? -1)) s.zxid = e.zxid;
      const f = now.servers[e.to];
      if (f) {
        f.leader = b.node;
        if (s.epoch !== null && now.leader?.id === b.node) f.epoch = s.epoch;
      } else unloggedJoins(now, b.node, e.to);
      return;
    }
    case 'learnerInfo': {
      const f = now.servers[e.sid];
      if (f) f.leader = b.node;
      else unloggedJoins(now, b.node, e.sid);
      return;
    }
    case 'sync': {
      s.sync = { mode: e.mode, zxid: e.zxid, leader: s.leader };
      s.zxid = e.zxid;
      if (s.leader !== null && now.leader?.id === s.leader) s.epoch = now.leader.epoch;
      return;
    }
    case 'leaderShutdown':
      leaderGone();
      return;
    case 'learnerLost':
      // a read that timed out: the leader went silent (a pause, its side of a partition), taken to
      // be silent to the followers whose logs are missing too
      if (e.timedOut && s.state === 'FOLLOWING' && now.leader && s.leader === now.leader.id) now.leader.unlogged = [];
      s.leader = null;
      return;
    default:
      return;
  }
}

/** A server whose log is missing joins the established leader whose log says it took it on. */
function unloggedJoins(now: EnsembleNow, leader: number, sid: number): void {
  if (now.leader?.id === leader && !now.leader.unlogged.includes(sid)) now.leader.unlogged.push(sid);
}

/**
 * How many voters the logs show (they do not carry the configuration): the servers never seen
 * OBSERVING, and the servers whose logs are missing that the others heard from or a leader counted
 * among its quorum or took on (an observer whose log is missing is taken for a voter).
 */
export function votersOf(log: { servers: readonly number[]; beats: readonly Beat[] }): number {
  const observers = new Set<number>();
  const unlogged = new Set<number>();
  const logged = new Set(log.servers);
  for (const b of log.beats) {
    const e = b.event;
    if (e.kind === 'state' && e.state === 'OBSERVING') observers.add(b.node);
    else if (e.kind === 'notification' && !logged.has(e.from)) unlogged.add(e.from);
    else if (e.kind === 'learnerInfo' && !logged.has(e.sid)) unlogged.add(e.sid);
    else if (e.kind === 'sending' && !logged.has(e.to)) unlogged.add(e.to);
    else if (e.kind === 'established') {
      for (const id of e.sids) if (!logged.has(id)) unlogged.add(id);
    }
  }
  return log.servers.filter((id) => !observers.has(id)).length + unlogged.size;
}

/**
 * The leader that serves: established, and followed by a quorum of the voters the logs show
 * (servers seen OBSERVING are not voters). A leader whose followers all lost it (a long pause, a
 * partition) is not serving, though its own log may say nothing until it notices. `all`: the
 * servers of `now`, where the caller keeps them in a list (a loop over a record's keys is slow).
 */
export function serving(now: EnsembleNow, voters: number, all: readonly ServerNow[] = Object.values(now.servers)): EnsembleNow['leader'] {
  const l = now.leader;
  if (!l) return null;
  let with_ = 1 + l.unlogged.length;
  for (const s of all) if (s.id !== l.id && s.up && s.state === 'FOLLOWING' && s.leader === l.id) with_++;
  return with_ * 2 > voters ? l : null;
}

/** Whom a server that just decided follows: the leader most of the votes it heard name. */
function leaderHeard(s: ServerNow): number | null {
  const counts = new Map<number, number>();
  for (const v of Object.values(s.heard)) counts.set(v.leader, (counts.get(v.leader) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? null;
}
