import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isoOf } from './args';

const logs = (args: string[]) => {
  const r = spawnSync(process.execPath, ['scripts/cli.mjs', 'logs', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const DIR = 'testdata/logs/3.8.0/default/a-follower-back-after-a-short-absence-gets-a-diff';

describe('npm run logs', () => {
  it('writes times as Date.toISOString does, many to a second or not', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -62_167_219_300_000, max: 253_402_300_899_999 }), { minLength: 1, maxLength: 20 }), fc.nat({ max: 3000 }), (ts, step) => {
        for (const t of ts.flatMap((t) => [t, t + step, t + 2 * step])) expect(isoOf(t)).toBe(new Date(t).toISOString());
      }),
    );
  });

  it('prints its object indented by two spaces, as JSON.stringify does, however many servers it reads', () => {
    for (const args of [[DIR], [`${DIR}/server1.log`], [`${DIR}/server2.log`, `${DIR}/server3.log`]]) {
      const r = logs(args);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toBe(JSON.stringify(JSON.parse(r.out), null, 2) + '\n');
    }
  });

  it('reads a character cut by the end of a 4 MB read as the character, whether the chunks around it are ASCII or not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zab-viz-logs-utf8-'));
    const line = '2026-12-06 08:41:53,118 [myid:1] - INFO  [main:QuorumPeerConfig@177] - zookeeper.snapshotSizeFactor = 0.33\n';
    const odd = 'données du serveur 中文 😀 fin';
    const head = Buffer.from(line.repeat(Math.ceil((4 << 20) / line.length)));
    // the odd line starts 5 (21) bytes before the first read ends: its 'é' ('中') straddles the cut
    for (const back of [6, 22]) {
      const at = (4 << 20) - back;
      const file = join(dir, `server1-${back}.log`);
      writeFileSync(file, Buffer.concat([head.subarray(0, at - (at % line.length)), Buffer.from('x'.repeat(at % line.length) + '\n'), Buffer.from(odd + '\n'), head.subarray(0, 1 << 16)]));
      const r = logs([file, '--myid', '1']);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).servers[0].otherExamples).toContain(odd);
    }
  });

  it('reads a real ensemble’s logs: each server, its elections and syncs, where it stood at the end', () => {
    const r = logs([`${DIR}/server1.log`, `${DIR}/server2.log`, `${DIR}/server3.log`]);
    expect(r.code, r.err).toBe(0);
    const { servers } = JSON.parse(r.out);
    expect(servers.map((s: { myid: number }) => s.myid)).toEqual([1, 2, 3]);
    const s1 = servers[0];
    // S1 came back after a short absence: its last life began with a DIFF
    expect(s1.end).toEqual({ state: 'FOLLOWING', zab: 'broadcast', sync: 'DIFF' });
    // each process's start, on its own clock, as the contract spells it
    expect(s1.starts).toEqual(['2026-12-06T08:41:48.894Z', '2026-12-06T08:41:51.681Z']);
    expect(s1.elections.length).toBeGreaterThan(0);
    expect(s1.syncs.at(-1)).toMatchObject({ mode: 'DIFF', zxid: expect.stringMatching(/^0x1000000/) });
    expect(servers.filter((s: { end: { state: string } }) => s.end.state === 'LEADING')).toHaveLength(1);
    // its states over time: each life starts, looks, then follows through discovery, synchronization and broadcast
    const lives = s1.states.map((x: { state: string; zab: string | null }) => (x.zab ? `${x.state}/${x.zab}` : x.state));
    expect(lives.filter((x: string) => x === 'START')).toHaveLength(2);
    const last = lives.slice(lives.lastIndexOf('START'));
    expect(last.slice(0, 4)).toEqual(['START', 'LOOKING', 'FOLLOWING', 'FOLLOWING/discovery']);
    expect(last).toContain('FOLLOWING/synchronization');
    expect(last.at(-1)).toBe('FOLLOWING/broadcast');
    expect(s1.notifications).toBeGreaterThan(2);
    // each time it looked: the last ended following the leader, about as long as ZooKeeper says
    const leader = servers.find((s: { end: { state: string } }) => s.end.state === 'LEADING').myid;
    const looked = s1.lookings.at(-1);
    expect(looked).toMatchObject({ to: { state: 'FOLLOWING' }, leader, senders: expect.arrayContaining([leader]) });
    expect(Math.abs(looked.tookMs - looked.loggedTookMs)).toBeLessThan(50);
  });

  it('tells the ensemble’s story on one timeline: final states, elections, syncs, stretches without a leader', () => {
    const r = logs([DIR]); // a folder: its logs, and seen.json, which is no log
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.warnings).toEqual([expect.objectContaining({ code: 'notALog', file: expect.stringMatching(/seen\.json$/) })]);
    expect(out.final).toEqual({
      '1': { state: 'FOLLOWING', leader: 3, epoch: 1, zxid: expect.stringMatching(/^0x1000000/) },
      '2': { state: 'FOLLOWING', leader: 3, epoch: 1, zxid: expect.stringMatching(/^0x1000000/) },
      '3': { state: 'LEADING', leader: 3, epoch: 1, zxid: '0x100000008' }, // its last DIFF's, what the suite read
    });
    expect(out.elections[0]).toMatchObject({ leader: 3, epoch: 1, join: false, durationMs: expect.any(Number), reportedMs: { '3': expect.any(Number) } });
    expect(out.elections.slice(1).every((e: { join: boolean }) => e.join)).toBe(true);
    expect(out.syncs.map((y: { learner: number; mode: string }) => `${y.learner}:${y.mode}`)).toEqual(['1:DIFF', '2:SNAP', '1:DIFF']);
    expect(out.gaps).toHaveLength(1);
    expect(out.gaps[0]).toMatchObject({ reasons: expect.arrayContaining(['starting']), ms: expect.any(Number) });
    expect(out.gaps[0].evidence[0]).toMatchObject({ reason: 'starting', server: expect.any(Number), file: expect.stringMatching(/server\d\.log$/), line: expect.any(Number) });
    expect(out.skew).toEqual({ ms: { '1': 0, '2': 0, '3': 0 }, pairs: expect.any(Number) });
  });

  it('gives one entry per server: a rotated log’s files oldest first, their lists one after the other', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zabviz-logs-rotated-'));
    const lines = readFileSync(`${DIR}/server1.log`, 'utf8').split('\n');
    // the second life's first line goes to the newer file, as a log rotated there would
    const cut = lines.findIndex((l, i) => i > 1 && l.includes('Reading configuration from'));
    writeFileSync(join(dir, 'server1.log.1'), lines.slice(0, cut).join('\n') + '\n');
    writeFileSync(join(dir, 'server1.log'), lines.slice(cut).join('\n'));
    const whole = JSON.parse(logs([`${DIR}/server1.log`, `${DIR}/server2.log`]).out).servers[0];
    const r = logs([join(dir, 'server1.log'), `${DIR}/server2.log`, join(dir, 'server1.log.1')]);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.servers.map((s: { id: number }) => s.id)).toEqual([1, 2]);
    const s1 = out.servers[0];
    expect(s1.files).toEqual([join(dir, 'server1.log.1'), join(dir, 'server1.log')]);
    expect(s1.file).toBe(s1.files[0]);
    for (const k of ['lines', 'understood', 'starts', 'notifications', 'end']) expect(s1[k], k).toEqual(whole[k]);
    // the same states, each naming its file; lines are counted in that file
    expect(s1.states.map((x: { state: string; zab: string | null }) => [x.state, x.zab])).toEqual(whole.states.map((x: { state: string; zab: string | null }) => [x.state, x.zab]));
    const second = s1.states.findLastIndex((x: { state: string }) => x.state === 'START');
    expect(s1.states[second]).toMatchObject({ file: 1, line: 1, time: whole.states[second].time });
    expect(s1.states[0]).toMatchObject({ file: 0 });
    expect(s1.syncs.at(-1)).toMatchObject({ file: 1, mode: 'DIFF' });
    expect(whole.states[0].file).toBeUndefined();
  });

  it('keeps its contract where the logs end mid-story: a state for every server, a stretch without a leader that runs to the end, reasons kept', () => {
    const W = 'testdata/logs/3.8.0/default/writes-while-a-server-is-down-then-it-rejoins-then-a-full-restart';
    const dir = mkdtempSync(join(tmpdir(), 'zabviz-logs-cut-'));
    // every server's log up to 08:41:46.000, when all three were down or just starting again
    for (const n of [1, 2, 3]) {
      const lines = readFileSync(`${W}/server${n}.log`, 'utf8').split('\n');
      const end = lines.findIndex((l) => /^\d{4}-/.test(l) && l.slice(11, 23) >= '08:41:46,000');
      writeFileSync(join(dir, `server${n}.log`), lines.slice(0, end < 0 ? lines.length : end).join('\n') + '\n');
    }
    const r = logs([dir]);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    for (const f of Object.values(out.final) as { state: string }[]) expect(['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING', 'DOWN']).toContain(f.state);
    const open = out.gaps.at(-1);
    expect(open).toMatchObject({ open: true, to: expect.stringMatching(/^2026-12-06T08:41:4[56]/), ms: expect.any(Number) });
    expect(Date.parse(open.to) - Date.parse(open.from)).toBe(open.ms);
    // to the logs' last line, not their last line that says something
    const lastLine = Math.max(...[1, 2, 3].map((n) => readFileSync(join(dir, `server${n}.log`), 'utf8').split('\n').filter((l) => /^\d{4}-/.test(l)).map((l) => Date.parse(`${l.slice(0, 10)}T${l.slice(11, 19)}.${l.slice(20, 23)}Z`)).at(-1)!));
    expect(Date.parse(open.to)).toBe(lastLine);
    expect(out.gaps.slice(0, -1).every((g: { open?: boolean }) => g.open === undefined)).toBe(true);
    // each piece of evidence keeps its reason's code; the leader's own words are beside it
    const lost = out.gaps[1].evidence.find((x: { reason: string }) => x.reason === 'followersLost');
    expect(lost).toMatchObject({ server: 3, text: expect.stringMatching(/^Not sufficient followers synced/) });
    for (const g of out.gaps) for (const x of g.evidence) expect(g.reasons).toContain(x.reason);
  });

  it('splits a file that holds two servers’ logs into an entry for each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zabviz-logs-mixed-'));
    const records = (f: string) => readFileSync(`${DIR}/${f}`, 'utf8').split(/\n(?=\d{4}-)/).filter((r) => /^\d{4}-/.test(r));
    writeFileSync(join(dir, 'zookeeper.log'), [...records('server3.log'), ...records('server1.log')].sort((a, b) => (a.slice(0, 23) < b.slice(0, 23) ? -1 : a.slice(0, 23) > b.slice(0, 23) ? 1 : 0)).join('\n') + '\n');
    const apart = JSON.parse(logs([`${DIR}/server1.log`, `${DIR}/server3.log`]).out);
    const r = logs([join(dir, 'zookeeper.log')]);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.warnings.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(['twoServers']));
    expect(out.servers.map((s: { id: number }) => s.id).sort()).toEqual([1, 3]);
    for (const id of [1, 3]) {
      const s = out.servers.find((x: { id: number }) => x.id === id);
      const a = apart.servers.find((x: { id: number }) => x.id === id);
      for (const k of ['understood', 'starts', 'end', 'notifications']) expect(s[k], `S${id} ${k}`).toEqual(a[k]);
    }
    expect(out.final).toEqual(apart.final);
  });

  it('reads .gz files, and reads what it can where a file is missing (exit 0, a warning)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zabviz-logs-'));
    for (const n of [1, 2]) writeFileSync(join(dir, `server${n}.log.gz`), gzipSync(readFileSync(`${DIR}/server${n}.log`)));
    const r = logs([join(dir, 'server1.log.gz'), join(dir, 'server2.log.gz'), join(dir, 'server3.log')]);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.servers.map((s: { id: number }) => s.id)).toEqual([1, 2]);
    expect(out.warnings).toEqual([expect.objectContaining({ code: 'unreadable', file: join(dir, 'server3.log') }), expect.objectContaining({ code: 'missingServer', text: '3' })]);
  });

  it('reads a .gz cut short up to its cut, and a UTF-16 log converted, saying so in warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zabviz-logs-odd-'));
    const gz = gzipSync(readFileSync(`${DIR}/server1.log`));
    writeFileSync(join(dir, 'server1.log.gz'), gz.subarray(0, Math.floor((gz.length * 2) / 3)));
    writeFileSync(join(dir, 'server2.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(`${DIR}/server2.log`, 'utf8'), 'utf16le')]));
    const whole = JSON.parse(logs([`${DIR}/server1.log`, `${DIR}/server2.log`]).out);
    const r = logs([join(dir, 'server1.log.gz'), join(dir, 'server2.log')]);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'truncated', file: join(dir, 'server1.log.gz') }), expect.objectContaining({ code: 'encoding', file: join(dir, 'server2.log'), text: 'UTF-16LE' })]));
    const [s1, s2] = out.servers;
    expect(s1.lines).toBeGreaterThan(50);
    expect(s1.lines).toBeLessThan(whole.servers[0].lines);
    expect(s2).toMatchObject({ id: 2, lines: whole.servers[1].lines, understood: whole.servers[1].understood, states: whole.servers[1].states });
  });

  it('says what to do when nothing could be read: an empty folder, a log that never names its server', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zabviz-logs-none-'));
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    let r = logs([empty]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`no files in ${empty}`);
    writeFileSync(join(dir, 'zk.log'), readFileSync(`${DIR}/server1.log`, 'utf8').replace(/\[myid:\d*\] /g, '').replace(/myid=\d+/g, 'x'));
    r = logs([join(dir, 'zk.log')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/zk\.log \(noServer\).*needs --myid N/);
    r = logs([join(dir, 'zk.log'), '--myid', '1']);
    expect(r.code, r.err).toBe(0);
  });

  it('refuses bad input with a message and exit status 2', () => {
    for (const args of [[], ['/no/such/file.log'], ['--myid', 'x', `${DIR}/server1.log`], ['--bogus'], [`${DIR}/seen.json`]]) {
      const r = logs(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/logs: /);
    }
  });
});
