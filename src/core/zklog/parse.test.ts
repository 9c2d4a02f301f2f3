import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { electionsOf, eventOf, lastLife, MAX_LINE, parseLine, readServerLog, ServerLogReader } from './parse';

const ROOT = 'testdata/logs/3.8.0';

describe('a ZooKeeper log line', () => {
  it('splits in the default layout and in Debian’s, the server named by [myid:N] or by its thread', () => {
    const d = parseLine('2026-12-06 08:41:53,118 [myid:1] - INFO  [WorkerReceiver[myid=1]:FastLeaderElection$Messenger$WorkerReceiver@391] - Notification: my state:LOOKING; n.sid:3, n.state:LOOKING, n.leader:3, n.round:0x1, n.peerEpoch:0x0, n.zxid:0x0, message format version:0x2, n.config version:0x0')!;
    expect(d).toMatchObject({ myid: 1, level: 'INFO', thread: 'WorkerReceiver[myid=1]', source: 'FastLeaderElection$Messenger$WorkerReceiver@391', time: Date.UTC(2026, 11, 6, 8, 41, 53, 118) });
    expect(eventOf(d)).toEqual({ kind: 'notification', from: 3, state: 'LOOKING', leader: 3, round: 1, peerEpoch: 0, zxid: 0 });
    // the thread name holds ':' and brackets; the class@line is the last one on the line
    const b = parseLine('2026-12-06 08:42:39,366 - INFO  [QuorumPeer[myid=3](plain=[0:0:0:0:0:0:0:0]:14003)(secure=disabled):Leader@1519] - Have quorum of supporters, sids: [[1, 3]]; starting up and setting last processed zxid: 0x100000000')!;
    expect(b).toMatchObject({ myid: 3, source: 'Leader@1519' });
    expect(eventOf(b)).toEqual({ kind: 'established', zxid: 2 ** 32, sids: [1, 3] });
    // before the configuration is read the default layout says [myid:]
    expect(parseLine('2026-12-06 08:41:52,787 [myid:] - INFO  [main:QuorumPeerConfig@177] - Reading configuration from: /tmp/x/zoo1.cfg')).toMatchObject({ myid: null, message: 'Reading configuration from: /tmp/x/zoo1.cfg' });
    expect(parseLine('\tat org.apache.zookeeper.server.quorum.Learner.syncWithLeader(Learner.java:565)')).toBeNull();
    expect(parseLine('=== zab-viz conformance: start of server 1')).toBeNull();
  });

  it('says what the page draws: states, syncs, the time an election took', () => {
    const say = (m: string) => eventOf({ time: 0, myid: 1, level: 'INFO', thread: 't', source: 'X@1', message: m });
    expect(say('Peer state changed: following - synchronization - diff')).toEqual({ kind: 'state', state: 'FOLLOWING', zab: 'synchronization' });
    expect(say('Peer state changed: looking')).toEqual({ kind: 'state', state: 'LOOKING', zab: null });
    expect(say('LOOKING')).toEqual({ kind: 'state', state: 'LOOKING', zab: null }); // the first, at start
    expect(say('Getting a diff from the leader 0x100000003')).toEqual({ kind: 'sync', mode: 'DIFF', zxid: 2 ** 32 + 3 });
    expect(say('Getting a snapshot from leader 0x100000000')).toEqual({ kind: 'sync', mode: 'SNAP', zxid: 2 ** 32 });
    expect(say('Truncating log to get in sync with the leader 0x100000001')).toEqual({ kind: 'sync', mode: 'TRUNC', zxid: 2 ** 32 + 1 });
    expect(say('FOLLOWING - LEADER ELECTION TOOK - 253 MS')).toEqual({ kind: 'electionTook', role: 'FOLLOWING', ms: 253 });
    expect(say('Starting quorum peer')).toBeNull();
  });

  it('says why servers part and what a leader sends (release-3.8.0-1 message formats)', () => {
    const say = (m: string) => eventOf({ time: 0, myid: 1, level: 'INFO', thread: 't', source: 'X@1', message: m });
    expect(say('New election. My id = 1, proposed zxid=0x100000003')).toEqual({ kind: 'newElection', zxid: 2 ** 32 + 3 });
    expect(say('Notification time out: 400 ms')).toEqual({ kind: 'noticeTimeout', ms: 400 });
    expect(say('Sending DIFF zxid=0x100000003 for peer sid: 1')).toEqual({ kind: 'sending', mode: 'DIFF', zxid: 2 ** 32 + 3, to: 1 });
    // LearnerHandler.queueCommittedProposals has two spaces before "for"
    expect(say('Sending TRUNC zxid=0x100000002  for peer sid: 3')).toEqual({ kind: 'sending', mode: 'TRUNC', zxid: 2 ** 32 + 2, to: 3 });
    expect(say('Cannot open channel to 2 at election address /127.0.0.1:14202')).toEqual({ kind: 'cannotOpen', peer: 2 });
    expect(say('Connection broken for id 3, my id = 2')).toEqual({ kind: 'broken', peer: 3 });
    expect(say('Shutdown called. For the reason Not sufficient followers synced, only synced with sids: [ [3] ]')).toEqual({ kind: 'leaderShutdown', reason: 'Not sufficient followers synced, only synced with sids: [ [3] ]' });
    expect(say('Exception when following the leader')).toEqual({ kind: 'learnerLost', timedOut: false });
    expect(say('Enough followers present. Perhaps the initTicks need to be increased.')).toEqual({ kind: 'initTicks' });
  });

  it('reads the older forms: 3.4 and 3.5 notifications, 3.4 bare state lines', () => {
    const say = (m: string) => eventOf({ time: 0, myid: 1, level: 'INFO', thread: 't', source: 'X@1', message: m });
    // Notification.toString at release-3.4.14
    expect(say('Notification: 1 (message format version), 3 (n.leader), 0x100000002 (n.zxid), 0x2 (n.round), LOOKING (n.state), 2 (n.sid), 0x1 (n.peerEpoch) LOOKING (my state)')).toEqual({ kind: 'notification', from: 2, state: 'LOOKING', leader: 3, round: 2, peerEpoch: 1, zxid: 2 ** 32 + 2 });
    // printNotification at release-3.5.10 (n.peerEPoch)
    expect(say('Notification: 2 (message format version), 1 (n.leader), 0x0 (n.zxid), 0x1 (n.round), FOLLOWING (n.state), 3 (n.sid), 0x1 (n.peerEPoch), LOOKING (my state)0 (n.config version)')).toEqual({ kind: 'notification', from: 3, state: 'FOLLOWING', leader: 1, round: 1, peerEpoch: 1, zxid: 0 });
    expect(say('FOLLOWING')).toEqual({ kind: 'state', state: 'FOLLOWING', zab: null });
    // FastLeaderElection.lookForLeader at release-3.4.14 and 3.5.10: two spaces after '='
    expect(say('New election. My id =  2, proposed zxid=0x100000003')).toEqual({ kind: 'newElection', zxid: 2 ** 32 + 3 });
    // Leader.lead and Follower.followLeader at release-3.4.14: no " MS"
    expect(say('LEADING - LEADER ELECTION TOOK - 1051')).toEqual({ kind: 'electionTook', role: 'LEADING', ms: 1051 });
  });

  it('reads what the next line says of an event: the exception a learner lost its leader by, 3.4 and 3.5’s shutdown reason', () => {
    const stamp = '2026-12-06 08:42:05,169 [myid:1] - WARN  [QuorumPeer[myid=1]:Follower@128] - ';
    const lost = (next: string) => readServerLog(`${stamp}Exception when following the leader\n${next}\n\tat x.y(Z.java:1)\n`).events[0]!.event;
    expect(lost('java.net.SocketTimeoutException: Read timed out')).toEqual({ kind: 'learnerLost', timedOut: true });
    expect(lost('java.io.EOFException')).toEqual({ kind: 'learnerLost', timedOut: false });
    // the next log line is not the exception: nothing is taken from a later one
    expect(readServerLog(`${stamp}Exception when following the leader\n${stamp}Processing srvr\njava.net.SocketTimeoutException: Read timed out\n`).events[0]!.event).toEqual({ kind: 'learnerLost', timedOut: false });
    // Leader.shutdown at release-3.4.14 and 3.5.10: LOG.info("Shutdown called", new Exception("shutdown Leader! reason: " + reason))
    const shut = readServerLog(`${stamp}Shutdown called\njava.lang.Exception: shutdown Leader! reason: Not sufficient followers synced, only synced with sids: [ 3 ]\n\tat org.apache.zookeeper.server.quorum.Leader.shutdown(Leader.java:686)\n`);
    expect(shut.events.map((e) => e.event)).toEqual([{ kind: 'leaderShutdown', reason: 'Not sufficient followers synced, only synced with sids: [ 3 ]' }]);
    expect(shut.continued).toBe(2);
  });

  it('reads lines from their bytes as parseLine reads their text, whatever their tag, thread and message', () => {
    const messages = ['Notification: my state:LOOKING; n.sid:3, n.state:FOLLOWING, n.leader:3, n.round:0x1, n.peerEpoch:0x0, n.zxid:0x0, message format version:0x2, n.config version:0x0', 'Peer state changed: following - broadcast', 'LOOKING', 'Reading configuration from: /x', 'Getting a diff from the leader 0x100000003', 'Notification time out: 400', 'Have quorum of supporters, sids: [[1, 3]]; starting up and setting last processed zxid: 0x100000000', 'Processing srvr command', 'Notification: 😀', 'Sending DIFF zxid=0x2 for peer sid: 2'];
    // thread names of real servers, and pieces that make others: brackets, colons, "myid=", not ASCII
    const thread = fc.oneof(
      fc.constantFrom('QuorumPeer[myid=1](plain=[0:0:0:0:0:0:0:0]:2181)(secure=disabled)', 'WorkerReceiver[myid=2]', 'main', 'QuorumPeer[myid=3](plain=中文ü)'),
      fc.array(fc.constantFrom('myid=', 'myid=7', '[', ']', ':', '=', ' ', '-', '2', 'é', '中', 'Worker', '@1'), { minLength: 1, maxLength: 8 }).map((p) => p.join('')),
    );
    // (a tag that is not digits is not the layout: parseLine refuses the line, the reader reads it with no server)
    const tag = fc.constantFrom('', ' [myid:1]', ' [myid:]', ' [myid:12]', ' [myid:99999999999999999999]');
    const line = fc
      .tuple(fc.integer({ min: 0, max: 59 }), tag, fc.constantFrom('INFO ', 'WARN ', 'ERROR'), thread, fc.constantFrom('Leader@1519', 'X$Y@1', 'QuorumPeer@7'), fc.oneof(fc.constantFrom(...messages), fc.string({ maxLength: 20 })))
      .map(([sec, t, level, th, src, msg]) => `2026-12-06 08:41:${String(sec).padStart(2, '0')},118${t} - ${level} [${th}:${src}] - ${msg}`)
      // where the first "] - " ends the thread (the reader's rule) and the last class@line does (parseLine's), the two differ by design
      .filter((l) => !l.slice(l.indexOf(' [', 27) + 2).split('] - ')[0]!.includes('] - ') && l.split('] - ').length === (l.includes(' [myid:') ? 3 : 2));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
        const want = lines.flatMap((l) => {
          const p = parseLine(l);
          const event = p && eventOf(p);
          return p && event ? [{ time: p.time, myid: p.myid, event }] : [];
        });
        const got = readServerLog(lines.join('\n')).events.map(({ time, myid, event }) => ({ time, myid, event }));
        expect(got).toEqual(want);
      }),
      { numRuns: 500 },
    );
  });
});

