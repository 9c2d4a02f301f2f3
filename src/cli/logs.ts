/**
 * The log reader, headless (issue 20): `npm run -s logs -- FILE|FOLDER...` reads the logs of an
 * ensemble's servers (ZooKeeper's default layout or Debian's, plain or .gz, rotated files, whole
 * folders) and prints one JSON object: for each file, the server it is (from `[myid:N]`, its
 * threads' names or the file's name), how many lines it read and did not understand (with
 * examples), the elections it took part in, and where it stood at the end of its last life; then,
 * for the ensemble on one clock-aligned timeline, each server's last state, the elections, the
 * syncs and every stretch without a leader with why. Its flags and fields are a public contract.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { failer, isoOf } from './args';
import { electionsOf, lastLife, ServerLogReader, type ServerLog } from '../core/zklog/parse';
import { eventsByServer, idFromName, readEnsemble, type LogFileRead, type LogWarning } from '../core/zklog/ensemble';
import { summarize } from '../core/zklog/summary';

const USAGE = `usage: npm run -s logs -- FILE|FOLDER... [--myid N]
  reads ZooKeeper server logs (%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n, or Debian's
  layout without [myid:…]; .gz too; a folder is read whole) and prints what they say as JSON;
  --myid names the server of a single file that never says it (else a number in the file's name,
  as in server3.log, is used). Exit status 2 if nothing could be read.`;

const fail: (msg: string) => never = failer('logs', USAGE);

function main(): void {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ options: { myid: { type: 'string' }, help: { type: 'boolean' } }, strict: true, allowPositionals: true }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (positionals.length === 0) fail('name at least one log file');
  if (values.myid !== undefined && (positionals.length > 1 || !/^\d+$/.test(values.myid))) fail('--myid takes a number, for a single file');
  const warnings: LogWarning[] = [];
  const inputs: LogFileRead[] = [];
  for (const path of expand(positionals, warnings)) {
    try {
      inputs.push({ name: path, log: readFile(path, values.myid !== undefined ? Number(values.myid) : idFromName(path), warnings) });
    } catch (e) {
      warnings.push({ file: path, line: 0, code: 'unreadable', text: (e as Error).message });
    }
  }
  const ens = readEnsemble(inputs);
  warnings.push(...ens.warnings);
  if (ens.servers.length === 0) {
    // what to do about it, where the warnings say
    const hint = warnings.some((w) => w.code === 'noServer') ? '; a log whose lines never name their server (Debian\'s layout before the peer starts) needs --myid N, or a number in its file\'s name' : '';
    fail(`nothing could be read as a ZooKeeper server log${warnings.length ? ': ' + warnings.map((w) => `${w.file} (${w.code}${w.text ? ': ' + w.text.slice(0, 120) : ''})`).join('; ') : inputs.length === 0 ? ': no files in ' + positionals.join(', ') : ''}${hint}`);
  }
  const iso = (t: number | null) => (t === null ? null : isoOf(t));
  const hex = (z: number | null) => (z === null ? null : '0x' + z.toString(16));
  const servers = serverEntries(inputs.map(({ name }, i) => ({ name, log: ens.logs[i]! })));
  const sum = summarize(ens);
  const final: Record<string, { state: string | null; leader: number | null; epoch: number | null; zxid: string | null }> = {};
  // a server whose log shows no state yet is LOOKING: QuorumPeer starts so (its field's initial value)
  for (const [id, f] of Object.entries(sum.final)) final[id] = { ...f, state: f.state ?? 'LOOKING', zxid: hex(f.zxid) };
  // a stretch still without a leader when the logs end runs to their last line (`open`)
  let last: number | null = ens.beats.length > 0 ? ens.beats[ens.beats.length - 1]!.t : null;
  for (const l of ens.logs) if (l.last !== null && l.myid !== null && ens.skew[l.myid] !== undefined) last = Math.max(last ?? -Infinity, l.last + ens.skew[l.myid]!);
  const out = {
    servers,
    final,
    elections: sum.elections.map((e) => ({ start: iso(e.start), end: iso(e.end), leader: e.leader, epoch: e.epoch, durationMs: e.durationMs, reportedMs: e.reportedMs, join: e.join, servers: e.servers })),
    syncs: sum.syncs.map((y) => ({ time: iso(y.time), learner: y.learner, leader: y.leader, mode: y.mode, zxid: hex(y.zxid) })),
    gaps: sum.gaps.map((g) => ({ from: iso(g.from), to: iso(g.to ?? last), ms: g.ms ?? (last === null ? null : last - g.from), ...(g.to === null ? { open: true } : {}), reasons: g.reasons, evidence: g.evidence.map((x) => ({ reason: x.reason, server: x.node, time: iso(x.t), file: ens.files[x.file]!.name, line: x.line, ...x.args })) })),
    /** ms added to each server's clock to put every causal pair in order, and how many pairs were seen */
    skew: { ms: ens.skew, pairs: ens.pairs },
    warnings,
  };
  writeJson(out);
}

