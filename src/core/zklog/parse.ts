/**
 * Reading a real ZooKeeper server's log (issue 20, first part): one line at a time, in ZooKeeper's
 * default layout `%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n` (conf/logback.xml,
 * release-3.8.0-1) or Debian's `%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n`
 * (/etc/zookeeper/conf/log4j.properties), into what the line says about the protocol. Pure: text
 * in, records out; what is not understood is counted, never thrown.
 */

/** One log line, split by the layout. */
export interface LogLine {
  /** milliseconds since the epoch, read as UTC (the log carries no zone) */
  time: number;
  /** the server, from `[myid:N]` or the thread name (`QuorumPeer[myid=N]`), if the line says */
  myid: number | null;
  level: string;
  thread: string;
  /** the class that logged it, and the line number (`Learner@565`) */
  source: string;
  message: string;
}

// the thread name may hold ':' and brackets itself: the class@line is the last ':X@N]' on the line
const LINE = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3})(?: \[myid:(\d*)\])? - (\w+)\s+\[(.*):([\w$]+@\d+)\] - (.*)$/;
const THREAD_MYID = /myid=(\d+)/;

/** Split a line by either layout; null if it is not a log line (a continuation, a stack frame, other text). */
export function parseLine(text: string): LogLine | null {
  const m = LINE.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms, myid, level, thread, source, message] = m;
  const fromThread = THREAD_MYID.exec(thread!);
  const id = myid ? Number(myid) : fromThread ? Number(fromThread[1]) : null;
  return { time: Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, +ms!), myid: id, level: level!, thread: thread!, source: source!, message: message! };
}

export type ServerState = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';

/** What a line says, as far as the page draws it. */
export type LogEvent =
  /** QuorumPeerConfig: "Reading configuration from: …", the first line of a process's life */
  | { kind: 'start' }
  /** QuorumPeer.setPeerState: "Peer state changed: following - broadcast" */
  | { kind: 'state'; state: ServerState; zab: string | null }
  /** FastLeaderElection's WorkerReceiver: a notification this server received */
  | { kind: 'notification'; from: number; state: string; leader: number; round: number; peerEpoch: number; zxid: number }
  /** Follower / Leader / Observer: "… - LEADER ELECTION TOOK - N MS" */
  | { kind: 'electionTook'; role: string; ms: number }
  /** Learner.syncWithLeader on receipt of the leader's first sync packet */
  | { kind: 'sync'; mode: 'DIFF' | 'SNAP' | 'TRUNC'; zxid: number }
  /** Leader.lead: "Have quorum of supporters, sids: …; starting up and setting last processed zxid: 0x…" */
  | { kind: 'established'; zxid: number; sids: number[] }
  /** FastLeaderElection.lookForLeader: "New election. My id = N, proposed zxid=0x…" */
  | { kind: 'newElection'; zxid: number }
  /** FastLeaderElection.lookForLeader: nothing received for a while, "Notification time out: N ms" */
  | { kind: 'noticeTimeout'; ms: number }
  /**
   * LearnerHandler.syncFollower / run: what the leader sends a learner. `logged`: the mode its line
   * named where that was not what went out (3.6–3.8's "Sending TRUNC" for an empty DIFF: see
   * ensemble.ts, emptyDiffs)
   */
  | { kind: 'sending'; mode: 'DIFF' | 'SNAP' | 'TRUNC'; zxid: number; to: number; logged?: 'TRUNC' }
  /** Environment.logEnv at start: "Server environment:zookeeper.version=3.8.0-…" */
  | { kind: 'version'; version: string }
  /** QuorumPeer at start: "tickTime set to 2000", "initLimit set to 10", "syncLimit set to 5" */
  | { kind: 'config'; name: 'tickTime' | 'initLimit' | 'syncLimit'; value: number }
  /** LearnerHandler.run on a learner's FOLLOWERINFO: "Follower sid: N : info : …" */
  | { kind: 'learnerInfo'; sid: number }
  /** QuorumCnxManager.initiateConnection: "Cannot open channel to N at election address …" */
  | { kind: 'cannotOpen'; peer: number }
  /** QuorumCnxManager.RecvWorker: "Connection broken for id N, my id = M" */
  | { kind: 'broken'; peer: number }
  /**
   * Leader.shutdown: "Shutdown called. For the reason …"; in 3.4 and 3.5 "Shutdown called" with the
   * reason in the exception on the next line ("java.lang.Exception: shutdown Leader! reason: …")
   */
  | { kind: 'leaderShutdown'; reason: string }
  /**
   * Follower / Observer: "Exception when following the leader"; `timedOut` when the exception on
   * the next line is a read that timed out (the leader silent for syncLimit × tickTime, not gone)
   */
  | { kind: 'learnerLost'; timedOut: boolean }
  /** Leader.lead: "Enough followers present. Perhaps the initTicks need to be increased." */
  | { kind: 'initTicks' };

