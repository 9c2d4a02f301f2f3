import { expect, test } from '@playwright/test';
import { server, watchErrors } from './helpers';
import { encodeScenario } from '../src/core/scenario/codec';
import { parseActions } from '../src/core/scenario/actionText';
import { defaultScenario } from '../src/core/scenario/scenario';

test('switching to 2PC in the Cluster dialog; a participant clicked to vote no aborts the next transaction', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en');
  await page.getByTestId('open-settings').click();
  await page.getByTestId('set-protocol').selectOption('2pc');
  await page.getByTestId('set-voters').fill('4');
  await page.getByRole('button', { name: 'Start over' }).click();
  await expect(server(page, 1)).toHaveAttribute('data-state', 'IDLE');
  await expect(page.getByTestId('leader-banner')).toContainText('Coordinator S1');
  await page.getByTestId('speed').fill('45');
  await page.getByTestId('write').click();
  await page.getByTestId('play').click();
  for (const id of [2, 3, 4]) await expect(server(page, id)).toHaveAttribute('data-state', 'COMMITTED', { timeout: 15_000 });
  await server(page, 3).click();
  await page.getByTestId('vote-no').click();
  await expect(page.getByTestId('vote-no')).toHaveAttribute('aria-pressed', 'true');
  await expect(server(page, 3)).toContainText('will vote no'); // on the canvas before it takes effect
  await expect(server(page, 2)).not.toContainText('will vote no');
  await page.getByTestId('write').click();
  for (const id of [2, 3, 4]) await expect(server(page, id)).toHaveAttribute('data-state', 'ABORTED', { timeout: 15_000 });
  await page.screenshot({ path: info.outputPath('2pc-veto.png') });
  expect(errors).toEqual([]);
});

test('Paxos: two proposers clicked to propose at once duel, and one value is chosen', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en&protocol=paxos&voters=3&proposers=2&learners=1');
  await expect(server(page, 4)).toHaveAttribute('data-state', 'IDLE');
  // Basic Paxos has no leader: the banner says so, and no leader or epoch breakpoint is offered
  await expect(page.getByTestId('leader-banner')).toContainText('Basic Paxos has none');
  await expect(page.getByTestId('bp-leaderChange')).toHaveCount(0);
  await expect(page.getByTestId('bp-violation')).toBeVisible();
  // both proposals in the same simulated millisecond: the page is paused while clicking
  await server(page, 4).click();
  await page.getByTestId('propose').click();
  await server(page, 5).click();
  await page.getByTestId('propose').click();
  await page.getByTestId('speed').fill('40');
  await page.getByTestId('play').click();
  await expect(server(page, 6)).toHaveAttribute('data-state', 'LEARNED', { timeout: 20_000 });
  await expect(page.getByTestId('event-log')).toContainText('preempted');
  await page.screenshot({ path: info.outputPath('paxos-duel.png') });
  expect(errors).toEqual([]);
});

test('the compare view runs the same faults on ZAB beside 2PC, on a shared clock, and a link keeps it', async ({ page, browser }, info) => {
  test.setTimeout(120_000); // two pages, each replaying the run: slow on a busy 2-core machine
  const errors = watchErrors(page);
  await page.goto('/?lang=en&protocol=2pc&voters=5&actions=1000%20write%201;1035%20crash%201;1036%20crash%205');
  await page.getByTestId('compare').selectOption('zab');
  await expect(page.getByTestId('canvas-compare')).toBeVisible();
  await page.getByTestId('speed').fill('50');
  await page.getByTestId('play').click();
  const main = page.getByTestId('canvas');
  // 2PC blocks: its participants stay PREPARED while the coordinator is down
  await expect(main.getByTestId('server-2')).toHaveAttribute('data-state', 'PREPARED', { timeout: 15_000 });
  // ZAB, with its leader (S5) and S1 down, elects a new leader among the three left
  const zab = page.getByTestId('canvas-compare');
  await expect(zab.locator('[data-testid=server-4][data-state=LEADING]')).toBeVisible({ timeout: 30_000 });
  await expect(main.getByTestId('server-2')).toHaveAttribute('data-state', 'PREPARED');
  await page.getByTestId('play').click();
  const times = await page.evaluate(() => {
    const w = window as unknown as { zabviz: { snapshot(): { time: number } | null; compare(): { time: number } | null } };
    return [w.zabviz.snapshot()?.time, w.zabviz.compare()?.time];
  });
  expect(times[0]).toBe(times[1]);
  await page.screenshot({ path: info.outputPath('compare.png') });
  // a shared link keeps the comparison, and the moment, in a fresh page
  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  const hash = await page.getByTestId('trace-hash').textContent();
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto(url);
  await expect(fresh.getByTestId('trace-hash')).toHaveText(hash!);
  await expect(fresh.getByTestId('canvas-compare').locator('[data-testid=server-4]')).toHaveAttribute('data-state', 'LEADING');
  await expect(fresh.getByTestId('compare')).toHaveValue('zab');
  await page.getByTestId('compare').selectOption('');
  await expect(page.getByTestId('canvas-compare')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('ZooKeeper 3.8.0 beside 3.8.5: the same schedule loses a committed txn on one release only (ZOOKEEPER-4646)', async ({ page }, info) => {
  const errors = watchErrors(page);
  // a follower crashes between its NEWLEADER ACK and its log flush, then the leader crashes (zk/release.test.ts)
  const sc = defaultScenario({ voters: 3, disk: { latencyMin: 40, latencyMax: 40 }, actions: parseActions('1000 write 1; 2000 crash 1; 3000 write 1; 4000 crash 3; 4500 restart 1; 5034 crash 1; 5064 crash 2; 6000 restart 1; 6000 restart 3') });
  await page.goto(`/?lang=en#s=${encodeScenario(sc, 8000, null, 'zab@3.8.5')}`);
  await expect(page.getByTestId('canvas-compare')).toBeVisible();
  await expect(page.getByTestId('compare')).toHaveValue('zab@3.8.5');
  await expect(page.locator('.canvas-title').first()).toContainText('ZK 3.8.0');
  await expect(page.locator('.canvas-title').last()).toContainText('ZK 3.8.5');
  // only the 3.8.0 run names a broken invariant
  await expect(page.getByTestId('canvas').locator('g.server.violating').first()).toBeVisible();
  await expect(page.getByTestId('canvas-compare').locator('g.server.violating')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('release-compare.png') });
  expect(errors).toEqual([]);
});

test('the museum: the ZOOKEEPER-4646 story opens 3.8.0 beside 3.8.5 and pauses where each caption says', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en');
  await page.getByTestId('open-guides').click();
  await page.getByTestId('guide-zookeeper-4646').click();
  await expect(page.getByTestId('canvas-compare')).toBeVisible();
  await expect(page.getByTestId('compare')).toHaveValue('zab@3.8.5');
  await expect(page.getByTestId('caption')).toContainText('ZOOKEEPER-4785');
  // from caption to caption up to the last one: the bug on the left only
  for (let n = 1; n <= 5; n++) {
    await page.getByTestId('caption-next').click();
    await expect(page.getByTestId('caption')).toHaveAttribute('data-n', String(n), { timeout: 30_000 });
  }
  await expect(page.getByTestId('caption')).toContainText('NoCommittedLoss');
  await expect(page.getByTestId('canvas').locator('g.server.violating').first()).toBeVisible();
  await expect(page.getByTestId('canvas-compare').locator('g.server.violating')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('museum-4646.png') });
  expect(errors).toEqual([]);
});