type Line = { line: number; time: string; file?: number };

/**
 * One entry per server (the issue's contract: its `files`, `starts` as ISO times), its rotated
 * files oldest first, their lists one after the other; a file whose server cannot be told is an
 * entry of its own. Where a server has several files, each listed line says which (`file`, an
 * index into `files`).
 */
function serverEntries(reads: readonly { name: string; log: ServerLog }[]) {
  const groups = new Map<number | string, { name: string; log: ServerLog }[]>();
  const add = (key: number | string, r: { name: string; log: ServerLog }) => {
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  };
  reads.forEach((r, i) => {
    const byId = eventsByServer(r.log);
    if (byId.size === 0) return add(`file ${i}`, r);
    // a file of two servers: each its own events; the file's counts go to the server it names first
    for (const [id, events] of byId) add(id, id === r.log.myid ? (events === r.log.events ? r : { ...r, log: { ...r.log, events } }) : { ...r, log: { ...r.log, myid: id, events, lines: 0, continued: 0, other: 0, examples: [] } });
  });
  return [...groups.values()].map((g) => {
    const parts = g.map((r, i) => ({ ...r, i })).sort((a, b) => (a.log.first ?? Infinity) - (b.log.first ?? Infinity) || a.i - b.i);
    const several = parts.length > 1;
    // a line's file, where there are several (set after: a spread per item costs a tenth of the run)
    const inFile = <T extends Line>(x: T, k: number): T => (several && (x.file = k), x);
    const starts: string[] = [];
    let notifications = 0;
    const states: (Line & { state: string; zab: string | null })[] = [];
    const elections: (Line & { role: string; tookMs: number })[] = [];
    const syncs: (Line & { mode: string; zxid: string })[] = [];
    const lookings: unknown[] = [];
    parts.forEach(({ log }, k) => {
      // its events' lists in one pass (a real log's are counted in hundreds of thousands)
      for (const e of log.events) {
        const ev = e.event;
        if (ev.kind === 'notification') notifications++;
        else if (ev.kind === 'start' || ev.kind === 'state') {
          if (ev.kind === 'start') starts.push(isoOf(e.time));
          const state = ev.kind === 'start' ? 'START' : ev.state;
          const zab = ev.kind === 'start' ? null : ev.zab;
          // QuorumPeer.run's bare "FOLLOWING" repeats the change
          if (!(zab === null && states.length > 0 && states[states.length - 1]!.state === state)) states.push(inFile({ line: e.line, time: isoOf(e.time), state, zab }, k));
        } else if (ev.kind === 'electionTook') elections.push(inFile({ line: e.line, time: isoOf(e.time), role: ev.role, tookMs: ev.ms }, k));
        else if (ev.kind === 'sync') syncs.push(inFile({ line: e.line, time: isoOf(e.time), mode: ev.mode, zxid: '0x' + ev.zxid.toString(16) }, k));
      }
      for (const e of electionsOf(log))
        lookings.push({
          from: inFile({ line: e.from.line, time: isoOf(e.from.time) }, k),
          to: e.to && inFile({ line: e.to.line, time: isoOf(e.to.time), state: e.to.state }, k),
          tookMs: e.to ? e.to.time - e.from.time : null,
          loggedTookMs: e.tookMs,
          rounds: e.rounds,
          notifications: e.notifications,
          senders: e.senders,
          leader: e.leader,
        });
    });
    const sum = (f: (l: ServerLog) => number) => parts.reduce((n, p) => n + f(p.log), 0);
    const log = parts[0]!.log;
    return {
      file: parts[0]!.name,
      myid: log.myid,
      /** the server, as the ensemble's fields name it, and the files read for this entry */
      id: log.myid,
      files: parts.map((p) => p.name),
      lines: sum((l) => l.lines),
      understood: sum((l) => l.events.length),
      continued: sum((l) => l.continued),
      other: sum((l) => l.other),
      otherExamples: parts.flatMap((p) => p.log.examples),
      /** when each of its processes started (its own clock) */
      starts,
      /** every state it went through, with the Zab phase where the line gives it */
      states,
      /** notifications received, and from how many servers */
      notifications,
      /** each time it looked for a leader: from LOOKING to its decision, the rounds and senders of what it heard, whom it ended with */
      lookings,
      elections,
      syncs,
      // where the last life stood: it may have begun in an older file
      end: lastLife(several ? { ...log, events: parts.flatMap((p) => p.log.events) } : log),
    };
  });
}

