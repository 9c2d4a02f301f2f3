/** The embed page (?embed=1) in an iframe of a page of another origin, as a teacher's slides hold it. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { catalogue } from '../src/i18n/messages';
import { storyMessages } from '../src/i18n/stories';
import { watchErrors } from './helpers';
import { expectNoAxeViolations } from './axe';

const en = { ...catalogue.en, ...storyMessages.en } as Record<string, string>;

test('a story plays in a cross-origin iframe; the host keeps its page and its focus until a click', async ({ page, context }, info) => {
  const errors = watchErrors(page);
  const app = new URL(info.project.use.baseURL!);
  // a page of another origin (another port: Chromium lets loopback frame loopback) with its own
  // field, and the embed code's frame
  const html = `<!doctype html><html lang="en"><title>Lecture 3</title><h1 id="host-title">Lecture 3: ZAB</h1><input id="host-input" aria-label="notes" autofocus><iframe src="${app.origin}/?embed=1&lang=en#g=first-election" width="760" height="520" title="zab-viz"></iframe>`;
  const slides = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((ok) => slides.listen(0, '127.0.0.1', ok));
  await page.goto(`http://127.0.0.1:${(slides.address() as AddressInfo).port}/`);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByTestId('caption-text')).toHaveText(en['guide.first-election.0']!);
  // the frame took no focus: the host's field still has the keyboard, and Space types there
  const input = page.locator('#host-input');
  await input.focus();
  await page.keyboard.type('a b');
  await expect(input).toHaveValue('a b');
  await expect(input).toBeFocused();
  await expect(frame.getByTestId('sim-time')).toHaveText('0.000 s');
  // only the canvas, its controls and the caption: none of the full page's panels
  await expect(frame.getByTestId('canvas')).toBeVisible();
  for (const id of ['open-guides', 'event-log', 'inspector', 'spacetime']) await expect(frame.getByTestId(id)).toHaveCount(0);
  // the canvas fits in the frame
  const box = (await page.locator('iframe').boundingBox())!;
  const canvas = (await frame.getByTestId('canvas').boundingBox())!;
  expect(canvas.y + canvas.height).toBeLessThanOrEqual(box.y + box.height + 1);
  expect(canvas.x + canvas.width).toBeLessThanOrEqual(box.x + box.width + 1);
  // a click into the frame plays the story on to its next caption
  await frame.getByTestId('caption-next').click();
  await expect(frame.getByTestId('caption')).toHaveAttribute('data-n', '1', { timeout: 20_000 });
  await expect(frame.getByTestId('caption-text')).toHaveText(en['guide.first-election.1']!);
  // now the frame has the keyboard: N steps it
  const at = await frame.getByTestId('sim-time').textContent();
  await page.keyboard.press('n');
  await expect(frame.getByTestId('sim-time')).not.toHaveText(at!);
  // nothing of the host page was touched
  await expect(page).toHaveTitle('Lecture 3');
  await expect(page.locator('#host-title')).toHaveText('Lecture 3: ZAB');
  expect(await page.evaluate(() => [...document.body.children].map((e) => e.tagName))).toEqual(['H1', 'INPUT', 'IFRAME']);
  await expect(input).toHaveValue('a b');
  await page.screenshot({ path: info.outputPath('embed-in-slides.png') });
  // "open in zab-viz": the full page, at the same moment of the same story
  const [full] = await Promise.all([context.waitForEvent('page'), frame.getByTestId('open-full').click()]);
  await expect(full).toHaveURL(/#s=/);
  await expect(full.getByTestId('open-guides')).toBeVisible();
  await expect(full.getByTestId('caption')).toHaveAttribute('data-n', '1');
  await expect(full.getByTestId('sim-time')).toHaveText((await frame.getByTestId('sim-time').textContent())!);
  expect(errors).toEqual([]);
  slides.closeAllConnections();
  slides.close();
});

test('Share offers the embed code: an iframe of the embed page at this moment', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en&voters=3&until=3000');
  await expect(page.getByTestId('sim-time')).toHaveText('3.000 s');
  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  await page.getByTestId('copy-embed').click();
  await expect(page.getByTestId('copy-embed')).toHaveText('Embed code copied');
  const code = await page.getByTestId('embed-code').inputValue();
  expect(code).toMatch(/^<iframe src="[^"]+\?embed=1#s=[^"]+" width="\d+" height="\d+" [^>]*title="zab-viz"[^>]*><\/iframe>$/);
  expect(code).toContain(url.slice(url.indexOf('#')));
  // the code's frame opens the same moment
  await page.goto(code.match(/src="([^"]+)"/)![1]!.replace(/&amp;/g, '&'));
  await expect(page.getByTestId('embed')).toBeVisible();
  await expect(page.getByTestId('sim-time')).toHaveText('3.000 s');
  expect(errors).toEqual([]);
});

test('axe-core finds no violation on the embed page, with a caption shown', async ({ page }, info) => {
  test.setTimeout(120_000);
  await page.goto('/?embed=1&lang=en#g=split-brain');
  await expect(page.getByTestId('caption-text')).toHaveText(en['guide.split-brain.0']!);
  await expectNoAxeViolations(page, info, 'embed');
});
