/**
 * Golden transcripts, in the style of etcd raft's testdata: each file under testdata/zab holds
 * scripts, each followed by the event log it produces (in English, as the page words it, without
 * heartbeats). A change of behaviour shows as a diff of readable lines; a wanted one is accepted by
 * running the tests with UPDATE_TRANSCRIPTS=1 and reading the diff before committing it.
 *
 * A script is one line, `run key=value ...` (voters, observers, seed, from, until, and actions in
 * the CLI's action language, quoted), then `----`, then its log, up to a blank line.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseActions } from '../core/scenario/actionText';
import { defaultScenario } from '../core/scenario/scenario';
import { buildRun, runTo } from '../core/scenario/run';
import { labelMessages, type TraceRecord } from '../core/sim/simulator';
import { describeEvent } from './describe';
import { formatTime } from './format';
import { nodeName } from '../state/clients';

const DIR = join('testdata', 'zab');
const UPDATE = process.env.UPDATE_TRANSCRIPTS === '1';

interface Case {
  /** the `run ...` line as written */
  directive: string;
  expected: string[];
}

/** Split a file into its cases, each with the comment lines before it (and those after the last). */
function parse(text: string): { cases: Case[]; comments: string[][] } {
  const lines = text.split('\n');
  const cases: Case[] = [];
  const comments: string[][] = [];
  let pending: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('run ')) {
      if (line !== '' && !line.startsWith('#')) throw new Error(`a comment (#) or a 'run' line expected: ${line}`);
      pending.push(line);
      continue;
    }
    if (lines[i + 1] !== '----') throw new Error(`${line}: '----' expected on the next line`);
    const expected: string[] = [];
    for (i += 2; i < lines.length && lines[i] !== ''; i++) expected.push(lines[i]!);
    comments.push(pending);
    pending = [];
    cases.push({ directive: line, expected });
  }
  return { cases, comments: [...comments, pending] };
}

/** `run voters=3 until=2000 actions="1000 crash 3"` into its settings. */
function settings(directive: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of directive.slice(4).matchAll(/(\w+)=("([^"]*)"|\S+)/g)) out[m[1]!] = m[3] ?? m[2]!;
  return out;
}

/** Run a script and word its event log as the page does (heartbeats left out). */
function transcript(directive: string): string[] {
  const o = settings(directive);
  const sc = defaultScenario({
    voters: Number(o.voters ?? 3),
    observers: Number(o.observers ?? 0),
    seed: Number(o.seed ?? 1),
    actions: parseActions(o.actions ?? ''),
  });
  const run = buildRun(sc);
  run.sim.records = [];
  runTo(run, Number(o.until ?? 2000));
  const from = Number(o.from ?? 0);
  const label = (m: unknown) => run.sim.protocol.label(m as never);
  const shown = labelMessages(run.sim.records, label).filter(
    (r: TraceRecord) => r.time >= from && r.type !== 'send' && r.type !== 'timer' && r.type !== 'disk' && r.kind !== 'PING',
  );
  return shown.map((r) => `${formatTime(r.time).padStart(9)} ${r.node ? nodeName(r.node) : '—'} ${describeEvent('en', r.code, r.args)}`);
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.txt'));

describe('golden transcripts (testdata/zab)', () => {
  it('has the scripts the protocol reference walks through', () => {
    expect(files.sort()).toEqual(['clients.txt', 'diff.txt', 'first-election.txt', 'leader-crash.txt', 'snap.txt', 'split-brain.txt', 'trunc.txt']);
  });

  it('words every event in full: no placeholder is left unfilled, in either language', () => {
    for (const file of files) {
      for (const c of parse(readFileSync(join(DIR, file), 'utf8')).cases) {
        for (const line of transcript(c.directive)) expect(line, `${file}: ${c.directive}`).not.toMatch(/\{[a-z]+\}/i);
      }
    }
  });

  for (const file of files) {
    it(`${file}: every script still produces its event log`, () => {
      const path = join(DIR, file);
      const { cases, comments } = parse(readFileSync(path, 'utf8'));
      expect(cases.length).toBeGreaterThan(0);
      const actual = cases.map((c) => transcript(c.directive));
      if (UPDATE) {
        const out: string[] = [];
        cases.forEach((c, i) => out.push(...comments[i]!.filter((l, k) => l !== '' || k > 0), c.directive, '----', ...actual[i]!, ''));
        out.push(...comments[cases.length]!.filter((l) => l !== ''));
        writeFileSync(path, out.join('\n').replace(/\n*$/, '\n'));
        return;
      }
      cases.forEach((c, i) => expect(actual[i]!.join('\n'), `${file}: ${c.directive}`).toBe(c.expected.join('\n')));
    });
  }
});
