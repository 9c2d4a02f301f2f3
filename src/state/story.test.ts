import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUESTIONS } from '../core/scenario/questions';
import { presetById, presetScenario } from '../core/scenario/presets';
import { translate } from '../i18n/messages';
import { ownStory, storyQuestions, type Story } from './story';

/** A guided story as the worker gives it: its preset's pause points, catalogue keys. */
const guided = (id: string): Story => ({ guide: id, pauses: presetScenario(presetById(id)!).pauses! });

describe('a story’s questions', () => {
  it('a guided story asks its own question while its captions are the catalogue’s', () => {
    for (const q of QUESTIONS) {
      const [got] = storyQuestions(guided(q.story));
      expect(got).toMatchObject({ id: q.story, ask: q.ask, reveal: q.reveal, answer: q.answer });
    }
    expect(storyQuestions(guided('split-brain'))).toEqual([]);
  });

  it('a guided story turned into text keeps its question, asked and revealed at the same captions, in the reader’s words', () => {
    for (const locale of ['en', 'zh'] as const) {
      for (const q of QUESTIONS) {
        const own = ownStory(guided(q.story), locale);
        expect(own.pauses.every((p) => p.key === undefined && p.text !== undefined)).toBe(true);
        expect(own.pauses[0]!.text).toBe(translate(locale, `guide.${q.story}.0` as never));
        const [got] = storyQuestions(own);
        expect(got, q.story).toMatchObject({ id: `own:${q.ask}`, ask: q.ask, reveal: q.reveal, answer: q.answer, prompt: { text: translate(locale, `q.${q.story}` as never) } });
      }
    }
  });

  it('a person’s question is revealed at the first caption at or after its revealAt (the next by default), at once on the last', () => {
    const story = fc
      .array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 12 })
      .chain((times) => {
        const ats = [...new Set(times)].sort((a, b) => a - b);
        return fc.tuple(fc.constant(ats), fc.array(fc.option(fc.option(fc.integer({ min: 0, max: 12_000 }), { nil: undefined }), { nil: null }), { minLength: ats.length, maxLength: ats.length }));
      })
      .map(([ats, asks]): Story => ({
        guide: null,
        pauses: ats.map((at, i) => ({ at, text: `c${i}`, ...(asks[i] !== null ? { ask: { text: 'q', choices: ['a', 'b'], answer: 1, ...(asks[i] !== undefined ? { revealAt: asks[i] } : {}) } } : {}) })),
      }));
    fc.assert(
      fc.property(story, (s) => {
        const qs = storyQuestions(s);
        expect(qs.map((q) => q.ask)).toEqual(s.pauses.flatMap((p, i) => (p.ask ? [i] : [])));
        for (const q of qs) {
          const target = s.pauses[q.ask]!.ask!.revealAt ?? s.pauses[q.ask + 1]?.at ?? s.pauses[q.ask]!.at;
          const later = s.pauses.map((p, j) => ({ p, j })).filter(({ p, j }) => j > q.ask && p.at >= target);
          expect(q.reveal).toBe(later[0]?.j ?? q.ask);
        }
      }),
    );
  });
});
