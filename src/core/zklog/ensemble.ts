/**
 * An ensemble's logs read together (issue 20): every file of every server, each server's lives in
 * order, and one timeline on which nothing is received before it is sent. Servers' clocks disagree;
 * the reader moves each server's clock by the least that makes every causal pair it can see hold
 * (a notification after its sender entered the state it reports; a learner's sync line after the
 * leader's line that sent it) and says by how much. Pure: texts in, a timeline out.
 */
import { readServerLog, type LogEvent, type ServerLog } from './parse';

export interface LogFileIn {
  name: string;
  text: string;
}

/** A file already read (a stream, chunk by chunk: ServerLogReader). */
export interface LogFileRead {
  name: string;
  log: ServerLog;
}

/** What one file gave. */
export interface FileRead {
  name: string;
  /** the server it is the log of (null: none could be told; its lines are left out) */
  server: number | null;
  /** whether any of its lines is a log line (a file that is no log is a warning, its lines no one's) */
  isLog: boolean;
  lines: number;
  understood: number;
  continued: number;
  other: number;
  examples: string[];
}

/** One event on the shared timeline, with the line it came from. */
export interface Beat {
  /** ms since the epoch, on the aligned timeline (the server's own clock plus its skew) */
  t: number;
  node: number;
  event: LogEvent | { kind: 'gone' };
  /** index into `files`, and the 1-based line number there */
  file: number;
  line: number;
  /** the line as written, or '' with its byte offset and length in the file (see ServerLogEvent) */
  text: string;
  at: number;
  len: number;
}

export interface LogWarning {
  file: string;
  line: number;
  code: 'noServer' | 'twoServers' | 'notALog' | 'clockInconsistent' | 'unreadable' | 'missingServer' | 'tooMany' | 'encoding' | 'truncated';
  text: string;
}

export interface EnsembleLog {
  files: FileRead[];
  /** each file as read, in the order given */
  logs: ServerLog[];
  /** the servers found, in order */
  servers: number[];
  beats: Beat[];
  /** ms added to each server's clock to align it (0 where nothing asked for a change) */
  skew: Record<number, number>;
  /** how many causal pairs the alignment used */
  pairs: number;
  warnings: LogWarning[];
}

/**
 * A number in a file's name: server3.log, zookeeper-2.log.1 → the first one, not counting a
 * rotated file's index (log4j's zookeeper.log.1 … .N); else its folder's, where that is named like
 * a server (zk1/zookeeper.log, server-2/zookeeper.out: a word and a number)
 */
export function idFromName(name: string): number | null {
  const parts = name.split(/[\\/]/);
  const base = (parts.at(-1) ?? name).replace(/(\.gz)?$/i, '').replace(/\.\d+$/, '');
  const m = /(\d+)/.exec(base) ?? (parts.length > 1 ? /^[a-z]*[-_]?(\d+)$/i.exec(parts.at(-2)!) : null);
  return m ? Number(m[1]) : null;
}

/**
 * Read the files of an ensemble: `named` gives the server of a file whose lines never say it (a
 * person's choice in the page, --myid in the CLI); otherwise a number in the file's name is used.
 */
