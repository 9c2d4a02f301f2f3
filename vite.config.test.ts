import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PREBUNDLED } from './vite.config';

/** Every source file the browser loads: src/ without the CLI, the lab bridge (Node) and the tests. */
function browserSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return p === join('src', 'cli') || p === join('src', 'lab') ? [] : browserSources(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

describe('the dev server pre-bundles every package in one pass', () => {
  it('lists every package the page and its workers import (discovery is off, so one missing would be served raw)', () => {
    const imported = new Set<string>();
    for (const file of browserSources('src')) {
      const code = readFileSync(file, 'utf8');
      // static imports and re-exports (not `import type`, which loads nothing), side-effect imports, import()
      const specs = [
        ...[...code.matchAll(/^\s*(import|export)(\s+type\b)?[^;'"]*?\bfrom\s*'([^']+)'/gm)].filter((m) => !m[2]).map((m) => m[3]!),
        ...[...code.matchAll(/^\s*import\s*'([^']+)'/gm)].map((m) => m[1]!),
        ...[...code.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!),
      ];
      for (const spec of specs) if (!spec.startsWith('.') && !spec.startsWith('node:')) imported.add(spec);
    }
    expect(imported.size).toBeGreaterThan(3);
    for (const spec of imported) expect(PREBUNDLED, `${spec} is imported by the page but not pre-bundled`).toContain(spec);
    // what @vitejs/plugin-react's JSX transform imports, and react-dom/client's own package
    for (const spec of ['react/jsx-dev-runtime', 'react/jsx-runtime', 'react-dom']) expect(PREBUNDLED).toContain(spec);
  });
});
