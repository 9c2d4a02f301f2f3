/** Every control of the visualizer, each asserting what a person would see change. */
import { expect, test, type Page } from '@playwright/test';
import { server, watchErrors } from './helpers';
import { encodeScenario } from '../src/core/scenario/codec';
import { parseActions } from '../src/core/scenario/actionText';
import { defaultScenario } from '../src/core/scenario/scenario';


const steps = async (page: Page) => Number(await page.getByTestId('sim-steps').textContent());
const seconds = async (page: Page) => parseFloat((await page.getByTestId('sim-time').textContent()) ?? '0');

/** Open a scenario paused at `until` ms and wait until the page is there. */
async function openAt(page: Page, query: string, until: number) {
  await page.goto(`/?lang=en&until=${until}&${query}`);
  await expect(page.getByTestId('sim-time')).toHaveText(`${(until / 1000).toFixed(3)} s`);
}

test('step, step back and the keyboard', async ({ page }, info) => {
  const errors = watchErrors(page);
  await openAt(page, 'voters=3', 1000);
  const n = await steps(page);
  await page.getByTestId('step').click();
  await expect(page.getByTestId('sim-steps')).toHaveText(String(n + 1));
  await page.getByTestId('back').click();
  await expect(page.getByTestId('sim-steps')).toHaveText(String(n));
  await page.getByTestId('back').click();
  await expect(page.getByTestId('sim-steps')).toHaveText(String(n - 1));
  await page.keyboard.press('n');
  await expect(page.getByTestId('sim-steps')).toHaveText(String(n));
  await page.keyboard.press('b');
  await expect(page.getByTestId('sim-steps')).toHaveText(String(n - 1));
  await page.keyboard.press('?');
  await expect(page.getByTestId('help')).toBeVisible();
  await page.screenshot({ path: info.outputPath('help.png') });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help')).toBeHidden();
  expect(errors).toEqual([]);
});

test('scrub the timeline back to the election, and forward again', async ({ page }, info) => {
  const errors = watchErrors(page);
  await openAt(page, 'voters=3&actions=3000%20write%202', 5000);
  await expect(server(page, 3)).toHaveAttribute('data-state', 'LEADING');
  const end = await page.getByTestId('trace-hash').textContent();
  await page.getByTestId('timeline').fill('100');
  await expect(page.getByTestId('sim-time')).toHaveText('0.100 s');
  for (const id of [1, 2, 3]) await expect(server(page, id)).toHaveAttribute('data-state', 'LOOKING');
  await page.screenshot({ path: info.outputPath('scrubbed.png') });
  await page.getByTestId('timeline').fill('5000');
  await expect(page.getByTestId('sim-time')).toHaveText('5.000 s');
  await expect(page.getByTestId('trace-hash')).toHaveText(end!);
  expect(errors).toEqual([]);
});

test('breakpoints pause on a new leader and on a new epoch', async ({ page }) => {
  const errors = watchErrors(page);
  await openAt(page, 'voters=3&actions=2000%20crash%203', 1);
  await page.getByTestId('bp-leaderChange').check();
  await page.getByTestId('speed').fill('60');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('paused-by')).toContainText('leader');
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '3');
  await page.getByTestId('bp-leaderChange').uncheck();
  await page.getByTestId('bp-newEpoch').check();
  await page.getByTestId('play').click();
  await expect(page.getByTestId('paused-by')).toContainText('epoch');
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '2');
  expect(errors).toEqual([]);
});