export function readEnsemble(files: readonly (LogFileIn | LogFileRead)[], named: Readonly<Record<string, number>> = {}): EnsembleLog {
  const warnings: LogWarning[] = [];
  const reads: FileRead[] = [];
  const logs: ServerLog[] = [];
  // per server, its files' events in file order (sorted by the first line's time below)
  const perServer = new Map<number, { file: number; log: ServerLog; events: ServerLog['events'] }[]>();
  files.forEach((f, i) => {
    const log = 'log' in f ? f.log : readServerLog(f.text, named[f.name] ?? idFromName(f.name));
    logs.push(log);
    reads.push({ name: f.name, server: log.myid, isLog: log.first !== null, lines: log.lines, understood: log.events.length, continued: log.continued, other: log.other, examples: log.examples });
    if (log.encoding) warnings.push({ file: f.name, line: 0, code: 'encoding', text: log.encoding });
    if (log.first === null) {
      warnings.push({ file: f.name, line: 0, code: 'notALog', text: log.examples[0] ?? '' });
      return;
    }
    if (log.myid === null) {
      warnings.push({ file: f.name, line: 0, code: 'noServer', text: '' });
      return;
    }
    const byId = eventsByServer(log);
    // lines that name another server: a file that holds two (each line goes to its own)
    if (byId.size > 1) {
      const other = log.events.find((e) => e.myid !== null && e.myid !== log.myid)!;
      warnings.push({ file: f.name, line: other.line, code: 'twoServers', text: other.text });
    }
    for (const [id, events] of byId) {
      let list = perServer.get(id);
      if (!list) perServer.set(id, (list = []));
      list.push({ file: i, log, events });
    }
  });

  const servers = [...perServer.keys()].sort((a, b) => a - b);
  const beats: Beat[] = [];
  for (const id of servers) {
    // rotated files: oldest first, by their first line
    const parts = perServer.get(id)!.sort((a, b) => (a.log.first ?? 0) - (b.log.first ?? 0) || a.file - b.file);
    let lastHeard: number | null = null;
    for (const p of parts) {
      for (const e of p.events) {
        if (e.event.kind === 'start') {
          // the life before ended some time after its last line: ZooKeeper logs no crash
          const prev = e.prev ?? lastHeard;
          if (prev !== null) beats.push({ t: prev, node: id, event: { kind: 'gone' }, file: p.file, line: e.line, text: e.text, at: e.at, len: e.len });
        }
        beats.push({ t: e.time, node: id, event: e.event, file: p.file, line: e.line, text: e.text, at: e.at, len: e.len });
      }
      lastHeard = p.log.last ?? lastHeard;
    }
  }
  // a server the others heard from whose log is not here (`text`: its id)
  const missing = new Set<number>();
  for (const b of beats) if (b.event.kind === 'notification' && !perServer.has(b.event.from)) missing.add(b.event.from);
  for (const id of [...missing].sort((a, b) => a - b)) warnings.push({ file: '', line: 0, code: 'missingServer', text: String(id) });
  const { skew, pairs, consistent } = align(servers, beats);
  if (!consistent) warnings.push({ file: '', line: 0, code: 'clockInconsistent', text: '' });
  for (const b of beats) b.t += skew[b.node] ?? 0;
  // one timeline; a server's own lines keep their order within a millisecond (the sort is stable)
  beats.sort((a, b) => a.t - b.t);
  emptyDiffs(beats);
  return { files: reads, logs, servers, beats, skew, pairs, warnings };
}

/** A file's events by the server each belongs to (see ownersOf), the file's own server first; none for a file that names no server. */
export function eventsByServer(log: ServerLog): Map<number, ServerLog['events']> {
  const byId = new Map<number, ServerLog['events']>();
  const own = log.myid;
  if (own === null) return byId;
  byId.set(own, []);
  const ids = ownersOf(log.events, own);
  if (ids === null) byId.set(own, log.events);
  else
    log.events.forEach((e, k) => {
      let list = byId.get(ids[k]!);
      if (!list) byId.set(ids[k]!, (list = []));
      list.push(e);
    });
  return byId;
}

/**
 * In a file that names two servers, the server of each event whose line names none (its thread is
 * not the peer's, or the default layout's `[myid:]` is still empty while a process starts): a
 * start, the server that names the next "tickTime set to" (QuorumPeer logs it as it starts, once
 * MDC holds its myid; another server's lines may come between), else (Debian's layout, whose
 * `main` thread names no one) the next to start LOOKING (a process's first state, from its
 * QuorumPeer[myid=N] thread), else the next line naming one; any other line, the server the lines
 * before it named (in Debian's layout a starting server's own `main` lines may so go to the other).
 * null: one server.
 */
