import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from '../e2e/helpers';
import type { LabState } from '../src/core/lab/wire';

const PORT = 4190;
let lab: ChildProcess;
let url = '';
let token = '';

// a fast tick (500 ms: initLimit 5 s, syncLimit 2.5 s) keeps the suite within its minutes
test.beforeAll(async () => {
  lab = spawn(process.execPath, ['--import', 'tsx', 'src/lab/main.ts', '--no-open', '--port', String(PORT), '--zk-port', '23000', '--tick-time', '500'], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise<string>((done, fail) => {
    let out = '';
    lab.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^lab: open (\S+)$/m.exec(out);
      if (m) done(m[1]!);
    });
    lab.once('exit', (code) => fail(new Error(`npm run lab ended (${code}) before it printed its address`)));
  });
  token = new URL(url).hash.slice('#lab='.length);
});

test.afterAll(async () => {
  const dir = join(tmpdir(), `zab-viz-lab-${lab.pid}`);
  const ended = new Promise((r) => lab.once('exit', r));
  lab.kill('SIGINT');
  await ended;
  // everything it started is gone: its servers' JVMs (their command lines name its folder) and its files
  expect(spawnSync('pgrep', ['-f', dir]).status).toBe(1);
  expect(existsSync(dir)).toBe(false);
});

/** A real server on the main canvas (the compare canvas draws the model's). */
const server = (page: Page, id: number) => page.getByTestId('canvas').getByTestId(`server-${id}`);

/** What the bridge says, straight from the real servers (srvr and their epoch files). */
async function real(page: Page): Promise<LabState> {
  return (await (await page.request.get(`http://127.0.0.1:${PORT}/lab/api/state`, { headers: { 'x-zab-viz-lab': token } })).json()) as LabState;
}

/** A settled point: the real servers and the model both kept the same roles for a while, and they are the same. */
async function agreed(page: Page): Promise<void> {
  await expect(page.getByTestId('lab-agreement')).toContainText('The model agrees with the real servers', { timeout: 90_000 });
}

/** After a fault to leader `old`: another leads, on the page and in the model beside, which agrees. */
async function replaced(page: Page, old: number): Promise<{ id: number; epoch: number }> {
  const next = await leaderOnPage(page, [old]);
  await agreed(page);
  return next;
}

/** After the fault is undone: server `id` follows again, and the model agrees. */
async function followsAgain(page: Page, id: number): Promise<void> {
  await expect(server(page, id)).toHaveAttribute('data-state', 'FOLLOWING', { timeout: 90_000 });
  await agreed(page);
}

async function leaderOnPage(page: Page, not: number[] = []): Promise<{ id: number; epoch: number }> {
  const banner = page.getByTestId('leader-banner');
  await expect.poll(async () => Number((await banner.getAttribute('data-leader')) || 0), { timeout: 90_000 }).not.toBe(0);
  if (not.length) await expect.poll(async () => not.includes(Number((await banner.getAttribute('data-leader')) || not[0])), { timeout: 90_000 }).toBe(false);
  return { id: Number(await banner.getAttribute('data-leader')), epoch: Number(await banner.getAttribute('data-epoch')) };
}

