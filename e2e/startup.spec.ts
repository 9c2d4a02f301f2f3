/** The first page a person sees: drawn by the dev server from a cold cache, and never a white page. */
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchErrors } from './helpers';

const DEV_PORT = Number(process.env.PW_DEV_PORT ?? 5183);
const DEPS = join('node_modules', '.vite', 'deps');

/** Start the dev server (`npm run dev`, on its own port) with --force: the optimizer ignores any cache. */
function startDevServer(): { proc: ChildProcess; ready: Promise<void>; output: () => string } {
  const proc = spawn('npx', ['vite', '--port', String(DEV_PORT), '--strictPort', '--force'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes(`127.0.0.1:${DEV_PORT}`)) resolve();
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`the dev server exited (${code}):\n${out}`)));
  });
  return { proc, ready, output: () => out };
}

test.describe('the dev server', () => {
  let dev: ReturnType<typeof startDevServer> | null = null;
  test.afterEach(() => {
    if (dev?.proc.pid) {
      try {
        process.kill(-dev.proc.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    dev = null;
  });

  test('draws the page from a cold cache, with React bundled whole', async ({ page }) => {
    dev = startDevServer();
    await dev.ready;
    const errors = watchErrors(page);
    await page.goto(`http://127.0.0.1:${DEV_PORT}/?lang=en`);
    await expect(page.getByTestId('server-1')).toBeVisible();
    await expect(page.getByTestId('server-3')).toBeVisible();
    await expect(page.getByTestId('startup-failure')).toHaveCount(0);
    // the blank page's cause: a pre-bundled package left calling require() for another at run time
    expect(existsSync(DEPS)).toBe(true);
    const leftover = readdirSync(DEPS)
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) => [...readFileSync(join(DEPS, f), 'utf8').matchAll(/__require\("([^"]+)"\)/g)].map((m) => `${f}: ${m[1]}`));
    expect(leftover).toEqual([]);
    // one bundling at start-up, none while the page loads
    expect(dev.output()).not.toMatch(/new dependencies optimized|optimized dependencies changed/);
    expect(errors).toEqual([]);
  });
});

test.describe('a failure while loading', () => {
  test('says in words what failed and what to do, instead of a white page', async ({ page }) => {
    // the app's entry module throws as it is evaluated, as React did when its pre-bundle was broken
    await page.route(/\/assets\/index-[^/]+\.js$/, (route) => route.fulfill({ contentType: 'text/javascript', body: 'throw new Error("simulated start-up failure")' }));
    await page.goto('/?lang=en');
    const box = page.getByTestId('startup-failure');
    await expect(box).toBeVisible();
    await expect(box).toContainText('zab-viz could not start');
    await expect(box).toContainText('simulated start-up failure');
    await expect(box).toContainText('node_modules/.vite');
    await expect(box.getByRole('button', { name: 'Reload' })).toBeFocused();
  });

  test('names a script that could not be loaded, in Chinese when that is the language', async ({ page }) => {
    await page.route(/\/assets\/index-[^/]+\.js$/, (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto('/?lang=zh');
    const box = page.getByTestId('startup-failure');
    await expect(box).toBeVisible();
    await expect(box).toContainText('zab-viz 无法启动');
    await expect(box).toContainText('could not load');
    await expect(box.getByRole('button', { name: '重新加载' })).toBeVisible();
  });

  test('an error after start-up leaves the page as it is', async ({ page }) => {
    await page.goto('/?lang=en');
    await expect(page.getByTestId('server-1')).toBeVisible();
    await page.evaluate(() => setTimeout(() => {
      throw new Error('later');
    }));
    await expect(page.getByTestId('server-1')).toBeVisible();
    await expect(page.getByTestId('startup-failure')).toHaveCount(0);
  });
});
