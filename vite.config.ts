import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { startupMessages } from './src/i18n/startup.ts';

/**
 * Every package the page and its workers import, pre-bundled by the dev server in one pass at
 * start-up. Left to discover them as the browser asked for modules, the dev server sometimes
 * bundled again while the page was loading, and one cold start in seven served a React whose
 * `require("scheduler")` was left unresolved: a white page, kept by the cache until it was
 * deleted. With the list given and discovery off there is one bundling, before any module is
 * served; vite.config.test.ts checks that the list names every package src/ imports.
 */
export const PREBUNDLED = [
  'react',
  'react-dom',
  'react-dom/client',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'zustand',
  'zustand/react/shallow',
  'zod',
  'd3-selection',
  'd3-drag',
];

/** The start-up guard's words (public/startup-guard.js), from the catalogue, as JSON in the page. */
function startupText(): Plugin {
  return {
    name: 'zab-viz:startup-text',
    transformIndexHtml() {
      const json = JSON.stringify(startupMessages).replace(/</g, '\\u003c');
      return [{ tag: 'script', attrs: { type: 'application/json', id: 'startup-text' }, children: json, injectTo: 'head-prepend' }];
    },
  };
}

export default defineConfig({
  plugins: [react(), startupText()],
  worker: { format: 'es' },
  optimizeDeps: { include: PREBUNDLED, noDiscovery: true },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { target: 'es2022', sourcemap: true },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'vite.config.test.ts'],
    environment: 'node',
    // the random-schedule property tests take 1-3 s alone, twice that on a loaded 2-core machine
    testTimeout: 30_000,
  },
});
