/** Whole ensembles on the real simulator: 3 acceptors, 2 proposers (4, 5), 1 learner (6). */
import { describe, expect, it } from 'vitest';
import type { TimedAction } from '../sim/actions';
import type { NodeId } from '../sim/types';
import type { LearnerState, PaxosNode, ProposerState } from './state';
import { runUntil, startRun, type PaxosRun } from './testkit';

const write = (at: number, node?: NodeId, count = 1): TimedAction => ({ at, action: node === undefined ? { verb: 'write', count } : { verb: 'write', count, node } });
const state = <T extends PaxosNode>(r: PaxosRun, id: NodeId) => r.sim.node(id).state as T;
const notes = (r: PaxosRun, code: string) => r.sim.records!.filter((x) => x.code === code);

describe('basic Paxos', () => {
  it("one proposer's write is chosen and learned, and the others find out", () => {
    const r = startRun({ records: true, actions: [write(1000, 4)] });
    runUntil(r, 3000);
    expect(r.checker.violations).toEqual([]);
    expect(state<ProposerState>(r, 4).decided).toBe('v1');
    expect(state<LearnerState>(r, 6).learned).toEqual(['v1']);
    for (const a of [1, 2, 3]) expect(r.sim.view(a).state).toBe('ACCEPTED');
    expect(r.sim.view(6).state).toBe('LEARNED');
    // a message pattern a person can follow: PREPARE → PROMISE → ACCEPT → ACCEPTED → CHOSEN
    const kinds = [...new Set(r.sim.records!.filter((x) => x.type === 'send').map((x) => x.kind))];
    expect(kinds).toEqual(['PREPARE', 'PROMISE', 'ACCEPT', 'ACCEPTED', 'CHOSEN']);
    expect(r.sim.view(4).state).toBe('DECIDED');
  });

  it('a proposer arriving late adopts the chosen value instead of its own', () => {
    const r = startRun({ records: true, actions: [write(1000, 4), write(2000, 5)] });
    runUntil(r, 3000);
    expect(state<ProposerState>(r, 5).decided).toBe('v1');
    expect(notes(r, 'paxos.adopted')).toHaveLength(1);
    expect(r.sim.protocol.view(state(r, 5), {}, false).face.log).toEqual([
      { label: 'v2', status: 'aborted' },
      { label: 'v1', status: 'committed' },
    ]);
  });

  it('two proposers writing at the same moment duel (repeated preemptions) and still agree on one value', () => {
    let longest = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = startRun({ seed, records: true, timing: { backoffMin: 0, backoffMax: 30 }, actions: [write(1000, 4), write(1000, 5)] });
      runUntil(r, 5000);
      expect(r.checker.violations).toEqual([]);
      const [p4, p5, l] = [state<ProposerState>(r, 4), state<ProposerState>(r, 5), state<LearnerState>(r, 6)];
      expect(p4.decided, `seed ${seed}`).not.toBeNull();
      expect(p5.decided).toBe(p4.decided);
      expect(l.learned).toEqual([p4.decided]);
      longest = Math.max(longest, notes(r, 'paxos.preempted').length);
    }
    expect(longest).toBeGreaterThanOrEqual(2);
  });

  it('decides despite message loss, by timeouts and higher rounds', () => {
    const r = startRun({ seed: 3, records: true, net: { loss: 0.3 }, actions: [write(1000, 4), write(1100, 5)] });
    runUntil(r, 20_000);
    expect(r.checker.violations).toEqual([]);
    const p4 = state<ProposerState>(r, 4);
    expect(p4.decided).not.toBeNull();
    expect(state<ProposerState>(r, 5).decided).toBe(p4.decided);
  });

  it('a minority of acceptors down does not stop it; a majority down does', () => {
    const ok = startRun({ actions: [{ at: 0, action: { verb: 'crash', id: 1 } }, write(1000, 4)] });
    runUntil(ok, 3000);
    expect(state<ProposerState>(ok, 4).decided).toBe('v1');
    const stuck = startRun({ actions: [{ at: 0, action: { verb: 'crash', id: 1 } }, { at: 0, action: { verb: 'crash', id: 2 } }, write(1000, 4)] });
    runUntil(stuck, 5000);
    expect(state<ProposerState>(stuck, 4).decided).toBeNull();
    expect(stuck.sim.view(4).state).toMatch(/PREPARING|BACKOFF/);
  });
});

