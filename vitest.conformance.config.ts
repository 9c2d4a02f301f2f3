import { defineConfig } from 'vitest/config';

// The conformance suite drives real ZooKeeper JVMs: one test at a time, generous timeouts.
export default defineConfig({
  test: {
    include: ['conformance/**/*.conformance.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    maxConcurrency: 1,
  },
});
