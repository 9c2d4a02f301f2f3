/** Write your own story in the page: captions and a question at chosen moments, shared, opened fresh, played. */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { catalogue } from '../src/i18n/messages';
import { storyMessages } from '../src/i18n/stories';
import { questionOf } from '../src/core/scenario/questions';
import { MAX_CAPTION } from '../src/core/scenario/codec';
import { watchErrors } from './helpers';
import { expectNoAxeViolations } from './axe';

const words = { en: { ...catalogue.en, ...storyMessages.en }, zh: { ...catalogue.zh, ...storyMessages.zh } } as Record<'en' | 'zh', Record<string, string>>;

/** The story's link, as its Share button gives it. */
async function shareStory(page: Page): Promise<string> {
  await page.getByTestId('story-share').click();
  const url = page.getByTestId('share-url');
  await expect(url).toHaveValue(/#s=v2\./);
  return url.inputValue();
}

test('a story written in the page, shared as a link, plays in a fresh page with its captions and question', async ({ page, context }, info) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const errors = watchErrors(page);
  await page.goto('/?lang=en');
  await expect(page.getByTestId('sim-time')).toBeVisible();
  await page.getByTestId('write-story').click();
  const writer = page.getByTestId('story-writer');
  await expect(writer).toBeVisible();
  // typed key by key: what the page holds is what was typed, spaces too
  await writer.getByTestId('story-title').pressSequentially('Who leads <b>first</b>? ');
  await expect(writer.getByTestId('story-title')).toHaveValue('Who leads <b>first</b>? ');
  // at 0 ms: a caption that asks; what a person types is text, markup included, and no longer than a link allows
  await writer.getByTestId('story-add').click();
  await writer.getByTestId('story-caption-0').fill('x'.repeat(MAX_CAPTION + 20));
  await expect(writer.getByTestId('story-caption-0')).toHaveValue('x'.repeat(MAX_CAPTION));
  await writer.getByTestId('story-caption-0').fill('Three servers start <i>LOOKING</i>, each voting for itself.');
  await writer.getByTestId('story-ask-0').click();
  await writer.getByTestId('story-question-text-0').fill('Which server will lead?');
  await writer.getByTestId('story-add-choice-0').click();
  for (const k of [0, 1, 2]) await writer.getByTestId(`story-choice-0-${k}`).fill(`S${k + 1}`);
  await writer.getByTestId('story-right-0-2').check();
  await writer.getByTestId('story-why-0').fill('Equal zxids and epochs: the largest myid wins.');
  // the caption shows at once, as text
  await expect(page.getByTestId('caption-text')).toHaveText('Three servers start <i>LOOKING</i>, each voting for itself.');
  await expect(page.getByTestId('caption-title')).toHaveText('Who leads <b>first</b>?');
  // play until a leader is established, pause there, and say so
  // its only caption asks: answered, the verdict comes at once (no caption after it yet)
  await page.getByTestId('choice-2').click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-right', '1');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', /\d/, { timeout: 20_000 });
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toContainText(words.en.play!);
  await writer.getByTestId('story-add').click();
  await writer.getByTestId('story-caption-1').fill('S3 leads: the others follow it.');
  await expect(writer.locator('li')).toHaveCount(2);
  await page.screenshot({ path: info.outputPath('writer-1024.png') });
  await expectNoAxeViolations(page, info, 'the story writer open, with a question');
  const url = await shareStory(page);
  expect(url).not.toMatch(/%22t%22|"t":/);

  // anyone opens it: a story from its first caption
  const fresh = await context.newPage();
  const freshErrors = watchErrors(fresh);
  await fresh.setViewportSize({ width: 1024, height: 768 });
  await fresh.goto(url.replace(/^https?:\/\/[^/]+/, '') + '');
  const caption = fresh.getByTestId('caption');
  await expect(caption).toHaveAttribute('data-n', '0');
  await expect(fresh.getByTestId('caption-title')).toHaveText('Who leads <b>first</b>?');
  await expect(fresh.getByTestId('caption-text')).toHaveText('Three servers start <i>LOOKING</i>, each voting for itself.');
  // as text: no element was made of what was typed
  await expect(fresh.getByTestId('caption').locator('i')).toHaveCount(0);
  await expect(fresh.getByTestId('caption-title').locator('*')).toHaveCount(0);
  const question = fresh.getByTestId('question');
  await expect(question).toContainText('Which server will lead?');
  await expect(fresh.getByTestId('caption-next')).toHaveCount(0);
  await question.getByTestId('choice-1').click();
  await expect(caption).toHaveAttribute('data-n', '1', { timeout: 20_000 });
  await expect(fresh.getByTestId('caption-text')).toHaveText('S3 leads: the others follow it.');
  const verdict = fresh.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-right', '0');
  await expect(verdict).toContainText(words.en['q.wrong']!.replace('{answer}', 'S3').replace('{given}', 'S2'));
  await expect(verdict).toContainText('Equal zxids and epochs: the largest myid wins.');
  await expect(fresh.getByTestId('score')).toContainText(words.en['q.score']!.replace('{right}', '0').replace('{total}', '1'));
  await fresh.screenshot({ path: info.outputPath('story-opened.png') });
  expect(errors).toEqual([]);
  expect(freshErrors).toEqual([]);
});

