/**
 * The log reader, headless (issue 20, first part): `npm run -s logs -- FILE...` reads the logs of
 * an ensemble's servers (ZooKeeper's default layout or Debian's) and prints one JSON object: for
 * each file, the server it is (from `[myid:N]` or its threads' names), how many lines it read and
 * did not understand (with examples), the elections it took part in, and where it stood at the end
 * of its last life (state, Zab phase, last sync). Its flags and fields are a public contract.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { failer } from './args';
import { electionsOf, lastLife, readServerLog } from '../core/zklog/parse';

const USAGE = `usage: npm run -s logs -- FILE... [--myid N]
  reads ZooKeeper server logs (%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n, or Debian's
  layout without [myid:…]) and prints what each says as JSON; --myid names the server of a single
  file that never says it (else a number in the file's name, as in server3.log, is used)`;

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
  const servers = positionals.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      fail(`cannot read ${file}: ${(e as Error).message}`);
    }
    const named = values.myid !== undefined ? Number(values.myid) : Number(/(\d+)/.exec(basename(file))?.[1] ?? NaN);
    const log = readServerLog(text, Number.isFinite(named) ? named : null);
    const end = lastLife(log);
    return {
      file,
      myid: log.myid,
      lines: log.lines,
      understood: log.events.length,
      continued: log.continued,
      other: log.other,
      otherExamples: log.examples,
      starts: log.events.filter((e) => e.event.kind === 'start').length,
      /** every state it went through, with the Zab phase where the line gives it */
      states: log.events.flatMap((e): { line: number; time: string; state: string; zab: string | null }[] =>
        e.event.kind === 'state' ? [{ line: e.line, time: new Date(e.time).toISOString(), state: e.event.state, zab: e.event.zab }] : e.event.kind === 'start' ? [{ line: e.line, time: new Date(e.time).toISOString(), state: 'START', zab: null }] : [],
      ),
      /** notifications received, and from how many servers */
      notifications: log.events.filter((e) => e.event.kind === 'notification').length,
      /** each time it looked for a leader: from LOOKING to its decision, the rounds and senders of what it heard, whom it ended with */
      lookings: electionsOf(log).map((e) => ({
        from: { line: e.from.line, time: new Date(e.from.time).toISOString() },
        to: e.to && { line: e.to.line, time: new Date(e.to.time).toISOString(), state: e.to.state },
        tookMs: e.to ? e.to.time - e.from.time : null,
        loggedTookMs: e.tookMs,
        rounds: e.rounds,
        notifications: e.notifications,
        senders: e.senders,
        leader: e.leader,
      })),
      elections: log.events.flatMap((e) => (e.event.kind === 'electionTook' ? [{ line: e.line, time: new Date(e.time).toISOString(), role: e.event.role, tookMs: e.event.ms }] : [])),
      syncs: log.events.flatMap((e) => (e.event.kind === 'sync' ? [{ line: e.line, time: new Date(e.time).toISOString(), mode: e.event.mode, zxid: '0x' + e.event.zxid.toString(16) }] : [])),
      end,
    };
  });
  process.stdout.write(JSON.stringify({ servers }, null, 2) + '\n');
}

main();
