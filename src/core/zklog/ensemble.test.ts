import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { causalPairs, idFromName, readEnsemble, type LogFileIn } from './ensemble';
import { summarize } from './summary';

const ROOT = 'testdata/logs/3.8.0';

interface SeenServer {
  id: number;
  up: boolean;
  state: string;
  acceptedEpoch: number | null;
  currentEpoch: number | null;
  zxid?: string;
  sync: string | null;
}
interface Seen {
  steps: { seen: SeenServer[] }[];
}

function filesOf(dir: string): LogFileIn[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
}

/** Two servers' logs as one appender would write them: their records (a line and the stack trace under it) merged by time. */
function mergedByTime(a: string, b: string): string {
  const records = (text: string) => text.split(/\n(?=\d{4}-)/).filter((r) => /^\d{4}-/.test(r));
  const stamp = (r: string) => r.slice(0, 23);
  return [...records(a), ...records(b)].sort((x, y) => (stamp(x) < stamp(y) ? -1 : stamp(x) > stamp(y) ? 1 : 0)).join('\n') + '\n';
}

/** Move every timestamp of a log by `ms` (a server whose clock is off). */
function shiftClock(text: string, ms: number): string {
  return text.replace(/^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3})/gm, (_m, y, mo, d, h, mi, s, f) => {
    const t = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +f) + ms).toISOString();
    return `${t.slice(0, 10)} ${t.slice(11, 19)},${t.slice(20, 23)}`;
  });
}

const scenarios = ['default', 'debian'].flatMap((layout) => readdirSync(join(ROOT, layout)).map((s) => join(ROOT, layout, s)));