test('a guided story’s captions edited in Chinese, saved as a file, open in a fresh page with the edit and its question', async ({ page, context }) => {
  const errors = watchErrors(page);
  const zh = words.zh;
  const q = questionOf('sync-diff')!;
  await page.goto('/?lang=zh#g=sync-diff');
  await expect(page.getByTestId('caption')).toHaveAttribute('data-n', '0');
  // by keyboard: the toolbar's button opens the writer
  await page.getByTestId('write-story').focus();
  await page.keyboard.press('Enter');
  const writer = page.getByTestId('story-writer');
  // the story's own words, in the reader's language, to edit as text
  await expect(writer.getByTestId('story-caption-0')).toHaveValue(zh['guide.sync-diff.0']!);
  await expect(writer.getByTestId('story-title')).toHaveValue(zh['guide.sync-diff.title']!);
  await expect(writer.getByTestId(`story-question-text-${q.ask}`)).toHaveValue(zh['q.sync-diff']!);
  await writer.getByTestId('story-caption-0').fill('我改写的第一条说明。');
  // its title removed stays removed, for its readers too
  await writer.getByTestId('story-title').fill('');
  await expect(page.getByTestId('caption-title')).toHaveCount(0);
  await expect(page.getByTestId('caption-text')).toHaveText('我改写的第一条说明。');
  const download = page.waitForEvent('download');
  await writer.getByTestId('story-export').click();
  const file = await (await download).path();
  const text = readFileSync(file!, 'utf8');
  expect(JSON.parse(text).time).toBeUndefined();

  const fresh = await context.newPage();
  await fresh.goto('/?lang=zh');
  await fresh.getByTestId('open-settings').click();
  await fresh.getByTestId('import').setInputFiles({ name: 'story.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  const caption = fresh.getByTestId('caption');
  await expect(caption).toHaveAttribute('data-n', '0');
  await expect(fresh.getByTestId('caption-text')).toHaveText('我改写的第一条说明。');
  await expect(fresh.getByTestId('caption-title')).toHaveCount(0);
  for (let n = 1; n <= q.ask; n++) {
    await fresh.getByTestId('caption-next').click();
    await expect(caption).toHaveAttribute('data-n', String(n), { timeout: 20_000 });
  }
  await expect(fresh.getByTestId('question')).toContainText(zh['q.sync-diff']!);
  await fresh.getByTestId(`choice-${q.answer}`).click();
  await expect(caption).toHaveAttribute('data-n', String(q.reveal), { timeout: 20_000 });
  await expect(fresh.getByTestId('verdict')).toHaveAttribute('data-right', '1');
  await expect(fresh.getByTestId('verdict')).toContainText(zh['q.sync-diff.why']!);
  expect(errors).toEqual([]);
});
