import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabSource, labActionOf, modelSyncOf } from './lab';
import { Engine } from './engine';
import { defaultScenario } from '../core/scenario/scenario';
import type { LabServer, LabState } from '../core/lab/wire';

const DIR = 'testdata/logs/3.8.0/default/a-paused-leader-is-replaced-and-follows-once-it-resumes';
const logs = [1, 2, 3].map((id) => Buffer.from(readFileSync(join(DIR, `server${id}.log`))));

/** A bridge in memory: its state, the servers' logs served in small chunks, the actions it was sent. */
function fakeBridge(servers: Partial<LabServer>[], extra: Partial<LabState> = {}) {
  const sent: unknown[] = [];
  let answer: 'ok' | 'garbage' | 'down' = 'ok';
  const state = (): LabState => ({
    mode: 'run',
    release: '3.8.0',
    origin: 1000,
    now: 5000,
    tickTime: 2000,
    rate: 0,
    servers: servers.map((s, i) => ({ id: i + 1, role: 'voter', up: true, paused: false, mode: null, zxid: null, acceptedEpoch: null, currentEpoch: null, logBytes: logs[i]!.length, ...s })),
    cut: [],
    actions: [],
    ...extra,
  });
  const fetchFn = (async (path: string, init?: RequestInit) => {
    if (answer === 'down') throw new TypeError('Failed to fetch');
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
    if (answer === 'garbage') return json({ servers: 'many' });
    const url = new URL(path, 'http://127.0.0.1');
    if (url.pathname === '/lab/api/state') return json(state());
    if (url.pathname === '/lab/api/log') {
      const id = Number(url.searchParams.get('id'));
      const from = Number(url.searchParams.get('from'));
      // whole lines, at most 64 KB: the page must ask again from where it stopped
      const part = logs[id - 1]!.subarray(from, from + 65536);
      const end = part.lastIndexOf(10) + 1;
      return json({ id, from, text: part.subarray(0, end).toString('utf8') });
    }
    if (url.pathname === '/lab/api/action') {
      sent.push(JSON.parse(String(init?.body)));
      return json({ ok: true });
    }
    return json({ error: 'no' }, 404);
  }) as typeof fetch;
  return { fetchFn, sent, set: (a: typeof answer) => (answer = a) };
}

const base = () => () => new Engine(defaultScenario()).snapshot();

