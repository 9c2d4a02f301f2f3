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
  // two full axe passes over a page with a live canvas take 10-30 s on a loaded 2-core machine
  test.describe.configure({ timeout: 120_000 });
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

  for (const [button, dialog] of [
    ['open-settings', 'settings'],
    ['open-help', 'help'],
    ['open-guides', 'guides'],
    ['open-hunter', 'hunter'],
  ] as const) {
    test(`the ${dialog} dialog open`, async ({ page }, info) => {
      const errors = watchErrors(page);
      await openAt(page, 'lang=en&voters=3', 3000);
      await page.getByTestId(button).click();
      await expect(page.getByTestId(dialog)).toBeVisible();
      await expectNoAxeViolations(page, info, `dialog ${dialog}`);
      expect(errors).toEqual([]);
    });
  }

  test('the server menu open', async ({ page }, info) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&voters=3', 3000);
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

  // a run open at a moment, one server inspected: in Chinese, and in each other protocol
  for (const [state, query, until, id, shown] of [
    ['Chinese', 'lang=zh&voters=5&actions=3000%20write%202', 5000, 2, '服务器 2'],
    ['2PC run', 'lang=en&protocol=2pc&voters=4&actions=500%20write%202', 2000, 2, 'Server 2'],
    ['Paxos run', 'lang=en&protocol=paxos&voters=3&proposers=2&learners=1&mode=multi&actions=500%20write%202', 3000, 4, 'Server 4'],
  ] as const) {
    test(`the ${state}, a server inspected`, async ({ page }, info) => {
      const errors = watchErrors(page);
      await openAt(page, query, until);
      await server(page, id).click();
      await expect(page.getByTestId('inspector')).toContainText(shown);
      await expectNoAxeViolations(page, info, state);
      expect(errors).toEqual([]);
    });
  }

  test('the compare view', async ({ page }, info) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&voters=3&actions=2000%20write%201', 3000);
    await page.getByTestId('compare').selectOption('2pc');
    await expect(page.getByTestId('canvas-compare')).toBeVisible();
    await expect(page.getByTestId('canvas-compare').getByTestId('server-1')).toBeVisible();
    await expectNoAxeViolations(page, info, 'compare view');
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

test.describe('every action has a keyboard path', () => {
  test('P moves the selected server to the other side of a partition, and back; the help lists it', async ({ page }) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&voters=3', 3000);
    await server(page, 1).focus();
    await page.keyboard.press('Enter');
    await expect(server(page, 1)).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('inspector')).toContainText('Server 1');
    await page.keyboard.press('p');
    await expect(page.locator('[data-link="1-2"]')).toHaveAttribute('data-cut', '1');
    await expect(page.locator('[data-link="1-3"]')).toHaveAttribute('data-cut', '1');
    await expect(page.locator('[data-link="2-3"]')).toHaveAttribute('data-cut', '0');
    await expect(page.getByTestId('event-log')).toContainText('network partitioned');
    await page.keyboard.press('p');
    for (const l of ['1-2', '1-3', '2-3']) await expect(page.locator(`[data-link="${l}"]`)).toHaveAttribute('data-cut', '0');
    await expect(page.getByTestId('event-log')).toContainText('network healed');
    await page.keyboard.press('?');
    await expect(page.getByTestId('help')).toContainText('other side of a partition');
    expect(errors).toEqual([]);
  });

  test('a link is cut and mended from the list of the selected server’s links', async ({ page }, info) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&voters=3', 3000);
    await server(page, 2).focus();
    await page.keyboard.press('Enter');
    const cut = page.getByRole('button', { name: 'Cut S1–S2' });
    await cut.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-link="1-2"]')).toHaveAttribute('data-hand', '1');
    await expect(page.getByTestId('event-log')).toContainText('link 1–2 cut');
    await page.screenshot({ path: info.outputPath('links-by-keyboard.png') });
    const mend = page.getByRole('button', { name: 'Mend S1–S2' });
    await mend.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-link="1-2"]')).toHaveAttribute('data-hand', '0');
    await expect(page.getByTestId('event-log')).toContainText('link 1–2 mended');
    expect(errors).toEqual([]);
  });

  test('a message in flight is dropped from the list of messages', async ({ page }) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&voters=3', 35);
    const drop = page.getByTestId('flights').getByRole('button', { name: /^Drop #\d+ NOTIFICATION S\d→S\d$/ }).first();
    await expect(drop).toBeVisible();
    const testid = (await drop.getAttribute('data-testid'))!;
    const id = Number(testid.replace('drop-', ''));
    await drop.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId(testid)).toHaveCount(0);
    await expect(page.getByTestId('event-log')).toContainText('dropped by hand');
    const inFlight = await page.evaluate(() => (window as unknown as { zabviz: { snapshot(): { flights: { id: number }[] } } }).zabviz.snapshot().flights.map((f) => f.id));
    expect(inFlight).not.toContain(id);
    expect(errors).toEqual([]);
  });

  test('the space-time diagram: arrows move a cursor, Enter jumps there', async ({ page }, info) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&voters=3', 3000);
    const plot = page.getByTestId('spacetime-plot');
    await plot.focus();
    await expect(plot).toBeFocused();
    await expect(plot).toHaveAttribute('aria-valuenow', '3000');
    // the window is 2 s: Home is its left end, each arrow a fortieth of it
    await page.keyboard.press('Home');
    await expect(plot).toHaveAttribute('aria-valuenow', '1000');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await expect(plot).toHaveAttribute('aria-valuenow', '1200');
    await expect(plot).toHaveAttribute('aria-valuetext', '1.200 s');
    await page.screenshot({ path: info.outputPath('spacetime-cursor.png') });
    await expect(page.getByTestId('sim-time')).toHaveText('3.000 s');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('sim-time')).toHaveText('1.200 s');
    expect(errors).toEqual([]);
  });

  test('a file is imported by keyboard: the input is in the tab order, named, and opens the chooser', async ({ page }) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&voters=3&actions=1000%20write%202;2000%20crash%201', 3000);
    const hash = await page.getByTestId('trace-hash').textContent();
    await page.getByTestId('open-settings').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    const file = (await download.path())!;
    await page.keyboard.press('Escape');
    await page.goto('/?lang=en');
    await expect(server(page, 1)).toHaveAttribute('data-state', 'LOOKING');
    await page.getByTestId('open-settings').focus();
    await page.keyboard.press('Enter');
    const input = page.getByTestId('import');
    await expect(input).toHaveAccessibleName(/Import a scenario/);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'import');
    }
    expect(reached, 'Tab reaches the file input').toBe(true);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
    await chooser.setFiles(file);
    await expect(page.getByTestId('sim-time')).toHaveText('3.000 s');
    await expect(page.getByTestId('trace-hash')).toHaveText(hash!);
    expect(errors).toEqual([]);
  });
});