test('messages in flight are drawn as their own kind after another run is loaded (ids start again at 1)', async ({ page }) => {
  const errors = watchErrors(page);
  const drawnKinds = () => page.locator('g.flight:not([data-spare])').evaluateAll((es) => es.map((e) => e.getAttribute('data-kind')).sort());
  const snapKinds = () => page.evaluate(() => (window as unknown as { zabviz: { snapshot(): { flights: { kind: string }[] } } }).zabviz.snapshot().flights.map((f) => f.kind).sort());
  // a 2PC run paused with PREPAREs in flight, then, on the same page, a ZAB story paused with NOTIFICATIONs in flight
  await openAt(page, 'protocol=2pc&voters=4&actions=' + encodeURIComponent('5 write 1'), 8);
  await expect.poll(drawnKinds).toContain('PREPARE');
  expect(await drawnKinds()).toEqual(await snapKinds());
  await page.getByTestId('open-guides').click();
  await page.getByTestId('guide-first-election').click();
  await expect(page.getByTestId('caption-text')).toContainText('Three servers start');
  // the first votes go out once the election connections are made: the story's second pause
  await page.getByTestId('caption-next').click();
  await expect(page.getByTestId('caption')).toHaveAttribute('data-n', '1');
  await expect.poll(async () => (await snapKinds()).length).toBeGreaterThan(0);
  await expect.poll(drawnKinds).toEqual(await snapKinds());
  expect(errors).toEqual([]);
});

test('click a message in flight to drop it', async ({ page }, info) => {
  const errors = watchErrors(page);
  await openAt(page, 'voters=3', 35);
  const flights = page.locator('g.flight:not([data-spare])');
  await expect(flights.first()).toBeVisible();
  const before = await flights.count();
  await flights.first().locator('circle.hit').click({ force: true });
  await expect(page.getByTestId('event-log')).toContainText('dropped by hand');
  // TCP cannot lose one message and carry on: its election connection breaks, with what else it carried
  await expect.poll(() => flights.count()).toBeLessThan(before);
  await page.screenshot({ path: info.outputPath('dropped.png') });
  expect(errors).toEqual([]);
});

test('cut and mend a link by clicking it; drag a server out to partition it; heal all', async ({ page }, info) => {
  const errors = watchErrors(page);
  await openAt(page, 'voters=5', 2000);
  const link = page.locator('[data-link="1-2"]');
  await expect(link).toHaveAttribute('data-cut', '0');
  await link.locator('line.link-hit').click({ force: true });
  await expect(link).toHaveAttribute('data-cut', '1');
  await link.locator('line.link-hit').click({ force: true });
  await expect(link).toHaveAttribute('data-cut', '0');

  // drag S5, the leader, out of the ring to a corner: it is cut off from everyone
  const box = (await server(page, 5).locator('circle.body').boundingBox())!;
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(canvas.x + 30, canvas.y + 30, { steps: 8 });
  await page.mouse.up();
  for (const other of [1, 2, 3, 4]) await expect(page.locator(`[data-link="${other}-5"]`)).toHaveAttribute('data-cut', '1');
  await expect(page.locator('[data-link="1-2"]')).toHaveAttribute('data-cut', '0');
  await page.getByTestId('speed').fill('70');
  await page.getByTestId('play').click();
  // the majority elects a new leader once the old one's followers time out
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '4', { timeout: 45_000 });
  await page.getByTestId('play').click();
  await page.screenshot({ path: info.outputPath('partitioned.png') });
  await page.getByTestId('heal').click();
  await expect(page.locator('[data-link="4-5"]')).toHaveAttribute('data-cut', '0');
  expect(errors).toEqual([]);
});

test('disk failure, the right-click menu and the inspector', async ({ page }, info) => {
  const errors = watchErrors(page);
  await openAt(page, 'voters=3&actions=1000%20write%202', 2000);
  await server(page, 2).click();
  await expect(page.getByTestId('inspector')).toContainText('FOLLOWING');
  await expect(page.getByTestId('logtail').locator('span.committed')).toHaveCount(2);
  await page.getByTestId('disk').click();
  await expect(server(page, 2).locator('text.disk')).toBeVisible();
  await expect(page.getByTestId('disk')).toContainText('Repair');
  await server(page, 1).click({ button: 'right' });
  await expect(page.getByTestId('server-menu')).toBeVisible();
  await page.getByTestId('server-menu').getByRole('menuitem', { name: /Crash/ }).click();
  await expect(server(page, 1)).toHaveAttribute('data-state', 'DOWN');
  await server(page, 1).click({ button: 'right' });
  await page.getByTestId('server-menu').getByRole('menuitem', { name: /Restart/ }).click();
  await expect(server(page, 1)).not.toHaveAttribute('data-state', 'DOWN');
  await page.screenshot({ path: info.outputPath('disk-and-menu.png') });
  expect(errors).toEqual([]);
});