interface Seen {
  layout: string;
  steps: { seen: { id: number; up: boolean; state: string; sync: string | null }[] }[];
}

describe('real 3.8.0 logs (testdata/logs): what they say matches what the conformance suite saw', () => {
  for (const layout of ['default', 'debian']) {
    for (const scenario of readdirSync(join(ROOT, layout))) {
      it(`${layout} / ${scenario}: each server's last state and last sync`, () => {
        const dir = join(ROOT, layout, scenario);
        const seen = JSON.parse(readFileSync(join(dir, 'seen.json'), 'utf8')) as Seen;
        const last = seen.steps.at(-1)!.seen;
        for (const s of last.filter((x) => x.up)) {
          const log = readServerLog(readFileSync(join(dir, `server${s.id}.log`), 'utf8'), layout === 'debian' ? null : null);
          expect(log.myid, `server ${s.id}`).toBe(s.id); // from [myid:N] or the thread names, never the file name
          const life = lastLife(log);
          expect({ state: life.state, sync: life.sync }, `server ${s.id}`).toEqual({ state: s.state, sync: s.sync });
          // the harness's start lines are all it did not understand
          expect(log.other, `server ${s.id}`).toBe(log.events.filter((e) => e.event.kind === 'start').length);
        }
      });
    }
  }
});