const STATE = /^Peer state changed: (looking|following|leading|observing)(?: - (\w+))?/;
const NOTIFICATION = /^Notification: my state:\w+; n\.sid:(\d+), n\.state:(\w+), n\.leader:(\d+), n\.round:0x([0-9a-f]+), n\.peerEpoch:0x([0-9a-f]+), n\.zxid:0x([0-9a-f]+)/;
// 3.4 and 3.5 (Notification.toString / FastLeaderElection.printNotification at release-3.4.14 and
// release-3.5.10): "Notification: 2 (message format version), 3 (n.leader), 0x0 (n.zxid), 0x1
// (n.round), LOOKING (n.state), 3 (n.sid), 0x0 (n.peerEpoch) LOOKING (my state)"; 3.5 spells n.peerEPoch
const OLD_NOTIFICATION = /^Notification: [0-9a-f]+ \(message format version\), (\d+) \(n\.leader\), 0x([0-9a-f]+) \(n\.zxid\), 0x([0-9a-f]+) \(n\.round\), (\w+) \(n\.state\), (\d+) \(n\.sid\), 0x([0-9a-f]+) \(n\.peerE[pP]och\)/;
// 3.4 (Leader.lead, Follower.followLeader at release-3.4.14) writes no " MS" after the number
const TOOK = /^(\w+) - LEADER ELECTION TOOK - (\d+)/;
const SYNC = /^(Getting a diff from the leader|Getting a snapshot from leader|Truncating log to get in sync with the leader) 0x([0-9a-f]+)/;
const QUORUM = /^Have quorum of supporters, sids: \[\[?([\d, ]*)\]?\];.*last processed zxid: 0x([0-9a-f]+)/;
// 3.4 and 3.5 write two spaces after '=' (FastLeaderElection.lookForLeader at release-3.4.14, 3.5.10)
const NEW_ELECTION = /^New election\. My id =\s+\d+, proposed zxid=0x([0-9a-f]+)/;
const TIMEOUT = /^Notification time out: (\d+)/;
// LearnerHandler: "Sending DIFF zxid=0x… for peer sid: N", "Sending TRUNC zxid=0x…  for peer sid: N",
// not read: "Sending snapshot last zxid of peer is 0x…, …" (no sid: the thread name carries the
// learner's address, not its id), and 3.4's bare "Sending DIFF" (no zxid, no sid): a SNAP, and 3.4's
// syncs, are read from the learner's own line
const SENDING = /^Sending (DIFF|TRUNC) zxid=0x([0-9a-f]+)\s+for peer sid: (\d+)/;
const VERSION = /^Server environment:zookeeper\.version=(\d+\.\d+\.\d+)/;
const CONFIG = /^(tickTime|initLimit|syncLimit) set to (\d+)$/;
const LEARNER_INFO = /^Follower sid: (\d+) : info : /;
const CANNOT_OPEN = /^Cannot open channel to (\d+) at election address/;
const BROKEN = /^Connection broken for id (\d+), my id = \d+/;
const SHUTDOWN = /^Shutdown called\. For the reason (.*)$/;
// 3.4 / 3.5 Leader.shutdown: LOG.info("Shutdown called", new Exception("shutdown Leader! reason: " + reason))
const SHUTDOWN_CAUSE = /^java\.lang\.Exception: shutdown Leader! reason: (.*)$/;

/** What a line says (release-3.8.0-1's message formats), or null for a line the reader does not use. */
export function eventOf(line: LogLine): LogEvent | null {
  return eventOfMessage(line.message);
}

