/** Keyboard, screen reader and axe-core: every state a person meets, with no mouse. */
import { expect, test, type Page } from '@playwright/test';
import { server, watchErrors } from './helpers';
import { expectNoAxeViolations } from './axe';

/** Open a run paused at `until` ms and wait until the page shows it. */
async function openAt(page: Page, query: string, until: number) {
  await page.goto(`/?until=${until}&${query}`);
  await expect(page.getByTestId('sim-time')).toHaveText(`${(until / 1000).toFixed(3)} s`);
}

test.describe('axe-core finds no violation', () => {
  test('first load', async ({ page }, info) => {
    const errors = watchErrors(page);
    await page.goto('/?lang=en');
    await expect(server(page, 1)).toBeVisible();
    await expectNoAxeViolations(page, info, 'first load');
    expect(errors).toEqual([]);
  });

  test('running with a server inspected', async ({ page }, info) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&voters=3&actions=3000%20write%203', 5000);
    await server(page, 3).click();
    await expect(page.getByTestId('inspector')).toContainText('Server 3');
    await page.getByTestId('play').click();
    await expect(page.getByTestId('play')).toContainText('Pause');
    await expect(page.getByTestId('sim-time')).not.toHaveText('5.000 s');
    await expectNoAxeViolations(page, info, 'running, S3 inspected');
    expect(errors).toEqual([]);
  });

  test('each dialog open', async ({ page }, info) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&voters=3', 3000);
    for (const [button, dialog] of [
      ['open-settings', 'settings'],
      ['open-help', 'help'],
      ['open-guides', 'guides'],
      ['open-hunter', 'hunter'],
    ] as const) {
      await page.getByTestId(button).click();
      await expect(page.getByTestId(dialog)).toBeVisible();
      await expectNoAxeViolations(page, info, `dialog ${dialog}`);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId(dialog)).toBeHidden();
    }
    await server(page, 2).click({ button: 'right' });
    await expect(page.getByTestId('server-menu')).toBeVisible();
    await expectNoAxeViolations(page, info, 'server menu');
    expect(errors).toEqual([]);
  });

  test('a guided story', async ({ page }, info) => {
    const errors = watchErrors(page);
    await page.goto('/?lang=en#g=leader-crash');
    await expect(page.getByTestId('caption-text')).toBeVisible();
    await expectNoAxeViolations(page, info, 'guided story');
    expect(errors).toEqual([]);
  });

  test('the Chinese interface', async ({ page }, info) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=zh&voters=5&actions=3000%20write%202', 5000);
    await server(page, 2).click();
    await expect(page.getByTestId('inspector')).toContainText('服务器 2');
    await expectNoAxeViolations(page, info, 'Chinese');
    expect(errors).toEqual([]);
  });

  test('the compare view', async ({ page }, info) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&voters=3&actions=2000%20write%201', 3000);
    await page.getByTestId('compare').selectOption('2pc');
    await expect(page.getByTestId('canvas-compare')).toBeVisible();
    await expect(page.getByTestId('canvas-compare').getByTestId('server-1')).toBeVisible();
    await expectNoAxeViolations(page, info, 'compare view');
    expect(errors).toEqual([]);
  });

  test('a 2PC run', async ({ page }, info) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&protocol=2pc&voters=4&actions=500%20write%202', 2000);
    await server(page, 2).click();
    await expect(page.getByTestId('inspector')).toContainText('Server 2');
    await expectNoAxeViolations(page, info, '2PC run');
    expect(errors).toEqual([]);
  });

  test('a Paxos run', async ({ page }, info) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&protocol=paxos&voters=3&proposers=2&learners=1&mode=multi&actions=500%20write%202', 3000);
    await server(page, 4).click();
    await expect(page.getByTestId('inspector')).toContainText('Server 4');
    await expectNoAxeViolations(page, info, 'Paxos run');
    expect(errors).toEqual([]);
  });
});

/** Whether the focused element is inside the element with this test id. */
const focusIn = (page: Page, testid: string) => page.evaluate((id) => document.activeElement?.closest(`[data-testid="${id}"]`) != null, testid);

test.describe('dialogs are modal', () => {
  for (const [button, dialog] of [
    ['open-help', 'help'],
    ['open-settings', 'settings'],
    ['open-guides', 'guides'],
    ['open-hunter', 'hunter'],
  ] as const) {
    test(`${dialog}: opened with Enter, focus moves in, Tab stays in, Esc closes and focus returns`, async ({ page }) => {
      const errors = watchErrors(page);
      await openAt(page, 'lang=en&voters=3', 1000);
      const opener = page.getByTestId(button);
      await opener.focus();
      await page.keyboard.press('Enter');
      await expect(page.getByTestId(dialog)).toBeVisible();
      await expect.poll(() => focusIn(page, dialog), { message: 'focus moved into the dialog' }).toBe(true);
      // the page behind is out of reach: inert, and Tab / Shift+Tab never leave the dialog
      await expect(page.locator('.app')).toHaveAttribute('inert', '');
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press('Tab');
        expect(await focusIn(page, dialog), `focus after Tab ${i + 1}`).toBe(true);
      }
      for (let i = 0; i < 5; i++) {
        await page.keyboard.press('Shift+Tab');
        expect(await focusIn(page, dialog), `focus after Shift+Tab ${i + 1}`).toBe(true);
      }
      await page.keyboard.press('Escape');
      await expect(page.getByTestId(dialog)).toBeHidden();
      await expect(opener).toBeFocused();
      await expect(page.locator('.app')).not.toHaveAttribute('inert');
      expect(errors).toEqual([]);
    });
  }

  test('Esc closes a dialog from inside a text field', async ({ page }) => {
    await openAt(page, 'lang=en&voters=3', 1000);
    await page.getByTestId('open-settings').click();
    await page.getByTestId('set-seed').focus();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('settings')).toBeHidden();
    await expect(page.getByTestId('open-settings')).toBeFocused();
  });

  test('the server menu takes focus, arrows move in it, Esc gives focus back to the server', async ({ page }) => {
    await openAt(page, 'lang=en&voters=3', 1000);
    await server(page, 2).click({ button: 'right' });
    const menu = page.getByTestId('server-menu');
    await expect(menu.getByRole('menuitem').first()).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(menu.getByRole('menuitem').nth(1)).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(server(page, 2)).toBeFocused();
  });
});
