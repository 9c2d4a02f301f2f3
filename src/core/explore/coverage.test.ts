import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMessageKey } from '../../i18n/messages';
import { parseActions } from '../scenario/actionText';
import { defaultScenario } from '../scenario/scenario';
import { kitOf } from '../scenario/kits';
import { runTo } from '../scenario/run';
import { coverageOf, KNOWN_NOTES } from './coverage';

/**
 * The codes a protocol's sources note: `note('code'`, `note(env, 'code'`, both codes of a
 * `note(cond ? 'a' : 'b'`, and each value of a template (`adopts.${…}`: its cases are listed
 * below). A note call in none of these shapes fails the test, so that no code escapes the list.
 */
function notedCodes(dir: string, templates: Record<string, string[]>): Set<string> {
  const codes = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const src = readFileSync(join(dir, file), 'utf8');
    for (const m of src.matchAll(/(?<!function )\bnote\(([^)]*)/g)) {
      const call = m[1]!.replace(/^env,\s*/, '').replace(/^e,\s*/, '');
      const literal = /^'([\w.]+)'/.exec(call);
      const ternary = /^[^,?]*\?\s*'([\w.]+)'\s*:\s*'([\w.]+)'/.exec(call);
      const template = /^`([\w.]+)\$\{/.exec(call);
      if (literal) codes.add(literal[1]!);
      else if (ternary) codes.add(ternary[1]!).add(ternary[2]!);
      else if (template) for (const v of templates[template[1]!] ?? ['?']) codes.add(template[1]! + v);
      // the kernel's and Paxos's own helper pass a code through
      else if (!/^code\b/.test(call)) throw new Error(`${file}: a note call of a shape this test does not read: note(${call}`);
    }
  }
  return codes;
}

describe('the known note codes', () => {
  it('are every code the protocols note: none missing, none left over', () => {
    // winsOn says why a vote won; a decision is a ServerState but LOOKING
    const zab = notedCodes('src/core/zk', { 'adopts.': ['epoch', 'zxid', 'myid'], 'decides.': ['LEADING', 'FOLLOWING', 'OBSERVING'] });
    expect([...zab].sort()).toEqual([...KNOWN_NOTES.zab].sort());
    expect([...notedCodes('src/core/twopc', {})].sort()).toEqual([...KNOWN_NOTES['2pc']].sort());
    expect([...notedCodes('src/core/paxos', {})].sort()).toEqual([...KNOWN_NOTES.paxos].sort());
  });

  it('each have words in the message catalogue', () => {
    for (const code of Object.values(KNOWN_NOTES).flat()) expect(isMessageKey(`ev.${code}`), `ev.${code}`).toBe(true);
  });
});

describe('counting note codes', () => {
  const run = (count: boolean) => {
    const sc = defaultScenario({ voters: 3, actions: parseActions('1000 write 2; 2000 crash 3; 2500 restart 3') });
    const r = kitOf('zab').build(sc);
    if (count) r.sim.noteCounts = {};
    r.sim.start(sc.actions);
    runTo(r, 4000);
    return r.sim.noteCounts;
  };

  it('is off unless a counter is set, and then counts each code as it is noted', () => {
    expect(run(false)).toBeNull();
    const counts = run(true)!;
    // three servers look at the start and after the leader's crash two, then the restarted one
    expect(counts.looking).toBeGreaterThanOrEqual(5);
    expect(counts['write.proposed']).toBe(2);
    expect(counts.commits).toBe(2);
  });

  it('reports the known codes never reached, and codes the list lacks', () => {
    const c = coverageOf('zab', { commits: 3, looking: 1, 'no.such.code': 2 });
    expect(c.counts).toEqual({ commits: 3, looking: 1, 'no.such.code': 2 });
    expect(c.neverReached).not.toContain('commits');
    expect(c.neverReached).toContain('loadsSnapshot');
    expect(c.neverReached.length).toBe(KNOWN_NOTES.zab.length - 2);
    expect(c.unknown).toEqual(['no.such.code']);
  });
});
