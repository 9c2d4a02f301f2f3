import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';
type Result = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** Rules run on top of axe's defaults: experimental, so off unless named (label-content-name-mismatch was reported). */
const EXPERIMENTAL = ['label-content-name-mismatch'];

const summary = (vs: Result[]) => vs.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);

/**
 * Run axe-core on the page as it is now, once with its default rules and once with the
 * experimental rules above, and expect no violation. The figures go to the test's annotations.
 */
export async function expectNoAxeViolations(page: Page, info: TestInfo, state: string): Promise<void> {
  const defaults = await new AxeBuilder({ page }).analyze();
  const experimental = await new AxeBuilder({ page }).withRules(EXPERIMENTAL).analyze();
  const found = [...defaults.violations, ...experimental.violations];
  info.annotations.push({ type: 'axe', description: `${state}: ${found.length} violations, ${found.reduce((n, v) => n + v.nodes.length, 0)} nodes; ${defaults.passes.length} rules passed` });
  expect(summary(found), `axe violations: ${state}`).toEqual([]);
}
