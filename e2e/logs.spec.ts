import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { server, watchErrors } from './helpers';
import { expectNoAxeViolations } from './axe';

const DIR = 'testdata/logs/3.8.0/default/a-paused-leader-is-replaced-and-follows-once-it-resumes';
const files = () =>
  readdirSync(DIR)
    .filter((f) => f.endsWith('.log'))
    .map((f) => ({ name: f, mimeType: 'text/plain', buffer: readFileSync(join(DIR, f)) }));

test('a real ensemble’s logs, opened in the page, play the story it lived, each event opening its line', async ({ page }, info) => {
  const errors = watchErrors(page);
  const requests: string[] = [];
  await page.goto('/?lang=en');
  await expect(server(page, 3)).toBeVisible();
  // from here on no request may carry anything: the logs never leave the browser
  page.on('request', (r) => {
    if (r.method() !== 'GET') requests.push(`${r.method()} ${r.url()}`);
  });
  await page.getByTestId('open-logs').click();
  await page.getByTestId('log-files').setInputFiles(files());
  const banner = page.getByTestId('log-banner');
  await expect(banner).toContainText('A real ensemble’s logs: 3 servers, 3 files');
  await expect(banner).toContainText('Time 0 is 2026-12-06 08:41:52');
  // the diagnosis: the paused leader's stretch without a leader, and why
  const gaps = page.getByTestId('log-gap');
  await expect(gaps).toHaveCount(2);
  await expect(gaps.nth(1)).toContainText('without a leader');
  await expect(gaps.nth(1)).toContainText('lost its leader');
  await expect(page.getByTestId('log-election').nth(2)).toContainText('S2 leads epoch 2');
  await expectNoAxeViolations(page, info, 'the logs dialog with its diagnosis');
  await page.screenshot({ path: 'test-results/logs-dialog.png' });
  await page.keyboard.press('Escape');
  // the servers are not up before their first line; the simulator's faults are not offered
  await expect(page.getByTestId('write')).toHaveCount(0);
  await expect(page.getByTestId('share')).toHaveCount(0);
  // to the end of the logs: the states the real ensemble ended in
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('End');
  await expect(server(page, 2)).toHaveAttribute('data-state', 'LEADING');
  await expect(server(page, 1)).toHaveAttribute('data-state', 'FOLLOWING');
  await expect(server(page, 3)).toHaveAttribute('data-state', 'FOLLOWING');
  await expect(page.getByTestId('leader-banner')).toContainText('S2');
  // the moment on the servers' own clocks, beside the time since the logs' start
  await expect(page.getByTestId('wall-time')).toHaveText(/^08:4\d:\d\d\.\d{3}$/);
  // a log's stamps carry no time zone: the moment is as logged, not said to be UTC
  await expect(page.getByTestId('wall-time').locator('..')).toHaveText(/^08:4\d:\d\d\.\d{3} as logged$/);
  // an event opens the raw line it came from, as text
  const row = page.locator('.ev-raw').first();
  await row.locator('summary').click();
  await expect(row.getByTestId('ev-source')).toHaveText(/^server\d\.log:\d+$/);
  await expect(row.locator('pre')).toContainText('2026-12-06 08:4');
  // a server can be inspected, not crashed
  await server(page, 3).click();
  await expect(page.getByTestId('inspector')).toContainText('FOLLOWING');
  await expect(page.getByTestId('crash')).toHaveCount(0);
  await expect(page.getByTestId('raw-lines')).toContainText('Peer state changed: following - broadcast');
  await page.keyboard.press('c');
  await expect(page.getByTestId('error')).toContainText('real ensemble’s logs');
  await page.screenshot({ path: 'test-results/logs-end.png' });
  await expectNoAxeViolations(page, info, 'a real ensemble’s logs, at their end');
  // and back to the simulator
  await page.getByTestId('log-back').click();
  await expect(page.getByTestId('log-banner')).toHaveCount(0);
  await expect(page.getByTestId('write')).toBeVisible();
  expect(requests).toEqual([]);
  expect(errors).toEqual([]);
});

