/** What a node shows: its state name, and a face of protocol terms and numbers only. */
import { describe, expect, it } from 'vitest';
import type { TimedAction } from '../sim/actions';
import { labelOf } from './messages';
import { ACCEPTOR_STATES, LEARNER_STATES, PROPOSER_STATES, type PaxosView } from './paxos';
import { runUntil, startRun, type PaxosRun } from './testkit';

const TERM = /^(promised|acc|round|chosen|promises|accepts|backoff|leader|learned|open|from|slot|n=\d+\.\d+|\d+(\.\d+)?|\d+\/\d+|v\d+|noop|—)$/;
const STATES = { acceptor: ACCEPTOR_STATES, proposer: PROPOSER_STATES, learner: LEARNER_STATES } as const;

/** Every face seen after each step of a run. */
function faces(r: PaxosRun, until: number): PaxosView[] {
  const out: PaxosView[] = [];
  while ((r.sim.nextEventTime() ?? Infinity) <= until) {
    r.sim.step();
    for (const id of r.sim.nodeIds()) {
      const n = r.sim.node(id);
      if (n.up && n.state) out.push(r.sim.protocol.view(n.state, n.durable, false));
    }
  }
  return out;
}

const w = (at: number, node?: number, count = 1): TimedAction => ({ at, action: node === undefined ? { verb: 'write', count } : { verb: 'write', count, node } });

describe('the view', () => {
  it('uses only the declared state names and draws 1–2 short lines of protocol terms, and a log tail', () => {
    const runs = [
      startRun({ seed: 1, timing: { backoffMin: 0, backoffMax: 30 }, actions: [w(1000, 4), w(1000, 5)] }),
      startRun({ mode: 'multi', seed: 2, actions: [w(1500, undefined, 30), { at: 2000, action: { verb: 'partition', groups: [[4], [5]] } }, { at: 4000, action: { verb: 'heal' } }, w(6000, undefined, 3)] }),
    ];
    const seen = new Set<string>();
    for (const r of runs) {
      for (const v of faces(r, 8000)) {
        seen.add(v.state);
        expect(STATES[v.role] as readonly string[]).toContain(v.state);
        expect(v.face.lines.length).toBeGreaterThanOrEqual(1);
        expect(v.face.lines.length).toBeLessThanOrEqual(2);
        for (const line of v.face.lines) {
          expect(line.length, line).toBeLessThanOrEqual(24);
          for (const tok of line.split(' ')) expect(tok, line).toMatch(TERM);
        }
        expect(v.face.log.length).toBeLessThanOrEqual(12);
      }
    }
    for (const s of ['ACCEPTOR', 'PROMISED', 'ACCEPTED', 'IDLE', 'PREPARING', 'ACCEPTING', 'BACKOFF', 'DECIDED', 'LEADER', 'LEARNER', 'LEARNED']) expect(seen, s).toContain(s);
  });

  it('multi: the leader shows its ballot and log; committed for chosen slots, pending for open ones', () => {
    const r = startRun({ mode: 'multi', actions: [w(3000, undefined, 14)] });
    runUntil(r, 3012);
    const leader = [4, 5].find((id) => r.sim.view(id).state === 'LEADER')!;
    const v = r.sim.protocol.view(r.sim.node(leader).state!, {}, false);
    expect(v.face.log.map((x) => x.status)).toContain('pending');
    runUntil(r, 4000);
    const after = r.sim.protocol.view(r.sim.node(leader).state!, {}, false);
    expect(after.face.lines[1]).toBe('chosen 14 open 0');
    expect(after.face.log).toHaveLength(12);
    expect(after.face.log[0]).toEqual({ label: '2:v3', status: 'committed' });
    expect(r.sim.protocol.view(r.sim.node(1).state!, {}, false).face.lines).toEqual([`promised ${after.ballot}`, `acc ${after.ballot} slot 13`]);
    expect(r.sim.protocol.view(r.sim.node(6).state!, {}, false).face.lines).toEqual(['learned 14']);
    expect(r.sim.view(6, true)).toMatchObject({ role: 'learner', state: 'LEARNED', upTo: 14 });
  });

  it('labels messages shortly', () => {
    const n = { round: 2, proposer: 5 };
    expect(labelOf({ kind: 'PREPARE', ballot: n, from: 0 }, false)).toBe('n=2.5');
    expect(labelOf({ kind: 'PREPARE', ballot: n, from: 3 }, true)).toBe('n=2.5 from 3');
    expect(labelOf({ kind: 'PROMISE', ballot: n, from: 0, accepted: [{ slot: 0, ballot: { round: 1, proposer: 4 }, value: 'v7', chosen: false }] }, false)).toBe('2.5 acc 1.4 v7');
    expect(labelOf({ kind: 'NACK', ballot: { round: 1, proposer: 4 }, promised: n }, false)).toBe('1.4 < 2.5');
    expect(labelOf({ kind: 'ACCEPT', ballot: n, slot: 0, value: 'v7' }, false)).toBe('2.5 v7');
    expect(labelOf({ kind: 'ACCEPTED', ballot: n, slot: 3, value: 'v9' }, true)).toBe('2.5 slot 3 v9');
    expect(labelOf({ kind: 'CHOSEN', slot: 3, values: ['v9'] }, true)).toBe('slot 3 v9');
    expect(labelOf({ kind: 'CHOSEN', slot: 3, values: ['v9', 'v10'] }, true)).toBe('slots 3–4');
    expect(labelOf({ kind: 'HEARTBEAT', ballot: n, chosenUpTo: 12 }, true)).toBe('2.5 chosen 12');
    expect(labelOf({ kind: 'CATCHUP', from: 12 }, true)).toBe('from 12');
  });
});
