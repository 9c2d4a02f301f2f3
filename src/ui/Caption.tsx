import { useShallow } from 'zustand/react/shallow';
import { send } from '../state/worker';
import { useStories, useT, useUi } from '../state/store';
import { isMessageKey } from '../i18n/messages';
import { isOwnStory, storyQuestions, wordsIn, type StoryQuestion, type Words } from '../state/story';

/** The caption of the pause point reached, with a button to play on to the next one. */
export function Caption() {
  const t = useT();
  const c = useUi(useShallow((s) => ({ caption: s.snapshot?.caption ?? null, guide: s.snapshot?.guide ?? null, playing: s.snapshot?.playing ?? false })));
  const stories = useStories(c.guide !== null);
  const story = useUi((s) => s.story);
  const answers = useUi((s) => s.answers);
  if (!c.caption || (c.guide && !stories)) return null; // a story's words arrive a moment after the page
  const { caption } = c;
  const titleKey = `guide.${c.guide}.title`;
  // a preset's caption comes from the catalogue; a person's own is plain text (never HTML)
  const body = caption.key && isMessageKey(caption.key) ? t(caption.key) : (caption.text ?? '');
  // a story a person wrote (or rewrote) has its own title, or none; a guided story its catalogue's
  const title = isOwnStory(story) ? (story?.title ?? null) : c.guide && isMessageKey(titleKey) ? t(titleKey) : null;
  // a question asked here and not yet answered takes the place of Continue
  const questions = storyQuestions(story);
  const asking = questions.find((q) => q.ask === caption.n && answers[q.id] === undefined) ?? null;
  return (
    <div className="caption" role="status" data-testid="caption" data-n={caption.n} data-last={caption.last ? '1' : '0'}>
      <div className="caption-head">
        {title && <b data-testid="caption-title">{title}</b>}
        <span className="muted small">{t('guideOf', { n: caption.n + 1, total: caption.total })}</span>
      </div>
      <p data-testid="caption-text">{body}</p>
      {asking ? (
        <Ask question={asking} onAnswer={() => asking.reveal !== asking.ask && next(caption.at, caption.next)} />
      ) : caption.last ? (
        <p className="small muted">{t('guideDone')}</p>
      ) : (
        <button className="primary" data-testid="caption-next" disabled={c.playing} onClick={() => next(caption.at, caption.next)}>
          {t('guideNext')}
        </button>
      )}
      <Verdicts questions={questions} n={caption.n} last={caption.last} />
    </div>
  );
}

/** Words in the reader's language (a catalogue key), or a person's own text as written. */
function useWords(): (w: Words | undefined) => string {
  const locale = useUi((s) => s.locale);
  return (w) => (w ? wordsIn(locale, w) : '');
}

/** A story's question at its pause point: an answer is taken before the story plays on. */
function Ask(props: { question: StoryQuestion; onAnswer(): void }) {
  const t = useT();
  const say = useWords();
  const setAnswer = useUi((s) => s.setAnswer);
  const q = props.question;
  return (
    <div className="question" role="group" aria-labelledby="question-text" data-testid="question">
      <p id="question-text">
        <b>{t('q.prompt')}</b> {say(q.prompt)}
      </p>
      <div className="choices">
        {q.choices.map((choice, i) => (
          <button
            key={i}
            data-testid={`choice-${i}`}
            onClick={() => {
              setAnswer(q.id, i, i === q.answer);
              props.onAnswer();
            }}
          >
            {say(choice) || t('story.choice', { n: i + 1 })}
          </button>
        ))}
      </div>
    </div>
  );
}

/** After an answer: that it waits to be seen, then at the reveal whether it was right and why; the score at the end. */
function Verdicts(props: { questions: StoryQuestion[]; n: number; last: boolean }) {
  const t = useT();
  const say = useWords();
  const answers = useUi((s) => s.answers);
  // this story's answers (one given to another story, or to this one before an edit, is not its)
  const given = props.questions.flatMap((q) => (answers[q.id] && answers[q.id]!.choice < q.choices.length ? [{ q, a: answers[q.id]! }] : []));
  return (
    <>
      {given
        .filter(({ q }) => props.n >= q.ask && props.n < q.reveal)
        .map(({ q, a }) => (
          <p key={q.id} className="small" data-testid="answer-given">
            {t('q.answered', { answer: say(q.choices[a.choice]) })}
          </p>
        ))}
      {given
        .filter(({ q }) => props.n === q.reveal)
        .map(({ q, a }) => (
          <p key={q.id} className={a.right ? 'verdict right' : 'verdict wrong'} data-testid="verdict" data-right={a.right ? '1' : '0'}>
            <b>{a.right ? t('q.right', { answer: say(q.choices[q.answer]) }) : t('q.wrong', { answer: say(q.choices[q.answer]), given: say(q.choices[a.choice]) })}</b> {q.why && say(q.why)}
          </p>
        ))}
      {props.last && given.length > 0 && (
        <p className="small" data-testid="score">
          {t('q.score', { right: given.filter(({ a }) => a.right).length, total: given.length })}
        </p>
      )}
    </>
  );
}

/**
 * Play on to the next pause point (Continue; a clicker's PageDown): 'asking' if a question here
 * waits for its answer (the story does not play past it), 'none' if there is no next one.
 */
export function playToNextCaption(): 'played' | 'asking' | 'none' {
  const { snapshot, story, answers } = useUi.getState();
  const c = snapshot?.caption;
  if (!c || c.last) return 'none';
  // a question asked here waits for its answer: a clicker does not skip it
  if (storyQuestions(story).some((q) => q.ask === c.n && answers[q.id] === undefined)) return 'asking';
  next(c.at, c.next);
  return 'played';
}

/**
 * Back to a pause point (a clicker's PageUp): to this caption's own moment if the run has moved on
 * from it, else to the one before; false if there is none.
 */
export function backToCaption(): boolean {
  const s = useUi.getState().snapshot;
  const c = s?.caption;
  if (!s || !c) return false;
  const to = s.time > c.at ? c.at : c.prev;
  if (to === null) return false;
  send({ type: 'seek', time: to });
  return true;
}

/** Play on to the next pause point at a pace that shows it in about four seconds. */
function next(at: number, nextAt: number | null): void {
  const now = useUi.getState().snapshot?.time ?? at;
  if (nextAt !== null) send({ type: 'speed', value: Math.min(20_000, Math.max(15, (nextAt - now) / 4)) });
  send({ type: 'play' });
}
