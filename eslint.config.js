import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', '.scratch', '*.tmp.mjs'] },
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
);
