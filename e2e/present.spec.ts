/** Presenter mode: a projector at 1024x768 and the keys a presentation clicker sends. */
import { expect, test } from '@playwright/test';
import { catalogue } from '../src/i18n/messages';
import { storyMessages } from '../src/i18n/stories';
import { PRESETS } from '../src/core/scenario/presets';
import { watchErrors } from './helpers';
import { expectNoAxeViolations } from './axe';

const en = { ...catalogue.en, ...storyMessages.en } as Record<string, string>;
const zh = { ...catalogue.zh, ...storyMessages.zh } as Record<string, string>;
const pauses = PRESETS.find((p) => p.id === 'first-election')!.pauses;

test.use({ viewport: { width: 1024, height: 768 } });

test('a clicker steps through a story: PageDown on, PageUp back, B and . blank the screen; it all fits 1024x768', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en&present=1#g=first-election');
  const caption = page.getByTestId('caption');
  await expect(caption).toHaveAttribute('data-n', '0');
  await expect(page.getByTestId('app')).toHaveClass(/presenting/);
  // the panels read up close are put away; the caption is large
  await expect(page.getByTestId('inspector')).toBeHidden();
  await expect(page.getByTestId('event-log')).toBeHidden();
  const size = await page.getByTestId('caption-text').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(24);
  for (let n = 1; n <= 3; n++) {
    await page.keyboard.press('PageDown');
    if (n === 2) {
      // caption 1 asks who will lead: the clicker does not play past the question, it moves to the choices
      await expect(caption).toHaveAttribute('data-n', '1');
      await expect(page.getByTestId('choice-0')).toBeFocused();
      await expect(page.getByTestId('sim-time')).toHaveText(`${(pauses[1]! / 1000).toFixed(3)} s`);
      await page.keyboard.press('Enter');
    }
    await expect(caption).toHaveAttribute('data-n', String(n), { timeout: 20_000 });
    await expect(page.getByTestId('caption-text')).toHaveText(en[`guide.first-election.${n}`]!);
  }
  // back: to the caption before, at its own moment
  await page.keyboard.press('PageUp');
  await expect(caption).toHaveAttribute('data-n', '2');
  await expect(page.getByTestId('sim-time')).toHaveText(`${(pauses[2]! / 1000).toFixed(3)} s`);
  await page.keyboard.press('PageUp');
  await expect(caption).toHaveAttribute('data-n', '1');
  // a clicker's blank-screen key, and again to come back
  await page.keyboard.press('b');
  await expect(page.getByTestId('blank-screen')).toBeVisible();
  await page.keyboard.press('.');
  await expect(page.getByTestId('blank-screen')).toHaveCount(0);
  // nothing scrolls: the caption and the canvas are on the screen
  for (const id of ['caption', 'canvas']) {
    const box = (await page.getByTestId(id).boundingBox())!;
    expect(box.y + box.height, id).toBeLessThanOrEqual(768);
    expect(box.x + box.width, id).toBeLessThanOrEqual(1024);
  }
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1)).toBe(true);
  await page.screenshot({ path: info.outputPath('presenter-1024x768.png') });
  expect(errors).toEqual([]);
});

test('presenter mode in Chinese, and the Present button turns it on and off', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=zh#g=first-election');
  await expect(page.getByTestId('caption')).toHaveAttribute('data-n', '0');
  await page.getByTestId('present').click();
  await expect(page.getByTestId('app')).toHaveClass(/presenting/);
  await expect(page.getByTestId('present')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('caption')).toHaveAttribute('data-n', '1', { timeout: 20_000 });
  await expect(page.getByTestId('caption-text')).toHaveText(zh['guide.first-election.1']!);
  await page.getByTestId('present').click();
  await expect(page.getByTestId('app')).not.toHaveClass(/presenting/);
  await expect(page.getByTestId('inspector')).toBeVisible();
  // Esc leaves it too
  await page.getByTestId('present').click();
  await expect(page.getByTestId('app')).toHaveClass(/presenting/);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('app')).not.toHaveClass(/presenting/);
  expect(errors).toEqual([]);
});

test('axe-core finds no violation in presenter mode', async ({ page }, info) => {
  test.setTimeout(120_000);
  await page.goto('/?lang=en&present=1#g=split-brain');
  await expect(page.getByTestId('caption-text')).toHaveText(en['guide.split-brain.0']!);
  await expectNoAxeViolations(page, info, 'presenter');
});