/**
 * What JSON.stringify(out, null, 2) + '\n' writes, a server's entry at a time: a large log's
 * output is tens of MB, and no one string of it all is built. Each entry is written as the whole
 * would indent it (it is stringified two arrays deep, and the arrays cut away).
 */
function writeJson(out: { servers: unknown[] } & Record<string, unknown>): void {
  const { servers, ...rest } = out;
  const w = (s: string) => process.stdout.write(s);
  w('{\n  "servers": [');
  servers.forEach((e, i) => w((i ? ',\n    ' : '\n    ') + JSON.stringify([[e]], null, 2).slice(10, -6)));
  w(servers.length ? '\n  ]' : ']');
  const tail = JSON.stringify(rest, null, 2);
  w(tail === '{}' ? '\n}\n' : ',\n' + tail.slice(2) + '\n');
}

/** One file read a chunk at a time (a .gz whole, then in slices): only what the reader keeps stays in memory. */
function readFile(path: string, fallbackId: number | null, warnings: LogWarning[]): ServerLog {
  // the CLI prints no line: none is kept (only a line that names another server, for its warning)
  const reader = new ServerLogReader(fallbackId, undefined, 'none');
  if (path.endsWith('.gz')) {
    const gz = readFileSync(path);
    let bytes: Buffer;
    try {
      bytes = gunzipSync(gz);
    } catch (e) {
      // a file cut short: what it holds up to the cut (a flush instead of an end), if anything
      bytes = gunzipSync(gz, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      if (bytes.length === 0) throw e;
      warnings.push({ file: path, line: 0, code: 'truncated', text: (e as Error).message });
    }
    for (let i = 0; i < bytes.length; i += 1 << 22) reader.pushBytes(bytes.subarray(i, i + (1 << 22)), false);
    return reader.end();
  }
  const fd = openSync(path, 'r');
  try {
    // bytes, not text: most lines are told apart by their bytes and never decoded
    const buf = Buffer.alloc(1 << 22);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      reader.pushBytes(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return reader.end();
}

/** The files named, a folder's files (all of them, in name order) in its place. */
function expand(paths: readonly string[], warnings: LogWarning[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      warnings.push({ file: p, line: 0, code: 'unreadable', text: (e as Error).message });
      continue;
    }
    if (st.isDirectory()) out.push(...expand(readdirSync(p).sort().map((f) => join(p, f)), warnings));
    else out.push(p);
  }
  return out;
}

main();