describe('an ensemble read from its logs tells what the conformance suite saw', () => {
  for (const dir of scenarios) {
    it(`${dir.slice(ROOT.length + 1)}: last states, leaders, epochs and syncs`, () => {
      const seen = (JSON.parse(readFileSync(join(dir, 'seen.json'), 'utf8')) as Seen).steps.at(-1)!.seen;
      const log = readEnsemble(filesOf(dir));
      expect(log.warnings).toEqual([]);
      expect(log.servers).toEqual([1, 2, 3]);
      const sum = summarize(log);
      const leader = seen.find((s) => s.state === 'LEADING')!;
      for (const s of seen) {
        const f = sum.final[s.id]!;
        expect(f.state, `S${s.id}`).toBe(s.up ? s.state : 'DOWN');
        if (!s.up) continue;
        expect(f.leader, `S${s.id}`).toBe(leader.id);
        expect(f.epoch, `S${s.id}`).toBe(s.currentEpoch);
        // the last zxid the logs give it is never past what the suite read (INFO lines show no writes)
        if (s.zxid !== undefined && f.zxid !== null) expect(f.zxid, `S${s.id}`).toBeLessThanOrEqual(Number(s.zxid));
        // the last sync each server logged in its last life is the one the suite read
        const born = log.beats.filter((b) => b.node === s.id && b.event.kind === 'start').at(-1)?.t ?? -Infinity;
        const last = sum.syncs.filter((y) => y.learner === s.id && y.time >= born).at(-1);
        expect(last?.mode ?? null, `S${s.id}`).toBe(s.sync);
        if (last && s.state !== 'LEADING') expect(last.leader, `S${s.id}`).toBe(leader.id);
      }
      // the last election ended on that leader and epoch; every election ended, and took about what ZooKeeper said
      const e = sum.elections.at(-1)!;
      expect([e.leader, e.epoch]).toEqual([leader.id, leader.currentEpoch]);
      // (ZooKeeper's count ends when Leader / Follower starts, a little after "Peer state changed")
      for (const x of sum.elections) {
        expect(x.end).not.toBeNull();
        for (const ms of Object.values(x.reportedMs)) expect(ms).toBeLessThanOrEqual(x.durationMs! + 100);
        // every server that decided says what it took, a joiner too (its line comes after it follows)
        if (x.leader !== null) expect(Object.keys(x.reportedMs).length, `election at ${x.start}`).toBeGreaterThan(0);
      }
      // no stretch without a leader is left open, and each says why
      for (const g of sum.gaps) {
        expect(g.to).not.toBeNull();
        expect(g.reasons.length).toBeGreaterThan(0);
      }
      expect(sum.gaps[0]!.reasons[0]).toBe('starting');
    });
  }

  it('a paused leader: the stretch without one starts when its followers lose it, and says so', () => {
    const sum = summarize(readEnsemble(filesOf(join(ROOT, 'default', 'a-paused-leader-is-replaced-and-follows-once-it-resumes'))));
    expect(sum.gaps).toHaveLength(2);
    expect(sum.gaps[1]!.reasons).toEqual(expect.arrayContaining(['leaderLost', 'leaderSilent']));
    // its followers' reads timed out: the leader had stopped answering syncLimit × tickTime (5 × 2000 ms)
    // before the first of them said so (S2, at 08:42:05.167); the new leader served at 08:42:05.519
    expect(sum.gaps[1]!.from).toBe(Date.UTC(2026, 11, 6, 8, 42, 5, 167) - 10_000);
    expect(sum.gaps[1]!.ms).toBe(10_352);
    expect(sum.gaps[1]!.evidence.find((x) => x.reason === 'leaderSilent')).toMatchObject({ node: 2, args: { ms: 10_000 } });
    // the new leader's election is not a joiner's, though the old leader never said it stopped
    expect(sum.elections.map((e) => [e.leader, e.epoch, e.join])).toEqual([
      [3, 1, false],
      [3, 1, true],
      [2, 2, false],
      [2, 2, true],
    ]);
  });

  it('a leader’s last zxid: what it tells a learner in a DIFF, past the one it was established with', () => {
    const sum = summarize(readEnsemble(filesOf(join(ROOT, 'default', 'a-follower-back-after-a-short-absence-gets-a-diff'))));
    // S3 established at 0x100000000; its DIFF to S1 at 08:41:52.036 carried its last committed zxid, 0x100000008 (what the suite read)
    expect(sum.final[3]).toMatchObject({ state: 'LEADING', zxid: 0x100000008 });
  });

  it('a follower that timed out once and came back does not move a later stretch’s start', () => {
    const dir = join(ROOT, 'default', 'a-paused-leader-is-replaced-and-follows-once-it-resumes');
    const T = 'QuorumPeer[myid=1](plain=[0:0:0:0:0:0:0:0]:14001)(secure=disabled)';
    const at = (ms: string, src: string, msg: string) => `2026-12-06 08:50:00,${ms} [myid:1] - INFO  [${T}:${src}] - ${msg}`;
    // S1 alone times out and rejoins S3 at 08:50:00; the pause happens an hour later than it did
    const away = [
      at('000', 'Follower@128', 'Exception when following the leader'),
      'java.net.SocketTimeoutException: Read timed out',
      at('005', 'QuorumPeer@917', 'Peer state changed: looking'),
      at('012', 'QuorumPeer@903', 'Peer state changed: following'),
      at('014', 'QuorumPeer@917', 'Peer state changed: following - discovery'),
      at('020', 'Learner@565', 'Getting a diff from the leader 0x100000003'),
      at('021', 'QuorumPeer@922', 'Peer state changed: following - synchronization'),
      at('030', 'QuorumPeer@917', 'Peer state changed: following - broadcast'),
    ];
    const later = (text: string) => text.replace(/^2026-12-06 08:4(1:5[6-9]|2:)/gm, (m) => m.replace(' 08:', ' 09:'));
    const files = filesOf(dir).map((f) => {
      const text = later(f.text);
      if (f.name !== 'server1.log') return { ...f, text };
      const lines = text.split('\n');
      const i = lines.findIndex((l) => l.startsWith('2026-12-06 09:'));
      return { ...f, text: [...lines.slice(0, i), ...away, ...lines.slice(i)].join('\n') };
    });
    const sum = summarize(readEnsemble(files));
    expect(sum.gaps).toHaveLength(2);
    expect(sum.gaps[1]!.from).toBe(Date.UTC(2026, 11, 6, 9, 42, 5, 167) - 10_000);
    expect(sum.gaps[1]!.ms).toBe(10_352);
  });

  it('a full restart: the leader lost its quorum of followers, as its own log says', () => {
    const sum = summarize(readEnsemble(filesOf(join(ROOT, 'default', 'writes-while-a-server-is-down-then-it-rejoins-then-a-full-restart'))));
    expect(sum.gaps[1]!.reasons).toEqual(expect.arrayContaining(['followersLost', 'noQuorum']));
    // the shutdown's own words beside its reason's code, which they do not replace
    expect(sum.gaps[1]!.evidence.find((x) => x.reason === 'followersLost')!.args).toEqual({ text: expect.stringMatching(/^Not sufficient followers synced/) });
    // a joiner's election: what it logged it took, though its line comes after it decided
    expect(sum.elections[1]).toMatchObject({ join: true, servers: [2], reportedMs: { 2: 84 } });
    // S3 looked alone and was stopped (every server was down, 08:41:45.49-45.84): that election
    // had no outcome; the one that chose S2 began when S1 looked again
    expect(sum.elections.map((e) => [e.leader, e.servers])).toEqual([
      [3, [3, 1]],
      [3, [2]],
      [3, [1]],
      [null, [3]],
      [2, [1, 2]],
      [2, [3]],
    ]);
    expect(sum.elections[3]).toMatchObject({ end: expect.any(Number), epoch: null });
    expect(sum.elections[4]).toMatchObject({ start: Date.UTC(2026, 11, 6, 8, 41, 46, 132), durationMs: 737, reportedMs: { 1: 776, 2: 288 } });
  });
});

