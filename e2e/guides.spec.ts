import { expect, test, type Page } from '@playwright/test';
import { PRESETS, type Preset } from '../src/core/scenario/presets';
import { questionOf } from '../src/core/scenario/questions';
import { catalogue } from '../src/i18n/messages';
import { storyMessages } from '../src/i18n/stories';
import { watchErrors } from './helpers';

/** Where each guided scenario stands at its last caption: every server's state, as drawn. */
const FINAL_STATES: Record<string, string[]> = {
  'first-election': ['FOLLOWING', 'FOLLOWING', 'LEADING'],
  'zxid-beats-myid': ['LEADING', 'FOLLOWING', 'FOLLOWING'],
  'configured-quorum': ['FOLLOWING', 'FOLLOWING', 'DOWN', 'DOWN', 'LEADING'],
  'odd-size': ['DOWN', 'DOWN', 'LOOKING', 'LOOKING'],
  'leader-crash': ['FOLLOWING', 'LEADING', 'FOLLOWING'],
  'split-brain': ['FOLLOWING', 'FOLLOWING', 'LEADING', 'FOLLOWING', 'FOLLOWING'],
  'sync-diff': ['FOLLOWING', 'FOLLOWING', 'LEADING'],
  'client-stale-read': ['FOLLOWING', 'FOLLOWING', 'LEADING'],
  'client-session-survives': ['FOLLOWING', 'LEADING', 'DOWN'],
  'client-ephemeral-expires': ['FOLLOWING', 'LEADING', 'FOLLOWING'],
  'client-refused': ['FOLLOWING', 'FOLLOWING', 'LEADING'],
  'no-quorum-trunc': ['FOLLOWING', 'LEADING', 'FOLLOWING'],
  'sync-snap': ['FOLLOWING', 'FOLLOWING', 'LEADING'],
  'disk-refuses-write': ['FOLLOWING', 'LEADING', 'FOLLOWING'],
  'zxid-rollover': ['FOLLOWING', 'FOLLOWING', 'LEADING'],
  observers: ['DOWN', 'DOWN', 'LOOKING', 'DOWN', 'LOOKING'],
  '2pc-veto': ['IDLE', 'ABORTED', 'ABORTED', 'ABORTED'],
  '2pc-blocking': ['IDLE', 'ABORTED', 'ABORTED', 'ABORTED'],
  'paxos-duel': ['PROMISED', 'PROMISED', 'PROMISED', 'PREPARING', 'DECIDED', 'LEARNED'],
  'multi-paxos': ['ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'DOWN', 'LEADER', 'LEARNED'],
  'ablation-live-quorum': ['FOLLOWING', 'FOLLOWING', 'LEADING', 'FOLLOWING', 'FOLLOWING'],
  'ablation-commit-early': ['FOLLOWING', 'LEADING', 'FOLLOWING'],
  'ablation-no-trunc': ['FOLLOWING', 'LEADING', 'FOLLOWING'],
  'ablation-vote-by-myid': ['FOLLOWING', 'DOWN', 'LEADING'],
  'zookeeper-4646': ['LEADING', 'DOWN', 'FOLLOWING'],
  'zookeeper-4882': ['FOLLOWING', 'FOLLOWING', 'LEADING'],
  'zookeeper-4394': ['FOLLOWING', 'FOLLOWING', 'LEADING'],
  'stale-ack': ['FOLLOWING', 'FOLLOWING', 'FOLLOWING', 'FOLLOWING', 'LEADING'],
  'zookeeper-4712': ['FOLLOWING', 'LEADING', 'FOLLOWING'],
  'sync-cut-short': ['DOWN', 'LEADING', 'FOLLOWING'],
};

const en = { ...catalogue.en, ...storyMessages.en } as Record<string, string>;

test('every guided scenario is in the menu and the e2e list', async ({ page }) => {
  expect(Object.keys(FINAL_STATES).sort()).toEqual(PRESETS.map((p) => p.id).sort());
  await page.goto('/?lang=en');
  await page.getByTestId('open-guides').click();
  for (const p of PRESETS) await expect(page.getByTestId(`guide-${p.id}`)).toHaveText(en[`guide.${p.id}.title`]!);
});

test('a guided scenario opened from the menu pauses at each caption and Continue plays on', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en');
  await page.getByTestId('open-guides').click();
  await page.getByTestId('guide-first-election').click();
  await expect(page).toHaveURL(/#g=first-election$/);
  const caption = page.getByTestId('caption');
  await expect(caption).toHaveAttribute('data-n', '0');
  await expect(page.getByTestId('caption-text')).toHaveText(en['guide.first-election.0']!);
  const pauses = PRESETS.find((p) => p.id === 'first-election')!.pauses.length;
  const q = questionOf('first-election')!;
  for (let n = 1; n < pauses; n++) {
    // a caption that asks plays on once answered
    if (n - 1 === q.ask) await page.getByTestId(`choice-${q.answer}`).click();
    else await page.getByTestId('caption-next').click();
    await expect(caption).toHaveAttribute('data-n', String(n), { timeout: 20_000 });
    await expect(page.getByTestId('play')).toContainText('Play'); // paused at the caption
    await expect(page.getByTestId('caption-text')).toHaveText(en[`guide.first-election.${n}`]!);
  }
  await expect(caption).toHaveAttribute('data-last', '1');
  await expect(page.getByTestId('leader-banner')).toHaveAttribute('data-leader', '3');
  await page.screenshot({ path: info.outputPath('guide-first-election.png') });
  expect(errors).toEqual([]);
});

/** Open a guided story and press Play at each caption: Play stops at every pause point, however fast it runs. */
async function playToEnd(page: Page, p: Preset, lang: 'en' | 'zh' = 'en') {
  await page.goto(`/?lang=${lang}#g=${p.id}`);
  const caption = page.getByTestId('caption');
  await expect(caption).toHaveAttribute('data-n', '0');
  await page.getByTestId('speed').fill('100');
  for (let n = 1; n < p.pauses.length; n++) {
    await page.getByTestId('play').click();
    await expect(caption).toHaveAttribute('data-n', String(n), { timeout: 15_000 });
    await expect(page.getByTestId('play')).toContainText(lang === 'en' ? 'Play' : '播放');
  }
  return caption;
}

for (const p of PRESETS) {
  test(`guided scenario ${p.id} plays to its end and shows what its last caption promises`, async ({ page }, info) => {
    const errors = watchErrors(page);
    const caption = await playToEnd(page, p);
    const last = String(p.pauses.length - 1);
    await expect(caption).toHaveAttribute('data-n', last);
    await expect(page.getByTestId('caption-text')).toHaveText(en[`guide.${p.id}.${last}`]!);
    const states = await Promise.all(FINAL_STATES[p.id]!.map((_, i) => page.getByTestId('canvas').getByTestId(`server-${i + 1}`).getAttribute('data-state')));
    expect(states).toEqual(FINAL_STATES[p.id]);
    await page.screenshot({ path: info.outputPath(`guide-${p.id}.png`) });
    expect(errors).toEqual([]);
  });
}

test('the museum lists ZooKeeper\'s own bugs apart, and a story opens beside the release that fixed it', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en');
  await page.getByTestId('open-guides').click();
  const museum = page.getByTestId('museum');
  for (const p of PRESETS.filter((x) => x.bug)) await expect(museum.getByTestId(`guide-${p.id}`)).toHaveText(en[`guide.${p.id}.title`]!);
  await expect(museum.getByRole('button')).toHaveCount(PRESETS.filter((x) => x.bug).length);
  await page.screenshot({ path: info.outputPath('museum.png') });
  await museum.getByTestId('guide-zookeeper-4394').click();
  await expect(page).toHaveURL(/#g=zookeeper-4394$/);
  await expect(page.getByTestId('zk-release')).toContainText('3.8.0');
  // the compare view: the same script on 3.9, where ZOOKEEPER-4394 is fixed
  await expect(page.getByTestId('canvas-compare')).toBeVisible();
  await expect(page.getByTestId('compare')).toHaveValue('zab@3.9');
  expect(errors).toEqual([]);
});

test('a broken invariant is said in Chinese on the Chinese page', async ({ page }) => {
  const errors = watchErrors(page);
  await playToEnd(page, PRESETS.find((x) => x.id === 'ablation-commit-early')!, 'zh');
  const panel = page.locator('.violations');
  await expect(panel).toContainText('Durability');
  await expect(panel).toContainText('只在');
  await expect(panel).not.toContainText('is on the disk of only');
  expect(errors).toEqual([]);
});
