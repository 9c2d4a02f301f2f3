/** Whole runs through the real simulator: commit, veto, the blocking case, a missing vote. */
import { describe, expect, it } from 'vitest';
import type { TimedAction } from '../sim/actions';
import type { NodeId } from '../sim/types';
import type { LogRecord } from './state';
import type { TwoPcView } from './twopc';
import { runUntil, startRun, type TwoPcRun } from './testkit';

const write = (at: number, count = 1): TimedAction => ({ at, action: { verb: 'write', count } });

function stateOf(r: TwoPcRun, id: NodeId): string {
  return r.sim.view(id).state;
}

function diskLog(r: TwoPcRun, id: NodeId): string[] {
  return ((r.sim.node(id).durable.log as LogRecord[] | undefined) ?? []).map((x) => `${x.rec}:${x.tx}`);
}

function notes(r: TwoPcRun, code: string): { node: NodeId; time: number; args: Record<string, string | number> }[] {
  return r.sim.records!.filter((x) => x.code === code).map((x) => ({ node: x.node, time: x.time, args: x.args }));
}

/** The view of a node that is up. */
function viewOf(r: TwoPcRun, id: NodeId): TwoPcView {
  const v = r.sim.view(id);
  if (v.state === 'DOWN') throw new Error(`server ${id} is down`);
  return v;
}

/** Step until `pred` holds (or `limit` ms pass), checking invariants on the way. */
function stepUntil(r: TwoPcRun, pred: () => boolean, limit: number): void {
  while (!pred() && r.sim.now < limit && r.sim.step()) r.checker.afterStep(r.sim);
}