describe('an older release’s logs: 3.4.14, written by hand in its message forms (testdata/logs/3.4.14)', () => {
  it('tells the same kind of story: elections, epochs, syncs, and why the leader was lost', () => {
    const log = readEnsemble(filesOf('testdata/logs/3.4.14/handwritten'));
    expect(log.warnings).toEqual([]);
    const sum = summarize(log);
    // bare state lines, 3.4's Notification and "New election" forms, TOOK without " MS"
    expect(sum.elections.map((e) => [e.leader, e.epoch, e.reportedMs])).toEqual([
      [3, 1, { 1: 231, 2: 221, 3: 180 }],
      [2, 2, { 1: 228, 2: 222, 3: 10_160 }],
    ]);
    // "Sending DIFF" names no learner: the learners' own lines say what they got, and from whom
    expect(sum.syncs.map((y) => [y.learner, y.leader, y.mode, y.zxid])).toEqual([
      [1, 3, 'DIFF', 0],
      [2, 3, 'DIFF', 0],
      [1, 2, 'DIFF', 0x100000000],
      [3, 2, 'DIFF', 0x100000000],
    ]);
    expect(sum.final).toEqual({
      1: { state: 'FOLLOWING', leader: 2, epoch: 2, zxid: 0x100000000 },
      2: { state: 'LEADING', leader: 2, epoch: 2, zxid: 0x200000000 },
      3: { state: 'FOLLOWING', leader: 2, epoch: 2, zxid: 0x100000000 },
    });
    // the leader's reason comes from the exception under its "Shutdown called" line
    expect(sum.gaps.map((g) => [g.ms, g.reasons])).toEqual([
      [500, ['starting']],
      [399, ['followersLost', 'unreachable']],
    ]);
    expect(sum.gaps[1]!.evidence[0]!.args).toEqual({ text: 'Not sufficient followers synced, only synced with sids: [ 3 ]' });
  });
});

