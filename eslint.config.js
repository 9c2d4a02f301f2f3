import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

// The protocol core must be pure and deterministic: no wall clock, no Math.random, no DOM,
// no timers. Time and randomness come from the simulator (src/core/sim).
const impure = {
  'no-restricted-globals': [
    'error',
    ...['window', 'document', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'requestAnimationFrame', 'performance', 'navigator', 'localStorage', 'fetch'].map(
      (name) => ({ name, message: 'src/core is pure: time, I/O and randomness belong to the simulator' }),
    ),
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'use ctx.now (simulated time)' },
    { object: 'Math', property: 'random', message: 'use ctx.random() (the seeded PRNG)' },
  ],
  'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date']", message: 'use simulated time' }],
};

// Layers point one way: core -> worker -> state -> ui. The core imports nothing outside it (its
// tests may read the message catalogue); the worker knows nothing of the page; the stores know no
// component; the catalogue no component, store or worker. And no module imports itself in a cycle.
const layers = {
  'import-x/no-restricted-paths': [
    'error',
    {
      zones: [
        { target: './src/core', from: ['./src/worker', './src/state', './src/ui', './src/i18n', './src/cli', './src/lab'], message: 'src/core is the bottom layer: it imports nothing outside src/core' },
        // the lab bridge runs in Node beside the page: the page reaches it over HTTP only
        { target: ['./src/worker', './src/state', './src/ui', './src/i18n'], from: './src/lab', message: 'the lab bridge is a Node process: the page talks to it over HTTP (src/core/lab/wire.ts)' },
        { target: './src/lab', from: ['./src/worker', './src/state', './src/ui'], message: 'the lab bridge knows the core and the wire, not the page' },
        { target: './src/worker', from: ['./src/state', './src/ui'], message: 'the worker runs the core and knows nothing of the page' },
        { target: './src/state', from: ['./src/ui'], message: 'stores hold state for components, never the other way round' },
        { target: './src/i18n', from: ['./src/ui', './src/state', './src/worker'], message: 'the catalogue is words only' },
      ],
    },
  ],
};

// The page (src/ui) takes values from the stores (src/state) and the catalogue (src/i18n) only:
// from the core and the worker it may import types, never code. import-x/no-restricted-paths has
// no allowTypeImports (4.18), so typescript-eslint's no-restricted-imports draws the line; a
// dynamic import() is not an import declaration, and no-restricted-syntax catches that one.
const VALUES_FROM_STATE = 'src/ui imports values from src/state (and src/i18n); from src/core and src/worker only types (import type)';
const pageSeesTypes = {
  '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+(core|worker)(/|$)', allowTypeImports: true, message: VALUES_FROM_STATE }] }],
  'no-restricted-syntax': ['error', { selector: 'ImportExpression[source.value=/^(\\.\\.\\/)+(core|worker)(\\/|$)/]', message: VALUES_FROM_STATE }],
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'test-results-lab', 'playwright-report', '.scratch', '*.tmp.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/core/**/*.ts'], ignores: ['src/core/**/*.test.ts'], languageOptions: { globals: {} }, rules: impure },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
      // the modules a cycle runs through are TypeScript: read them with its parser
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  { files: ['src/**/*.ts', 'src/**/*.tsx'], ignores: ['src/**/*.test.ts', 'src/**/*.test.tsx'], rules: layers },
  { files: ['src/ui/**/*.ts', 'src/ui/**/*.tsx'], ignores: ['src/**/*.test.ts', 'src/**/*.test.tsx'], rules: pageSeesTypes },
);
