import { send } from '../state/worker';
import { useStories, useT, useUi } from '../state/store';
import { addCaption, editPause, editStory, MAX_CAPTION, MAX_CHOICE, MAX_CHOICES, MAX_PAUSES, MAX_TITLE, newQuestion, ownStory, removePause, type OwnQuestion, type PausePoint } from '../state/story';
import { formatTime } from './format';

/**
 * Write a story in the page (issue 23): pause anywhere, add a caption (and a question) at that
 * moment, edit or remove one; the link and the file then carry it, and open as a story for anyone.
 * What a person types stays text: React sets it as text, never as HTML.
 */
export function StoryWriter() {
  const t = useT();
  const writing = useUi((s) => s.writing);
  const setWriting = useUi((s) => s.setWriting);
  const story = useUi((s) => s.story);
  const locale = useUi((s) => s.locale);
  // a guided story's words arrive a moment after the page: the writer starts from them
  const stories = useStories(writing && story?.guide != null);
  if (!writing || !story || (story.guide !== null && !stories)) return null;
  // a guided story is shown as its words in the reader's language, to edit as text
  const own = ownStory(story, locale);
  return (
    <section className="story-writer" aria-labelledby="story-writer-heading" data-testid="story-writer">
      <div className="story-writer-head">
        <h2 id="story-writer-heading">{t('story.heading')}</h2>
        <button onClick={() => setWriting(false)} aria-label={t('close')} data-testid="story-close">
          ×
        </button>
      </div>
      <p className="small muted">{t('story.help')}</p>
      <label className="story-field">
        {t('story.title')}
        <input value={own.title ?? ''} maxLength={MAX_TITLE} data-testid="story-title" onChange={(e) => editStory((s) => ({ ...s, title: e.target.value }))} />
      </label>
      <ol className="story-pauses">
        {own.pauses.map((p, i) => (
          <Pause key={`${i}:${p.at}`} pause={p} i={i} />
        ))}
      </ol>
      <div className="story-actions">
        <AddHere pauses={own.pauses} />
        <button data-testid="story-share" disabled={own.pauses.length === 0} onClick={() => send({ type: 'share', start: true })}>
          {t('story.share')}
        </button>
        <button data-testid="story-export" disabled={own.pauses.length === 0} onClick={() => send({ type: 'export', start: true })}>
          {t('story.export')}
        </button>
      </div>
    </section>
  );
}

/** Add a caption at the moment on screen (the only part of the writer that follows the clock while it plays). */
function AddHere(props: { pauses: readonly PausePoint[] }) {
  const t = useT();
  const time = useUi((s) => Math.floor(s.snapshot?.time ?? 0));
  const full = props.pauses.length >= MAX_PAUSES;
  const here = props.pauses.some((p) => p.at === time);
  return (
    <button className="primary" data-testid="story-add" disabled={full || here} title={full ? t('story.full', { max: MAX_PAUSES }) : here ? t('story.already') : undefined} onClick={() => addCaption(time)}>
      {t('story.addHere', { time: formatTime(time) })}
    </button>
  );
}

/** One pause point: when, its caption, its question if it asks one. */
function Pause(props: { pause: PausePoint; i: number }) {
  const t = useT();
  const { pause: p, i } = props;
  const text = p.text ?? '';
  return (
    <li data-testid={`story-pause-${i}`}>
      <div className="story-pause-head">
        <button className="story-go" title={t('story.goTitle')} onClick={() => send({ type: 'seek', time: p.at })}>
          {t('story.at', { time: formatTime(p.at) })}
        </button>
        <button onClick={() => removePause(i)} data-testid={`story-remove-${i}`}>
          {t('story.remove')}
        </button>
      </div>
      <label className="story-field">
        {t('story.caption')} <span className="muted small">{t('story.count', { n: text.length, max: MAX_CAPTION })}</span>
        <textarea rows={2} value={text} maxLength={MAX_CAPTION} data-testid={`story-caption-${i}`} onChange={(e) => editPause(i, (x) => ({ ...x, text: e.target.value }))} />
      </label>
      {p.ask ? (
        <QuestionEditor i={i} q={p.ask} />
      ) : (
        <button data-testid={`story-ask-${i}`} onClick={() => editPause(i, (x) => ({ ...x, ask: newQuestion() }))}>
          {t('story.addQuestion')}
        </button>
      )}
    </li>
  );
}

/** A question at pause point `i`: its words, 2 to 4 choices with the right one marked, why. */
function QuestionEditor(props: { i: number; q: OwnQuestion }) {
  const t = useT();
  const { i, q } = props;
  const set = (change: (q: OwnQuestion) => OwnQuestion) => editPause(i, (x) => (x.ask ? { ...x, ask: change(x.ask) } : x));
  return (
    <fieldset className="story-question" data-testid={`story-question-${i}`}>
      <legend>{t('story.question')}</legend>
      <label className="story-field">
        {t('story.questionText')}
        <input value={q.text} maxLength={MAX_CAPTION} data-testid={`story-question-text-${i}`} onChange={(e) => set((x) => ({ ...x, text: e.target.value }))} />
      </label>
      {q.choices.map((c, k) => (
        <div className="story-choice" key={k}>
          <input type="radio" name={`story-right-${i}`} checked={q.answer === k} aria-label={t('story.right', { n: k + 1 })} data-testid={`story-right-${i}-${k}`} onChange={() => set((x) => ({ ...x, answer: k }))} />
          <input value={c} maxLength={MAX_CHOICE} aria-label={t('story.choice', { n: k + 1 })} data-testid={`story-choice-${i}-${k}`} onChange={(e) => set((x) => ({ ...x, choices: x.choices.map((y, j) => (j === k ? e.target.value : y)) }))} />
          {q.choices.length > 2 && (
            <button aria-label={t('story.removeChoice', { n: k + 1 })} onClick={() => set((x) => ({ ...x, choices: x.choices.filter((_, j) => j !== k), answer: x.answer === k ? 0 : x.answer > k ? x.answer - 1 : x.answer }))}>
              ×
            </button>
          )}
        </div>
      ))}
      {q.choices.length < MAX_CHOICES && (
        <button data-testid={`story-add-choice-${i}`} onClick={() => set((x) => ({ ...x, choices: [...x.choices, ''] }))}>
          {t('story.addChoice')}
        </button>
      )}
      <label className="story-field">
        {t('story.why')}
        <input value={q.why ?? ''} maxLength={MAX_CAPTION} data-testid={`story-why-${i}`} onChange={(e) => set((x) => ({ ...x, why: e.target.value }))} />
      </label>
      <button onClick={() => editPause(i, ({ ask: _ask, ...x }) => x)}>{t('story.removeQuestion')}</button>
    </fieldset>
  );
}
