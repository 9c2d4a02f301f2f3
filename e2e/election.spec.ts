import { expect, test } from '@playwright/test';
import { server, watchErrors } from './helpers';
import { spawnSync } from 'node:child_process';



test('three servers elect a leader; crashing it by clicking elects a new one', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await page.goto('/');
  for (const id of [1, 2, 3]) await expect(server(page, id)).toHaveAttribute('data-state', 'LOOKING');
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '');

  await page.getByTestId('speed').fill('30'); // ≈ 0.3× real time
  await page.getByTestId('play').click();
  await expect(server(page, 3)).toHaveAttribute('data-state', 'LEADING');
  await expect(server(page, 1)).toHaveAttribute('data-state', 'FOLLOWING');
  await expect(server(page, 2)).toHaveAttribute('data-state', 'FOLLOWING');
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '3');
  await page.screenshot({ path: testInfo.outputPath('elected.png') });

  await server(page, 3).click();
  await expect(page.getByTestId('inspector')).toContainText('3');
  await page.getByTestId('crash').click();
  await expect(server(page, 3)).toHaveAttribute('data-state', 'DOWN');
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '2');
  await expect(page.getByTestId('leader-banner')).toContainText('2');
  await expect(server(page, 1)).toHaveAttribute('data-state', 'FOLLOWING');
  await page.screenshot({ path: testInfo.outputPath('new-leader.png') });

  // restart it: it rejoins as a follower of the new leader, whatever its myid
  await page.getByTestId('restart').click();
  await expect(server(page, 3)).toHaveAttribute('data-state', 'FOLLOWING');
  expect(errors).toEqual([]);
});

test('the page simulates exactly what the CLI does: same trace hash', async ({ page }) => {
  const errors = watchErrors(page);
  const actions = '2000 crash 3; 4000 partition 1|2,4; 7000 heal';
  await page.goto(`/?voters=3&observers=1&seed=7&until=9000&actions=${encodeURIComponent(actions)}`);
  await expect(page.getByTestId('sim-time')).toHaveText('9.000 s');
  const pageHash = await page.getByTestId('trace-hash').textContent();
  const cli = spawnSync(process.execPath, ['scripts/cli.mjs', 'sim', '--voters', '3', '--observers', '1', '--seed', '7', '--until', '9000', '--actions', actions], { encoding: 'utf8' });
  expect(cli.status).toBe(0);
  expect(pageHash).toBe(JSON.parse(cli.stdout).traceHash);
  expect(errors).toEqual([]);
});

test('a broken link gets a clear message and the default ensemble still runs', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?voters=abc&actions=%3Cscript%3Ealert(1)%3C/script%3E');
  await expect(page.getByTestId('error')).toContainText('voters');
  await expect(server(page, 3)).toBeVisible();
  await page.getByTestId('speed').fill('40');
  await page.getByTestId('play').click();
  await expect(server(page, 3)).toHaveAttribute('data-state', 'LEADING');
  expect(errors).toEqual([]);
});

test('the interface switches to Simplified Chinese and keyboard shortcuts work', async ({ page }) => {
  await page.goto('/?lang=en');
  await expect(page.getByTestId('play')).toContainText('Play');
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByTestId('play')).toContainText('播放');
  await expect(server(page, 1)).toHaveAccessibleName(/选举中/);
  // N steps one event; Space plays
  await page.keyboard.press('n');
  await expect(page.getByTestId('sim-steps')).not.toHaveText('0');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play')).toContainText('暂停');
});

test('writes replicate; after the leader crashes the new epoch keeps the log on the survivors', async ({ page }, testInfo) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en');
  await page.getByTestId('speed').fill('40');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '3');
  for (let i = 0; i < 3; i++) await page.getByTestId('write').click();
  await server(page, 1).click();
  const log = page.getByTestId('logtail');
  await expect(log.locator('span.committed')).toHaveCount(3);
  await expect(log).toContainText('1:3');
  await server(page, 3).click();
  await page.getByTestId('crash').click();
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '2');
  await expect(page.getByTestId('leader-banner')).toContainText('Epoch 2');
  await page.getByTestId('write').click();
  await server(page, 1).click();
  // the survivors keep epoch 1's writes and add the new one with epoch 2 in its high bits
  await expect(log.locator('span.committed')).toHaveCount(4);
  await expect(log).toContainText('1:3');
  await expect(log).toContainText('2:1');
  await page.screenshot({ path: testInfo.outputPath('replicated.png') });
  expect(errors).toEqual([]);
});

test('a shared link replays exactly: same state and trace hash in a fresh page and in the CLI', async ({ page, browser }) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en&until=2000&voters=5');
  await expect(page.getByTestId('sim-time')).toHaveText('2.000 s');
  await server(page, 5).click();
  await page.getByTestId('crash').click();
  await page.getByTestId('write').click();
  await page.getByTestId('speed').fill('40');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '4');
  await page.getByTestId('play').click();
  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  const hash = await page.getByTestId('trace-hash').textContent();
  const time = await page.getByTestId('sim-time').textContent();
  expect(url).toMatch(/#s=v2\./);
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto(url);
  await expect(fresh.getByTestId('sim-time')).toHaveText(time!);
  await expect(fresh.getByTestId('trace-hash')).toHaveText(hash!);
  await expect(fresh.getByTestId('server-5')).toHaveAttribute('data-state', 'DOWN');
  const cli = spawnSync(process.execPath, ['scripts/cli.mjs', 'sim', '--url', url], { encoding: 'utf8' });
  expect(cli.status).toBe(0);
  expect(JSON.parse(cli.stdout).traceHash).toBe(hash);
  expect(errors).toEqual([]);
});

test('export a run as JSON and import it in a fresh page: the same moment and trace hash', async ({ page, browser }) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en&until=3000&voters=3&actions=1000%20write%202;2000%20crash%201');
  await expect(page.getByTestId('sim-time')).toHaveText('3.000 s');
  const hash = await page.getByTestId('trace-hash').textContent();
  await page.getByTestId('open-settings').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  const file = await download.path();
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto('/?lang=en');
  await fresh.getByTestId('open-settings').click();
  await fresh.getByTestId('import').setInputFiles(file!);
  await expect(fresh.getByTestId('sim-time')).toHaveText('3.000 s');
  await expect(fresh.getByTestId('trace-hash')).toHaveText(hash!);
  await expect(fresh.getByTestId('server-1')).toHaveAttribute('data-state', 'DOWN');
  expect(errors).toEqual([]);
});
