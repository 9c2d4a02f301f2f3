/** The invariant checker on runs whose disks and states are tampered with by hand. */
import { describe, expect, it } from 'vitest';
import type { Ballot } from './ballot';
import type { AcceptorState, AcceptRecord, LearnerState } from './state';
import { runUntil, startRun, type PaxosRun } from './testkit';

const b = (round: number, proposer: number): Ballot => ({ round, proposer });

/** Basic Paxos with v1 chosen at ballot 1.4 by acceptors 1-3. */
function decided(): PaxosRun {
  const r = startRun({ actions: [{ at: 1000, action: { verb: 'write', count: 1, node: 4 } }] });
  runUntil(r, 2000);
  expect(r.checker.violations).toEqual([]);
  expect(r.checker.st.chosen[0]).toMatchObject({ value: 'v1', ballot: '1.4' });
  return r;
}

const vote = (r: PaxosRun, id: number, rec: AcceptRecord) => ((r.sim.node(id).durable.accepts ??= []) as AcceptRecord[]).push(rec);
const invariants = (r: PaxosRun) => r.checker.violations.map((v) => v.invariant);

describe('PaxosChecker', () => {
  it('Agreement: a second value chosen in the same slot (a majority on another ballot)', () => {
    const r = decided();
    r.checker.st.proposed.v2 = true;
    vote(r, 1, { slot: 0, ballot: b(2, 5), value: 'v2' });
    r.checker.afterStep(r.sim);
    expect(r.checker.violations).toEqual([]); // one acceptor is no majority
    vote(r, 2, { slot: 0, ballot: b(2, 5), value: 'v2' });
    r.checker.afterStep(r.sim);
    const v = r.checker.violations.find((x) => x.invariant === 'Agreement')!;
    const first = r.checker.st.chosen[0]!.by;
    expect(v.message).toBe(`slot 0: v1 was chosen at 1.4 by {${first.join(',')}}, then v2 at 2.5 by {1,2}`);
    expect(new Set(v.nodes)).toEqual(new Set([...first, 1, 2]));
  });

  it('Agreement: the same value chosen again at a higher ballot is fine', () => {
    const r = decided();
    for (const id of [2, 3]) vote(r, id, { slot: 0, ballot: b(2, 5), value: 'v1' });
    r.checker.afterStep(r.sim);
    expect(r.checker.violations).toEqual([]);
  });

  it('Agreement: a learner that learned something else than the chosen value', () => {
    const r = decided();
    (r.sim.node(6).state as LearnerState).learned.push('v7');
    r.checker.afterStep(r.sim);
    expect(r.checker.violations.map((v) => v.message)).toEqual(['server 6 learned v7 in slot 1, which no majority accepted']);
    const other = decided();
    (other.sim.node(6).state as LearnerState).learned[0] = 'v7';
    (other.sim.node(6).state as LearnerState).learned = [...(other.sim.node(6).state as LearnerState).learned];
    other.checker.afterStep(other.sim);
    expect(other.checker.violations[0]!.message).toBe('server 6 learned v7 in slot 0, where v1 was chosen at 1.4');
  });

  it('Validity: a chosen value no client wrote', () => {
    const r = startRun({ mode: 'multi' });
    runUntil(r, 100);
    for (const id of [1, 3]) vote(r, id, { slot: 0, ballot: b(1, 4), value: 'v99' });
    r.checker.afterStep(r.sim);
    expect(invariants(r)).toEqual(['Validity']);
    expect(r.checker.violations[0]!.nodes).toEqual([1, 3]);
  });

  it('PromiseKept: a promise falling on disk or in memory, and a vote below the promise', () => {
    const r = decided();
    vote(r, 3, { slot: 1, ballot: b(1, 3), value: 'v1' });
    r.checker.afterStep(r.sim);
    expect(r.checker.violations.map((v) => v.message)).toContain('acceptor 3 accepted 1.3 v1 in slot 1 after promising 1.4');
    r.sim.node(2).durable.promised = b(1, 2);
    r.checker.afterStep(r.sim);
    expect(r.checker.violations.map((v) => v.message)).toContain("acceptor 2's promise on disk fell from 1.4 to 1.2");
    (r.sim.node(1).state as AcceptorState).promised = b(0, 0);
    r.checker.afterStep(r.sim);
    expect(r.checker.violations.map((v) => v.message)).toContain('acceptor 1 holds promise 0 after promising 1.4');
    expect(new Set(invariants(r))).toEqual(new Set(['PromiseKept']));
  });

  it('its memory is plain data: a checkpoint is a copy, and restore goes back to it', () => {
    const r = decided();
    const cp = r.checker.checkpoint();
    expect(structuredClone(cp)).toEqual(cp);
    r.checker.st.proposed.v2 = true;
    for (const id of [1, 2]) vote(r, id, { slot: 0, ballot: b(2, 5), value: 'v2' });
    r.checker.afterStep(r.sim);
    expect(r.checker.violations).toHaveLength(1);
    expect((cp as { violations: unknown[] }).violations).toHaveLength(0);
    r.checker.restore(cp);
    expect(r.checker.violations).toHaveLength(0);
    expect(r.checker.st.read[1]).toBe(1);
  });
});