function eventOfMessage(m: string): LogEvent | null {
  // most events are notifications: tried first, the rest only for a message that may be one of them
  let x = m.charCodeAt(0) === 78 ? NOTIFICATION.exec(m) : null;
  if (x) return { kind: 'notification', from: +x[1]!, state: stateName(x[2]!), leader: +x[3]!, round: parseInt(x[4]!, 16), peerEpoch: parseInt(x[5]!, 16), zxid: parseInt(x[6]!, 16) };
  if (m.startsWith('Reading configuration from:')) return { kind: 'start' };
  // QuorumPeer.run's own "LOOKING" (and, in 3.4, "FOLLOWING", "LEADING", "OBSERVING": 3.4 has no
  // "Peer state changed" line): a server starts LOOKING without a "Peer state changed" line
  if (m === 'LOOKING' || m === 'FOLLOWING' || m === 'LEADING' || m === 'OBSERVING') return { kind: 'state', state: m, zab: null };
  x = STATE.exec(m);
  if (x) return { kind: 'state', state: UPPER[x[1] as keyof typeof UPPER], zab: x[2] === undefined ? null : stateName(x[2]) };
  x = OLD_NOTIFICATION.exec(m);
  if (x) return { kind: 'notification', from: +x[5]!, state: stateName(x[4]!), leader: +x[1]!, round: parseInt(x[3]!, 16), peerEpoch: parseInt(x[6]!, 16), zxid: parseInt(x[2]!, 16) };
  x = TOOK.exec(m);
  if (x) return { kind: 'electionTook', role: own(x[1]!), ms: +x[2]! };
  x = SYNC.exec(m);
  if (x) return { kind: 'sync', mode: x[1]!.startsWith('Getting a diff') ? 'DIFF' : x[1]!.startsWith('Getting a snapshot') ? 'SNAP' : 'TRUNC', zxid: parseInt(x[2]!, 16) };
  x = QUORUM.exec(m);
  if (x) return { kind: 'established', zxid: parseInt(x[2]!, 16), sids: x[1]!.split(',').filter((v) => v.trim() !== '').map(Number) };
  x = NEW_ELECTION.exec(m);
  if (x) return { kind: 'newElection', zxid: parseInt(x[1]!, 16) };
  x = TIMEOUT.exec(m);
  if (x) return { kind: 'noticeTimeout', ms: +x[1]! };
  x = SENDING.exec(m);
  if (x) return { kind: 'sending', mode: x[1] as 'DIFF' | 'TRUNC', zxid: parseInt(x[2]!, 16), to: +x[3]! };
  x = VERSION.exec(m);
  if (x) return { kind: 'version', version: own(x[1]!) };
  x = CONFIG.exec(m);
  if (x) return { kind: 'config', name: x[1] as 'tickTime' | 'initLimit' | 'syncLimit', value: +x[2]! };
  x = LEARNER_INFO.exec(m);
  if (x) return { kind: 'learnerInfo', sid: +x[1]! };
  x = CANNOT_OPEN.exec(m);
  if (x) return { kind: 'cannotOpen', peer: +x[1]! };
  x = BROKEN.exec(m);
  if (x) return { kind: 'broken', peer: +x[1]! };
  x = SHUTDOWN.exec(m);
  if (x) return { kind: 'leaderShutdown', reason: own(x[1]!.slice(0, 200)) };
  if (m === 'Exception when following the leader' || m === 'Exception when observing the leader') return { kind: 'learnerLost', timedOut: false };
  // 3.4, 3.5: the reason is the next line's (see ServerLogReader.continued)
  if (m === 'Shutdown called') return { kind: 'leaderShutdown', reason: '' };
  if (m.startsWith('Enough followers present. Perhaps the initTicks need to be increased')) return { kind: 'initTicks' };
  return null;
}

/** A state's or phase's name as one shared string (the events of a log hold it by the hundred thousand), else a string of its own. */
function stateName(s: string): string {
  return NAMES.get(s) ?? own(s);
}
const UPPER = { looking: 'LOOKING', following: 'FOLLOWING', leading: 'LEADING', observing: 'OBSERVING' } as const;
const NAMES = new Map(['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING', 'discovery', 'synchronization', 'broadcast'].map((n) => [n, n]));

/** A line that carries on a log line: an exception's name and message, a stack frame, "Caused by". */
const CONTINUATION = /^(\t|\s+at |Caused by: |[\w$.]+(Exception|Error|Throwable)\b)/;

/** One server's log read through: its events in order, and what was not a log line. */
export interface ServerLog {
  myid: number | null;
  events: ServerLogEvent[];
  /** the times of the first and last log lines */
  first: number | null;
  last: number | null;
  lines: number;
  /** lines that carry on the line before (a stack trace: the exception, its frames, "Caused by") */
  continued: number;
  /** lines that are neither (other text), with a few examples */
  other: number;
  examples: string[];
  /** the text's encoding where it was not UTF-8 (read after conversion): 'UTF-16LE' or 'UTF-16BE' */
  encoding?: string;
}

/**
 * One event of a server's log. `text`: the line as written (shownLine), shown when a
 * person asks where an event came from, or '' where the reader was asked to keep only where it
 * is: `at`, the byte offset of the line in its file (-1 if not known: a compressed file, a
 * stretch of non-ASCII text), and `len`, its length in bytes. `myid`: the server the line itself
 * names, if it does; `prev`: for a start, the time of the line before it in this file, if any
 * (when the life before it was last heard of).
 */
