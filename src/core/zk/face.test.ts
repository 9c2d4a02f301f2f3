/** ZooKeeper's face: what the canvas draws of a server and the ensemble, from ZAB's views alone. */
import { describe, expect, it } from 'vitest';
import { parseActions } from '../scenario/actionText';
import { defaultScenario } from '../scenario/scenario';
import { buildZabRun, runTo, type ZabRun } from '../scenario/run';
import type { FaceLine, FaceNode, NodeFace } from '../face/face';
import type { ZkMessage } from './messages';
import { zabFace } from './face';
import type { ZkView } from './zab';

function run(actions: string, until: number, voters = 3, observers = 0): ZabRun {
  const r = buildZabRun(defaultScenario({ voters, observers, actions: parseActions(actions) }));
  runTo(r, until);
  return r;
}

const view = (r: ZabRun, id: number) => r.sim.view(id) as ZkView & { up: true };
const face = (r: ZabRun, id: number): NodeFace => zabFace.node(view(r, id), r.sim.now);
const line = (f: NodeFace, i: number) => f.lines[i] as FaceLine;
const nodes = (r: ZabRun): FaceNode[] => r.sim.nodeIds().map((id) => r.sim.view(id));

describe("ZooKeeper's face", () => {
  it('while electing: amber and pulsing, its vote and round, how many agree; its epochs on hover over its state', () => {
    const r = run('', 20);
    for (const id of [1, 2, 3]) {
      const f = face(r, id);
      const v = view(r, id);
      expect(v.state).toBe('LOOKING');
      expect(f).toMatchObject({ hue: 'amber', seeking: true, stateTitle: 'acceptedEpoch 0, currentEpoch 0, zxid 0x0, committed 0x0' });
      expect(f.leads).toBeUndefined();
      expect(f.lines[0]).toBe(`vote (${v.vote.peerEpoch}, 0:0, ${v.vote.leader}) · round 1`);
      expect(line(f, 1)).toEqual({ text: `${v.agreeing.length}/2 agree`, tone: 'notice' });
      expect(f.lines).toHaveLength(2);
    }
  });

  it('once a leader is established: a crown on it, epochs and last zxid under each, the log by counter with zxids on hover', () => {
    const r = run('1000 write 5', 8000);
    const leader = face(r, 3);
    expect(leader).toMatchObject({ hue: 'green', leads: true });
    const f = face(r, 1);
    expect(f).toMatchObject({ hue: 'blue' });
    expect(f.seeking).toBeUndefined();
    expect(f.lines).toEqual([{ text: 'e 1/1 · zxid 1:5', title: 'acceptedEpoch 1, currentEpoch 1, zxid 0x100000005, committed 0x100000005' }]);
    // the tail a strip has room for, each cell by its counter
    expect(f.log).toEqual([1, 2, 3, 4, 5].map((c) => ({ label: `1:${c} (0x10000000${c})`, short: String(c), status: 'committed' })));
    // no more than a strip has room for: the newest
    const more = run('1000 write 9', 8000);
    expect(face(more, 1).log.map((c) => c.short)).toEqual(['5', '6', '7', '8', '9']);
  });

  it('says a leader gone quiet once 1.5 s have passed, with the seconds so far and when the learner gives up', () => {
    const r = run('1000 write 1; 6000 partition 1,2|3', 6001);
    const heard = view(r, 1).lastHeard!;
    runTo(r, heard + 1500);
    expect(face(r, 1).lines).toHaveLength(1); // nothing said yet
    runTo(r, heard + 1600);
    expect(line(face(r, 1), 1)).toEqual({ tone: 'notice', text: { code: 'zab.silent', args: { leader: 3, s: '1.6', limit: '10' } } });
    runTo(r, 9000);
    expect(line(face(r, 1), 1).text).toEqual({ code: 'zab.silent', args: { leader: 3, s: ((9000 - heard) / 1000).toFixed(1), limit: '10' } });
  });

  it('names a passing phase (discovery, synchronization) under the epochs', () => {
    const r = run('', 300);
    const phases = r.sim.nodeIds().map((id) => view(r, id).zabState);
    expect(phases.some((p) => p === 'DISCOVERY' || p === 'SYNCHRONIZATION')).toBe(true);
    for (const id of r.sim.nodeIds()) {
      const v = view(r, id);
      if (v.zabState === 'DISCOVERY' || v.zabState === 'SYNCHRONIZATION') expect(face(r, id).lines[1]).toBe(v.zabState);
    }
  });

  it('puts the voters on the ring, talking to each other, and the leader to its observers', () => {
    const electing = run('', 20, 3, 1);
    expect(zabFace.ensemble(nodes(electing))).toEqual({ ring: [1, 2, 3], links: [[1, 2], [1, 3], [2, 3]] });
    const led = run('', 3000, 3, 1);
    expect(zabFace.ensemble(nodes(led))).toEqual({ ring: [1, 2, 3], links: [[1, 2], [1, 3], [2, 3], [3, 4]] });
    // a leader that is down leads nobody
    const down = nodes(led).map((n) => (n.id === 3 ? { ...n, up: false, state: 'DOWN' } : n));
    expect(zabFace.ensemble(down).links).toEqual([[1, 2], [1, 3], [2, 3]]);
  });

  it('gives every kind of packet a look: a vote says its label, a PING nothing, the broadcast its kind and zxid', () => {
    const kinds: ZkMessage['kind'][] = ['NOTIFICATION', 'FOLLOWERINFO', 'OBSERVERINFO', 'LEADERINFO', 'ACKEPOCH', 'DIFF', 'TRUNC', 'SNAP', 'PROPOSAL', 'COMMIT', 'INFORM', 'NEWLEADER', 'UPTODATE', 'ACK', 'PING'];
    for (const k of kinds) expect(zabFace.look.messages[k], k).toBeDefined();
    expect(zabFace.look.messages.NOTIFICATION!.says).toBe('label');
    expect(zabFace.look.messages.PING!.says).toBe('nothing');
    for (const k of ['PROPOSAL', 'COMMIT', 'ACK', 'INFORM']) expect(zabFace.look.messages[k]!.says, k).toBeUndefined();
    expect(zabFace.look.messages.NEWLEADER!.says).toBe('kind');
  });
});