function ownersOf(events: ServerLog['events'], own: number): number[] | null {
  if (!events.some((e) => e.myid !== null && e.myid !== own)) return null;
  const out = new Array<number>(events.length);
  let next: number | null = null;
  let config: number | null = null;
  let looking: number | null = null;
  for (let k = events.length - 1; k >= 0; k--) {
    const e = events[k]!;
    next = e.myid ?? next;
    if (e.event.kind === 'config' && e.myid !== null) config = e.myid;
    else if (e.event.kind === 'state' && e.event.state === 'LOOKING' && e.myid !== null) looking = e.myid;
    out[k] = (e.event.kind === 'start' ? (config ?? looking) : null) ?? next ?? own;
  }
  let prev: number | null = null;
  // which of them leads, as their own lines say: a LearnerHandler's line (what it sends a learner)
  // names no server in Debian's layout, and is the leader's
  const leading = new Set<number>();
  events.forEach((e, k) => {
    const ev = e.event;
    if (e.myid !== null) {
      prev = e.myid;
      if (ev.kind === 'state') {
        if (ev.state === 'LEADING') leading.add(e.myid);
        else leading.delete(e.myid);
      }
    } else if ((ev.kind === 'sending' || ev.kind === 'learnerInfo') && leading.size === 1) out[k] = [...leading][0]!;
    else if (ev.kind !== 'start' && prev !== null) out[k] = prev;
  });
  return out;
}

/**
 * A leader's "Sending TRUNC" line that its learner answers with "Getting a diff" was a DIFF: 3.6–3.8's
 * LearnerHandler.queueCommittedProposals logs "Sending TRUNC zxid=…" where it queues an empty DIFF
 * (a learner already at the leader's last zxid of a new epoch; release-3.8.0-1 LearnerHandler.java:1033,
 * worded DIFF from 3.9.0). The learner's own line says what it received.
 */
function emptyDiffs(beats: readonly Beat[]): void {
  const truncs = new Map<number, LogEvent & { kind: 'sending' }>();
  for (const b of beats) {
    const e = b.event;
    if (e.kind === 'sending') {
      if (e.mode === 'TRUNC' || e.logged) truncs.set(e.to, e);
      else truncs.delete(e.to);
    } else if (e.kind === 'sync' || e.kind === 'start' || e.kind === 'gone') {
      const s = truncs.get(b.node);
      if (s && e.kind === 'sync' && e.mode === 'DIFF') Object.assign(s, { mode: 'DIFF', logged: 'TRUNC' });
      truncs.delete(b.node);
    }
  }
}

/** "a must be logged no later than b": the server of each, and the times on their own clocks. */
interface Before {
  a: number;
  ta: number;
  b: number;
  tb: number;
}

/**
 * The causal pairs the logs show, on the servers' own clocks:
 * - a notification R logged from S with n.state X came after S entered X (the latest entry into X at
 *   or before R's line, else the first after it: that one needs S's clock to be behind);
 * - a learner's "Getting a diff / snapshot, Truncating" came after its leader's "Sending … for peer
 *   sid" to it (the latest at or before, else the first after);
 * - a leader's "Follower sid: N : info" came after learner N decided to follow (FOLLOWERINFO is
 *   sent after "Peer state changed: following"): with the one before, a bound each way.
 */
export function causalPairs(servers: readonly number[], beats: readonly Beat[], skew: Readonly<Record<number, number>>, index = causalIndex(servers, beats)): Before[] {
  const d = (a: number, b: number) => (skew[a] ?? 0) - (skew[b] ?? 0);
  const out: Before[] = [];
  for (const c of index) {
    // of several senders (a learner syncs with several leaders over its lives, each with its
    // Sending lines to it), the one whose line is nearest
    let best: Before | null = null;
    for (const { a, times } of c.lists) {
      const ta = nearest(times, c.tb, d(a, c.b));
      if (!best || Math.abs(c.tb - ta - d(a, c.b)) < Math.abs(best.tb - best.ta - d(best.a, c.b))) best = { a, ta, b: c.b, tb: c.tb };
    }
    out.push(best!);
  }
  return out;
}

/**
 * What causalPairs matches, found once for every pass of align: each receiving line (in timeline
 * order) with the lists of times its sender's line may be (a state's entries, a leader's Sending
 * lines to this learner), each list sorted and non-empty.
 */
