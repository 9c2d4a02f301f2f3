import { useShallow } from 'zustand/react/shallow';
import { send } from '../state/worker';
import { useStories, useT, useUi } from '../state/store';
import { isMessageKey, type MessageKey } from '../i18n/messages';
import { questionOf, type Question } from '../state/protocols';

/** The caption of the pause point reached, with a button to play on to the next one. */
export function Caption() {
  const t = useT();
  const c = useUi(useShallow((s) => ({ caption: s.snapshot?.caption ?? null, guide: s.snapshot?.guide ?? null, playing: s.snapshot?.playing ?? false })));
  const stories = useStories(c.guide !== null);
  const answers = useUi((s) => s.answers);
  if (!c.caption || (c.guide && !stories)) return null; // a story's words arrive a moment after the page
  const { caption } = c;
  const titleKey = `guide.${c.guide}.title`;
  // a preset's caption comes from the catalogue; a person's own is plain text (never HTML)
  const body = caption.key && isMessageKey(caption.key) ? t(caption.key) : (caption.text ?? '');
  // a question asked here and not yet answered takes the place of Continue
  const q = questionOf(c.guide);
  const asking = q && caption.n === q.ask && answers[q.story] === undefined ? q : null;
  return (
    <div className="caption" role="status" data-testid="caption" data-n={caption.n} data-last={caption.last ? '1' : '0'}>
      <div className="caption-head">
        {c.guide && isMessageKey(titleKey) && <b>{t(titleKey)}</b>}
        <span className="muted small">{t('guideOf', { n: caption.n + 1, total: caption.total })}</span>
      </div>
      <p data-testid="caption-text">{body}</p>
      {asking ? (
        <Ask question={asking} onAnswer={() => next(caption.at, caption.next)} />
      ) : caption.last ? (
        <p className="small muted">{t('guideDone')}</p>
      ) : (
        <button className="primary" data-testid="caption-next" disabled={c.playing} onClick={() => next(caption.at, caption.next)}>
          {t('guideNext')}
        </button>
      )}
      <Verdict guide={c.guide} n={caption.n} last={caption.last} />
    </div>
  );
}

/** A choice as shown: a catalogue key in the reader's language, else as written (S3, DIFF). */
function useChoice(): (choice: string) => string {
  const t = useT();
  return (choice) => (isMessageKey(choice) ? t(choice) : choice);
}

/** A story's question at its pause point: an answer is taken before the story plays on. */
function Ask(props: { question: Question; onAnswer(): void }) {
  const t = useT();
  const label = useChoice();
  const setAnswer = useUi((s) => s.setAnswer);
  const q = props.question;
  return (
    <div className="question" role="group" aria-labelledby="question-text" data-testid="question">
      <p id="question-text">
        <b>{t('q.prompt')}</b> {t(`q.${q.story}` as MessageKey)}
      </p>
      <div className="choices">
        {q.choices.map((choice, i) => (
          <button
            key={choice}
            data-testid={`choice-${i}`}
            onClick={() => {
              setAnswer(q.story, i);
              props.onAnswer();
            }}
          >
            {label(choice)}
          </button>
        ))}
      </div>
    </div>
  );
}

/** After an answer: that it waits to be seen, then at the reveal whether it was right and why; the score at the end. */
function Verdict(props: { guide: string | null; n: number; last: boolean }) {
  const t = useT();
  const label = useChoice();
  const answers = useUi((s) => s.answers);
  const q = questionOf(props.guide);
  const given = q ? answers[q.story] : undefined;
  const answered = Object.entries(answers).map(([story, a]) => questionOf(story)?.answer === a);
  return (
    <>
      {q && given !== undefined && props.n >= q.ask && props.n < q.reveal && (
        <p className="small" data-testid="answer-given">
          {t('q.answered', { answer: label(q.choices[given]!) })}
        </p>
      )}
      {q && given !== undefined && props.n === q.reveal && (
        <p className={given === q.answer ? 'verdict right' : 'verdict wrong'} data-testid="verdict" data-right={given === q.answer ? '1' : '0'}>
          <b>{given === q.answer ? t('q.right', { answer: label(q.choices[q.answer]!) }) : t('q.wrong', { answer: label(q.choices[q.answer]!), given: label(q.choices[given]!) })}</b> {t(`q.${q.story}.why` as MessageKey)}
        </p>
      )}
      {props.last && answered.length > 0 && (
        <p className="small" data-testid="score">
          {t('q.score', { right: answered.filter(Boolean).length, total: answered.length })}
        </p>
      )}
    </>
  );
}

/** Play on to the next pause point (Continue; a clicker's PageDown); false if there is none. */
export function playToNextCaption(): boolean {
  const c = useUi.getState().snapshot?.caption;
  if (!c || c.last) return false;
  next(c.at, c.next);
  return true;
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
