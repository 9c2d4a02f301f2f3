import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './axe';
import { parseActions } from '../src/core/scenario/actionText';
import { encodeScenario } from '../src/core/scenario/codec';
import { defaultScenario } from '../src/core/scenario/scenario';
import { watchErrors } from './helpers';

/** Wait for the simulated clock to pass `s` seconds, playing, then pause. */
async function playTo(page: import('@playwright/test').Page, s: number) {
  await page.getByTestId('play').click();
  await page.waitForFunction((t) => parseFloat(document.querySelector('[data-testid=sim-time]')!.textContent!) >= t, s, { timeout: 60_000 });
  await page.getByTestId('play').click();
}

test.describe('ZooKeeper clients, by clicking', () => {
  test('a client of a follower writes, reads its write back, and a bad path is refused in words', async ({ page }, info) => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto('/?lang=en');
    // closed while the run has no client: opened by its summary
    await expect(page.getByTestId('client-servers')).toBeHidden();
    await page.getByTestId('clients').locator('summary').click();
    await page.getByTestId('client-servers').fill('1');
    await page.getByTestId('client-connect').click();
    await expect(page.getByTestId('client-C1')).toContainText('CONNECTING');
    await playTo(page, 1.5);
    await expect(page.getByTestId('client-C1')).toContainText('CONNECTED · on S1');
    await page.getByTestId('client-create').click();
    await playTo(page, 2.5);
    await page.getByTestId('client-getData').click();
    await playTo(page, 3.5);
    const results = page.getByTestId('client-result');
    await expect(results.nth(0)).toContainText('create /a → OK from S1');
    await expect(results.nth(1)).toContainText('getData /a → OK "v1" v0 from S1');
    // the event log names the client as C1; the canvas draws it beside S1, connected
    await expect(page.getByTestId('event-log')).toContainText('C1');
    await expect(page.getByTestId('canvas').getByTestId('client-node-C1')).toHaveAttribute('data-state', 'CONNECTED');
    await expect(page.getByTestId('canvas').getByTestId('client-node-C1')).toHaveAttribute('aria-label', /^C1 · CONNECTED · S1 · 0x1/);
    // the space-time diagram has a lane for C1, with its messages
    await expect(page.getByTestId('spacetime').locator('svg text').filter({ hasText: /^C1$/ })).toHaveCount(1);
    // S1's inspector shows its data tree
    await page.getByTestId('canvas').getByTestId('server-1').click();
    await expect(page.getByTestId('znodes')).toContainText('/a = “v1” v0');
    await expectNoAxeViolations(page, info, 'a client on the canvas, the panel open, a server’s tree inspected');
    await page.screenshot({ path: info.outputPath('clients.png') });
    await page.getByTestId('client-path').fill('<b>x</b>');
    await page.getByTestId('client-create').click();
    await expect(page.getByTestId('client-problem')).toHaveText('A path is /name, up to 4 levels: letters, digits, . _ -');
    await expect(page.locator('b:has-text("x")')).toHaveCount(0);
  });

  test('in Chinese, the panel speaks Chinese', async ({ page }) => {
    await page.goto('/?lang=zh');
    await expect(page.getByTestId('clients')).toContainText('ZooKeeper 客户端');
    await expect(page.getByTestId('client-connect')).toHaveText('连接');
  });

  test('a broken guarantee rings the client in red and says what broke, in both languages', async ({ page }) => {
    const errors = watchErrors(page);
    // a follower that answers before the commit, on disks so slow nothing commits first
    const sc = defaultScenario({ voters: 3, disk: { latencyMin: 500, latencyMax: 600 }, ablations: { zab: { answerBeforeCommit: true } }, actions: parseActions('1000 client 1 connect 1; 3000 create 1 /a x') });
    await page.goto(`/?lang=en#s=${encodeScenario(sc)}`);
    await page.getByTestId('speed').fill('100');
    await page.getByTestId('play').click();
    // the run pauses itself at the violation
    const panel = page.locator('.violations');
    await expect(panel).toContainText('LinearizableWrites', { timeout: 30_000 });
    await expect(panel).toContainText('C1’s write was acknowledged by server 1');
    await expect(page.getByTestId('canvas').getByTestId('client-node-C1')).toHaveClass(/violating/);
    await page.getByRole('button', { name: '中文' }).click();
    await expect(panel).toContainText('C1 的写请求被服务器 1 确认');
    expect(errors).toEqual([]);
  });
});
