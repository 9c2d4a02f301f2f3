import { expect, test } from '@playwright/test';
import { server, watchErrors } from './helpers';

test('Find a bug: switch 2PC presumed commit on, search, and open the shrunk counterexample at the violation', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en&protocol=2pc&voters=4');
  await expect(server(page, 1)).toHaveAttribute('data-state', 'IDLE');
  await page.getByTestId('open-hunter').click();
  const dialog = page.getByTestId('hunter');
  await dialog.getByTestId('ablation-twopc.presumeCommit').check();
  await dialog.getByTestId('hunter-run').click();
  const found = dialog.getByTestId('hunter-found');
  await expect(found).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByTestId('hunter-status')).toContainText('Schedules tried');
  await expect(found).toContainText('CommitValidity');
  await page.screenshot({ path: info.outputPath('hunter-found.png') });
  await found.getByTestId('hunter-open').click();
  await expect(dialog).toBeHidden();
  // the main canvas, paused at the violation, with the servers it names marked
  await expect(page.getByTestId('paused-by')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('ablation-badge')).toHaveAttribute('title', /Presum|presum/);
  await expect(page.locator('g.server.violating').first()).toBeVisible();
  await expect(page.getByTestId('event-log')).toContainText('CommitValidity');
  expect(page.url()).toMatch(/#s=v2\./);
  await page.screenshot({ path: info.outputPath('hunter-opened.png') });
  expect(errors).toEqual([]);
});

test('Find a bug with no rule switched off: 2PC breaks nothing in its budget', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en&protocol=2pc&voters=4');
  await page.getByTestId('open-hunter').click();
  const dialog = page.getByTestId('hunter');
  await dialog.getByTestId('hunter-budget').selectOption('100');
  await dialog.getByTestId('hunter-run').click();
  await expect(dialog.getByTestId('hunter-nothing')).toContainText('No invariant broke in 100', { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('Find a bug with no rule switched off: ZooKeeper 3.8.0\'s own bugs are found, shrunk and named, and a story opens', async ({ page }, info) => {
  // seed 1 meets ZOOKEEPER-4394 with -4712 at schedule 139 on 3.8.0 (src/core/explore/explorer.test.ts)
  const errors = watchErrors(page);
  await page.goto('/?lang=en&voters=3');
  await page.getByTestId('open-hunter').click();
  const dialog = page.getByTestId('hunter');
  await expect(dialog.getByTestId('hunter-release')).toContainText('ZooKeeper 3.8.0');
  await dialog.getByTestId('hunter-budget').selectOption('500');
  await dialog.getByTestId('hunter-run').click();
  const found = dialog.getByTestId('hunter-found');
  await expect(found).toBeVisible({ timeout: 60_000 });
  const bug = found.getByTestId('hunter-known-bug').first();
  await expect(bug).toHaveAttribute('data-bug', 'ZOOKEEPER-4394');
  await expect(bug).toContainText('This is ZOOKEEPER-4394, a real bug of ZooKeeper (3.8.0 to 3.9.2; fixed in 3.9.3)');
  await expect(bug.getByRole('link', { name: 'Read ZOOKEEPER-4394' })).toHaveAttribute('href', 'https://issues.apache.org/jira/browse/ZOOKEEPER-4394');
  await expect(found.getByTestId('hunter-new-finding')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('zab-found.png') });
  await bug.getByTestId('hunter-bug-story').click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/#g=zookeeper-4394$/);
  await expect(page.getByTestId('caption-text')).toContainText('ZOOKEEPER-4394 fixed it');
  expect(errors).toEqual([]);
});

test('Find a bug: a rule whose guided story exists opens it from the panel', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en&voters=3');
  await page.getByTestId('open-hunter').click();
  const dialog = page.getByTestId('hunter');
  await expect(dialog.getByTestId('ablation-zab.voteByMyid')).toBeVisible();
  // every ZAB rule but noEpochFencing and noFinalizeWait has a story
  for (const rule of ['liveQuorum', 'commitEarly', 'noTrunc', 'voteByMyid']) await expect(dialog.getByTestId(`story-zab.${rule}`)).toBeVisible();
  await expect(dialog.getByTestId('story-zab.noEpochFencing')).toHaveCount(0);
  await dialog.getByTestId('story-zab.voteByMyid').click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/#g=ablation-vote-by-myid$/);
  await expect(page.getByTestId('caption-text')).toContainText('votes are compared by myid alone');
  await expect(page.getByTestId('ablation-badge')).toBeVisible();
  await page.screenshot({ path: info.outputPath('hunter-story.png') });
  expect(errors).toEqual([]);
});
