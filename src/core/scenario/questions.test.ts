import { describe, expect, it } from 'vitest';
import { buildRun, runTo, type Run } from './run';
import { presetById, presetScenario } from './presets';
import { QUESTIONS, type Question } from './questions';
import { catalogue, isMessageKey, loadStories } from '../../i18n/messages';
import { clientOf } from '../zk/checker';
import { clientNodeId } from '../sim/actions';

type V = { up: boolean; state: string; leader?: number | null; committedZxid?: number; lastZxid?: number };
const view = (r: Run, id: number) => r.sim.view(id, true) as unknown as V;

/** Play a story to a pause point, keeping its notes. */
function playTo(story: string, pause: number) {
  const p = presetById(story)!;
  const r = buildRun(presetScenario(p));
  r.sim.records = [];
  runTo(r, p.pauses[pause]!);
  const notes = r.sim.records.filter((x) => x.type === 'note');
  return { r, notes };
}

const choice = (q: Question, shown: string) => q.choices.indexOf(shown);
const leaderOf = (r: Run) => r.sim.nodeIds().find((id) => view(r, id).state === 'LEADING') ?? null;

/** What each story's run shows at the question's reveal, as the index of a choice: it must be the answer. */
const SHOWN: Record<string, (q: Question) => number> = {
  'client-stale-read'(q) {
    const { r } = playTo(q.story, q.reveal);
    const read = clientOf(r.sim as never, clientNodeId(1))!.results.find((x) => x.op === 'getData')!;
    return read.err !== 'OK' ? choice(q, 'q.client-stale-read.err') : choice(q, `q.client-stale-read.${read.data}`);
  },
  'first-election'(q) {
    return choice(q, `S${leaderOf(playTo(q.story, q.reveal).r)}`);
  },
  'zxid-beats-myid'(q) {
    return choice(q, `S${leaderOf(playTo(q.story, q.reveal).r)}`);
  },
  'leader-crash'(q) {
    const { r } = playTo(q.story, q.reveal);
    const l = leaderOf(r)!;
    return choice(q, `q.leaderCrash.s${l}e${Math.floor(view(r, l).lastZxid! / 2 ** 32)}`);
  },
  'sync-diff'(q) {
    const { notes } = playTo(q.story, q.reveal);
    return choice(q, String(notes.filter((n) => n.code === 'synced' && n.node === 1).at(-1)!.args.mode));
  },
  'no-quorum-trunc'(q) {
    const { notes } = playTo(q.story, q.reveal);
    return choice(q, String(notes.filter((n) => n.code === 'synced' && n.node === 3).at(-1)!.args.mode));
  },
  'sync-snap'(q) {
    const { notes } = playTo(q.story, q.reveal);
    return choice(q, String(notes.filter((n) => n.code === 'synced' && n.node === 1).at(-1)!.args.mode));
  },
  observers(q) {
    // serving: some server leads
    return choice(q, leaderOf(playTo(q.story, q.reveal).r) !== null ? 'q.yes' : 'q.no');
  },
  'ablation-commit-early'(q) {
    const { r } = playTo(q.story, q.reveal);
    return choice(q, r.checker.violations.some((v) => v.invariant === 'NoCommittedLoss') ? 'q.no' : 'q.yes');
  },
  '2pc-blocking'(q) {
    // decided on their own: a participant left PREPARED
    const { r } = playTo(q.story, q.reveal);
    return choice(q, [2, 3, 4].some((id) => view(r, id).state === 'PREPARED') ? 'q.no' : 'q.yes');
  },
  'paxos-duel'(q) {
    const { r } = playTo(q.story, q.reveal);
    return choice(q, view(r, 6).state === 'LEARNED' ? 'q.yes' : 'q.no');
  },
};

describe('predict before you see: the questions beside the stories', () => {
  it('ask at least eight stories, over election, epochs, sync, broadcast, a rule off, 2PC and Paxos', () => {
    const stories = QUESTIONS.map((q) => q.story);
    expect(new Set(stories).size).toBe(stories.length);
    expect(stories.length).toBeGreaterThanOrEqual(8);
    const protocols = new Set(stories.map((s) => presetById(s)!.protocol));
    expect([...protocols].sort()).toEqual(['2pc', 'paxos', 'zab']);
    expect(stories.some((s) => presetById(s)!.ablations)).toBe(true);
    expect(Object.keys(SHOWN).sort()).toEqual([...stories].sort());
  });

  it('are well formed: a story that exists, asked before the pause that shows the answer, worded in both languages', async () => {
    await loadStories();
    for (const q of QUESTIONS) {
      const p = presetById(q.story);
      expect(p, q.story).not.toBeNull();
      expect(q.ask).toBeGreaterThanOrEqual(0);
      expect(q.reveal).toBeGreaterThan(q.ask);
      expect(q.reveal).toBeLessThan(p!.pauses.length);
      expect(q.answer).toBeGreaterThanOrEqual(0);
      expect(q.answer).toBeLessThan(q.choices.length);
      expect(new Set(q.choices).size).toBe(q.choices.length);
      for (const key of [`q.${q.story}`, `q.${q.story}.why`, ...q.choices.filter((c) => c.startsWith('q.'))]) {
        expect(isMessageKey(key), key).toBe(true);
        expect((catalogue.zh as Record<string, string>)[key], key).toBeTruthy();
      }
    }
  });

  for (const q of QUESTIONS) {
    it(`${q.story}: the run shows the answer at the pause where it is revealed`, () => {
      expect(SHOWN[q.story]!(q)).toBe(q.answer);
    });
  }
});