test('gzipped logs played from the start: a notification in flight, the election, in Chinese too', async ({ page }) => {
  await page.goto('/?lang=zh');
  await expect(server(page, 3)).toBeVisible();
  await page.keyboard.press('l');
  // gzipped, as rotated logs often are: read through the browser's DecompressionStream
  await page.getByTestId('log-files').setInputFiles(files().map((f) => ({ name: `${f.name}.gz`, mimeType: 'application/gzip', buffer: gzipSync(f.buffer) })));
  await expect(page.getByTestId('log-banner')).toContainText('真实集群的日志：3 台服务器');
  await page.keyboard.press('Escape');
  // step until the first notification is drawn arriving
  for (let i = 0; i < 200 && (await page.locator('.ev-deliver').count()) === 0; i++) await page.getByTestId('step').click();
  await expect(page.locator('.ev-deliver').first()).toContainText('NOTIFICATION');
  await page.screenshot({ path: 'test-results/logs-zh.png' });
});

test('the model replays the logs beside them, and says it agrees; an edited log is caught where it parts', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en');
  await expect(server(page, 3)).toBeVisible();
  await page.getByTestId('open-logs').click();
  await page.getByTestId('log-files').setInputFiles(files());
  await page.keyboard.press('Escape');
  // a line opened before the model starts stays shown beside it
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('End');
  const row = page.locator('.ev-raw').first();
  await row.locator('summary').click();
  await expect(row.locator('pre')).toContainText('2026-12-06 08:4');
  await page.getByTestId('log-replay').click();
  await expect(page.getByTestId('log-replay')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('log-verdict')).toContainText('The model agrees with the logs');
  await expect(page.locator('.ev-raw[open] pre').first()).toContainText('2026-12-06 08:4');
  await expect(page.getByTestId('log-verdict')).toContainText('the model on ZooKeeper 3.8.0 (the logs name 3.8.0)');
  await expect(page.getByTestId('log-verdict')).toContainText('The model agrees with the logs');
  await expect(page.getByTestId('canvas-compare')).toBeVisible();
  await expect(page.locator('.canvas-title').first()).toHaveText('Real ensemble (its logs)');
  await expect(page.locator('.canvas-title').nth(1)).toHaveText('Model · ZK 3.8.0');
  // at the end, both sides: S2 leads epoch 2
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('canvas').getByTestId('server-2')).toHaveAttribute('data-state', 'LEADING');
  await expect(page.getByTestId('canvas-compare').getByTestId('server-2')).toHaveAttribute('data-state', 'LEADING');
  await page.screenshot({ path: 'test-results/logs-beside-model.png' });
  expect(errors).toEqual([]);

  // the same logs with S3's resync edited into a SNAP: the model parts there
  const edited = files().map((f) => (f.name === 'server3.log' ? { ...f, buffer: Buffer.from(f.buffer.toString('utf8').replace('Getting a diff from the leader 0x100000003', 'Getting a snapshot from leader 0x100000003')) } : f));
  await page.getByTestId('open-logs').click();
  await page.getByTestId('log-files').setInputFiles(edited);
  await page.keyboard.press('Escape');
  await page.getByTestId('log-replay').click();
  await expect(page.getByTestId('log-verdict')).toContainText('they show S3 SNAP, the model S3 DIFF');
  await page.getByTestId('log-go-there').click();
  await expect(page.getByTestId('sim-time')).toHaveText(/^2\d\.\d{3} s$/);
});

test('log files dropped on the page are opened', async ({ page }) => {
  await page.goto('/?lang=en');
  await expect(server(page, 3)).toBeVisible();
  const texts = files().map((f) => ({ name: f.name, text: f.buffer.toString('utf8') }));
  // what a browser does when files are dragged over the page and let go
  await page.evaluate((fs) => {
    const dt = new DataTransfer();
    for (const f of fs) dt.items.add(new File([f.text], f.name, { type: 'text/plain' }));
    window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
  }, texts);
  await expect(page.getByTestId('log-banner')).toContainText('3 servers, 3 files');
});

