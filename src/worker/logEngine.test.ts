import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogEngine } from './logEngine';
import { ServerLogReader } from '../core/zklog/parse';
import { isMessageKey } from '../i18n/messages';

const DIR = 'testdata/logs/3.8.0/default/a-paused-leader-is-replaced-and-follows-once-it-resumes';
const files = () =>
  readdirSync(DIR)
    .filter((f) => f.endsWith('.log'))
    .map((f) => ({ name: f, text: readFileSync(join(DIR, f), 'utf8') }));

describe('a real ensemble’s logs played like a run', () => {
  it('plays to the end: the states the suite saw, notifications in flight on the way, each event with its line', () => {
    const e = new LogEngine(files());
    const first = e.snapshot();
    expect(first.source).toEqual({ kind: 'logs', origin: expect.any(Number) });
    expect(first.nodes.every((n) => !n.up)).toBe(true); // nothing heard of anyone before their first line
    e.command({ type: 'play' });
    let flights = 0;
    const kinds = new Set<string>();
    const notes: { code: string; args: Record<string, unknown> }[] = [];
    for (let i = 0; i < 20_000 && e.playing; i++) {
      e.frame(16);
      const s = e.snapshot();
      flights = Math.max(flights, s.flights.length);
      for (const f of s.flights) kinds.add(f.kind);
      for (const r of s.events) if (r.type === 'note') notes.push(r);
    }
    expect(e.playing).toBe(false);
    const end = e.snapshot();
    expect(end.time).toBe(e.maxTime);
    const seen = JSON.parse(readFileSync(join(DIR, 'seen.json'), 'utf8')).steps.at(-1).seen as { id: number; state: string }[];
    expect(end.nodes.map((n) => [n.id, n.state])).toEqual(seen.map((s) => [s.id, s.state]));
    expect(end.lead).toEqual({ id: 2, epoch: 2 });
    expect(flights).toBeGreaterThan(0);
    expect([...kinds]).toEqual(expect.arrayContaining(['NOTIFICATION', 'DIFF']));
    // every note says where it came from: the file and line, and the line as written
    expect(notes.length).toBeGreaterThan(20);
    for (const n of notes) expect(n.args).toMatchObject({ at: expect.stringMatching(/^server\d\.log:\d+$/), raw: expect.stringMatching(/^\d{4}-\d\d-\d\d /) });
    expect(notes.map((n) => n.code)).toEqual(expect.arrayContaining(['zklog.start', 'zklog.state', 'zklog.established', 'zklog.learnerLost', 'zklog.leaderShutdown']));
    // and every one has words in the catalogue, in both languages
    for (const code of new Set(notes.map((n) => n.code))) expect(isMessageKey(`ev.${code}`), code).toBe(true);
  });

  it('a leader’s “Sending TRUNC” that went out as an empty DIFF (3.6–3.8’s words) is drawn as a DIFF, and says so', () => {
    const dir = 'testdata/logs/3.8.0/default/a-follower-back-after-a-short-absence-gets-a-diff';
    const logs = readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8').replace(/LearnerHandler@977\] - Sending DIFF zxid=0x100000008\s+for peer/, 'LearnerHandler@1033] - Sending TRUNC zxid=0x100000008  for peer') }));
    const e = new LogEngine(logs);
    const records: { type: string; code: string; args: Record<string, unknown> }[] = [];
    for (let i = 0; i < 5000 && e.snapshot().time < e.maxTime; i++) {
      e.command({ type: 'step' });
      records.push(...e.snapshot().events);
    }
    const note = records.find((r) => r.code === 'zklog.sendingEmptyDiff');
    expect(note).toMatchObject({ type: 'note', args: { mode: 'DIFF', to: 1, raw: expect.stringContaining('Sending TRUNC') } });
    expect(new Set(records.filter((r) => r.type === 'send' && r.args.to === 1 && r.args.kind !== 'NOTIFICATION').map((r) => r.args.kind))).toEqual(new Set(['DIFF']));
    expect(isMessageKey('ev.zklog.sendingEmptyDiff')).toBe(true);
  });

  it('says each thing once: a sync’s arrow by its mode and zxid, a state change by one note', () => {
    const e = new LogEngine(files());
    const records: { type: string; code: string; node?: number; args: Record<string, unknown> }[] = [];
    for (let i = 0; i < 5000 && e.snapshot().time < e.maxTime; i++) {
      e.command({ type: 'step' });
      records.push(...e.snapshot().events);
    }
    const syncs = records.filter((r) => r.type === 'deliver' && r.args.kind === 'DIFF');
    expect(syncs.length).toBeGreaterThan(0);
    for (const r of syncs) expect(String(r.args.label)).toMatch(/^\d+:\d+$/);
    // "Peer state changed: leading" and QuorumPeer.run's "LEADING" after it: one note
    const states = records.filter((r) => r.code === 'zklog.state');
    for (let i = 1; i < states.length; i++) {
      const [a, b] = [states[i - 1]!, states[i]!];
      if (a.node === b.node) expect([b.args.state, b.args.zab || null], `${JSON.stringify(a.args)} then ${JSON.stringify(b.args)}`).not.toEqual([a.args.state, null]);
    }
  });

  it('steps, steps back and seeks: the same moment gives the same picture', () => {
    const e = new LogEngine(files());
    for (let i = 0; i < 60; i++) e.command({ type: 'step' });
    const at60 = e.snapshot();
    for (let i = 0; i < 10; i++) e.command({ type: 'step' });
    for (let i = 0; i < 10; i++) e.command({ type: 'back' });
    const again = e.snapshot();
    expect(again.step).toBe(60);
    expect(again.nodes).toEqual(at60.nodes);
    e.command({ type: 'seek', time: e.maxTime });
    const end = e.snapshot();
    e.command({ type: 'seek', time: at60.time });
    e.command({ type: 'seek', time: e.maxTime });
    expect(e.snapshot().nodes).toEqual(end.nodes);
    expect(end.reset).toBe(true);
  });

  it('a line kept by its offset only is read from its file when the inspector or the event log asks', async () => {
    const bytes = files().map((f) => ({ name: f.name, bytes: new TextEncoder().encode(f.text) }));
    const reads = bytes.map(({ name, bytes: b }) => {
      const r = new ServerLogReader(null, { left: Infinity }, 'offset');
      r.pushBytes(b);
      return { name, log: r.end() };
    });
    const e = new LogEngine(reads);
    const plain = new LogEngine(files());
    e.command({ type: 'focus', id: 3 });
    plain.command({ type: 'focus', id: 3 });
    e.command({ type: 'seek', time: e.maxTime });
    plain.command({ type: 'seek', time: plain.maxTime });
    const notes = e.snapshot().events.filter((r) => r.type === 'note');
    // the events say where their lines are, not what they say
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) expect(n.args).toMatchObject({ raw: '', rawFile: expect.any(Number), rawAt: expect.any(Number), rawLen: expect.any(Number) });
    const lines = (s: ReturnType<LogEngine['snapshot']>) => ((s.nodes.find((n) => n.id === 3) as unknown as { view: { lines: { text: string }[] } }).view).lines.map((l) => l.text);
    expect(lines(e.snapshot()).every((t) => t === '…')).toBe(true);
    expect(e.wantsRawLines).toBe(true);
    await e.readRawLines(async (file, at, len) => new TextDecoder().decode(bytes[file]!.bytes.subarray(at, at + len)));
    expect(e.wantsRawLines).toBe(false);
    // once read, the inspector shows the very lines the whole text gives
    expect(lines(e.snapshot())).toEqual(lines(plain.snapshot()));
    const n = notes.at(-1)!;
    expect(new TextDecoder().decode(bytes[n.args.rawFile as number]!.bytes.subarray(n.args.rawAt as number, (n.args.rawAt as number) + (n.args.rawLen as number)))).toMatch(/^\d{4}-\d\d-\d\d /);
  });

  it('refuses to be changed: actions do nothing', () => {
    const e = new LogEngine(files());
    e.command({ type: 'seek', time: e.maxTime });
    const before = e.snapshot();
    e.command({ type: 'action', action: { verb: 'crash', id: 2 } });
    expect(e.snapshot().nodes).toEqual(before.nodes);
  });
});