describe('what a leader sent, as its learner received it', () => {
  const dir = join(ROOT, 'default', 'a-follower-back-after-a-short-absence-gets-a-diff');
  const sendings = (files: LogFileIn[]) => readEnsemble(files).beats.flatMap((b) => (b.event.kind === 'sending' ? [b.event] : []));
  // S3's second DIFF to S1, worded as LearnerHandler.queueCommittedProposals words it in 3.6-3.8 (release-3.8.0-1 LearnerHandler.java:1033)
  const asTrunc = (f: LogFileIn) => (f.name === 'server3.log' ? { ...f, text: f.text.replace(/LearnerHandler@977\] - Sending DIFF zxid=0x100000008\s+for peer/, 'LearnerHandler@1033] - Sending TRUNC zxid=0x100000008  for peer') } : f);

  it('3.8’s “Sending TRUNC” that its learner got as a DIFF was an empty DIFF', () => {
    expect(sendings(filesOf(dir).map(asTrunc)).at(-1)).toEqual({ kind: 'sending', mode: 'DIFF', zxid: 0x100000008, to: 1, logged: 'TRUNC' });
  });

  it('a TRUNC its learner truncated by stays a TRUNC', () => {
    const files = filesOf(dir)
      .map(asTrunc)
      .map((f) => (f.name === 'server1.log' ? { ...f, text: f.text.replace(/Getting a diff from the leader (0x100000008)/, 'Truncating log to get in sync with the leader $1') } : f));
    expect(sendings(files).at(-1)).toEqual({ kind: 'sending', mode: 'TRUNC', zxid: 0x100000008, to: 1 });
  });
});

describe('clocks that disagree are aligned by causality', () => {
  for (const off of [-4000, 2500]) {
    it(`server 2's clock ${off > 0 ? 'ahead' : 'behind'} by ${Math.abs(off)} ms: its skew is found, and the story is the same`, () => {
      const dir = join(ROOT, 'default', 'a-paused-leader-is-replaced-and-follows-once-it-resumes');
      const files = filesOf(dir);
      const straight = summarize(readEnsemble(files));
      const shifted = readEnsemble(files.map((f) => (f.name === 'server2.log' ? { ...f, text: shiftClock(f.text, off) } : f)));
      // server 2 set back (or the others, if it was behind), to within the logs' own latency
      const rel = shifted.skew[2]! - Math.min(shifted.skew[1]!, shifted.skew[3]!);
      expect(Math.abs(rel + off)).toBeLessThan(60);
      const sum = summarize(shifted);
      expect(sum.elections.map((e) => [e.leader, e.epoch])).toEqual(straight.elections.map((e) => [e.leader, e.epoch]));
      expect(sum.syncs.map((y) => [y.learner, y.leader, y.mode])).toEqual(straight.syncs.map((y) => [y.learner, y.leader, y.mode]));
    });
  }
});