describe('Multi-Paxos', () => {
  const leaderOf = (r: PaxosRun) => [4, 5].find((id) => r.sim.view(id).state === 'LEADER');

  it('20 writes at the leader: chosen in order, with phase 1 run once and phase 2 per write', () => {
    const r = startRun({ mode: 'multi', records: true, actions: [write(3000, undefined, 20)] });
    runUntil(r, 2999);
    const leader = leaderOf(r)!;
    expect(leader).toBeDefined();
    expect(notes(r, 'paxos.prepare')).toHaveLength(1);
    const before = r.sim.records!.length;
    runUntil(r, 6000);
    expect(r.checker.violations).toEqual([]);
    const p = state<ProposerState>(r, leader);
    expect(p.phase1Runs).toBe(1);
    expect(p.chosenUpTo).toBe(20);
    const values = Array.from({ length: 20 }, (_, i) => `v${i + 1}`);
    expect(p.log.map((e) => e?.value)).toEqual(values);
    expect(state<LearnerState>(r, 6).learned).toEqual(values);
    // during the writes no PREPARE: phase 2 (ACCEPT, ACCEPTED) and its commit (CHOSEN) per write,
    // plus heartbeats, and the other proposer catching up on the chosen log (CATCHUP → CHOSEN)
    const sent = r.sim.records!.slice(before).filter((x) => x.type === 'send');
    expect(new Set(sent.map((x) => x.kind))).toEqual(new Set(['ACCEPT', 'ACCEPTED', 'CHOSEN', 'HEARTBEAT', 'CATCHUP']));
    const count = (k: string, to = [1, 2, 3, 4, 5, 6]) => sent.filter((x) => x.kind === k && to.includes(x.peer!)).length;
    expect(count('ACCEPT')).toBe(20 * 3);
    expect(count('ACCEPTED')).toBe(20 * 3);
    expect(count('CHOSEN', [1, 2, 3, 6])).toBe(20 * 4); // to the 3 acceptors and the learner
    expect(sent.filter((x) => x.kind === 'CATCHUP').every((x) => x.node !== leader && x.peer === leader)).toBe(true);
    expect(notes(r, 'paxos.learned').map((x) => x.args.slot)).toEqual(values.map((_, i) => String(i)));
  });

  it('the leader crashes: another proposer takes over with a higher ballot and the log goes on without loss', () => {
    const r = startRun({ mode: 'multi', seed: 2, records: true, actions: [write(3000, undefined, 10)] });
    runUntil(r, 2999);
    const old = leaderOf(r)!;
    const other = old === 4 ? 5 : 4;
    r.sim.schedule({ at: 4000, action: { verb: 'crash', id: old } });
    r.sim.schedule(write(7000, undefined, 10));
    r.sim.schedule({ at: 8000, action: { verb: 'restart', id: old } });
    runUntil(r, 4000);
    const oldBallot = state<ProposerState>(r, other).leaderBallot!;
    runUntil(r, 10_000);
    expect(r.checker.violations).toEqual([]);
    expect(leaderOf(r)).toBe(other);
    const p = state<ProposerState>(r, other);
    expect(p.ballot!.round).toBeGreaterThan(oldBallot.round);
    const values = Array.from({ length: 20 }, (_, i) => `v${i + 1}`);
    expect(state<LearnerState>(r, 6).learned).toEqual(values);
    expect(p.chosenUpTo).toBe(20);
    // the restarted old leader follows, and has caught up on the log
    expect(r.sim.view(old).state).toBe('IDLE');
    expect(state<ProposerState>(r, old).chosenUpTo).toBe(20);
    expect(notes(r, 'paxos.leaderSilent').some((x) => x.node === other)).toBe(true);
  });

  it('a learner that was down catches up from the leader', () => {
    const r = startRun({ mode: 'multi', actions: [{ at: 2000, action: { verb: 'crash', id: 6 } }, write(3000, undefined, 15), { at: 5000, action: { verb: 'restart', id: 6 } }] });
    runUntil(r, 8000);
    expect(state<LearnerState>(r, 6).learned).toHaveLength(15);
    expect(r.checker.violations).toEqual([]);
  });

  it('a leader cut off from the acceptors is replaced; when healed it steps down', () => {
    const r = startRun({ mode: 'multi', seed: 4, records: true, actions: [write(3000, undefined, 3)] });
    runUntil(r, 3500);
    const old = leaderOf(r)!;
    const other = old === 4 ? 5 : 4;
    r.sim.schedule({ at: 4000, action: { verb: 'partition', groups: [[old]] } });
    r.sim.schedule(write(6000, other, 3));
    r.sim.schedule({ at: 7000, action: { verb: 'heal' } });
    runUntil(r, 9000);
    expect(r.checker.violations).toEqual([]);
    expect(leaderOf(r)).toBe(other);
    expect(notes(r, 'paxos.stepDown').map((x) => x.node)).toContain(old);
    expect(state<LearnerState>(r, 6).learned).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
  });
});