describe('2PC on the simulator', () => {
  it('commits a write on a coordinator and 3 participants', () => {
    const r = startRun({ n: 4, actions: [write(1000)], records: true });
    runUntil(r, 3000);
    expect(diskLog(r, 1)).toEqual(['BEGIN:1', 'COMMIT:1', 'END:1']);
    for (const id of [2, 3, 4]) {
      expect(diskLog(r, id)).toEqual(['PREPARED:1', 'COMMIT:1']);
      expect(stateOf(r, id)).toBe('COMMITTED');
      expect(r.sim.view(id)).toMatchObject({ lock: null, face: { lines: ['T1 COMMIT'], log: [{ label: 'T1', status: 'committed' }] } });
    }
    expect(stateOf(r, 1)).toBe('IDLE');
    expect(notes(r, 'twopc.end')).toHaveLength(1);
    expect(r.checker.violations).toEqual([]);
  });

  it('runs queued writes one at a time, in order', () => {
    const r = startRun({ n: 3, actions: [write(1000, 3)] });
    runUntil(r, 1005);
    expect(r.sim.view(1)).toMatchObject({ state: 'WAITING_VOTES', tx: 1, queued: [2, 3] });
    runUntil(r, 5000);
    expect(diskLog(r, 2)).toEqual(['PREPARED:1', 'COMMIT:1', 'PREPARED:2', 'COMMIT:2', 'PREPARED:3', 'COMMIT:3']);
    expect(r.sim.view(1).state).toBe('IDLE');
  });

  it('one veto aborts: flag 3 voteNo', () => {
    const r = startRun({ n: 4, actions: [{ at: 500, action: { verb: 'flag', id: 3, name: 'voteNo', on: true } }, write(1000)], records: true });
    runUntil(r, 3000);
    expect(diskLog(r, 1)).toEqual(['BEGIN:1', 'ABORT:1', 'END:1']);
    expect(diskLog(r, 3)).toEqual(['ABORT:1']);
    for (const id of [2, 4]) {
      expect(stateOf(r, id)).toBe('ABORTED');
      expect(viewOf(r, id).lock).toBeNull();
      // a yes voter may have prepared before the veto reached the coordinator
      expect(diskLog(r, id).at(-1)).toBe('ABORT:1');
    }
    expect(notes(r, 'twopc.votedNo').map((x) => x.node)).toEqual([3]);
    expect(notes(r, 'twopc.gotNo')[0]!.args).toMatchObject({ tx: 1, from: 3 });
    expect(r.checker.violations).toEqual([]);
  });

  it('blocks: the coordinator crashes before deciding; PREPARED participants hold their locks until it restarts, then it presumes ABORT', () => {
    const r = startRun({ n: 4, actions: [write(1000)], records: true });
    const allPrepared = () => [2, 3, 4].every((id) => stateOf(r, id) === 'PREPARED');
    stepUntil(r, allPrepared, 2000);
    expect(allPrepared()).toBe(true);
    // the yes votes are still on the wire: the coordinator has decided nothing
    const crashAt = r.sim.now;
    r.sim.schedule({ at: crashAt, action: { verb: 'crash', id: 1 } });
    r.sim.schedule({ at: crashAt + 30_000, action: { verb: 'restart', id: 1 } });
    runUntil(r, crashAt + 29_900);
    for (const id of [2, 3, 4]) {
      expect(r.sim.view(id)).toMatchObject({ state: 'PREPARED', lock: 1, face: { lines: ['T1 PREPARED', 'lock T1'] } });
    }
    expect(diskLog(r, 1)).toEqual(['BEGIN:1']);
    expect(new Set(notes(r, 'twopc.blocked').map((x) => x.node))).toEqual(new Set([2, 3, 4]));
    // they kept asking, about once per inquiryInterval
    expect(r.sim.records!.filter((x) => x.type === 'send' && x.kind === 'DECISION_REQ').length).toBeGreaterThan(3 * 25);
    runUntil(r, crashAt + 30_300);
    for (const id of [2, 3, 4]) {
      expect(stateOf(r, id)).toBe('ABORTED');
      expect(viewOf(r, id).lock).toBeNull();
    }
    expect(notes(r, 'twopc.presumedAbort').map((x) => x.node)).toContain(1);
    expect(diskLog(r, 1)).toEqual(['BEGIN:1', 'ABORT:1', 'END:1']);
    expect(r.checker.violations).toEqual([]);
  });

  it('blocks after a COMMIT was logged: the restarted coordinator sends COMMIT again', () => {
    const r = startRun({ n: 4, actions: [write(1000)], records: true });
    stepUntil(r, () => diskLog(r, 1).includes('COMMIT:1'), 2000);
    // the COMMITs it just sent are lost with it
    const commits = r.sim.flights().filter((f) => f.kind === 'COMMIT');
    expect(commits).toHaveLength(3);
    const crashAt = r.sim.now;
    for (const f of commits) r.sim.schedule({ at: crashAt, action: { verb: 'drop', msg: f.id } });
    r.sim.schedule({ at: crashAt, action: { verb: 'crash', id: 1 } });
    r.sim.schedule({ at: crashAt + 30_000, action: { verb: 'restart', id: 1 } });
    runUntil(r, crashAt + 29_900);
    for (const id of [2, 3, 4]) expect(r.sim.view(id)).toMatchObject({ state: 'PREPARED', lock: 1 });
    runUntil(r, crashAt + 30_300);
    for (const id of [2, 3, 4]) expect(diskLog(r, id)).toEqual(['PREPARED:1', 'COMMIT:1']);
    expect(notes(r, 'twopc.resend')[0]!.args).toMatchObject({ tx: 1, decision: 'COMMIT' });
    expect(diskLog(r, 1)).toEqual(['BEGIN:1', 'COMMIT:1', 'END:1']);
    expect(r.checker.violations).toEqual([]);
  });

  it('a participant that restarts PREPARED asks at once and learns the decision', () => {
    const r = startRun({ n: 3, actions: [write(1000)], records: true });
    stepUntil(r, () => stateOf(r, 2) === 'PREPARED', 2000);
    r.sim.schedule({ at: r.sim.now, action: { verb: 'crash', id: 2 } });
    r.sim.schedule({ at: r.sim.now + 5000, action: { verb: 'restart', id: 2 } });
    runUntil(r, r.sim.now + 5000);
    expect(r.sim.view(2)).toMatchObject({ state: 'PREPARED', lock: 1 });
    expect(notes(r, 'twopc.stillPrepared').map((x) => x.node)).toEqual([2]);
    runUntil(r, r.sim.now + 200);
    expect(diskLog(r, 2).at(-1)).toMatch(/^(COMMIT|ABORT):1$/);
    expect(diskLog(r, 3).at(-1)).toBe(diskLog(r, 2).at(-1));
    expect(r.checker.violations).toEqual([]);
  });

  it('a missing vote times out into ABORT', () => {
    // 4 is down: its vote never comes
    const r = startRun({ n: 4, actions: [{ at: 0, action: { verb: 'crash', id: 4 } }, write(1000), { at: 5000, action: { verb: 'restart', id: 4 } }], records: true });
    runUntil(r, 2100);
    expect(notes(r, 'twopc.voteTimeout')[0]).toMatchObject({ node: 1, time: expect.closeTo(2000, -2), args: { tx: 1, missing: '4' } });
    expect(diskLog(r, 1)).toEqual(['BEGIN:1', 'ABORT:1']);
    for (const id of [2, 3]) expect(stateOf(r, id)).toBe('ABORTED');
    // the coordinator waits for 4's ACK, re-sending ABORT; 4 ACKs once back
    expect(r.sim.view(1)).toMatchObject({ state: 'ABORTING', awaitingAck: [4] });
    runUntil(r, 6000);
    expect(diskLog(r, 4)).toEqual(['ABORT:1']);
    expect(diskLog(r, 1)).toEqual(['BEGIN:1', 'ABORT:1', 'END:1']);
    expect(r.checker.violations).toEqual([]);
  });

  it('a participant whose disk fails votes no instead of pretending to be PREPARED', () => {
    const r = startRun({ n: 3, actions: [{ at: 500, action: { verb: 'diskfail', id: 2 } }, write(1000), { at: 3000, action: { verb: 'diskok', id: 2 } }], records: true });
    runUntil(r, 5000);
    expect(notes(r, 'twopc.prepareFailed').map((x) => x.node)).toEqual([2]);
    expect(diskLog(r, 1)).toEqual(['BEGIN:1', 'ABORT:1', 'END:1']);
    expect(diskLog(r, 2)).toEqual(['ABORT:1']);
    expect(r.checker.violations).toEqual([]);
  });

  it('a coordinator whose disk fails as it decides sends nothing until the decision is durable', () => {
    const r = startRun({ n: 3, actions: [write(1000)], records: true });
    // BEGIN is on disk and PREPARE sent: the decision write will fail
    stepUntil(r, () => r.sim.view(1).state === 'WAITING_VOTES' && diskLog(r, 1).length === 1, 2000);
    r.sim.schedule({ at: r.sim.now, action: { verb: 'diskfail', id: 1 } });
    r.sim.schedule({ at: r.sim.now + 2000, action: { verb: 'diskok', id: 1 } });
    const t = r.sim.now;
    runUntil(r, t + 1900);
    expect(notes(r, 'twopc.logFailed').length).toBeGreaterThan(0);
    expect(r.sim.records!.filter((x) => x.type === 'send' && x.kind === 'COMMIT')).toEqual([]);
    runUntil(r, t + 3000);
    for (const id of [2, 3]) expect(diskLog(r, id)).toEqual(['PREPARED:1', 'COMMIT:1']);
    expect(r.checker.violations).toEqual([]);
  });
});