test.describe('a polite live region says what matters', () => {
  test('a leader elected, a server down and back, a new epoch; in English and in Chinese', async ({ page }) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&voters=3&actions=3000%20crash%203;5000%20restart%203', 1);
    const region = page.getByTestId('announcer');
    await expect(region).toHaveAttribute('aria-live', 'polite');
    await page.getByTestId('speed').fill('60');
    await page.getByTestId('bp-leaderChange').check();
    await page.getByTestId('play').click();
    await expect(region).toHaveText('S3 leads, epoch 1');
    await page.getByTestId('bp-leaderChange').uncheck();
    await page.getByTestId('bp-newEpoch').check();
    await page.getByTestId('play').click();
    // S3 goes down at 3 s (said then, or with what follows when one snapshot carries both, as it
    // does on a loaded machine), and S2 leads the new epoch 2
    await expect(region).toHaveText(/(^|\. )S2 leads, epoch 2$/);
    await page.getByRole('button', { name: '中文' }).click();
    await expect(region).toHaveText(/S2 成为领导者，epoch 2$/);
    await page.getByTestId('bp-newEpoch').uncheck();
    await page.getByTestId('play').click();
    await expect(region).toHaveText('S3 已恢复运行');
    expect(errors).toEqual([]);
  });

  test('a server going down is said (C on the selected server)', async ({ page }) => {
    const errors = watchErrors(page);
    await openAt(page, 'lang=en&voters=3', 3000);
    await server(page, 1).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('c');
    await expect(page.getByTestId('announcer')).toHaveText('S1 is down');
    await page.keyboard.press('c');
    await expect(page.getByTestId('announcer')).toHaveText('S1 is back up');
    expect(errors).toEqual([]);
  });

  test('an invariant violation is said (the commit-early story, played on caption by caption)', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('/?lang=en#g=ablation-commit-early');
    const region = page.getByTestId('announcer');
    const caption = page.getByTestId('caption');
    await expect(caption).toHaveAttribute('data-n', '0');
    const violated = async () => /Invariant violated: \w+/.test((await region.textContent()) ?? '');
    for (let n = 1; n < 6 && !(await violated()); n++) {
      await expect(page.getByTestId('caption-next')).toBeEnabled();
      await page.getByTestId('caption-next').click();
      // the next caption, or the violation's breakpoint before it
      await expect.poll(async () => (await violated()) || (await caption.getAttribute('data-n')) === String(n), { timeout: 30_000 }).toBe(true);
    }
    await expect(region).toContainText(/Invariant violated: \w+/);
    expect(errors).toEqual([]);
  });
});