export interface ServerLogEvent {
  time: number;
  line: number;
  event: LogEvent;
  myid: number | null;
  text: string;
  at: number;
  len: number;
  prev: number | null;
}

/**
 * What a reader keeps of each event's line: `text` the line itself; `offset` where it is in the
 * file where that is known (else the text), to be read again when a person asks; `none` nothing
 * (the CLI, which prints no lines). A line naming another server is always kept: it is a warning's.
 */
export type RawLines = 'text' | 'offset' | 'none';

/** Most events the page keeps from one load: about 0.9 KB each with their line and beat, so 256 MB of heap holds the read and the play. */
export const PAGE_EVENT_BUDGET = 250_000;

/**
 * A string of its own: a slice of a chunk would keep the whole chunk alive (V8 shares the
 * characters of a substring of 13 or more with the string it came from), and a kept event would
 * then hold 64 KB of log.
 */
function own(s: string): string {
  return (' ' + s).slice(1);
}

/** A line as the page shows it: its first RAW_SHOWN characters, '…' if there were more (a string of its own). */
export const RAW_SHOWN = 500;
export function shownLine(raw: string): string {
  return raw.length > RAW_SHOWN ? raw.slice(0, RAW_SHOWN) + '…' : own(raw);
}

/** A line longer than this is cut: the rest is counted as not understood (a binary file, a runaway line). */
export const MAX_LINE = 64 * 1024;

/**
 * One file read a chunk at a time (a stream, a gigabyte): lines are parsed as they complete and
 * only what the page uses is kept. `fallbackId` names the server when no line does (Debian's
 * layout before the peer starts).
 */
export class ServerLogReader {
  private readonly out: ServerLog = { myid: null, events: [], first: null, last: null, lines: 0, continued: 0, other: 0, examples: [] };
  private n = 0;
  private inLog = false;
  private skipping = false;
  /** an event its next line may say more of: the exception a learner lost its leader by, 3.4's shutdown reason */
  private awaiting: LogEvent | null = null;
  /**
   * The last log line read: in a chunk, where it starts (its time is read only when needed: a
   * start's `prev`, the file's last), or else its time.
   */
  private lastBytes: Uint8Array | null = null;
  private lastAt = 0;
  private lastTime: number | null = null;
  /** the start of a line left at the end of the last chunk, and its byte offset in the file (-1: not known) */
  private tail: Uint8Array | null = null;
  private tailAt = 0;
  /** bytes pushed so far */
  private bytes = 0;
  /** a file in UTF-16 (a BOM, or NULs between its first characters), converted as it streams */
  private utf16: TextDecoder | null = null;
  /** the file's first bytes, fewer than 8 so far */
  private head: Uint8Array | null = null;

  /**
   * `budget`: events the page can still keep, shared by the readers of one load; at 0 this reader
   * keeps no more (and says so in `full`), so that a gigabyte of elections cannot exhaust the tab
   */
  constructor(
    private readonly fallbackId: number | null = null,
    private readonly budget: { left: number } = { left: Infinity },
    private readonly raw: RawLines = 'text',
  ) {}

  /** the budget ran out: events after this point were not kept */
  get full(): boolean {
    return this.budget.left <= 0;
  }

  /** Text of the file, a chunk at a time: its UTF-8 bytes are read (see pushBytes). */
  push(text: string): void {
    this.pushBytes(ENCODER.encode(text));
  }

  /**
   * Bytes of the file, a chunk at a time. Most lines of a real log say nothing the page uses:
   * told apart by their bytes (a stamp, and a message that starts as none it reads does), they
   * are never decoded. `bytes` may be reused by the caller once this returns. `offsets`: whether
   * they are the file's (not a decompressed stream's), so that a line can be found again by its
   * offset.
   */
  pushBytes(bytes: Uint8Array, offsets = true): void {
    if (this.bytes === 0 && this.utf16 === null) {
      // the file's first 8 bytes tell UTF-16 (held until there are 8: a chunk may be smaller)
      if (this.head !== null || bytes.length < 8) {
        const head = new Uint8Array((this.head?.length ?? 0) + bytes.length);
        head.set(this.head ?? []);
        head.set(bytes, this.head?.length ?? 0);
        this.head = null;
        if (head.length < 8) {
          this.head = head;
          return;
        }
        bytes = head;
      }
      const label = utf16Of(bytes);
      if (label) {
        this.utf16 = new TextDecoder(label);
        this.out.encoding = label.toUpperCase();
      }
    }
    if (this.utf16) {
      // its lines as UTF-8 (their offsets are not the file's)
      return this.pushUtf8(ENCODER.encode(this.utf16.decode(bytes, { stream: true })), false);
    }
    this.pushUtf8(bytes, offsets);
  }