test('the space-time diagram jumps to the moment clicked', async ({ page }) => {
  const errors = watchErrors(page);
  await openAt(page, 'voters=3', 1500);
  const st = page.getByTestId('spacetime').locator('svg');
  await expect(st.locator('line.msg').first()).toBeVisible();
  const box = (await st.boundingBox())!;
  await st.click({ position: { x: 60, y: box.height / 2 } });
  await expect.poll(() => seconds(page)).toBeLessThan(1);
  expect(errors).toEqual([]);
});

test('cluster set-up, steady writes and network sliders', async ({ page }, info) => {
  const errors = watchErrors(page);
  await openAt(page, 'voters=3', 10);
  await page.getByTestId('open-settings').click();
  await page.getByTestId('set-voters').fill('5');
  await page.getByTestId('set-observers').fill('2');
  await page.getByTestId('apply').click();
  await expect(server(page, 7)).toBeVisible();
  await expect(server(page, 5)).toHaveAttribute('data-state', 'LOOKING');
  await page.getByTestId('speed').fill('60');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '5');
  // steady writes: 0 → a few per second, by keyboard on the slider
  const rate = page.getByTestId('rate');
  await rate.focus();
  // one press at a time, as a person does: each value is seen before the next press
  for (let i = 1; i <= 5; i++) {
    await page.keyboard.press('ArrowRight');
    await expect(rate).toHaveValue(String(i));
  }
  await expect(page.getByTestId('network')).toContainText('5/s');
  await server(page, 1).click();
  await expect.poll(async () => page.getByTestId('logtail').locator('span.committed').count(), { timeout: 20_000 }).toBeGreaterThan(2);
  const loss = page.getByTestId('loss');
  await loss.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('network')).toContainText('1%');
  await page.screenshot({ path: info.outputPath('cluster.png') });
  expect(errors).toEqual([]);
});

test('time travel keeps what the person did: a crash survives Back and scrubbing', async ({ page }) => {
  const errors = watchErrors(page);
  await openAt(page, 'voters=3', 3000);
  await server(page, 3).click();
  await page.getByTestId('crash').click();
  await expect(server(page, 3)).toHaveAttribute('data-state', 'DOWN');
  for (let i = 0; i < 5; i++) await page.getByTestId('step').click();
  await page.getByTestId('back').click();
  await expect(server(page, 3)).toHaveAttribute('data-state', 'DOWN');
  await page.getByTestId('timeline').fill('1000');
  await expect(page.getByTestId('sim-time')).toHaveText('1.000 s');
  await expect(server(page, 3)).toHaveAttribute('data-state', 'LEADING');
  await expect(page.getByTestId('event-log')).not.toContainText('Nothing has happened yet');
  const end = await page.getByTestId('timeline').getAttribute('max');
  await page.getByTestId('timeline').fill(end!);
  await expect(server(page, 3)).toHaveAttribute('data-state', 'DOWN');
  expect(errors).toEqual([]);
});