describe('any one clock off by up to a minute', () => {
  const stories = ['a-follower-back-after-a-short-absence-gets-a-diff', 'a-paused-leader-is-replaced-and-follows-once-it-resumes', 'writes-while-a-server-is-down-then-it-rejoins-then-a-full-restart'];
  const shifted = (story: string, layout: string, server: number, off: number) => filesOf(join(ROOT, layout, story)).map((f) => (f.name === `server${server}.log` ? { ...f, text: shiftClock(f.text, off) } : f));

  it('is aligned: every causal pair in order, the clock moved toward the others by no more than it was off', () => {
    fc.assert(
      fc.property(fc.constantFrom(...stories), fc.constantFrom('default', 'debian'), fc.integer({ min: 1, max: 3 }), fc.integer({ min: -60_000, max: 60_000 }), (story, layout, server, off) => {
        const log = readEnsemble(shifted(story, layout, server, off));
        expect(log.warnings).toEqual([]);
        // (by the least that puts every pair in order: an offset no pair shows is left as it is)
        const others = [1, 2, 3].filter((id) => id !== server).map((id) => log.skew[id]!);
        expect(Math.abs(log.skew[server]! - Math.max(...others) + off)).toBeLessThanOrEqual(Math.abs(off));
        const own = log.beats.map((b) => ({ ...b, t: b.t - log.skew[b.node]! })).sort((a, b) => a.t - b.t);
        for (const p of causalPairs(log.servers, own, log.skew)) expect(p.ta + log.skew[p.a]!).toBeLessThanOrEqual(p.tb + log.skew[p.b]!);
      }),
      { numRuns: 60 },
    );
  });

  // a clock off by seconds over several lives is matched at first to the wrong state changes; the
  // passes alone contradicted themselves on these (a second review's cases), and left them unaligned
  const cases: [string, number, number][] = [
    [stories[1]!, 1, -5000],
    [stories[1]!, 3, -30_000],
    [stories[2]!, 1, -5000],
    [stories[2]!, 1, 5000],
    [stories[2]!, 2, -60_000],
    [stories[2]!, 3, -30_000],
  ];
  for (const [story, server, off] of cases)
    it(`${story}: server ${server}'s clock ${off > 0 ? 'ahead' : 'behind'} by ${Math.abs(off) / 1000} s tells the same elections and syncs`, () => {
      const straight = summarize(readEnsemble(filesOf(join(ROOT, 'default', story))));
      const log = readEnsemble(shifted(story, 'default', server, off));
      expect(log.warnings).toEqual([]);
      const sum = summarize(log);
      expect(sum.elections.map((e) => [e.leader, e.epoch, e.join])).toEqual(straight.elections.map((e) => [e.leader, e.epoch, e.join]));
      expect(sum.syncs.map((y) => [y.learner, y.leader, y.mode])).toEqual(straight.syncs.map((y) => [y.learner, y.leader, y.mode]));
    });
});

