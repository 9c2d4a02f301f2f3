/**
 * Starts a command-line tool (`node scripts/cli.mjs sim …`, `… explore …`) from one esbuild bundle
 * of its TypeScript entry, rebuilt whenever a source it was built from changed. Going through
 * tsx's loader costs about 0.6 s per start; a bundle starts in about 0.1 s, and scripts call the
 * CLI many times. Flags and output are the tool's own: this only decides how it is loaded.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = { sim: 'src/cli/sim.ts', explore: 'src/cli/explore.ts', logs: 'src/cli/logs.ts' };

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

/**
 * The bundle is fresh when it was built from this checkout and none of its sources has changed
 * since (each one's modification time as it was then): a node_modules shared by two checkouts, or
 * an older file checked out, never runs a bundle of other sources.
 */
function fresh() {
  try {
    statSync(bundle);
    const built = JSON.parse(readFileSync(inputsFile, 'utf8'));
    return built.root === root && Object.entries(built.files).every(([f, t]) => statSync(join(root, f)).mtimeMs === t);
  } catch {
    return false; // no bundle yet, one of an older format, or a source is gone
  }
}

if (!fresh()) {
  mkdirSync(cache, { recursive: true });
  // several processes may build at once (tests run in parallel): each writes its own file, then renames
  const tmp = `${bundle}.${process.pid}.tmp.mjs`;
  // esbuild is loaded only to build: a start with a fresh bundle spares its ~40 ms
  const { build } = await import('esbuild');
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
  const files = Object.fromEntries(Object.keys(r.metafile.inputs).map((f) => [f, statSync(join(root, f)).mtimeMs]));
  writeFileSync(`${inputsFile}.${process.pid}`, JSON.stringify({ root, files }));
  renameSync(`${inputsFile}.${process.pid}`, inputsFile);
  renameSync(tmp, bundle);
}
await import(pathToFileURL(bundle).href);
