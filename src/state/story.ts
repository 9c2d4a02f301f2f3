/**
 * The story of a run, as the page asks its questions and a person writes it (issue 23): the
 * questions of a guided story (core/scenario/questions.ts, words in the catalogue) or a person's
 * own (plain text in the pause points); and the edits of the story writer, sent to the worker,
 * which owns the scenario. What a person types is only ever shown as text.
 */
import { isMessageKey, translate, type Locale, type MessageKey } from '../i18n/messages';
import { questionOf } from '../core/scenario/questions';
import { MAX_CAPTION, MAX_CHOICE, MAX_CHOICES, MAX_PAUSES } from '../core/scenario/codec';
import { inTimeOrder, type OwnQuestion, type PausePoint } from '../core/scenario/scenario';
import type { Story } from '../worker/messages';
import { useUi } from './store';
import { send } from './worker';

export { MAX_CAPTION, MAX_CHOICE, MAX_CHOICES, MAX_PAUSES };
export { MAX_TITLE } from '../core/scenario/codec';
export type { OwnQuestion, PausePoint, Story };

/** Words shown to a reader: a catalogue key (in the reader's language) or a person's own text. */
export type Words = { key: MessageKey } | { text: string };

/** Words as text in `locale`. */
export function wordsIn(locale: Locale, w: Words): string {
  return 'key' in w ? translate(locale, w.key) : w.text;
}

/** A question as the caption asks it: at pause point `ask`, its verdict at `reveal`. */
export interface StoryQuestion {
  /** the answer's key in the store: the guided story's id, or `own:<story id>:<pause index>` */
  id: string;
  ask: number;
  reveal: number;
  prompt: Words;
  choices: Words[];
  answer: number;
  why: Words | null;
}

/** A choice of a guided question: a catalogue key (q.yes) or as written (S3, DIFF). */
function choiceWords(choice: string): Words {
  return isMessageKey(choice) ? { key: choice } : { text: choice };
}

/** Whether the story's captions are a person's own (text), not a guided story's (catalogue keys). */
export function isOwnStory(story: Story | null): boolean {
  return !!story && story.pauses.some((p) => p.text !== undefined);
}

/**
 * The questions of a story: a guided one's from questions.ts while its captions are the
 * catalogue's, else those a person wrote, each revealed at the first pause point at or after its
 * `revealAt` (the next one by default; at once on the last).
 */
export function storyQuestions(story: Story | null): StoryQuestion[] {
  if (!story) return [];
  if (!isOwnStory(story)) {
    const q = questionOf(story.guide);
    if (!q) return [];
    return [{ id: q.story, ask: q.ask, reveal: q.reveal, prompt: { key: `q.${q.story}` as MessageKey }, choices: q.choices.map(choiceWords), answer: q.answer, why: { key: `q.${q.story}.why` as MessageKey } }];
  }
  const out: StoryQuestion[] = [];
  story.pauses.forEach((p, i) => {
    if (!p.ask) return;
    const at = p.ask.revealAt ?? story.pauses[i + 1]?.at ?? p.at;
    let reveal = story.pauses.findIndex((r, j) => j > i && r.at >= at);
    if (reveal < 0) reveal = i;
    out.push({ id: `own:${story.id}:${i}`, ask: i, reveal, prompt: { text: p.ask.text }, choices: p.ask.choices.map((text) => ({ text })), answer: p.ask.answer, why: p.ask.why ? { text: p.ask.why } : null });
  });
  return out;
}

/**
 * A guided story's captions and question as a person's own text, in the reader's language: the
 * story writer edits those (its link then carries them, as a person's own story's does).
 */
export function ownStory(story: Story, locale: Locale): Story {
  if (isOwnStory(story)) return story;
  const q = storyQuestions(story)[0];
  const say = (w: Words) => wordsIn(locale, w);
  const pauses = story.pauses.map((p, i): PausePoint => {
    const text = p.text ?? (p.key && isMessageKey(p.key) ? translate(locale, p.key) : '');
    const ask: OwnQuestion | undefined =
      q && q.ask === i ? { text: say(q.prompt), choices: q.choices.map(say), answer: q.answer, ...(q.why ? { why: say(q.why) } : {}), ...(q.reveal !== i + 1 && story.pauses[q.reveal] ? { revealAt: story.pauses[q.reveal]!.at } : {}) } : undefined;
    return { at: p.at, text: text.slice(0, MAX_CAPTION), ...(ask ? { ask } : {}) };
  });
  return { ...story, pauses, ...(story.guide && isMessageKey(`guide.${story.guide}.title`) ? { title: translate(locale, `guide.${story.guide}.title` as MessageKey) } : {}) };
}

/** Change the story: the page shows it at once, the worker stops at its pause points; answers to its questions start over. */
export function editStory(change: (s: Story) => Story): void {
  const st = useUi.getState();
  const cur = st.story;
  if (!cur) return;
  const next = change(ownStory(cur, st.locale));
  const answers = Object.fromEntries(Object.entries(st.answers).filter(([id]) => !id.startsWith('own:')));
  useUi.setState({ story: next, answers });
  send({ type: 'setStory', pauses: next.pauses, ...(next.title !== undefined ? { title: next.title } : {}) });
}

/** A caption at `at` (the moment on the screen), in time order; none if the story already has one there or is full. */
export function addCaption(at: number): void {
  editStory((s) => (s.pauses.length >= MAX_PAUSES || s.pauses.some((p) => p.at === at) ? s : { ...s, pauses: inTimeOrder([...s.pauses, { at, text: '' }]) }));
}

/** Change pause point `i` (its caption, its question). */
export function editPause(i: number, change: (p: PausePoint) => PausePoint): void {
  editStory((s) => ({ ...s, pauses: s.pauses.map((p, j) => (j === i ? change(p) : p)) }));
}

export function removePause(i: number): void {
  editStory((s) => ({ ...s, pauses: s.pauses.filter((_, j) => j !== i) }));
}

/** A new question for a caption: two choices to fill in, the first one right. */
export function newQuestion(): OwnQuestion {
  return { text: '', choices: ['', ''], answer: 0 };
}
