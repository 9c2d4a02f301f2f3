import { defineConfig, devices } from '@playwright/test';
import base from './playwright.config';

/**
 * Lab mode against real ZooKeeper servers (issue 21): each test starts `npm run lab` itself (it
 * must read the address with the run's token), so there is no web server here. Run by .ci/run
 * after the conformance suite: `npm run test:lab`.
 */
export default defineConfig({
  ...base,
  testDir: 'e2e-lab',
  outputDir: 'test-results-lab',
  timeout: 240_000,
  expect: { timeout: 60_000 },
  workers: 1,
  webServer: undefined,
  use: { ...base.use, baseURL: undefined },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], ...(base.projects?.[0]?.use ?? {}) } }],
});
