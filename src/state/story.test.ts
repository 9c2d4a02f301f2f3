import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUESTIONS } from '../core/scenario/questions';
import { PRESETS, presetById, presetScenario } from '../core/scenario/presets';
import { MAX_CAPTION, MAX_CHOICE, MAX_TITLE } from '../core/scenario/codec';
import { loadStories, translate } from '../i18n/messages';
import { ownStory, storyQuestions, type Story } from './story';

/** A guided story as the worker gives it: its preset's pause points, catalogue keys. */
const guided = (id: string): Story => ({ id: 1, guide: id, pauses: presetScenario(presetById(id)!).pauses! });

describe('a story’s questions', () => {
  // the stories' words, as the page has them once they arrived
  beforeAll(() => loadStories());

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
        expect(own.pauses[0]!.text).not.toBe('');
        const [got] = storyQuestions(own);
        expect(got, q.story).toMatchObject({ id: `own:1:${q.ask}`, ask: q.ask, reveal: q.reveal, answer: q.answer, prompt: { text: translate(locale, `q.${q.story}` as never) } });
      }
    }
  });

  it('every guided story’s captions, questions and title fit a link’s limits, in both languages (the writer edits them as text)', () => {
    for (const locale of ['en', 'zh'] as const) {
      for (const p of PRESETS) {
        const own = ownStory(guided(p.id), locale);
        const title = translate(locale, `guide.${p.id}.title` as never);
        expect(title.length, `${locale} ${p.id} title`).toBeLessThanOrEqual(MAX_TITLE);
        expect(own.title).toBe(title);
        for (const [i, x] of own.pauses.entries()) {
          // as the catalogue has it, nothing cut
          const caption = translate(locale, `guide.${p.id}.${i}` as never);
          expect(caption.length, `${locale} ${p.id} caption ${i}`).toBeLessThanOrEqual(MAX_CAPTION);
          expect(x.text, `${locale} ${p.id} caption ${i}`).toBe(caption);
          expect(caption.length).toBeGreaterThan(0);
          if (x.ask) for (const w of [x.ask.text, x.ask.why ?? '']) expect(w.length).toBeLessThanOrEqual(MAX_CAPTION);
          if (x.ask) for (const c of x.ask.choices) expect(c.length).toBeLessThanOrEqual(MAX_CHOICE);
        }
      }
    }
  });

  it('a story loaded again is another story: its questions are asked again, not answered by the last one’s answers', () => {
    const pauses = [{ at: 0, text: 'a', ask: { text: 'q', choices: ['x', 'y'], answer: 0 } }, { at: 5, text: 'b' }];
    const [first] = storyQuestions({ id: 1, guide: null, pauses });
    const [again] = storyQuestions({ id: 2, guide: null, pauses });
    expect(first!.id).not.toBe(again!.id);
  });

  it('a person’s question is revealed at the first caption at or after its revealAt (the next by default), at once on the last', () => {
    const story = fc
      .array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 12 })
      .chain((times) => {
        const ats = [...new Set(times)].sort((a, b) => a - b);
        return fc.tuple(fc.constant(ats), fc.array(fc.option(fc.option(fc.integer({ min: 0, max: 12_000 }), { nil: undefined }), { nil: null }), { minLength: ats.length, maxLength: ats.length }));
      })
      .map(([ats, asks]): Story => ({
        id: 1,
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