  private pushUtf8(bytes: Uint8Array, offsets: boolean): void {
    // a plain view: a Node Buffer's indexOf is a call into C++, a Uint8Array's a builtin
    const chunk = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const before = offsets ? this.bytes : -Infinity;
    // a UTF-8 byte order mark (a Windows editor's) before the first line is not part of it
    let from = this.bytes === 0 && this.n === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
    this.bytes += chunk.length;
    if (this.skipping) {
      // the rest of a line already cut at MAX_LINE
      const nl = chunk.indexOf(10);
      if (nl < 0) return;
      this.skipping = false;
      from = nl + 1;
    } else if (this.tail !== null) {
      // the line begun in an earlier chunk, finished on its own
      const nl = chunk.indexOf(10);
      const tail = this.tail;
      const joined = new Uint8Array(tail.length + (nl < 0 ? chunk.length : nl));
      joined.set(tail);
      joined.set(nl < 0 ? chunk : chunk.subarray(0, nl), tail.length);
      if (nl < 0) {
        this.tail = joined;
        this.cutTail();
        return;
      }
      this.tail = null;
      this.lineAt(joined, 0, joined.length, this.tailAt);
      from = nl + 1;
    }
    let start = from;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      this.lineAt(chunk, start, nl, Math.max(-1, before + start));
      start = nl + 1;
    }
    if (start < chunk.length) {
      // a copy (a Node Buffer's slice() would share the chunk the caller reuses)
      this.tail = new Uint8Array(chunk.subarray(start));
      this.tailAt = Math.max(-1, before + start);
      this.cutTail();
    }
    // the caller may reuse the chunk: keep the last line's time, not where it was
    if (this.lastBytes === chunk) {
      this.lastTime = stampOf(chunk, this.lastAt);
      this.lastBytes = null;
    }
  }

  /** A line with no end in sight: read its start, drop the rest up to its newline. */
  private cutTail(): void {
    if (this.tail === null || this.tail.length <= MAX_LINE) return;
    this.lineAt(this.tail, 0, MAX_LINE, this.tailAt);
    this.tail = null;
    this.skipping = true;
  }

  end(): ServerLog {
    if (this.head !== null) {
      const head = this.head;
      this.head = null;
      this.pushUtf8(head, true);
    }
    if (this.utf16) {
      const rest = this.utf16.decode();
      this.utf16 = null;
      if (rest !== '') this.pushUtf8(ENCODER.encode(rest), false);
    }
    if (this.tail !== null) this.lineAt(this.tail, 0, this.tail.length, this.tailAt);
    this.tail = null;
    const last = this.lastStamp();
    if (last !== null) this.out.last = last;
    this.out.myid ??= this.fallbackId;
    return this.out;
  }

  /** The line b[s, e): skipped on its bytes when it says nothing the page uses, else decoded and split. */
  private lineAt(b: Uint8Array, s: number, e: number, at: number): void {
    const out = this.out;
    this.n++;
    // a line past MAX_LINE is read by its start, as one cut across chunks is (cutTail)
    const end = e - s > MAX_LINE ? s + MAX_LINE : e > s && b[e - 1] === 13 ? e - 1 : e;
    if (end === s) return;
    out.lines++;
    const msg = stampAt(b, s, end) ? messageAt(b, s, end) : -1;
    if (msg >= 0) {
      this.awaiting = null;
      if (out.myid !== null && out.first !== null && !maySay(b, msg + 4, end)) {
        this.inLog = true;
        this.lastBytes = b;
        this.lastAt = s;
        return;
      }
      // the common case: the plain layout in ASCII, read from its bytes; only the message is decoded
      const myid = plainHead(b, s, msg);
      if (myid !== undefined) return this.logLine(stampOf(b, s), myid, DECODER.decode(b.subarray(msg + 4, end)), b, s, end, at);
    }
    const raw = DECODER.decode(b.subarray(s, end));
    // where the message starts in the text (before it, only a thread name can be other than ASCII)
    const msgAt = msg < 0 ? -1 : raw.length === end - s ? msg - s : DECODER.decode(b.subarray(s, msg)).length;
    const line = msgAt < 0 ? null : splitAt(raw, msgAt, stampOf(b, s));
    if (line === null) {
      if (this.inLog && CONTINUATION.test(raw)) {
        out.continued++;
        if (this.awaiting) this.continued(this.awaiting, raw);
        this.awaiting = null;
        return;
      }
      this.awaiting = null;
      this.inLog = false;
      out.other++;
      if (out.examples.length < 3) out.examples.push(own(raw.slice(0, 200)));
      return;
    }
    this.logLine(line.time, line.myid, line.message, b, s, end, at);
  }

  /** The first line after an event's that carries on its line: the exception it names. */
  private continued(e: LogEvent, raw: string): void {
    if (e.kind === 'learnerLost') e.timedOut = raw.startsWith('java.net.SocketTimeoutException');
    else if (e.kind === 'leaderShutdown' && e.reason === '') {
      const m = SHUTDOWN_CAUSE.exec(raw);
      if (m) e.reason = own(m[1]!.slice(0, 200));
    }
  }

  /** A log line b[s, end) at `time`, naming server `myid` if it does, whose message is `message`. */
  private logLine(time: number, myid: number | null, message: string, b: Uint8Array, s: number, end: number, at: number): void {
    const out = this.out;
    this.inLog = true;
    out.myid ??= myid;
    const event = eventOfMessage(message);
    if (event && ((event.kind === 'learnerLost') || (event.kind === 'leaderShutdown' && event.reason === ''))) this.awaiting = event;
    if (event && this.budget.left-- > 0) {
      const keep = this.raw === 'text' || (this.raw === 'offset' && at < 0) || (myid !== null && out.myid !== null && myid !== out.myid);
      const kept = !keep ? '' : shownLine(DECODER.decode(b.subarray(s, end)));
      const prev = event.kind === 'start' ? this.lastStamp() : null;
      out.events.push({ time, line: this.n, event, myid, text: kept, at, len: end - s, prev });
    }
    out.first ??= time;
    this.lastBytes = null;
    this.lastTime = time;
  }

  /** The time of the last log line read, if any. */
  private lastStamp(): number | null {
    return this.lastBytes !== null ? stampOf(this.lastBytes, this.lastAt) : this.lastTime;
  }
}