test('a large log is read with a progress bar, and Stop reading leaves the page unchanged', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en');
  await expect(server(page, 3)).toBeVisible();
  await page.getByTestId('open-logs').click();
  // 1.2 GB of one server's log, made in the page from one 1 MB piece repeated (a Blob is shared, not copied)
  await page.evaluate(() => {
    const line = '2026-12-06 08:41:53,001 [myid:1] - INFO  [main:o.a.z.s.ZooKeeperServer@260] - zookeeper.snapshotSizeFactor = 0.33\n';
    const piece = new Blob([line.repeat(Math.ceil((1 << 20) / line.length))]);
    const file = new File(new Array(1200).fill(piece), 'server1.log', { type: 'text/plain' });
    const dt = new DataTransfer();
    dt.items.add(file);
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
  });
  await expect(page.getByTestId('log-progress')).toContainText('Reading the logs…');
  await page.getByTestId('log-cancel').click();
  await expect(page.getByTestId('error')).toContainText('Reading the logs was stopped. The page is unchanged.');
  await expect(page.getByTestId('log-progress')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('log-banner')).toHaveCount(0);
  await expect(page.getByTestId('write')).toBeVisible();
  expect(errors).toEqual([]);
});

test('files that are no ZooKeeper log: a clear message, and the page unchanged', async ({ page }) => {
  await page.goto('/?lang=en');
  await expect(server(page, 3)).toBeVisible();
  await page.getByTestId('open-logs').click();
  await page.getByTestId('log-files').setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello\n\u0000\u0001\u0002') }]);
  await expect(page.getByTestId('error')).toContainText('could be read as a ZooKeeper server’s log');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('log-banner')).toHaveCount(0);
  await expect(page.getByTestId('write')).toBeVisible();
  // then the logs, with a picture among them: read, the error gone, the picture no log's lines
  await page.getByTestId('open-logs').click();
  await page.getByTestId('log-files').setInputFiles([...files(), { name: 'screenshot.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 10, 10, 0, 1, 2]) }]);
  await expect(page.getByTestId('log-banner')).toContainText('A real ensemble’s logs: 3 servers, 3 files, 875 lines');
  await expect(page.getByTestId('error')).toHaveCount(0);
  // closed from the keyboard, the dialog gives the focus back to what opened it
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('open-logs')).toBeFocused();
  // an arrow on the timeline moves by a hundredth of the logs, not a millisecond
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('timeline-time')).toHaveText('0.231 s');
});

test('a .gz cut short and a log saved in UTF-16: what they hold is read, and the banner says how', async ({ page }) => {
  await page.goto('/?lang=en');
  await expect(server(page, 3)).toBeVisible();
  await page.getByTestId('open-logs').click();
  const [s1, s2, s3] = files();
  const gz = gzipSync(s1!.buffer);
  await page.getByTestId('log-files').setInputFiles([
    // server 1's log, its compressed bytes cut at two thirds, as a copy that stopped
    { name: 'server1.log.gz', mimeType: 'application/gzip', buffer: gz.subarray(0, Math.floor((gz.length * 2) / 3)) },
    // server 2's, as a Windows editor saves it: UTF-16LE with a byte order mark
    { name: 'server2.log', mimeType: 'text/plain', buffer: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s2!.buffer.toString('utf8'), 'utf16le')]) },
    s3!,
  ]);
  const banner = page.getByTestId('log-banner');
  await expect(banner).toContainText('A real ensemble’s logs: 3 servers, 3 files');
  await expect(page.getByTestId('log-banner-warnings')).toContainText('server1.log.gz: the compressed file ends early');
  await expect(page.getByTestId('log-banner-warnings')).toContainText('server2.log: written in UTF-16LE, not UTF-8');
});
