/**
 * Starts a command-line tool (`node scripts/cli.mjs sim …`, `… explore …`) from one esbuild bundle
 * of its TypeScript entry, rebuilt whenever a source it was built from changed. Going through
 * tsx's loader costs about 0.6 s per start; a bundle starts in about 0.1 s, and scripts call the
 * CLI many times. Flags and output are the tool's own: this only decides how it is loaded.
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = { sim: 'src/cli/sim.ts', explore: 'src/cli/explore.ts' };

const tool = process.argv[2];
const entry = ENTRIES[tool];
if (!entry) {
  process.stderr.write(`usage: node scripts/cli.mjs ${Object.keys(ENTRIES).join('|')} [flags]\n`);
  process.exit(2);
}
// the tool sees its own flags only, as if it had been started directly
process.argv.splice(2, 1);

const cache = join(root, 'node_modules', '.cache', 'zab-viz');
const bundle = join(cache, `${tool}.mjs`);
const inputsFile = `${bundle}.inputs.json`;

function fresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
    return inputs.every((f) => statSync(join(root, f)).mtimeMs <= built);
  } catch {
    return false; // no bundle yet, or a source is gone
  }
}

if (!fresh()) {
  mkdirSync(cache, { recursive: true });
  // several processes may build at once (tests run in parallel): each writes its own file, then renames
  const tmp = `${bundle}.${process.pid}.tmp.mjs`;
  const r = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: tmp,
    metafile: true,
    logLevel: 'error',
  });
  writeFileSync(`${inputsFile}.${process.pid}`, JSON.stringify(Object.keys(r.metafile.inputs)));
  renameSync(`${inputsFile}.${process.pid}`, inputsFile);
  renameSync(tmp, bundle);
}
await import(pathToFileURL(bundle).href);