describe('lab mode in the worker: a real ensemble through the bridge', () => {
  it('reads every server’s log to its end and lays the processes and srvr answers over it', async () => {
    const b = fakeBridge([{ mode: 'follower' }, { mode: 'leader', currentEpoch: 2 }, { up: false }], { cut: [[1, 3]] });
    const lab = new LabSource('t', b.fetchFn);
    for (let i = 0; i < 10; i++) await lab.poll();
    const s = lab.snapshot(base());
    expect(s.source).toMatchObject({ kind: 'lab', mode: 'run', release: '3.8.0', problem: null });
    expect(s.nodes.map((n) => [n.id, n.state])).toEqual([
      [1, 'FOLLOWING'],
      [2, 'LEADING'],
      [3, 'DOWN'],
    ]);
    expect(s.lead).toEqual({ id: 2, epoch: 2 });
    expect(s.cuts).toEqual(['1-3']);
    // the logs were read whole: their events are on the page
    expect(s.events.length).toBeGreaterThan(0);
    expect(s.events.some((e) => e.code === 'zklog.established')).toBe(true);
  });

  it('a server the four-letter word cannot reach keeps the state its log says; a paused one is drawn paused', async () => {
    const b = fakeBridge([{ mode: null }, { mode: 'leader', paused: true }, { mode: 'follower' }]);
    const lab = new LabSource('t', b.fetchFn);
    for (let i = 0; i < 10; i++) await lab.poll();
    const s = lab.snapshot(base());
    const n1 = s.nodes.find((n) => n.id === 1)!;
    expect(n1.state).toBe('FOLLOWING'); // its log's last state (the fixture ends with it following)
    const n2 = s.nodes.find((n) => n.id === 2)!;
    expect(n2.up && n2.paused).toEqual({ backlog: 0 });
    expect(s.lead.id).toBeNull(); // a paused leader serves no one
  });

  it('says when the bridge cannot be reached or answers nonsense, and recovers', async () => {
    const b = fakeBridge([{}, {}, {}]);
    const lab = new LabSource('t', b.fetchFn);
    b.set('down');
    expect(await lab.poll()).toBe(true);
    expect(lab.snapshot(base()).source).toMatchObject({ kind: 'lab', problem: 'Failed to fetch' });
    b.set('garbage');
    await lab.poll();
    expect(lab.problem).toContain('not a lab state');
    b.set('ok');
    await lab.poll();
    expect(lab.problem).toBeNull();
  });

  it('the model beside runs the real servers’ size, release, tickTime and actions at their moments; it is compared once both settle', async () => {
    const b = fakeBridge([{ mode: 'follower' }, { mode: 'follower' }, { mode: 'leader', currentEpoch: 1 }], {
      tickTime: 500,
      actions: [
        { at: 3500, action: { verb: 'crash', id: 3 } },
        { at: 3600, action: { verb: 'read', node: 2 } },
      ],
    });
    const lab = new LabSource('t', b.fetchFn);
    await lab.poll();
    const sc = lab.modelScenario()!;
    // no log read yet: no server has looked for a leader, so the model has them all down (the
    // bridge starts them one by one), then the person's crash at its moment, and a client's read
    // on S2 as its session's two txns (createSession, closeSession) through S2
    const crash = (id: number, at: number) => ({ at, action: { verb: 'crash', id } });
    expect(sc).toMatchObject({ voters: 3, observers: 0, zk: '3.8.0', timing: { tickTime: 500 }, actions: [crash(1, 0), crash(2, 0), crash(3, 0), crash(3, 2500), { at: 2600, action: { verb: 'write', count: 2, node: 2 } }] });
    expect(lab.modelTime).toBe(4000);
    const real = lab.snapshot(base());
    // once its log is read, each server starts when the log says it looked
    const restarts = lab.modelScenario()!.actions.filter((a) => a.action.verb === 'restart');
    expect(restarts.map((a) => (a.action as { id: number }).id).sort()).toEqual([1, 2, 3]);
    const same = { ...real };
    const other = { ...real, lead: { id: 1, epoch: 2 } };
    // the syncs the real servers' logs show; the model's are asked of it (here: the same)
    expect(lab.agreement(real, same, () => null)).toBeNull();
    (lab.state as { now: number }).now += 3000;
    const realSyncs = lab.agreement(real, same, () => null)!.real.syncs;
    expect(realSyncs.length).toBeGreaterThan(0);
    expect(realSyncs.every((s) => s.mode === null || ['DIFF', 'TRUNC', 'SNAP'].includes(s.mode))).toBe(true);
    expect(realSyncs.some((s) => s.mode !== null)).toBe(true);
    const sameSync = (id: number) => realSyncs.find((s) => s.id === id)?.mode ?? null;
    // not settled yet: no verdict; settled (the bridge's clock moved on): a verdict
    (lab.state as { now: number }).now += 3000;
    expect(lab.agreement(real, same, sameSync)).toBeNull(); // the model's syncs changed: settle again
    (lab.state as { now: number }).now += 3000;
    expect(lab.agreement(real, same, sameSync)).toMatchObject({ agree: true, real: { lead: 3, epoch: 1 } });
    expect(lab.agreement(real, other, sameSync)).toBeNull(); // the model moved: settle again
    (lab.state as { now: number }).now += 3000;
    expect(lab.agreement(real, other, sameSync)).toMatchObject({ agree: false, model: { lead: 1 } });
    // the same leader of another epoch is a disagreement too
    const later = { ...real, lead: { id: 3, epoch: 2 } };
    expect(lab.agreement(real, later, sameSync)).toBeNull();
    (lab.state as { now: number }).now += 3000;
    expect(lab.agreement(real, later, sameSync)).toMatchObject({ agree: false, model: { lead: 3, epoch: 2 } });
    // and so is a learner the model syncs another way (a SNAP where the real leader sent a DIFF)
    const otherSync = (id: number) => (sameSync(id) === 'SNAP' ? 'DIFF' : 'SNAP');
    expect(lab.agreement(real, same, otherSync)).toBeNull();
    (lab.state as { now: number }).now += 3000;
    expect(lab.agreement(real, same, otherSync)).toMatchObject({ agree: false, real: { lead: 3 } });
  });

  it('the model’s side of the comparison: each learner’s sync in its current life, none for the leader', () => {
    // S3 starts late: the others have elected and established, so it gets a SNAP at zxid 0
    const e = new Engine(defaultScenario({ voters: 3, seed: 1, actions: [{ at: 0, action: { verb: 'crash', id: 3 } }, { at: 3000, action: { verb: 'restart', id: 3 } }] }));
    e.advanceTo(8000);
    const sync = modelSyncOf(e);
    const leader = e.snapshot().lead.id!;
    expect(sync(leader)).toBeNull();
    expect(sync(3)).toBe(leader === 3 ? null : 'SNAP');
    for (const id of [1, 2].filter((i) => i !== leader)) expect(sync(id)).toBe('DIFF');
  });

  it('sends the actions a real ensemble takes, and only those', async () => {
    const b = fakeBridge([{}, {}, {}]);
    const lab = new LabSource('t', b.fetchFn);
    await lab.act(labActionOf({ verb: 'crash', id: 2 })!);
    await lab.act(labActionOf({ verb: 'partition', groups: [[1], [2, 3]] })!);
    expect(b.sent).toEqual([
      { verb: 'crash', id: 2 },
      { verb: 'partition', groups: [[1], [2, 3]] },
    ]);
    expect(labActionOf({ verb: 'loss', p: 0.1 })).toBeNull();
    expect(labActionOf({ verb: 'diskfail', id: 1 })).toBeNull();
    expect(labActionOf({ verb: 'write', count: 5000 })).toEqual({ verb: 'write', count: 100 });
  });
});
