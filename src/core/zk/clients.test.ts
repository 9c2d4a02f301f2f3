/**
 * What a ZooKeeper client sees (issue 22): forwarded writes, local reads that can be stale, sync,
 * sessions across a leader change, ephemeral nodes that go with their session, a refused
 * reconnect. Each guarantee the checker holds breaks when the rule behind it is switched off.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseActions } from '../scenario/actionText';
import { defaultScenario, type Scenario } from '../scenario/scenario';
import { buildZabRun, runTo } from '../scenario/run';
import { clientNodeId } from '../sim/actions';
import { clientOf } from './checker';
import type { ZabAblations } from './config';
import { dataTree, emptyTree, prepRequest, processTxn, type DataTree, type WriteOp } from './datatree';
import type { ZkServer } from './state';
import { lastOf } from './zxid';

const C1 = clientNodeId(1);

function run(actions: string, until: number, o: Partial<Scenario> & { ablate?: keyof ZabAblations } = {}) {
  const { ablate, ...rest } = o;
  const r = buildZabRun(defaultScenario({ voters: 3, actions: parseActions(actions), ...(ablate ? { ablations: { zab: { [ablate]: true } } } : {}), ...rest }));
  runTo(r, until);
  return r;
}

const server = (r: ReturnType<typeof run>, id: number) => r.sim.node(id).state as ZkServer;
const results = (r: ReturnType<typeof run>, c = C1) => clientOf(r.sim, c)!.results;
const invariants = (r: ReturnType<typeof run>) => r.checker.violations.map((v) => v.invariant);

describe('the data tree (PrepRequestProcessor, DataTree.processTxn)', () => {
  const ops: fc.Arbitrary<WriteOp> = fc.oneof(
    fc.record({ op: fc.constant('create' as const), path: fc.constantFrom('/a', '/b', '/a/x', '/b/y'), data: fc.constantFrom('', 'v'), ephemeral: fc.boolean() }),
    fc.record({ op: fc.constant('setData' as const), path: fc.constantFrom('/a', '/b', '/a/x'), data: fc.constantFrom('w', 'z') }),
    fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom('/a', '/b', '/a/x', '/b/y') }),
    fc.constant({ op: 'closeSession' as const }),
  );

  it('a txn prepared against a tree applies to it as prepared, and no ephemeral outlives its session', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(1, 2), ops), { maxLength: 40 }), (steps) => {
        const t: DataTree = emptyTree();
        let zxid = 0;
        processTxn(t, ++zxid, { type: 'createSession', session: 1, timeout: 4000 });
        processTxn(t, ++zxid, { type: 'createSession', session: 2, timeout: 4000 });
        for (const [session, op] of steps) {
          const txn = prepRequest(t, session, zxid, op);
          const err = processTxn(t, ++zxid, txn);
          // what the leader checked is what every server finds: a txn fails only as an error txn
          expect(err).toBe(txn.type === 'error' ? txn.err : 'OK');
          for (const n of Object.values(t.nodes)) if (n.ephemeralOwner) expect(t.sessions[n.ephemeralOwner]).toBeDefined();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what ZooKeeper refuses, each as an error txn', () => {
    const t = emptyTree();
    processTxn(t, 1, { type: 'createSession', session: 7, timeout: 4000 });
    processTxn(t, 2, prepRequest(t, 7, 1, { op: 'create', path: '/e', data: '', ephemeral: true }));
    expect(prepRequest(t, 7, 2, { op: 'create', path: '/e', data: '', ephemeral: false })).toMatchObject({ type: 'error', err: 'NODEEXISTS' });
    expect(prepRequest(t, 7, 3, { op: 'create', path: '/x/y', data: '', ephemeral: false })).toMatchObject({ type: 'error', err: 'NONODE' });
    expect(prepRequest(t, 7, 4, { op: 'create', path: '/e/c', data: '', ephemeral: false })).toMatchObject({ type: 'error', err: 'NOCHILDRENFOREPHEMERALS' });
    expect(prepRequest(t, 8, 5, { op: 'create', path: '/z', data: '', ephemeral: false })).toMatchObject({ type: 'error', err: 'SESSIONEXPIRED' });
    processTxn(t, 3, { type: 'closeSession', session: 7, cxid: 6 });
    expect(t.nodes['/e']).toBeUndefined();
  });
});

describe('a client of a follower', () => {
  it('its write is forwarded to the leader and answered once committed there, with the txn’s zxid', () => {
    const r = run('1000 client 1 connect 1; 2000 create 1 /a hello; 2500 read 1 /a', 4000);
    const [create, read] = results(r);
    expect(create).toMatchObject({ op: 'create', err: 'OK', server: 1 });
    // the leader (3) proposed it; every server holds it and its body
    expect(server(r, 3).history).toContain(create!.zxid);
    for (const id of [1, 2, 3]) expect(dataTree(server(r, id)).nodes['/a']).toMatchObject({ data: 'hello', version: 0 });
    expect(read).toMatchObject({ op: 'getData', data: 'hello', err: 'OK' });
    // two txns for the session (createSession), one for the create
    expect(server(r, 3).history).toHaveLength(2);
    expect(r.checker.violations).toEqual([]);
  });

  it('a failed create still takes a zxid (an error txn) and tells the client why', () => {
    const r = run('1000 client 1 connect 2; 2000 create 1 /a x; 2500 create 1 /a y', 4000);
    expect(results(r).map((x) => x.err)).toEqual(['OK', 'NODEEXISTS']);
    expect(server(r, 2).history).toHaveLength(3);
  });

  it('reads from a follower cut off from the leader are stale, and allowed; sync waits for the leader and the read after it is current', () => {
    // C2 writes through server 2 while server 1 hears nothing from the leader (3)
    const actions = '1000 client 1 connect 1; 1000 client 2 connect 2; 2000 create 2 /a v1; 3000 cut 1 3; 3100 set 2 /a v2; 3500 read 1 /a; 3600 sync 1; 3700 read 1 /a; 5000 mend 1 3';
    const r = run(actions, 8000);
    const [stale, sync, after] = results(r);
    expect(stale).toMatchObject({ op: 'getData', data: 'v1' });
    expect(r.checker.staleReads).toHaveLength(1);
    // the sync is answered only after the link mends, and the read behind it sees v2
    expect(sync).toMatchObject({ op: 'sync', err: 'OK' });
    expect(sync!.at).toBeGreaterThan(5000);
    expect(after).toMatchObject({ op: 'getData', data: 'v2' });
    expect(r.checker.violations).toEqual([]);
  });

  it('with the sync answered locally (syncLocally), the read after it is stale: SyncedRead breaks', () => {
    const actions = '1000 client 1 connect 1; 1000 client 2 connect 2; 2000 create 2 /a v1; 3000 cut 1 3; 3100 set 2 /a v2; 3600 sync 1; 3700 read 1 /a; 5000 mend 1 3';
    expect(invariants(run(actions, 8000, { ablate: 'syncLocally' }))).toContain('SyncedRead');
    expect(invariants(run(actions, 8000))).toEqual([]);
  });

  it('answered before its txn commits (answerBeforeCommit), a write is acknowledged uncommitted: LinearizableWrites breaks', () => {
    // slow disks: every fsync takes half a second, so no txn commits before the follower answers
    const slow = { disk: { latencyMin: 500, latencyMax: 600 } };
    expect(invariants(run('1000 client 1 connect 1; 3000 create 1 /a x', 6000, { ...slow, ablate: 'answerBeforeCommit' }))).toContain('LinearizableWrites');
    expect(invariants(run('1000 client 1 connect 1; 3000 create 1 /a x', 6000, slow))).toEqual([]);
  });
});

describe('sessions', () => {
  it('a session survives its leader’s crash: the client reconnects within the timeout and keeps it', () => {
    const r = run('1000 client 1 connect 3,1,2 20000; 2000 create 1 /e x ephemeral; 3000 crash 3', 12_000);
    const c = clientOf(r.sim, C1)!;
    expect(c.state).toBe('CONNECTED');
    expect(c.server).not.toBe(3);
    const session = c.session;
    // the new leader's tree still has the session and its ephemeral node
    const leader = [1, 2].map((id) => server(r, id)).find((s) => s.state === 'LEADING')!;
    expect(Object.keys(dataTree(leader).sessions).map(Number)).toContain(session);
    expect(dataTree(leader).nodes['/e']?.ephemeralOwner).toBe(session);
    expect(r.checker.violations).toEqual([]);
  });

  it('behind a partition past its timeout, the session expires: its ephemeral node is deleted (a closeSession txn), and the client learns at its reconnect', () => {
    // the old leader (3) keeps serving C1 until it misses its quorum (syncLimit, ~10 s); the new
    // leader gives the session a whole timeout from when it starts: it expires ~6 s after that
    const r = run('1000 client 1 connect 3 6000; 2000 create 1 /e x ephemeral; 3000 partition 1,2|3; 30000 heal', 40_000);
    for (const id of [1, 2, 3]) expect(dataTree(server(r, id)).nodes['/e']).toBeUndefined();
    expect(clientOf(r.sim, C1)!.state).toBe('EXPIRED');
    expect(r.checker.violations).toEqual([]);
  });

  it('a server behind what the client has seen refuses it, and the client keeps trying', () => {
    // server 1 is cut off from the leader; C1 writes through the leader, then moves to server 1
    const actions = '1000 client 1 connect 3; 2000 cut 1 3; 2100 create 1 /a x; 3000 client 1 connect 1; 3500 read 1 /a';
    const r = run(actions, 4000);
    expect(clientOf(r.sim, C1)!.state).toBe('CONNECTING');
    // the read waited for a connection that was refused: it fails (ClientCnxn.cleanup), no server answered it
    expect(results(r).filter((x) => x.op === 'getData').map((x) => `${x.err}:${x.server}`)).toEqual(['CONNECTIONLOSS:null']);
    expect(invariants(r)).toEqual([]);
    // without the check the connection is taken, but the session's revalidation waits for the
    // leader, whose answer comes after the COMMITs it sent first: the tree is current by then
    const on = run(actions, 4000, { ablate: 'acceptStaleClient' });
    expect(invariants(on)).toEqual([]);
  });

  it('a follower that answers a write before committing it (answerBeforeCommit) shows its client an older tree next: NoTimeTravel breaks', () => {
    const slow = { disk: { latencyMin: 500, latencyMax: 600 } };
    const actions = '1000 client 1 connect 1; 3000 create 1 /a x; 3100 read 1 /a';
    expect(invariants(run(actions, 6000, { ...slow, ablate: 'answerBeforeCommit' }))).toContain('NoTimeTravel');
    expect(invariants(run(actions, 6000, slow))).toEqual([]);
  });

  it('a create that reaches the leader after its session expired makes no node; without the session check (ZOOKEEPER-1208) it leaves an orphan ephemeral', () => {
    // server 1 stops (a GC pause) with C1's create in its socket; the leader expires the session meanwhile
    const actions = '1000 client 1 connect 1 4000; 2000 pause 1; 2001 create 1 /e x ephemeral; 9000 resume 1';
    const ok = run(actions, 12_000);
    expect(invariants(ok)).toEqual([]);
    expect(dataTree(server(ok, 3)).nodes['/e']).toBeUndefined();
    expect(invariants(run(actions, 12_000, { ablate: 'noSessionCheck' }))).toContain('EphemeralLifetime');
  });
});

describe('bodies on disk and in a SNAP', () => {
  it('a restarted server rebuilds its tree from its snapshot and log; a server that missed everything gets it by SNAP or DIFF', () => {
    const r = run('0 crash 1; 1000 client 1 connect 2; 2000 create 1 /a x; 2100 create 1 /b y; 3000 crash 2; 3500 restart 2; 5000 restart 1', 12_000);
    const want = dataTree(server(r, 3)).nodes;
    expect(Object.keys(want).sort()).toEqual(['/a', '/b']);
    for (const id of [1, 2]) {
      expect(dataTree(server(r, id)).nodes).toEqual(want);
      expect(lastOf(server(r, id).history)).toBe(lastOf(server(r, 3).history));
    }
  });
});

describe('what a fresh pair of eyes found', () => {
  it('a write the client was told had failed does not overwrite a newer one: its session moved (SESSIONMOVED); without the check, ClientOrder breaks', () => {
    const actions = '0 client 1 connect 1,2 6000; 1500 create 1 /a v0; 2900 cut 1 3; 3000 set 1 /a v1; 9000 set 1 /a v2; 10000 mend 1 3; 14000 read 1 /a';
    const unchecked = run(actions, 16_000, { ablate: 'noSessionCheck' });
    expect(invariants(unchecked)).toContain('ClientOrder');
    expect(dataTree(server(unchecked, 3)).nodes['/a']!.data).toBe('v1');
    const r = run(actions, 16_000);
    expect(invariants(r)).toEqual([]);
    expect(results(r).filter((x) => x.op === 'setData').map((x) => x.err)).toEqual(['CONNECTIONLOSS', 'OK']);
    for (const id of [1, 2, 3]) expect(dataTree(server(r, id)).nodes['/a']!.data).toBe('v2');
    expect(results(r).at(-1)).toMatchObject({ op: 'getData', data: 'v2' });
  });

  it('requests waiting for a connection fail when it cannot be made, and close is final', () => {
    const never = run('0 crash 1; 100 client 1 connect 1; 200 read 1 /a; 300 close 1', 30_000);
    expect(clientOf(never.sim, C1)!.state).toBe('CLOSED');
    expect(results(never).map((x) => `${x.op}:${x.err}`)).toEqual(['getData:CONNECTIONLOSS', 'closeSession:CONNECTIONLOSS']);
    const closed = run('0 client 1 connect 1,2; 3000 create 1 /e x ephemeral; 5000 close 1; 5001 crash 1', 30_000);
    expect(clientOf(closed.sim, C1)!.state).toBe('CLOSED');
  });

  it('a sync from a client of the leader waits only behind its own session’s writes (matchSyncs is off on the leader)', () => {
    const r = run('0 client 1 connect 3; 0 client 2 connect 3; 4000 latency 800 900; 5000 create 2 /a x; 5000 sync 1', 12_000);
    const sync = results(r).find((x) => x.op === 'sync')!;
    expect(sync.err).toBe('OK');
    expect(sync.at).toBeLessThan(5000 + 2 * 900 + 100);
  });

  it('a sync answered by a leader already replaced (ZOOKEEPER-1675) is shown, not called a broken guarantee', () => {
    const sets = Array.from({ length: 40 }, (_, i) => `${14_000 + i * 300} set 2 /x v${i}; ${14_050 + i * 300} sync 1; ${14_070 + i * 300} read 1 /x`).join('; ');
    const actions = `0 client 1 connect 1 40000; 0 client 2 connect 2,3,4 40000; 3000 create 2 /x a; 6000 partition 5,1,c1|2,3,4,c2; ${sets}`;
    for (const seed of [1, 4, 5, 6]) {
      const r = run(actions, 30_000, { voters: 5, seed });
      expect(invariants(r)).toEqual([]);
    }
  });
});