describe('bad input', () => {
  it('a file that is no log, one that names no server, one with two servers: warnings, and the rest read', () => {
    const dir = join(ROOT, 'default', 'a-follower-back-after-a-short-absence-gets-a-diff');
    const [s1, s2, s3] = filesOf(dir);
    const both = { name: 'mixed.log', text: s2!.text + '\n' + s3!.text };
    const log = readEnsemble([{ name: 'notes.txt', text: 'hello\n\u0000\u0001binary' }, { name: 'server.log', text: s1!.text.replace(/\[myid:\d*\] /g, '').replace(/myid=\d+/g, 'x') }, both]);
    expect(log.warnings.map((w) => w.code)).toEqual(['notALog', 'noServer', 'twoServers', 'missingServer']); // server 1 spoke, its file named no one
    expect(log.servers).toEqual([2, 3]);
  });

  it('two servers’ logs in one file: each line goes to its server, a start to the server its next lines name', () => {
    const dir = join(ROOT, 'default', 'a-follower-back-after-a-short-absence-gets-a-diff');
    const [s1, s2, s3] = filesOf(dir);
    const mixed = mergedByTime(s1!.text, s3!.text);
    const apart = summarize(readEnsemble([s1!, s2!, s3!]));
    const log = readEnsemble([{ name: 'zookeeper.log', text: mixed }, s2!]);
    expect(log.warnings.map((w) => w.code)).toEqual(['twoServers']);
    expect(log.servers).toEqual([1, 2, 3]);
    const sum = summarize(log);
    expect(sum.final).toEqual(apart.final);
    expect(sum.elections.map((e) => [e.leader, e.epoch, e.servers])).toEqual(apart.elections.map((e) => [e.leader, e.epoch, e.servers]));
    expect(sum.gaps.map((g) => g.to)).toEqual(apart.gaps.map((g) => g.to));
    const starts = (id: number) => log.beats.filter((b) => b.node === id && b.event.kind === 'start').length;
    expect([starts(1), starts(3)]).toEqual([2, 1]);
  });

  it('a file’s server from its name, else from a folder named like a server', () => {
    const cases: [string, number | null][] = [
      ['server3.log', 3],
      ['zookeeper-2.log.1', 2],
      // a rotated file's index is not its server
      ['zk2/zookeeper.log.1', 2],
      ['zk3/zookeeper.log.12.gz', 3],
      ['server3.log.2', 3],
      ['/var/log/zk/zookeeper-2.log', 2],
      ['zk1/zookeeper.log', 1],
      ['logs/server-2/zookeeper.out', 2],
      ['C:\\logs\\node_3\\zookeeper.log', 3],
      ['/var/log/zookeeper/zookeeper.log', null],
      ['/tmp/run-2026-12-06/zookeeper.log', null],
      ['zookeeper.log', null],
    ];
    for (const [name, id] of cases) expect(idFromName(name), name).toBe(id);
  });

  it('two servers’ logs in one file, Debian’s layout (no [myid:]): a leader’s LearnerHandler lines go to the one leading', () => {
    const dir = join(ROOT, 'debian', 'writes-while-a-server-is-down-then-it-rejoins-then-a-full-restart');
    const [s1, s2, s3] = filesOf(dir);
    const mixed = mergedByTime(s1!.text, s2!.text);
    const apart = summarize(readEnsemble([s1!, s2!, s3!]));
    const sum = summarize(readEnsemble([{ name: 'zookeeper.log', text: mixed }, s3!]));
    expect(sum.final).toEqual(apart.final);
    expect(sum.elections.map((e) => [e.leader, e.epoch, e.join])).toEqual(apart.elections.map((e) => [e.leader, e.epoch, e.join]));
    expect(sum.syncs.map((y) => [y.learner, y.leader, y.mode])).toEqual(apart.syncs.map((y) => [y.learner, y.leader, y.mode]));
  });

  it('a server whose log is missing is named: the others heard from it', () => {
    const dir = join(ROOT, 'default', 'a-follower-back-after-a-short-absence-gets-a-diff');
    const log = readEnsemble(filesOf(dir).filter((f) => f.name !== 'server2.log'));
    expect(log.servers).toEqual([1, 3]);
    expect(log.warnings).toEqual([{ file: '', line: 0, code: 'missingServer', text: '2' }]);
  });

  it('a server whose log is missing still counts: among the voters, and following the leader whose quorum named it', () => {
    const dir = join(ROOT, 'default', 'a-paused-leader-is-replaced-and-follows-once-it-resumes');
    const whole = summarize(readEnsemble(filesOf(dir)));
    const part = summarize(readEnsemble(filesOf(dir).filter((f) => f.name !== 'server1.log')));
    // each leader was established with S1 in its quorum ("Have quorum of supporters, sids: [[1, 3]]"): served as soon as it was
    expect(part.gaps.map((g) => g.to)).toEqual(whole.gaps.map((g) => g.to));
    expect(part.gaps[1]!.ms).toBe(whole.gaps[1]!.ms);
    expect(part.elections.map((e) => [e.leader, e.epoch])).toEqual(whole.elections.map((e) => [e.leader, e.epoch]));
  });

  it('a server whose log is missing that the leader took on later ("Follower sid", a SNAP sent) follows it', () => {
    const dir = join(ROOT, 'default', 'a-follower-back-after-a-short-absence-gets-a-diff');
    const whole = summarize(readEnsemble(filesOf(dir)));
    const part = summarize(readEnsemble(filesOf(dir).filter((f) => f.name !== 'server2.log')));
    // S2 joined S3 after it was established (S3's log: "Follower sid: 2", "Sending snapshot"): S1's
    // restart left S3 with S2, as with every log
    expect(part.gaps.map((g) => [g.from, g.to])).toEqual(whole.gaps.map((g) => [g.from, g.to]));
  });

  it('the new leader’s log missing: its election, its epoch and its serving are told from its followers’ and peers’ lines', () => {
    const dir = join(ROOT, 'default', 'a-paused-leader-is-replaced-and-follows-once-it-resumes');
    const whole = summarize(readEnsemble(filesOf(dir)));
    const part = summarize(readEnsemble(filesOf(dir).filter((f) => f.name !== 'server2.log')));
    // S1 followed S2 to broadcast (so S2 was established), in the epoch after S3's (S3 later heard S2 LEADING in epoch 2)
    expect(part.elections.map((e) => [e.leader, e.epoch, e.join])).toEqual([
      [3, 1, false],
      [2, 2, false],
      [2, 2, true],
    ]);
    expect(part.final).toEqual({ 1: whole.final[1], 3: whole.final[3] });
    expect(part.gaps).toHaveLength(2);
    expect(part.gaps[1]!.to).not.toBeNull();
    expect(Math.abs(part.gaps[1]!.ms! - whole.gaps[1]!.ms!)).toBeLessThan(50);
  });

  it('one server’s log alone: the others, heard from, are not counted down', () => {
    const dir = join(ROOT, 'default', 'a-paused-leader-is-replaced-and-follows-once-it-resumes');
    const sum = summarize(readEnsemble(filesOf(dir).filter((f) => f.name === 'server1.log')));
    for (const g of sum.gaps) expect(g.reasons).not.toContain('noQuorum');
    expect(sum.gaps.map((g) => g.to !== null)).toEqual([true, true]);
  });

  it('a sync longer than initLimit × tickTime (as the learner’s log sets them) is a reason', () => {
    const dir = join(ROOT, 'default', 'a-follower-back-after-a-short-absence-gets-a-diff');
    const straight = summarize(readEnsemble(filesOf(dir)));
    expect(straight.gaps[0]!.reasons).not.toContain('slowSync');
    // a tick of 1 ms: initLimit 10 ticks is 10 ms, which S1's sync outlasts
    const fast = filesOf(dir).map((f) => ({ ...f, text: f.text.replace(/tickTime set to \d+/g, 'tickTime set to 1') }));
    const gap = summarize(readEnsemble(fast)).gaps[0]!;
    expect(gap.reasons).toContain('slowSync');
    expect(gap.evidence.find((x) => x.reason === 'slowSync')!.args).toEqual({ ms: expect.any(Number), limit: 10 });
  });

  it('10,000 mutated logs: never a throw', () => {
    const text = filesOf(join(ROOT, 'default', 'a-paused-leader-is-replaced-and-follows-once-it-resumes'))[1]!.text.split('\n').slice(80, 160);
    const edit = fc.oneof(
      fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('dup' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('cut' as const), at: fc.nat(), n: fc.nat() }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), s: fc.string({ unit: 'binary', maxLength: 300 }) }),
      fc.record({ op: fc.constant('swap' as const), at: fc.nat(), b: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), (edits, ids) => {
        const lines = text.slice();
        for (const e of edits) {
          const at = lines.length ? e.at % lines.length : 0;
          if (e.op === 'drop') lines.splice(at, 1);
          else if (e.op === 'dup') lines.splice(at, 0, lines[at] ?? '');
          else if (e.op === 'cut') lines[at] = (lines[at] ?? '').slice(0, e.n % 200);
          else if (e.op === 'insert') lines.splice(at, 0, e.s);
          else {
            const b = lines.length ? e.b % lines.length : 0;
            [lines[at], lines[b]] = [lines[b] ?? '', lines[at] ?? ''];
          }
        }
        const files = ids.map((id, i) => ({ name: `server${id}.log.${i}`, text: lines.join('\n') }));
        const log = readEnsemble(files);
        summarize(log);
      }),
      { numRuns: 10_000 },
    );
  });
});
