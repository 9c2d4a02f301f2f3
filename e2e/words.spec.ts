import { expect, test, type Page } from '@playwright/test';
import { server, watchErrors } from './helpers';
import { PAGE_LIMITS } from '../src/core/scenario/query';

/** A scenario file as the Cluster dialog exports it, with `patch` over it. */
function scenarioFile(patch: Record<string, unknown>): string {
  return JSON.stringify({ format: 'zab-viz scenario', version: 2, voters: 3, seed: 1, actions: [], ...patch });
}

async function importFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('open-settings').click();
  await page.getByTestId('import').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('a JSON import obeys the page limits, and its error names the file in plain words', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en');
  await expect(server(page, 3)).toBeVisible();
  await importFile(page, 'big-ensemble.json', scenarioFile({ voters: 101 }));
  const banner = page.getByTestId('error');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('big-ensemble.json');
  await expect(banner).not.toContainText('link');
  // the person's words: the field as the file names it and the allowed range, not the validator's
  await expect(banner).toContainText(`voters`);
  await expect(banner).toContainText(`${PAGE_LIMITS.voters}`);
  await expect(banner).not.toContainText('expected');
  await expect(banner).not.toContainText('Too big');
  // and the run on the page is not the file's: still three servers
  await expect(page.locator('g.server')).toHaveCount(3);
  expect(errors).toEqual([]);
});

test('observers over the page limit in a file are refused too', async ({ page }) => {
  await page.goto('/?lang=en');
  await expect(server(page, 3)).toBeVisible();
  await importFile(page, 'observers.json', scenarioFile({ observers: PAGE_LIMITS.observers + 1 }));
  await expect(page.getByTestId('error')).toContainText('observers.json');
  await expect(page.locator('g.server')).toHaveCount(3);
});

test("a link with too many voters is reported in plain words, in the reader's language", async ({ page }) => {
  await page.goto('/?lang=en&voters=101');
  const banner = page.getByTestId('error');
  await expect(banner).toContainText('This link could not be opened');
  await expect(banner).toContainText(`"voters" must be from 1 to ${PAGE_LIMITS.voters}; it is 101`);
  await page.goto('/?lang=zh&voters=101');
  await expect(banner).toContainText(`无法打开这个链接："voters" 必须在 1 到 ${PAGE_LIMITS.voters} 之间；现在是 101`);
  // and it follows a change of language
  await page.getByRole('button', { name: 'English' }).click();
  await expect(banner).toContainText(`must be from 1 to ${PAGE_LIMITS.voters}`);
});

