/** Any screen: nothing overlaps, nothing needed is cut off, panes resize; screenshots are kept. */
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './helpers';

const SIZES = [
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '1280x720', width: 1280, height: 720 },
  { name: '1024x768', width: 1024, height: 768 },
  { name: 'phone-390x844', width: 390, height: 844 },
];

const ENSEMBLES = [
  { name: '5+1', query: 'voters=5&observers=1' },
  { name: '9+3', query: 'voters=9&observers=3' },
];

interface Box {
  id: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Each server's drawn box (circle, crown, log strip, caption lines) as the browser laid it out. */
async function serverBoxes(page: Page): Promise<{ canvas: { x: number; y: number; width: number; height: number }; boxes: Box[] }> {
  return page.evaluate(() => {
    const svg = document.querySelector('[data-testid=canvas]')!;
    const c = svg.getBoundingClientRect();
    const boxes = [...svg.querySelectorAll<SVGGElement>('g.server')].map((g) => {
      const parts = [g.querySelector('circle.body'), ...g.querySelectorAll('g.caption text'), ...g.querySelectorAll('g.logstrip g.cell')].filter((e): e is Element => !!e);
      const rs = parts.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
      return { id: g.getAttribute('data-testid')!, x0: Math.min(...rs.map((r) => r.left)), y0: Math.min(...rs.map((r) => r.top)), x1: Math.max(...rs.map((r) => r.right)), y1: Math.max(...rs.map((r) => r.bottom)) };
    });
    return { canvas: { x: c.left, y: c.top, width: c.width, height: c.height }, boxes };
  });
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 - 1 && b.x0 < a.x1 - 1 && a.y0 < b.y1 - 1 && b.y0 < a.y1 - 1;

for (const size of SIZES) {
  for (const ens of ENSEMBLES) {
    test(`${ens.name} servers at ${size.name}: no server covers another, all inside the canvas and the page`, async ({ browser }, info) => {
      const phone = size.width < 500;
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, isMobile: phone, hasTouch: phone });
      const page = await context.newPage();
      const errors = watchErrors(page);
      // a leader, a few writes committed: every caption line and log cell is there
      await page.goto(`/?lang=en&${ens.query}&until=8000&actions=3000%20write%205`);
      await expect(page.getByTestId('sim-time')).toHaveText('8.000 s');
      await expect(page.locator('g.server')).toHaveCount(ens.name === '9+3' ? 12 : 6);
      const { canvas, boxes } = await serverBoxes(page);
      for (const b of boxes) {
        expect(b.x0, `${b.id} left`).toBeGreaterThanOrEqual(canvas.x - 1);
        expect(b.y0, `${b.id} top`).toBeGreaterThanOrEqual(canvas.y - 1);
        expect(b.x1, `${b.id} right`).toBeLessThanOrEqual(canvas.x + canvas.width + 1);
        expect(b.y1, `${b.id} bottom`).toBeLessThanOrEqual(canvas.y + canvas.height + 1);
      }
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!), `${boxes[i]!.id} and ${boxes[j]!.id} overlap`).toBe(false);
      // nothing runs off the side of the page
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      // the canvas gets a fair share of the screen
      expect(canvas.height).toBeGreaterThanOrEqual(phone ? 420 : 320);
      // the header and the tool bars leave the phone's screen to the canvas
      if (phone) expect(await page.locator('.app-main').evaluate((el) => el.getBoundingClientRect().top), 'header and tool bars').toBeLessThanOrEqual(300);
      await page.screenshot({ path: info.outputPath(`${ens.name}-${size.name}.png`) });
      expect(errors).toEqual([]);
      await context.close();
    });
  }
}

test('the side panel and the space-time diagram resize by keyboard and by dragging; lanes grow with it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?lang=en&voters=5&until=3000');
  await expect(page.getByTestId('sim-time')).toHaveText('3.000 s');
  const st = page.getByTestId('spacetime');
  const lanesGap = async () =>
    st.evaluate((el) => {
      const ys = [...el.querySelectorAll('g.lane line')].map((l) => Number(l.getAttribute('y1')));
      return ys[1]! - ys[0]!;
    });
  const h0 = (await st.boundingBox())!.height;
  const gap0 = await lanesGap();
  const bar = page.getByTestId('resize-spacetime');
  await bar.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await st.boundingBox())!.height).toBeGreaterThan(h0 + 60);
  expect(await lanesGap()).toBeGreaterThan(gap0);
  // the keys resized the pane and did not step the run
  await expect(page.getByTestId('sim-time')).toHaveText('3.000 s');
  const side = page.locator('aside.side');
  const w0 = (await side.boundingBox())!.width;
  const split = page.getByTestId('resize-side');
  const b = (await split.boundingBox())!;
  await page.mouse.move(b.x + b.width / 2, b.y + 200);
  await page.mouse.down();
  await page.mouse.move(b.x - 120, b.y + 200, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => (await side.boundingBox())!.width).toBeGreaterThan(w0 + 100);
  await expect(split).toHaveAttribute('aria-valuenow', String(Math.round((await side.boundingBox())!.width)));
});

test('the inspector says when more of it lies below, at 720p', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?lang=en&voters=5&until=8000&actions=3000%20write%205');
  await expect(page.getByTestId('sim-time')).toHaveText('8.000 s');
  await page.getByTestId('server-2').click();
  await expect(page.getByTestId('inspector')).toContainText('FOLLOWING');
  const cue = page.getByTestId('more-below');
  await expect(cue).toBeVisible();
  await cue.click();
  await page.locator('.inspector-wrap .scroll-cue-box').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(cue).toHaveCount(0);
});

test('after a quiet stretch the space-time diagram still shows the recent past, and says how long it was quiet', async ({ page }) => {
  // S2 goes down before S1 and S2 can elect: S1 looks alone, and its QuorumCnxManager only dials
  // its dead peers again, so nothing more goes on the wire
  await page.goto('/?lang=en&voters=3&until=1500&actions=0%20crash%203;100%20crash%202');
  await expect(page.getByTestId('sim-time')).toHaveText('1.500 s');
  const st = page.getByTestId('spacetime');
  await expect(st.locator('line.msg').first()).toBeAttached();
  await page.goto('/?lang=en&voters=3&until=30000&actions=0%20crash%203;100%20crash%202');
  await expect(page.getByTestId('sim-time')).toHaveText('30.000 s');
  await expect(st.getByTestId('spacetime-quiet')).toBeVisible();
  await expect(st.locator('line.msg').first()).toBeAttached();
});