const ENCODER = new TextEncoder();
// a BOM is a character of the line, as in the text push() is given
const DECODER = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * 'utf-16le' or 'utf-16be' for bytes that start as UTF-16 text does: a byte order mark, or a NUL
 * beside each of the first ASCII characters ("2\0" "0\0" …, as Windows tools save a log); else null.
 */
function utf16Of(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b.length < 8) return null;
  let le = true;
  let be = true;
  for (let i = 0; i < 8; i += 2) {
    le &&= b[i] !== 0 && b[i + 1] === 0;
    be &&= b[i] === 0 && b[i + 1] !== 0;
  }
  return le ? 'utf-16le' : be ? 'utf-16be' : null;
}

/** Whether b[s, end) starts with a log line's stamp, "2026-12-06 08:41:53,118 " (STAMP: digits where it has 0). */
function stampAt(b: Uint8Array, s: number, end: number): boolean {
  if (end - s < 24) return false;
  // the separators first: a line that is not a log line fails at once
  if (b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 32 || b[s + 13] !== 58 || b[s + 16] !== 58 || b[s + 19] !== 44 || b[s + 23] !== 32) return false;
  for (let k = 0; k < STAMP_DIGITS.length; k++) if ((b[s + STAMP_DIGITS[k]!]! - 48) >>> 0 > 9) return false;
  return true;
}

/** Where "] - " ends the thread and class of b[s, end), after the default layout's "[myid:N] - " if any; -1 if not on the line. */
function messageAt(b: Uint8Array, s: number, end: number): number {
  let from = s + 24;
  if (startsWithAt(b, s + 23, MYID_TAG, end)) {
    const close = closeBracketAt(b, s + 24, end);
    if (close < 0) return -1;
    from = close + 4;
  }
  return closeBracketAt(b, from, end);
}

/**
 * The first "] - " in b[from, end), or -1. Every line is searched, so by Horspool's skips: the
 * byte under the end of the window says how far the pattern can move (a thread name has few
 * spaces, dashes or brackets), not a builtin call per ']' (a thread name has several).
 */
function closeBracketAt(b: Uint8Array, from: number, end: number): number {
  for (let i = from; i + 4 <= end; ) {
    const c = b[i + 3];
    if (c === 32) {
      if (b[i] === 93 && b[i + 1] === 32 && b[i + 2] === 45) return i;
      i += 2;
    } else i += c === 93 ? 3 : c === 45 ? 1 : 4;
  }
  return -1;
}

/** Whether the message at b[at] may say something eventOf() reads (MAY_SAY). */
function maySay(b: Uint8Array, at: number, end: number): boolean {
  const starts = MAY_SAY[b[at]!];
  if (!starts) return false;
  for (const p of starts) if (startsWithAt(b, at, p, end)) return true;
  return false;
}