test('the invariant breakpoint pauses the run where a rule switched off breaks one, and marks the server', async ({ page }) => {
  const errors = watchErrors(page);
  // the leader commits on its own log write (commitEarly): Durability breaks a few ms after the write
  const sc = defaultScenario({ voters: 3, actions: parseActions('1000 write 1'), ablations: { zab: { commitEarly: true } } });
  await page.goto(`/?lang=en#s=${encodeScenario(sc, 1)}`);
  await expect(page.getByTestId('sim-time')).toHaveText('0.001 s');
  await expect(page.getByTestId('bp-violation')).toBeChecked();
  await page.getByTestId('speed').fill('60');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('paused-by')).toContainText('invariant was violated');
  await expect(page.getByTestId('play')).toContainText('Play');
  expect(await seconds(page)).toBeGreaterThan(1);
  expect(await seconds(page)).toBeLessThan(1.2);
  await expect(page.locator('g.server.violating')).toHaveCount(1);
  await expect(page.getByTestId('event-log')).toContainText('Durability');
  expect(errors).toEqual([]);
});

test('at the default speed a quiet wait (a partitioned leader timing out) is skipped', async ({ page }) => {
  const errors = watchErrors(page);
  // S3 leads epoch 1; at 2 s it is cut off: nothing moves until syncLimit (10 s) runs out
  await openAt(page, 'voters=3&actions=2000%20partition%203%7C1,2', 1500);
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '3');
  await expect(page.getByTestId('skip-quiet')).toBeChecked();
  await page.getByTestId('play').click();
  // at 0.06× real time the 10 s wait alone would take almost 3 minutes of wall time
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '2', { timeout: 45_000 });
  expect(await seconds(page)).toBeGreaterThan(11);
  expect(errors).toEqual([]);
});

test('acting in the past says that the future was replaced', async ({ page }) => {
  const errors = watchErrors(page);
  await openAt(page, 'voters=3', 2000);
  await page.getByTestId('timeline').fill('1000');
  await expect(page.getByTestId('sim-time')).toHaveText('1.000 s');
  await expect(page.getByTestId('forked')).toHaveCount(0);
  await page.getByTestId('write').click();
  await expect(page.getByTestId('forked')).toContainText('from 1.000 s on (it had reached 2.000 s)');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('forked')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('pause a process by button and by key: it greys, keeps its state, and catches up when resumed', async ({ page }, info) => {
  const errors = watchErrors(page);
  await openAt(page, 'voters=3', 3000);
  await server(page, 3).click();
  await page.getByTestId('pause').click();
  await expect(server(page, 3)).toHaveClass(/paused/);
  await expect(server(page, 3).locator('g.paused')).toBeVisible();
  await expect(page.getByTestId('paused-badge')).toBeVisible();
  // still LEADING in its own eyes, not struck through as a crashed one is
  await expect(server(page, 3)).toHaveAttribute('data-state', 'LEADING');
  await expect(server(page, 3).locator('line.strike')).toBeHidden();
  await page.screenshot({ path: info.outputPath('paused.png') });
  await page.keyboard.press('z');
  await expect(server(page, 3)).not.toHaveClass(/paused/);
  await expect(page.getByTestId('paused-badge')).toBeHidden();
  await page.keyboard.press('z');
  await expect(server(page, 3)).toHaveClass(/paused/);
  expect(errors).toEqual([]);
});

test("the ZooKeeper release: shown in the toolbar, chosen in the Cluster dialog or by the page's query", async ({ page }) => {
  const errors = watchErrors(page);
  await openAt(page, 'voters=3', 10);
  await expect(page.getByTestId('zk-release')).toHaveText('ZK 3.8.0');
  await page.getByTestId('open-settings').click();
  await page.getByTestId('set-zk').selectOption('3.9');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('zk-release')).toHaveText('ZK 3.9.5');
  // a learner shows the sync its leader chose
  await openAt(page, 'voters=3&zk=3.9&actions=1000%20write%202;%202000%20crash%201;%203000%20write%205;%205000%20restart%201', 6000);
  await expect(page.getByTestId('zk-release')).toHaveText('ZK 3.9.5');
  await server(page, 1).click();
  await expect(page.getByTestId('last-sync')).toContainText('DIFF from S3');
  expect(errors).toEqual([]);
});