type CausalIndex = { b: number; tb: number; lists: { a: number; times: number[] }[] }[];

function causalIndex(servers: readonly number[], beats: readonly Beat[]): CausalIndex {
  // server → state → times of entering it; leader → learner → times of its Sending lines
  const entries = new Map<number, Map<string, number[]>>();
  const sends = new Map<number, Map<number, number[]>>();
  const add = <K>(m: Map<number, Map<K, number[]>>, a: number, k: K, t: number) => {
    let byKey = m.get(a);
    if (!byKey) m.set(a, (byKey = new Map()));
    const list = byKey.get(k);
    if (list) list.push(t);
    else byKey.set(k, [t]);
  };
  for (const b of beats) {
    if (b.event.kind === 'state') add(entries, b.node, b.event.state, b.t);
    else if (b.event.kind === 'sending') add(sends, b.node, b.event.to, b.t);
  }
  for (const m of [...entries.values(), ...sends.values()]) for (const list of m.values()) list.sort((x, y) => x - y);
  const known = new Set(servers);
  const out: CausalIndex = [];
  for (const b of beats) {
    const e = b.event;
    if (e.kind === 'notification' && known.has(e.from) && e.from !== b.node) {
      const times = entries.get(e.from)?.get(e.state);
      if (times) out.push({ b: b.node, tb: b.t, lists: [{ a: e.from, times }] });
    } else if (e.kind === 'learnerInfo' && known.has(e.sid) && e.sid !== b.node) {
      // the learner registers (FOLLOWERINFO) after it decided to follow (Follower.followLeader)
      const times = entries.get(e.sid)?.get('FOLLOWING') ?? entries.get(e.sid)?.get('OBSERVING');
      if (times) out.push({ b: b.node, tb: b.t, lists: [{ a: e.sid, times }] });
    } else if (e.kind === 'sync') {
      const lists = servers.flatMap((a) => {
        const times = a === b.node ? undefined : sends.get(a)?.get(b.node);
        return times ? [{ a, times }] : [];
      });
      if (lists.length) out.push({ b: b.node, tb: b.t, lists });
    }
  }
  return out;
}

/** In sorted `times`, the last x with x + da ≤ t (binary search), else the first. */
function nearest(times: readonly number[], t: number, da: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! + da <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? times[lo - 1]! : times[0]!;
}

/**
 * The skews: the smallest changes (each server's clock only ever set back, the latest one left as
 * it is) for which ta + skew[a] ≤ tb + skew[b] holds for every pair. Difference constraints, solved
 * by Bellman-Ford. The pairs are matched on the clocks as aligned so far, so the matching is redone
 * on the result until it settles (a clock off by more than the time between a server's state
 * changes is first matched to the wrong change). If the pairs contradict each other, no skew at all.
 */
function align(servers: readonly number[], beats: readonly Beat[]): { skew: Record<number, number>; pairs: number; consistent: boolean } {
  const index = causalIndex(servers, beats);
  const zero = Object.fromEntries(servers.map((id) => [id, 0]));
  let settled = settle(servers, beats, index, zero, true);
  if (!settled) {
    const found = searchSkew(servers, beats, index, zero);
    if (found) settled = settle(servers, beats, index, found, false);
  }
  if (settled) return { ...settled, consistent: true };
  return { skew: zero, pairs: causalPairs(servers, beats, zero, index).length, consistent: false };
}

/** The passes of align from `skew`: the pairs matched, solved, matched again on the result until it settles; null if they contradict each other. */
function settle(servers: readonly number[], beats: readonly Beat[], index: CausalIndex, from: Record<number, number>, brokenFirst: boolean): { skew: Record<number, number>; pairs: number } | null {
  let skew = from;
  let pairs: Before[] = [];
  for (let pass = 0; pass < 5; pass++) {
    pairs = causalPairs(servers, beats, skew, index);
    // from unaligned clocks, first only the pairs broken as they stand (the evidence that one is
    // off): matched on them, the others may pair a line with the wrong state change
    const next = solve(servers, pass === 0 && brokenFirst ? pairs.filter((p) => p.ta + skew[p.a]! > p.tb + skew[p.b]!) : pairs);
    if (!next) return null;
    const same = servers.every((id) => next[id] === skew[id]);
    skew = next;
    if (same && pass > 0) break;
  }
  return { skew, pairs: pairs.length };
}