/** Whether b[at, end) starts with the bytes p (an ASCII string's: see ascii()). */
function startsWithAt(b: Uint8Array, at: number, p: Uint8Array, end: number): boolean {
  if (at + p.length > end) return false;
  for (let k = 0; k < p.length; k++) if (b[at + k] !== p[k]) return false;
  return true;
}

/** An ASCII string's bytes, for the searches above (a string's charCodeAt in a loop is slower). */
function ascii(p: string): Uint8Array {
  return ENCODER.encode(p);
}

const MYID_TAG = ascii(' [myid:');

/** The time of the stamp at b[s]; Date.UTC only when its second is another than the last one's (lines come in bursts). */
function stampOf(b: Uint8Array, s: number): number {
  const n = (i: number, len: number) => {
    let v = 0;
    for (let k = 0; k < len; k++) v = v * 10 + b[s + i + k]! - 48;
    return v;
  };
  let same = lastSecond.at === lastSecond.at;
  for (let k = 0; same && k < 19; k++) same = b[s + k] === lastSecond.key[k];
  if (!same) {
    lastSecond.at = Date.UTC(n(0, 4), n(5, 2) - 1, n(8, 2), n(11, 2), n(14, 2), n(17, 2));
    lastSecond.key.set(b.subarray(s, s + 19));
  }
  return lastSecond.at + n(20, 3);
}

/** The last second stampOf read: its 19 bytes ("2026-12-06 08:41:53") and its time (NaN: none yet). */
const lastSecond = { key: new Uint8Array(19), at: NaN };

const STAMP = '0000-00-00 00:00:00,000 ';
const STAMP_DIGITS = Uint8Array.from([...STAMP].flatMap((c, i) => (c === '0' ? [i] : [])));

/**
 * The starts of the messages eventOf() reads, by their first character: a line whose message
 * starts otherwise is not split at all.
 */
const MAY_SAY: readonly (readonly Uint8Array[] | undefined)[] = (() => {
  const starts = ['Reading ', 'LOOKING', 'LEADING', 'FOLLOWIN', 'OBSERVIN', 'Peer sta', 'Notifica', 'Getting ', 'Truncati', 'Have quo', 'New elec', 'Sending ', 'Cannot o', 'Connecti', 'Shutdown', 'Exceptio', 'Enough f', 'Follower', 'tickTime', 'initLimi', 'syncLimi', 'Server e'];
  // by byte (an array: a lookup per line)
  const m: Uint8Array[][] = [];
  for (const p of starts) (m[p.charCodeAt(0)] ??= []).push(ascii(p));
  return Array.from({ length: 256 }, (_, i) => m[i]);
})();

/**
 * parseLine for a line whose stamp and message start are known: the same fields by string
 * search, not the whole-line expression (a real log's notifications are read by the hundred
 * thousand). Falls back to parseLine where the layout is not the plain one.
 */
function splitAt(raw: string, msg: number, time: number): LogLine | null {
  const dash = raw.indexOf(' - ', 23);
  const open = raw.indexOf(' [', dash + 3);
  const colon = raw.lastIndexOf(':', msg);
  if (dash < 0 || open < 0 || open > msg || colon <= open) return parseLine(raw);
  const thread = raw.slice(open + 2, colon);
  const tagged = raw.startsWith(' [myid:', 23) ? raw.slice(30, raw.indexOf(']', 30)) : '';
  const fromThread = THREAD_MYID.exec(thread);
  const myid = tagged !== '' ? Number(tagged) : fromThread ? Number(fromThread[1]) : null;
  return { time, myid: Number.isFinite(myid) ? myid : null, level: raw.slice(dash + 3, open).trim(), thread, source: raw.slice(colon + 1, msg), message: raw.slice(msg + 4) };
}

/**
 * splitAt on the bytes of a line whose stamp and message start are known: the server it names,
 * or undefined where splitAt itself must read it (text before the message that is not ASCII, a
 * layout other than the plain one, a [myid:…] that is not a number).
 */
