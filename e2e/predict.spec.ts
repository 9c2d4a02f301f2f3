/** Predict before you see: a story asks, takes an answer, plays on, and says whether it was right and why. */
import { expect, test, type Page } from '@playwright/test';
import { catalogue } from '../src/i18n/messages';
import { storyMessages } from '../src/i18n/stories';
import { questionOf } from '../src/core/scenario/questions';
import { watchErrors } from './helpers';

const words = { en: { ...catalogue.en, ...storyMessages.en }, zh: { ...catalogue.zh, ...storyMessages.zh } } as Record<'en' | 'zh', Record<string, string>>;

/** Open a story and continue to the caption that asks. */
async function toQuestion(page: Page, story: string, lang: 'en' | 'zh') {
  const q = questionOf(story)!;
  await page.goto(`/?lang=${lang}#g=${story}`);
  const caption = page.getByTestId('caption');
  await expect(caption).toHaveAttribute('data-n', '0');
  for (let n = 1; n <= q.ask; n++) {
    await page.getByTestId('caption-next').click();
    await expect(caption).toHaveAttribute('data-n', String(n), { timeout: 20_000 });
  }
  return q;
}

for (const [lang, pick] of [
  ['en', 'right'],
  ['zh', 'wrong'],
] as const) {
  test(`a question answered ${pick} gets its verdict and its reason, in ${lang === 'en' ? 'English' : 'Chinese'}`, async ({ page }, info) => {
    const errors = watchErrors(page);
    const w = words[lang];
    const q = await toQuestion(page, 'sync-diff', lang);
    const question = page.getByTestId('question');
    await expect(question).toContainText(w['q.sync-diff']!);
    // no Continue while it asks: the answer plays the story on
    await expect(page.getByTestId('caption-next')).toHaveCount(0);
    const given = pick === 'right' ? q.answer : (q.answer + 1) % q.choices.length;
    await question.getByTestId(`choice-${given}`).click();
    await expect(page.getByTestId('caption')).toHaveAttribute('data-n', String(q.reveal), { timeout: 20_000 });
    const verdict = page.getByTestId('verdict');
    await expect(verdict).toHaveAttribute('data-right', pick === 'right' ? '1' : '0');
    const head = pick === 'right' ? w['q.right']!.replace('{answer}', q.choices[q.answer]!) : w['q.wrong']!.replace('{answer}', q.choices[q.answer]!).replace('{given}', q.choices[given]!);
    await expect(verdict).toContainText(head);
    await expect(verdict).toContainText(w['q.sync-diff.why']!);
    // the last caption counts the answers given
    await expect(page.getByTestId('score')).toContainText(w['q.score']!.replace('{right}', pick === 'right' ? '1' : '0').replace('{total}', '1'));
    await page.screenshot({ path: info.outputPath(`verdict-${lang}.png`) });
    expect(errors).toEqual([]);
  });
}

test('a choice that names a catalogue key is shown in the reader’s words', async ({ page }) => {
  const q = await toQuestion(page, 'observers', 'zh');
  await expect(page.getByTestId('question').getByTestId(`choice-${q.choices.indexOf('q.no')}`)).toHaveText(words.zh['q.no']!);
});

test('at 1024x768 a verdict’s caption leaves the servers clear of the space-time diagram', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const q = await toQuestion(page, 'first-election', 'en');
  await page.getByTestId(`choice-${(q.answer + 1) % q.choices.length}`).click();
  for (let n = q.ask + 1; n <= q.reveal; n++) {
    await expect(page.getByTestId('caption')).toHaveAttribute('data-n', String(n), { timeout: 20_000 });
    if (n < q.reveal) await page.getByTestId('caption-next').click();
  }
  await expect(page.getByTestId('verdict')).toBeVisible();
  const st = (await page.getByTestId('spacetime').boundingBox())!;
  for (const id of [1, 2, 3]) {
    const s = (await page.getByTestId('canvas').getByTestId(`server-${id}`).boundingBox())!;
    expect(s.y + s.height <= st.y || s.y >= st.y + st.height, `S${id} under the space-time diagram`).toBe(true);
  }
});