/**
 * Where the passes contradict themselves (a clock off by more than the time between a server's
 * state changes, over several lives, is matched to the wrong ones however it is approached): a
 * search, one server's clock at a time, among the offsets that would make one of its pairs exact,
 * for the skews under which the pairs, matched anew on each, are broken least (the smaller offset
 * where as many are). Null unless it finds skews that break none. Small logs are searched whole;
 * a large one by a sample of its receiving lines.
 */
function searchSkew(servers: readonly number[], beats: readonly Beat[], index: CausalIndex, zero: Record<number, number>): Record<number, number> | null {
  const step = Math.ceil(index.length / SEARCH_PAIRS);
  const sample = step > 1 ? index.filter((_, i) => i % step === 0) : index;
  const broken = (sk: Record<number, number>) => causalPairs(servers, beats, sk, sample).filter((p) => p.ta + sk[p.a]! > p.tb + sk[p.b]!).length;
  let skew = { ...zero };
  let best = broken(skew);
  // each round moves the one clock whose move breaks fewest pairs (not each in turn: moving the
  // first server's first can lead away from where the off one's move would break none)
  for (let round = 0; round < 2 * servers.length && best > 0; round++) {
    let move: { s: number; offset: number } | null = null;
    // any one clock (only their differences count: the result is set back to end at 0)
    for (const s of servers) {
      // the offsets that make a pair exact as it is matched now, and a spread of those that would
      // under any other match (every line its sender may have logged it after)
      const near = new Set<number>();
      const any = new Set<number>();
      for (const p of causalPairs(servers, beats, skew, sample)) {
        if (p.a === s && p.b !== s) near.add(p.tb + skew[p.b]! - p.ta);
        else if (p.b === s && p.a !== s) near.add(p.ta + skew[p.a]! - p.tb);
      }
      for (const c of sample)
        for (const { a, times } of c.lists) {
          if (a === s && c.b !== s) for (const t of times) any.add(c.tb + skew[c.b]! - t);
          else if (c.b === s && a !== s) for (const t of times) any.add(t + skew[a]! - c.tb);
        }
      for (const offset of [...spaced([...near], SEARCH_OFFSETS), ...spaced([...any], SEARCH_OFFSETS)]) {
        const n = broken({ ...skew, [s]: offset });
        if (n < best || (n === best && move !== null && Math.abs(offset) < Math.abs(move.offset))) {
          best = n;
          move = { s, offset };
        }
      }
    }
    if (!move) break;
    skew = { ...skew, [move.s]: move.offset };
  }
  if (best > 0) return null;
  // as solve gives them: clocks only set back, the latest left as it is
  const top = Math.max(...servers.map((id) => skew[id]!));
  return Object.fromEntries(servers.map((id) => [id, skew[id]! - top]));
}

/** How many receiving lines, and offsets of each kind per server, searchSkew tries at most. */
const SEARCH_PAIRS = 500;
const SEARCH_OFFSETS = 150;

/** At most n of the values, sorted and evenly spaced. */
function spaced(values: number[], n: number): number[] {
  values.sort((x, y) => x - y);
  const every = Math.ceil(values.length / n);
  return every > 1 ? values.filter((_, i) => i % every === 0) : values;
}

function solve(servers: readonly number[], pairs: readonly Before[]): Record<number, number> | null {
  const skew: Record<number, number> = {};
  for (const id of servers) skew[id] = 0;
  for (let round = 0; round <= servers.length; round++) {
    let changed = false;
    for (const p of pairs) {
      // skew[a] ≤ skew[b] + (tb - ta)
      const bound = skew[p.b]! + (p.tb - p.ta);
      if (skew[p.a]! > bound) {
        skew[p.a] = bound;
        changed = true;
      }
    }
    if (!changed) return skew;
  }
  return null;
}