test('an error banner clears once a later action succeeds', async ({ page }) => {
  await page.goto('/?lang=en');
  await expect(server(page, 3)).toBeVisible();
  await importFile(page, 'broken.json', '{ not json');
  await expect(page.getByTestId('error')).toContainText('broken.json');
  // a good file next: loaded, and the old complaint goes
  await importFile(page, 'five.json', scenarioFile({ voters: 5 }));
  await expect(server(page, 5)).toBeVisible();
  await expect(page.getByTestId('error')).toHaveCount(0);
  // a bad link reported at start clears with the next thing the person does
  await page.goto('/?lang=en&voters=abc');
  await expect(page.getByTestId('error')).toBeVisible();
  await page.getByTestId('step').click();
  await expect(page.getByTestId('sim-steps')).toHaveText('1');
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('one event is "1 event", in the event log', async ({ page }) => {
  await page.goto('/?lang=en');
  await expect(server(page, 3)).toBeVisible();
  await page.getByTestId('step').click();
  await expect(page.getByTestId('sim-steps')).toHaveText('1');
  const log = page.getByTestId('event-log');
  await expect(log).toContainText('1 event so far');
  await expect(log).not.toContainText('1 events');
});

test('one zxid notation in the event log and the inspector, with hex on hover', async ({ page }) => {
  await page.goto('/?lang=en&voters=3&actions=1000%20write%202&until=1500');
  await expect(page.getByTestId('sim-time')).toHaveText('1.500 s');
  const log = page.getByTestId('event-log');
  await expect(log).toContainText('proposed as 1:1');
  await expect(log).not.toContainText(/0x[0-9a-f]/);
  await expect(log.locator('[title="0x100000002"]').first()).toHaveText('1:2');
  await server(page, 1).click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('1:2');
  await expect(inspector).not.toContainText(/0x[0-9a-f]/);
  await expect(inspector.locator('[title="0x100000002"]').first()).toHaveText('1:2');
});

test('log cells show whole counters', async ({ page }, info) => {
  await page.goto('/?lang=en&voters=3&actions=1000%20write%20105&until=3000');
  await expect(page.getByTestId('sim-time')).toHaveText('3.000 s');
  const cells = server(page, 1).locator('g.logstrip g.cell text');
  await expect(cells.last()).toHaveText('105');
  await expect(cells.first()).toHaveText(/^\d{2,3}$/);
  await page.screenshot({ path: info.outputPath('log-cells.png') });
});

test('the number beside the timeline is the moment shown', async ({ page }) => {
  await page.goto('/?lang=en&voters=3&until=3000');
  await expect(page.getByTestId('sim-time')).toHaveText('3.000 s');
  await page.getByTestId('timeline').fill('1000');
  await expect(page.getByTestId('sim-time')).toHaveText('1.000 s');
  await expect(page.locator('label.timeline > span')).toHaveText('1.000 s');
});

test('the "Press Play" hint does not appear on a link that already has a leader', async ({ page }) => {
  await page.goto('/?lang=en&voters=3&until=3000');
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '3');
  await expect(page.getByTestId('sim-time')).toHaveText('3.000 s');
  await expect(page.locator('.hint')).toHaveCount(0);
  // a fresh start with no leader still gets it
  await page.goto('/?lang=en');
  await expect(page.locator('.hint')).toBeVisible();
});

test('a failed disk is marked so it is seen at a glance, on the canvas and in the inspector', async ({ page }, info) => {
  await page.goto('/?lang=en&voters=3&until=1000');
  await expect(page.getByTestId('sim-time')).toHaveText('1.000 s');
  await server(page, 2).click();
  await page.getByTestId('disk').click();
  const ring = server(page, 2).locator('circle.disk-ring');
  await expect(ring).toBeVisible();
  await expect(server(page, 2)).toHaveAttribute('data-disk', 'failed');
  // a mark as wide as the server, not a glyph in a corner
  const box = await ring.boundingBox();
  const body = await server(page, 2).locator('circle.body').boundingBox();
  expect(box!.width).toBeGreaterThan(body!.width);
  await expect(server(page, 1).locator('circle.disk-ring')).toBeHidden();
  await expect(page.getByTestId('inspector').getByTestId('disk-badge')).toHaveText(/disk failing/);
  await page.screenshot({ path: info.outputPath('disk-failed.png') });
  await page.getByTestId('disk').click();
  await expect(ring).toBeHidden();
  await expect(page.getByTestId('disk-badge')).toHaveCount(0);
});

test("a down server's inspector shows what its disk holds", async ({ page }) => {
  await page.goto('/?lang=en&voters=3&actions=1000%20write%203;2000%20crash%201&until=2500');
  await expect(page.getByTestId('sim-time')).toHaveText('2.500 s');
  await server(page, 1).click();
  const disk = page.getByTestId('inspector').getByTestId('disk-contents');
  await expect(disk).toBeVisible();
  await expect(disk.getByTestId('disk-acceptedEpoch')).toHaveText('1');
  await expect(disk.getByTestId('disk-currentEpoch')).toHaveText('1');
  await expect(disk.getByTestId('disk-snapshot')).toHaveText('none'); // synced by DIFF: no snapshot file yet
  await expect(disk.getByTestId('logtail').locator('span')).toHaveText(['1:1', '1:2', '1:3']);
});

test('leader-crash: the captions match the canvas at every pause', async ({ page }) => {
  await page.goto('/?lang=en#g=leader-crash');
  const caption = page.getByTestId('caption');
  await expect(caption).toHaveAttribute('data-n', '0');
  await page.getByTestId('speed').fill('100');
  const states = () => Promise.all([1, 2, 3].map((id) => server(page, id).getAttribute('data-state')));
  // the states each caption describes
  const expected: Record<number, string[]> = {
    1: ['FOLLOWING', 'FOLLOWING', 'LEADING'],
    2: ['LOOKING', 'LOOKING', 'DOWN'], // "its followers … go LOOKING"
    3: ['FOLLOWING', 'LEADING', 'DOWN'],
    4: ['FOLLOWING', 'LEADING', 'DOWN'],
    5: ['FOLLOWING', 'LEADING', 'FOLLOWING'],
  };
  for (let n = 1; n <= 5; n++) {
    await page.getByTestId('play').click();
    await expect(caption).toHaveAttribute('data-n', String(n), { timeout: 15_000 });
    await expect(page.getByTestId('play')).toContainText('Play');
    expect(await states(), `caption ${n}`).toEqual(expected[n]);
  }
});

/** Words a Chinese reader may meet in Latin letters: ZooKeeper's and the protocols' own terms. */
// (and "English", the other language's name on the button that switches to it)
const PROTOCOL_TERMS = new Set(
  'English zab-viz ZooKeeper ZAB Paxos Multi-Paxos Basic zxid epoch myid sid acceptedEpoch currentEpoch logicalclock recvset outofelection learner Learner finalizeWait tickTime initLimit syncLimit dataDir version- log ms JSON ballot tick PageDown PageUp sync SyncConnected Disconnected'.split(' '),
);

test('the Chinese interface has no English left but protocol terms', async ({ page }) => {
  await page.goto('/?lang=zh&voters=3&until=3000');
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '3');
  await server(page, 1).click();
  await expect(page.getByTestId('inspector')).toContainText('FOLLOWING');
  const texts = await page.evaluate(() => {
    const hash = document.querySelector('[data-testid="trace-hash"]')?.textContent ?? '';
    const out: string[] = [document.body.innerText.split(hash).join(' ')];
    for (const el of document.querySelectorAll('[aria-label], [title]')) out.push(el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? '');
    for (const el of document.querySelectorAll('svg title')) out.push(el.textContent ?? '');
    return out;
  });
  const words = new Set(texts.flatMap((t) => t.match(/[A-Za-z][A-Za-z-]*/g) ?? []));
  // all-capital words are ZooKeeper's names (LOOKING, PROPOSAL, NEWLEADER…); single letters are
  // a server's name (S3) or a unit (s)
  const english = [...words].filter((w) => !/^[A-Z][A-Z0-9_-]*$/.test(w) && !PROTOCOL_TERMS.has(w) && w.length > 1);
  expect(english).toEqual([]);
  await expect(page.getByTestId('leader-banner')).not.toContainText('Leader');
  await expect(page.getByTestId('bp-leaderChange').locator('..')).not.toContainText('leader');
  await expect(server(page, 1)).toHaveAccessibleName(/跟随者/);
});

test('a 2PC log cell says its status in the chosen language', async ({ page }) => {
  await page.goto('/?lang=zh&protocol=2pc&voters=3&until=3000&actions=1000%20write%201');
  await expect(page.getByTestId('sim-time')).toHaveText('3.000 s');
  const titles = page.locator('g.logstrip g.cell title');
  await expect(titles.first()).toBeAttached();
  const all = await titles.allTextContents();
  expect(all.length).toBeGreaterThan(0);
  for (const t of all) expect(t).not.toMatch(/committed|pending|aborted/);
  expect(all.some((t) => t.includes('已提交'))).toBe(true);
});