describe('elections, as each server lived them', () => {
  for (const layout of ['default', 'debian']) {
    it(`${layout}: the last election of every server ends on the ensemble's leader, and took what ZooKeeper says`, () => {
      for (const scenario of readdirSync(join(ROOT, layout))) {
        const dir = join(ROOT, layout, scenario);
        const seen = JSON.parse(readFileSync(join(dir, 'seen.json'), 'utf8')) as Seen;
        const up = seen.steps.at(-1)!.seen.filter((x) => x.up);
        const leader = up.find((x) => x.state === 'LEADING')!.id;
        for (const s of up) {
          const es = electionsOf(readServerLog(readFileSync(join(dir, `server${s.id}.log`), 'utf8')));
          const last = es.at(-1)!;
          expect(last.to?.state, `${scenario} S${s.id}`).toBe(s.state);
          expect(last.leader, `${scenario} S${s.id}`).toBe(leader);
          expect(last.notifications).toBeGreaterThan(0);
          // LEADER ELECTION TOOK counts from the same LOOKING to the same decision, give or take the logging
          expect(Math.abs(last.tookMs! - (last.to!.time - last.from.time)), `${scenario} S${s.id}`).toBeLessThan(50);
        }
      }
    });
  }
});

describe('a log read a chunk at a time', () => {
  const dir = 'testdata/logs/3.8.0/default/a-paused-leader-is-replaced-and-follows-once-it-resumes';
  /** A real log with a few odd lines put in, LF or CRLF, its bytes, and where to cut them (in order, the end last). */
  const oddLog = (odd: string[]) => {
    const lines = readFileSync(join(dir, 'server3.log'), 'utf8').split('\n');
    return fc
      .tuple(fc.array(fc.tuple(fc.nat({ max: lines.length }), fc.constantFrom(...odd)), { maxLength: 4 }), fc.array(fc.nat(), { maxLength: 30 }), fc.boolean())
      .map(([inserts, cuts, crlf]) => {
        const all = [...lines];
        for (const [i, l] of [...inserts].sort((a, b) => b[0] - a[0])) all.splice(i, 0, l);
        const text = all.join(crlf ? '\r\n' : '\n');
        const bytes = new TextEncoder().encode(text);
        return { text, bytes, cuts: cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b).concat(bytes.length) };
      });
  };
  it('gives what the whole text gives, however it is cut', () => {
    const text = readFileSync(join(dir, 'server3.log'), 'utf8');
    const whole = readServerLog(text);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: text.length }), { maxLength: 40 }), (cuts) => {
        const r = new ServerLogReader();
        let at = 0;
        for (const c of [...cuts].sort((a, b) => a - b)) {
          r.push(text.slice(at, c));
          at = c;
        }
        r.push(text.slice(at));
        expect(r.end()).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('knows each event’s line by its byte offset, however the bytes are cut, around non-ASCII text too', () => {
    // an event whose thread name is not ASCII: its message starts at another character than byte
    const odd = ['2026-12-06 08:41:53,001 [myid:3] - INFO  [main:X@1] - données ünïcode 中文 😀', 'ré-essai \u00e9\u00e8', '\ufeff\u0080 stray', '2026-12-06 08:41:53,002 [myid:3] - INFO  [QuorumPeer[myid=3](plain=中文ü):QuorumPeer@1] - Peer state changed: looking'];
    fc.assert(
      fc.property(
        oddLog(odd),
        ({ text, bytes, cuts }) => {
          const r = new ServerLogReader(null, { left: Infinity }, 'offset');
          let from = 0;
          for (const c of cuts) {
            r.pushBytes(bytes.subarray(from, c));
            from = c;
          }
          const got = r.end();
          const whole = readServerLog(text);
          expect(got.events.map((e) => e.event)).toEqual(whole.events.map((e) => e.event));
          // every line is found by its offset (in bytes, non-ASCII text too), none kept as text
          got.events.forEach((e, i) => {
            expect(e.text).toBe('');
            expect(new TextDecoder().decode(bytes.subarray(e.at, e.at + e.len))).toBe(whole.events[i]!.text);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads bytes as it reads their text, however they are cut, in a buffer the caller reuses, with huge and non-ASCII lines', () => {
    const odd = ['2026-12-06 08:41:53,001 [myid:3] - INFO  [main:X@1] - données ünïcode 中文 😀', 'ré-essai \u00e9\u00e8', '\ufeff\u0080 stray', '', 'x'.repeat(MAX_LINE + 3), '2026-12-06 08:41:53,001 [myid:3] - INFO  [main:X@1] - Notification: 😀'];
    fc.assert(
      fc.property(
        oddLog(odd),
        ({ text, bytes, cuts }) => {
          const r = new ServerLogReader(null, { left: Infinity }, 'none');
          // one buffer, overwritten by each read, as the CLI's readSync does
          const buf = new Uint8Array(bytes.length + 1);
          let from = 0;
          for (const c of cuts) {
            buf.fill(0x41);
            buf.set(bytes.subarray(from, c));
            r.pushBytes(buf.subarray(0, c - from));
            from = c;
          }
          const got = r.end();
          const want = readServerLog(text);
          const strip = (l: typeof got) => ({ ...l, events: l.events.map(({ at: _a, text: _t, ...e }) => e) });
          expect(strip(got)).toEqual(strip(want));
          // every event's line is where its offset says
          got.events.forEach((e, i) => expect(new TextDecoder().decode(bytes.subarray(e.at, e.at + e.len))).toBe(want.events[i]!.text.replace(/…$/, '')));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('finds the message of a line whose thread name is not ASCII', () => {
    const line = '2026-12-06 08:41:53,002 [myid:3] - INFO  [QuorumPeer[myid=3](plain=中文ü):QuorumPeer@1] - Peer state changed: looking';
    const log = readServerLog('2026-12-06 08:41:52,787 [myid:3] - INFO  [main:QuorumPeerConfig@177] - Reading configuration from: /x\n' + line + '\n');
    expect(log.events.map((e) => e.event)).toEqual([{ kind: 'start' }, { kind: 'state', state: 'LOOKING', zab: null }]);
    expect(log.events[1]!.text).toBe(line);
    expect(log.events[1]!.len).toBe(new TextEncoder().encode(line).length);
  });

  it('keeps the text of lines whose bytes are not the file’s (a decompressed stream)', () => {
    const text = readFileSync(join(dir, 'server3.log'), 'utf8');
    const r = new ServerLogReader(null, { left: Infinity }, 'offset');
    r.pushBytes(new TextEncoder().encode(text), false);
    const got = r.end();
    expect(got.events.length).toBeGreaterThan(10);
    expect(got.events.every((e) => e.at === -1)).toBe(true);
    expect(got.events.map((e) => e.text)).toEqual(readServerLog(text).events.map((e) => e.text));
  });

  it('reads a log saved in UTF-16 (either byte order, with a byte order mark or without) as its UTF-8 text, however it is cut', () => {
    const text = readFileSync(join('testdata/logs/3.8.0/default/a-paused-leader-is-replaced-and-follows-once-it-resumes', 'server2.log'), 'utf8') + 'fin: données 中文 😀\n';
    const plain = readServerLog(text);
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    const forms: [string, Uint8Array][] = [
      ['UTF-16LE', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
      ['UTF-16BE', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
      ['UTF-16LE', le],
      ['UTF-16BE', be],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...forms), fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 30 }), ([label, bytes], cuts) => {
        const r = new ServerLogReader();
        let at = 0;
        for (let k = 0; at < bytes.length; k++) {
          const n = cuts[k % cuts.length]!;
          r.pushBytes(bytes.subarray(at, at + n));
          at += n;
        }
        const log = r.end();
        expect(log.encoding).toBe(label);
        expect(log.events.map((e) => [e.line, e.time, e.event, e.text])).toEqual(plain.events.map((e) => [e.line, e.time, e.event, e.text]));
        expect([log.lines, log.other, log.examples]).toEqual([plain.lines, plain.other, plain.examples]);
      }),
      { numRuns: 40 },
    );
    expect(plain.encoding).toBeUndefined();
  });

  it('reads a log that starts with a UTF-8 byte order mark as the same log, its first line too', () => {
    const text = readFileSync(join('testdata/logs/3.4.14/handwritten', 'server1.log'), 'utf8');
    const plain = readServerLog(text);
    expect(plain.events[0]!.event).toEqual({ kind: 'start' });
    for (const cut of [1, 2, 3, 4, 100]) {
      const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
      const r = new ServerLogReader();
      r.pushBytes(bytes.subarray(0, cut));
      r.pushBytes(bytes.subarray(cut));
      const log = r.end();
      expect(log.events.map((e) => [e.line, e.time, e.event, e.at - 3])).toEqual(plain.events.map((e) => [e.line, e.time, e.event, e.at]));
      expect([log.first, log.other]).toEqual([plain.first, plain.other]);
    }
  });

  it('keeps no more events than its budget, shared by the readers of one load, and says it is full', () => {
    const text = readFileSync(join(dir, 'server1.log'), 'utf8');
    const budget = { left: 25 };
    const a = new ServerLogReader(1, budget);
    a.push(text);
    expect(a.full).toBe(true);
    expect(a.end().events).toHaveLength(25);
    const b = new ServerLogReader(2, budget);
    b.push(text);
    expect(b.end().events).toHaveLength(0);
  });

  it('cuts an enormous line, counts it once, and reads on after it', () => {
    const text = readFileSync(join(dir, 'server1.log'), 'utf8');
    const lines = text.split('\n');
    const huge = 'x'.repeat(3 * MAX_LINE + 17);
    // before a log line (not a stack frame, which would lose the line it carries on)
    const at = lines.findIndex((l, i) => i >= 100 && /^\d{4}-/.test(l));
    const withHuge = [...lines.slice(0, at), huge, ...lines.slice(at)].join('\n');
    const r = new ServerLogReader();
    for (let i = 0; i < withHuge.length; i += 5000) r.push(withHuge.slice(i, i + 5000));
    const got = r.end();
    const plain = readServerLog(text);
    expect(got.lines).toBe(plain.lines + 1);
    expect(got.other).toBe(plain.other + 1);
    expect(got.events.length).toBe(plain.events.length);
    // the lines after it keep their numbers (one more than before)
    expect(got.events.at(-1)!.line).toBe(plain.events.at(-1)!.line + 1);
  });

  it('reads an enormous log line by its start, whether it comes in one chunk or across several', () => {
    const line = `2026-12-06 08:42:05,169 [myid:3] - INFO  [QuorumPeer[myid=3]:Leader@814] - Shutdown called. For the reason ${'x'.repeat(MAX_LINE + 5000)}`;
    const text = `${line}\n2026-12-06 08:42:05,170 [myid:3] - INFO  [main:X@1] - LOOKING\n`;
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 3 * MAX_LINE }), (chunk) => {
        const r = new ServerLogReader();
        const bytes = new TextEncoder().encode(text);
        for (let i = 0; i < bytes.length; i += chunk) r.pushBytes(bytes.subarray(i, i + chunk));
        const log = r.end();
        expect(log.events.map((e) => e.event.kind)).toEqual(['leaderShutdown', 'state']);
        expect(log.events[0]!.event).toEqual({ kind: 'leaderShutdown', reason: 'x'.repeat(200) });
        expect([log.lines, log.other]).toEqual([2, 0]);
      }),
      { numRuns: 30 },
    );
  });
});