function plainHead(b: Uint8Array, s: number, msg: number): number | null | undefined {
  // one pass over the head: the first " - " (after the level), the first " [" after it (the
  // thread), the last ':' (before the class), and no byte that is not ASCII
  let dash = -1;
  let open = -1;
  let colon = -1;
  for (let i = s + 23; i < msg; i++) {
    const c = b[i]!;
    if (c >= 128) return undefined;
    if (c === 58) colon = i;
    else if (c === 32) {
      if (dash < 0) {
        if (b[i + 1] === 45 && b[i + 2] === 32) dash = i;
      } else if (open < 0 && i >= dash + 3 && b[i + 1] === 91) open = i;
    }
  }
  if (dash < 0 || open < 0 || colon <= open) return undefined;
  if (startsWithAt(b, s + 23, MYID_TAG, msg)) {
    let v = 0;
    let i = s + 30;
    for (; b[i] !== 93; i++) {
      const c = b[i]!;
      if (c < 48 || c > 57 || i - s - 30 >= 15) return undefined;
      v = v * 10 + c - 48;
    }
    if (i > s + 30) return v;
  }
  // the thread's "myid=N" (THREAD_MYID: the first one followed by a digit)
  for (let i = indexOfAt(b, MYID, open + 2, colon); i >= 0; i = indexOfAt(b, MYID, i + 1, colon)) {
    let v = 0;
    let j = i + 5;
    for (; j < colon && b[j]! >= 48 && b[j]! <= 57; j++) v = v * 10 + b[j]! - 48;
    if (j > i + 5) return j - i - 5 > 15 ? undefined : v;
  }
  return null;
}

const MYID = ascii('myid=');

/** Where the bytes p first start in b[from, end) (ending by end), or -1. */
function indexOfAt(b: Uint8Array, p: Uint8Array, from: number, end: number): number {
  const c0 = p[0]!;
  for (let i = b.indexOf(c0, from); i >= 0 && i + p.length <= end; i = b.indexOf(c0, i + 1)) if (startsWithAt(b, i, p, end)) return i;
  return -1;
}

/** Read one file's whole text (see ServerLogReader). */
export function readServerLog(text: string, fallbackId: number | null = null): ServerLog {
  const r = new ServerLogReader(fallbackId);
  r.push(text);
  return r.end();
}

/** Where a server stands at the end of its log's last life: its state and the last sync it received. */
export function lastLife(log: ServerLog): { state: ServerState | null; zab: string | null; sync: 'DIFF' | 'SNAP' | 'TRUNC' | null } {
  let state: ServerState | null = null;
  let zab: string | null = null;
  let sync: 'DIFF' | 'SNAP' | 'TRUNC' | null = null;
  for (const { event } of log.events) {
    if (event.kind === 'start') {
      state = null;
      zab = null;
      sync = null;
    } else if (event.kind === 'state') {
      state = event.state;
      zab = event.zab;
    } else if (event.kind === 'sync') sync = event.mode;
  }
  return { state, zab, sync };
}

/** One election as one server lived it: from LOOKING to its decision. */
export interface Election {
  /** log line numbers and times where it began (LOOKING) and ended (the new state), if it did */
  from: { line: number; time: number };
  to: { line: number; time: number; state: ServerState } | null;
  /** the rounds (logicalclock values) seen in the notifications it received */
  rounds: number[];
  /** notifications received, and from which servers */
  notifications: number;
  senders: number[];
  /** whom it followed or led: itself if LEADING, else the leader most senders named last */
  leader: number | null;
  /** what ZooKeeper logged it took ("… - LEADER ELECTION TOOK - N MS"), if it did */
  tookMs: number | null;
}

/** The elections in a server's log, each from a LOOKING to the state that ended it. */
export function electionsOf(log: ServerLog): Election[] {
  const out: Election[] = [];
  let cur: (Election & { last: Map<number, number> }) | null = null;
  const close = () => {
    if (!cur) return;
    const counts = new Map<number, number>();
    for (const l of cur.last.values()) counts.set(l, (counts.get(l) ?? 0) + 1);
    if (cur.to?.state === 'LEADING') cur.leader = log.myid;
    else if (cur.to) cur.leader = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? null;
    const { last: _last, ...e } = cur;
    void _last;
    out.push(e);
    cur = null;
  };
  for (const { time, line, event } of log.events) {
    if (event.kind === 'start') close();
    else if (event.kind === 'state' && event.state === 'LOOKING') {
      if (cur && !cur.to) continue; // "LOOKING" and "Peer state changed: looking" of one election
      close();
      cur = { from: { line, time }, to: null, rounds: [], notifications: 0, senders: [], leader: null, tookMs: null, last: new Map() };
    } else if (!cur) continue;
    else if (event.kind === 'state' && !cur.to) cur.to = { line, time, state: event.state };
    else if (event.kind === 'notification' && !cur.to) {
      cur.notifications++;
      if (!cur.rounds.includes(event.round)) cur.rounds.push(event.round);
      if (!cur.senders.includes(event.from)) cur.senders.push(event.from);
      cur.last.set(event.from, event.leader);
    } else if (event.kind === 'electionTook' && cur.tookMs === null) cur.tookMs = event.ms;
  }
  close();
  return out;
}
