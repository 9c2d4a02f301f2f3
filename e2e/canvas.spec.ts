/** The canvas answers the pointer: on both canvases of the compare view, and on a message's label. */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { watchErrors } from './helpers';

/** Drag a server's circle to a point in its canvas (relative to the canvas's top-left corner). */
async function dragTo(page: Page, canvas: Locator, id: number, dx: number, dy: number) {
  const box = (await canvas.getByTestId(`server-${id}`).locator('circle.body').boundingBox())!;
  const c = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(c.x + dx, c.y + dy, { steps: 8 });
  await page.mouse.up();
}

test('in the compare view both canvases select, drag to partition and open the menu', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en&voters=5&until=3000');
  await expect(page.getByTestId('sim-time')).toHaveText('3.000 s');
  await page.getByTestId('compare').selectOption('2pc');
  const main = page.getByTestId('canvas');
  const other = page.getByTestId('canvas-compare');
  await expect(other.getByTestId('server-5')).toBeVisible();

  // select on the main canvas: the inspector shows it, both canvases ring it
  await main.getByTestId('server-2').click();
  await expect(page.getByTestId('inspector')).toContainText('2');
  await expect(main.getByTestId('server-2')).toHaveClass(/selected/);
  await expect(other.getByTestId('server-2')).toHaveClass(/selected/);
  // and on the compared canvas
  await other.getByTestId('server-3').click();
  await expect(other.getByTestId('server-3')).toHaveClass(/selected/);
  await expect(main.getByTestId('server-3')).toHaveClass(/selected/);
  await expect(main.getByTestId('server-2')).not.toHaveClass(/selected/);

  // drag S5 out of the main ring: it is cut off on both runs, and it stays drawn where it was let go
  await dragTo(page, main, 5, 30, 30);
  for (const k of [1, 2, 3, 4]) await expect(main.locator(`[data-link="${k}-5"]`)).toHaveAttribute('data-cut', '1');
  await expect(other.locator('[data-link="1-5"]')).toHaveAttribute('data-cut', '1');
  await expect(main.getByTestId('server-5')).toBeVisible();
  await expect(other.getByTestId('server-5')).toBeVisible();
  const s5 = (await main.getByTestId('server-5').locator('circle.body').boundingBox())!;
  const mainBox = (await main.boundingBox())!;
  expect(s5.x).toBeGreaterThanOrEqual(mainBox.x - 1);
  expect(s5.y).toBeGreaterThanOrEqual(mainBox.y - 1);
  expect(s5.x + s5.width).toBeLessThanOrEqual(mainBox.x + mainBox.width + 1);
  await page.getByTestId('heal').click();
  await expect(main.locator('[data-link="4-5"]')).toHaveAttribute('data-cut', '0');

  // drag S4 out of the compared ring: the same partition on both
  const otherBox = (await other.boundingBox())!;
  await dragTo(page, other, 4, otherBox.width - 30, 30);
  await expect(other.locator('[data-link="1-4"]')).toHaveAttribute('data-cut', '1');
  await expect(main.locator('[data-link="3-4"]')).toHaveAttribute('data-cut', '1');
  await expect(other.getByTestId('server-4')).toBeVisible();

  // right-click opens the server's menu on either canvas
  await main.getByTestId('server-1').click({ button: 'right' });
  await expect(page.getByTestId('server-menu')).toContainText('1');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('server-menu')).toHaveCount(0);
  await other.getByTestId('server-2').click({ button: 'right' });
  await expect(page.getByTestId('server-menu')).toBeVisible();
  await expect(page.getByTestId('server-menu')).toContainText('2');
  await page.screenshot({ path: info.outputPath('compare-clicks.png') });
  expect(errors).toEqual([]);
});

test("clicking a message's label drops the message, and cuts no link", async ({ page }) => {
  const errors = watchErrors(page);
  // votes fly between three servers once their connections are made; labels show mid-way
  await page.goto('/?lang=en&voters=3&until=35');
  await expect(page.getByTestId('sim-time')).toHaveText('0.035 s');
  const labelled = page.locator('g.flight:not([data-spare])').filter({ has: page.locator('text', { hasText: /\S/ }) });
  await expect(labelled.first()).toBeVisible();
  const text = labelled.first().locator('text');
  const box = (await text.boundingBox())!;
  // the far end of the label, away from the glyph
  await page.mouse.click(box.x + box.width - 4, box.y + box.height / 2);
  await expect(page.getByTestId('event-log')).toContainText('dropped by hand');
  await expect(page.locator('[data-cut="1"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});
