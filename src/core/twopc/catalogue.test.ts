/** Every event code, state and invariant of 2PC is named in both languages of src/i18n/twopc.ts. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { twopcMessages } from '../../i18n/twopc';
import { TWOPC_INVARIANTS } from './checker';
import { COORDINATOR_STATES, PARTICIPANT_STATES } from './twopc';

const en: Record<string, string> = twopcMessages.en;
const zh: Record<string, string> = twopcMessages.zh;
const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Note codes as written in the sources (ctx.note('twopc.x', ...), including in ternaries). */
function codesInSource(): Set<string> {
  const dir = import.meta.dirname;
  const codes = new Set<string>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/'(twopc\.\w+)'/g)) codes.add(m[1]!);
  }
  return codes;
}

describe('the 2PC catalogue', () => {
  it('has the same keys and placeholders in English and Chinese', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const k of Object.keys(en)) {
      expect(zh[k], k).toBeTruthy();
      expect(vars(zh[k]!), k).toEqual(vars(en[k]!));
    }
  });

  it('names every event code the core emits, with the arguments it passes', () => {
    const codes = codesInSource();
    expect(codes.size).toBeGreaterThan(15);
    for (const c of codes) expect(en[`ev.${c}`], `ev.${c}`).toBeTruthy();
    // and nothing stale (a `.one` key is the singular form of an emitted code's message)
    for (const k of Object.keys(en).filter((k) => k.startsWith('ev.'))) expect(codes.has(k.slice(3).replace(/\.one$/, '')), k).toBe(true);
  });

  it('names every state, role and invariant', () => {
    for (const s of [...COORDINATOR_STATES, ...PARTICIPANT_STATES, 'DOWN']) {
      expect(en[`state.${s}`], s).toBeTruthy();
      expect(en[`stateHelp.${s}`], s).toBeTruthy();
    }
    expect(en['role.coordinator']).toBeTruthy();
    expect(en['role.participant']).toBeTruthy();
    for (const inv of Object.keys(TWOPC_INVARIANTS)) expect(en[`inv.${inv}`], inv).toBeTruthy();
  });
});
