/** src/i18n/paxos.ts names everything the core shows: notes, states, roles, invariants. */
import { describe, expect, it } from 'vitest';
import { paxosMessages } from '../../i18n/paxos';
import type { TimedAction } from '../sim/actions';
import { PAXOS_INVARIANTS } from './checker';
import { ACCEPTOR_STATES, LEARNER_STATES, PROPOSER_STATES } from './paxos';
import { NOTE_CODES } from './state';
import { runUntil, startRun } from './testkit';

const en: Record<string, string> = paxosMessages.en;
const zh: Record<string, string> = paxosMessages.zh;
const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('the Paxos message catalogue', () => {
  it('has the same keys in English and Chinese, with the same placeholders', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const k of Object.keys(en)) expect(vars(zh[k]!), k).toEqual(vars(en[k]!));
  });

  it('names every note code, state, role and invariant', () => {
    for (const c of NOTE_CODES) expect(en[`ev.${c}`], c).toBeTruthy();
    for (const st of [...ACCEPTOR_STATES, ...PROPOSER_STATES, ...LEARNER_STATES]) {
      expect(en[`state.${st}`], st).toBeTruthy();
      expect(en[`stateHelp.${st}`], st).toBeTruthy();
    }
    for (const r of ['acceptor', 'proposer', 'learner']) expect(en[`role.${r}`]).toBeTruthy();
    for (const inv of Object.keys(PAXOS_INVARIANTS)) expect(en[`inv.${inv}`], inv).toBeTruthy();
  });

  it('every note emitted under faults has a known code and fills every placeholder of its text', () => {
    const w = (at: number, node?: number, count = 1): TimedAction => ({ at, action: node === undefined ? { verb: 'write', count } : { verb: 'write', count, node } });
    const runs = [
      startRun({ seed: 1, records: true, timing: { backoffMin: 0, backoffMax: 30 }, actions: [w(1000, 4), w(1000, 5), w(1000, 4), w(3000, 5), w(3000, 1), { at: 500, action: { verb: 'diskfail', id: 2 } }] }),
      startRun({ seed: 2, records: true, net: { loss: 0.3 }, actions: [w(1000, 4), w(1200, 5)] }),
      startRun({ mode: 'multi', seed: 3, records: true, ablations: { forgetPromise: true }, actions: [
        w(1500, undefined, 3), w(1500, 5), { at: 2000, action: { verb: 'diskfail', id: 6 } }, w(2100, undefined, 2),
        { at: 2500, action: { verb: 'partition', groups: [[4], [5]] } }, w(2600, 4), w(2600, 5),
        { at: 3000, action: { verb: 'crash', id: 1 } }, { at: 3100, action: { verb: 'restart', id: 1 } }, { at: 4000, action: { verb: 'heal' } },
        w(6000, undefined, 2), { at: 6200, action: { verb: 'crash', id: 4 } }, { at: 6200, action: { verb: 'crash', id: 5 } }, { at: 7000, action: { verb: 'restart', id: 4 } }, { at: 7000, action: { verb: 'restart', id: 5 } },
      ] }),
    ];
    const seen = new Set<string>();
    for (const r of runs) {
      runUntil(r, 12_000);
      for (const x of r.sim.records!) {
        if (x.type !== 'note') continue;
        seen.add(x.code);
        const text = en[`ev.${x.code}`];
        expect(text, x.code).toBeTruthy();
        for (const v of vars(text!)) expect(x.args[v], `${x.code} {${v}}`).toBeDefined();
      }
    }
    expect(seen.size).toBeGreaterThan(15);
  });
});
