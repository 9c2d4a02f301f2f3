/**
 * Every protocol's face, as the canvas draws it: each node in a hue of the palette, its words in
 * the catalogue, a crown on whoever leads, the links its protocol talks over, a legend that says
 * what it shows. The canvas knows nothing of a protocol: these are all it gets.
 */
import { describe, expect, it } from 'vitest';
import { isMessageKey, translate, type MessageKey } from '../../i18n/messages';
import { parseActions } from '../scenario/actionText';
import { defaultScenario, type ProtocolName, type Scenario } from '../scenario/scenario';
import { buildRun, type Run } from '../scenario/run';
import { FACES } from '../scenario/faces';
import { cellShort, type FaceNode, type FaceText, type Hue, type NodeFace } from './face';

const HUES: ReadonlySet<Hue> = new Set<Hue>(['amber', 'blue', 'green', 'violet', 'slate', 'orange', 'red', 'teal', 'purple', 'down', 'gold', 'cyan', 'lavender', 'rust', 'forest', 'grey', 'silver', 'leaf', 'sky', 'ink']);

const RUNS: Record<ProtocolName, Scenario> = {
  zab: defaultScenario({ voters: 3, observers: 1, actions: parseActions('1000 write 3; 3000 partition 1,2|3,4; 6000 heal; 7000 crash 3; 9000 write 2') }),
  '2pc': defaultScenario({ protocol: '2pc', voters: 4, actions: parseActions('500 flag 3 voteNo; 1000 write 2; 2000 unflag 3 voteNo; 2500 write 2; 3000 crash 1; 5000 restart 1') }),
  paxos: defaultScenario({ protocol: 'paxos', voters: 3, paxos: { proposers: 2, learners: 1, mode: 'multi' }, actions: parseActions('1000 write 3; 3000 crash 4; 6000 write 2') }),
};

/** Every node's face (the ones up) and the ensemble's, after each of the run's first steps up to `until`. */
function faces(sc: Scenario, until: number, each: (r: Run, faces: Map<number, NodeFace>, nodes: FaceNode[]) => void): void {
  const r = buildRun(sc);
  const face = FACES[sc.protocol];
  while (r.sim.now < until && r.sim.step()) {
    const nodes: FaceNode[] = r.sim.nodeIds().map((id) => r.sim.view(id, false));
    const fs = new Map<number, NodeFace>();
    for (const id of r.sim.nodeIds()) {
      const v = r.sim.view(id, false);
      if (v.up) fs.set(id, face.node(v, r.sim.now));
    }
    each(r, fs, nodes);
  }
}

/** A face's text in both languages: a code the catalogue has, its placeholders all filled. */
function said(t: FaceText): string[] {
  if (typeof t === 'string') return [t];
  const key = `face.${t.code}`;
  expect(isMessageKey(key), key).toBe(true);
  return (['en', 'zh'] as const).map((l) => {
    const s = translate(l, key as MessageKey, t.args);
    expect(s, `${key} (${l})`).not.toMatch(/\{\w+\}/);
    return s;
  });
}

describe('every protocol’s face', () => {
  for (const p of ['zab', '2pc', 'paxos'] as const) {
    it(`${p}: a hue of the palette, words of the catalogue, cells that say their entry, links between its nodes`, () => {
      let seen = 0;
      faces(RUNS[p], 10_000, (_r, fs, nodes) => {
        const ids = new Set(nodes.map((n) => n.id));
        for (const f of fs.values()) {
          seen++;
          expect(HUES.has(f.hue), f.hue).toBe(true);
          for (const l of f.lines) {
            if (typeof l === 'string') continue;
            said(l.text);
            if (l.title !== undefined) said(l.title);
          }
          if (f.stateTitle !== undefined) said(f.stateTitle);
          for (const c of f.log) expect(c.short ?? c.label).not.toBe('');
        }
        const e = FACES[p].ensemble(nodes);
        for (const id of e.ring) expect(ids.has(id)).toBe(true);
        for (const [a, b] of e.links) {
          expect(ids.has(a) && ids.has(b) && a !== b, `${a}-${b}`).toBe(true);
        }
      });
      expect(seen).toBeGreaterThan(100);
    });

    it(`${p}: a legend whose every line is in the catalogue, or names a state or a message kind`, () => {
      const look = FACES[p].look;
      for (const l of look.legend) {
        const known = isMessageKey(`legend.${l.code}`) || isMessageKey(`state.${l.code}`) || l.code in look.messages;
        expect(known, l.code).toBe(true);
        if (l.node) expect(HUES.has(l.node)).toBe(true);
        if (l.message) expect(HUES.has(l.message.hue)).toBe(true);
      }
      for (const m of Object.values(look.messages)) expect(HUES.has(m.hue)).toBe(true);
    });
  }

  it('2PC: a crown on the coordinator alone, the coordinator linked to each participant, a flagged vote no said before it is cast', () => {
    let flagged = 0;
    faces(RUNS['2pc'], 2000, (r, fs, nodes) => {
      for (const [id, f] of fs) expect(f.leads === true, `S${id}`).toBe(id === 1);
      const three = fs.get(3);
      if (three && r.sim.now > 500 && r.sim.now < 2000 && typeof three.lines[0] !== 'string') {
        expect(three.lines[0]).toEqual({ text: { code: '2pc.voteNo' }, tone: 'notice' });
        flagged++;
      }
      expect(FACES['2pc'].ensemble(nodes)).toEqual({ ring: [1, 2, 3, 4], links: [[1, 2], [1, 3], [1, 4]] });
    });
    expect(flagged).toBeGreaterThan(0);
  });

  it('Paxos: a crown on the Multi-Paxos leader, acceptors on the ring, every other node linked to each acceptor', () => {
    let led = 0;
    faces(RUNS.paxos, 3000, (r, fs, nodes) => {
      for (const [id, f] of fs) {
        const leads = r.sim.view(id, false).state === 'LEADER';
        expect(f.leads === true).toBe(leads);
        if (leads) led++;
      }
      const e = FACES.paxos.ensemble(nodes);
      expect(e.ring).toEqual([1, 2, 3]);
      expect(e.links).toHaveLength(3 + 3 * 3);
    });
    expect(led).toBeGreaterThan(0);
  });

  it("names a cell by a Multi-Paxos slot, or by the number of a value or transaction", () => {
    expect(cellShort('12:v3')).toBe('12');
    expect(cellShort('T12')).toBe('12');
    expect(cellShort('v3')).toBe('3');
    expect(cellShort('T1234')).toBe('234');
  });
});
