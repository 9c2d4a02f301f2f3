import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', args: ['--no-sandbox'] });
const p = await b.newPage({ viewport: { width: 1280, height: 720 } });
const errs = [];
p.on('pageerror', (e) => errs.push(e.message));
p.on('console', (m) => { if (m.type() === 'error') errs.push(m.text()); });
await p.goto('http://127.0.0.1:5190/?lang=en');
await p.getByTestId('play').click();
await p.getByTestId('leader-banner').filter({ hasText: 'S3' }).waitFor({ timeout: 30000 });
// crash the leader by clicking it, then use its menu
await p.getByTestId('server-3').click();
await p.waitForTimeout(500);
await p.screenshot({ path: '/tmp/t1-inspect.png' });
await p.getByTestId('crash').click().catch(() => p.keyboard.press('c'));
await p.getByTestId('leader-banner').filter({ hasText: 'S2' }).waitFor({ timeout: 60000 });
await p.getByTestId('play').click();
await p.screenshot({ path: '/tmp/t2-newleader.png' });
// Find a bug: commit early, search, open
await p.getByTestId('open-hunter').click();
await p.getByTestId('ablation-zab.commitEarly').check();
await p.getByTestId('hunter-run').click();
await p.getByTestId('hunter-found').waitFor({ timeout: 30000 });
await p.screenshot({ path: '/tmp/t3-found.png' });
await p.getByTestId('hunter-open').click();
await p.getByTestId('paused-by').waitFor({ timeout: 15000 });
await p.screenshot({ path: '/tmp/t4-opened.png' });
console.log('errors', errs);
await b.close();