test('real servers elect; a write, a crash, a pause and a partition by click happen to them, and the page follows', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto(url.replace('/#', '/?lang=en#'));
  await expect(page.getByTestId('lab-banner')).toContainText(/Real ZooKeeper 3\.\d+\.\d+ servers/);
  const first = await leaderOnPage(page);
  // the model beside, on the same servers, release, tickTime and clicks: once both settle, it agrees
  await page.getByTestId('lab-model').click();
  await expect(page.getByTestId('canvas-compare')).toBeVisible();
  await agreed(page);
  // each follower's sync is part of what is compared (at the first election an empty DIFF, or a
  // SNAP for one whose JVM was slower to start than the leader's first txn)
  await expect(page.getByTestId('lab-agreement')).toContainText(/syncs: S\d (DIFF|SNAP), S\d (DIFF|SNAP)/);
  await page.screenshot({ path: info.outputPath('lab-elected.png') });

  // a follower as it reports itself: its AdminServer's ZAB phase, and mntr's figures
  const follower = [1, 2, 3].find((i) => i !== first.id)!;
  await server(page, follower).click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('generic-fields')).toContainText('ZAB phase (AdminServer)broadcast');
  await expect(inspector.getByTestId('mntr')).toContainText('server_statefollower');
  // a real client's read there, answered from the follower's own tree
  await page.getByTestId('lab-read-here').click();
  await expect(page.getByTestId('lab-read')).toContainText(new RegExp(`Read on S${follower}: / has \\d+ child(ren)?, last changed at zxid 0x`));
  await page.screenshot({ path: info.outputPath('lab-read.png') });

  // a write by click: the real zxid moves on every server
  const top = Math.max(...(await real(page)).servers.map((s) => s.zxid ?? 0));
  await page.getByTestId('write').click();
  await expect.poll(async () => (await real(page)).servers.every((s) => (s.zxid ?? 0) > top)).toBe(true);

  // a steady load by keyboard on the slider: real creates keep coming, until it is set back to 0
  const rate = page.getByTestId('rate');
  await rate.focus();
  for (let i = 1; i <= 5; i++) {
    await expect(rate).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(rate).toHaveValue(String(i));
  }
  await expect.poll(async () => (await real(page)).rate).toBe(5);
  const before = Math.max(...(await real(page)).servers.map((s) => s.zxid ?? 0));
  await expect.poll(async () => Math.max(...(await real(page)).servers.map((s) => s.zxid ?? 0)) - before, { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
  await page.keyboard.press('Home');
  await expect.poll(async () => (await real(page)).rate).toBe(0);

  // crash the leader: a new one, of the next epoch; restarted, the old one follows
  await server(page, first.id).click();
  await page.getByTestId('crash').click();
  await expect(server(page, first.id)).toHaveAttribute('data-state', 'DOWN');
  const second = await replaced(page, first.id);
  expect(second.epoch).toBeGreaterThan(first.epoch);
  await page.getByTestId('restart').click();
  await followsAgain(page, first.id);
  await page.screenshot({ path: info.outputPath('lab-after-crash.png') });

  // pause the leader (SIGSTOP): replaced; resumed, it follows
  await server(page, second.id).click();
  await page.getByTestId('pause').click();
  const third = await replaced(page, second.id);
  await page.getByTestId('pause').click(); // the same button resumes
  await followsAgain(page, second.id);

  // cut the leader's links by click: the others elect; healed, it follows
  await server(page, third.id).click();
  for (const peer of [1, 2, 3].filter((p) => p !== third.id)) {
    const [a, b] = third.id < peer ? [third.id, peer] : [peer, third.id];
    await page.getByTestId(`cut-${a}-${b}`).click();
  }
  const fourth = await replaced(page, third.id);
  expect(fourth.epoch).toBeGreaterThan(third.epoch);
  await page.getByTestId('heal').click();
  await followsAgain(page, third.id);
  await page.screenshot({ path: info.outputPath('lab-healed.png') });
  // the bridge recorded each click with its moment
  expect((await real(page)).actions.map((a) => a.action.verb)).toEqual(['read', 'write', ...Array(6).fill('rate'), 'crash', 'restart', 'pause', 'resume', 'cut', 'cut', 'heal']);

  // the session exports: a server's log, which the CLI reads, and a link the simulator replays
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`lab-log-${third.id}`).click()]);
  const file = info.outputPath(`server${third.id}.log`);
  await download.saveAs(file);
  const cli = spawnSync(process.execPath, ['scripts/cli.mjs', 'logs', file], { encoding: 'utf8' });
  expect(cli.status).toBe(0);
  expect(JSON.parse(cli.stdout).final[third.id]).toMatchObject({ state: 'FOLLOWING', leader: fourth.id });
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-url').inputValue();
  const replay = await page.context().newPage();
  await replay.goto(link.replace('/#', '/?lang=en#'));
  await expect(replay.getByTestId('lab-banner')).toHaveCount(0);
  await expect(replay.getByTestId('canvas').getByTestId('server-1')).toBeVisible();
  // the scenario carries the clicks (and the servers' starts): the replayed run has them as its actions
  await expect.poll(async () => (await replay.evaluate(() => (window as unknown as { zabviz: { snapshot(): { actions: number } } }).zabviz.snapshot().actions)), { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
  await replay.close();
  expect(errors).toEqual([]);
});

test('attached to an ensemble that already runs, the page watches it and offers nothing to do to it', async ({ page }) => {
  const errors = watchErrors(page);
  const dir = join(tmpdir(), `zab-viz-lab-${lab.pid}`);
  // the ensemble the first test broke and healed, watched by a second lab through its client ports
  const watcher = spawn(process.execPath, ['--import', 'tsx', 'src/lab/main.ts', '--no-open', '--port', String(PORT + 1), '--attach', '127.0.0.1:23001,127.0.0.1:23002,127.0.0.1:23003', '--logs', [1, 2, 3].map((i) => join(dir, `server${i}.log`)).join(','), '--admin', [1, 2, 3].map((i) => `http://127.0.0.1:${23500 + i}`).join(',')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const address = await new Promise<string>((done, fail) => {
      let out = '';
      watcher.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^lab: open (\S+)$/m.exec(out);
        if (m) done(m[1]!);
      });
      watcher.once('exit', (code) => fail(new Error(`the attached lab ended (${code})`)));
    });
    await page.goto(address.replace('/#', '/?lang=en#'));
    await expect(page.getByTestId('lab-banner')).toContainText('ensemble, watched: nothing is done to it');
    // (run alone, the ensemble may still be starting: its servers start one by one)
    await expect.poll(async () => (await real(page)).servers.some((s) => s.mode === 'leader'), { timeout: 90_000 }).toBe(true);
    const leader = (await real(page)).servers.find((s) => s.mode === 'leader')!;
    await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', String(leader.id));
    await server(page, leader.id).click();
    await expect(page.getByTestId('inspector')).toContainText('LEADING');
    // its AdminServer, named by --admin: the ZAB phase and the leader's figures
    await expect(page.getByTestId('inspector').getByTestId('generic-fields')).toContainText('ZAB phase (AdminServer)broadcast');
    await expect(page.getByTestId('inspector').getByTestId('mntr')).toContainText('server_stateleader');
    await expect(page.getByTestId('lab-read-here')).toHaveCount(0);
    // no fault, no write: it runs elsewhere
    await expect(page.getByTestId('crash')).toHaveCount(0);
    await expect(page.getByTestId('write')).toHaveCount(0);
    await expect(page.getByTestId('lab-model')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('lab-attached.png') });
    expect(errors).toEqual([]);
  } finally {
    const ended = new Promise((r) => watcher.once('exit', r));
    watcher.kill('SIGINT');
    await ended;
  }
  // watching signalled nothing: the servers still run
  expect((await real(page)).servers.every((s) => s.up)).toBe(true);
});
