/**
 * docs/PROTOCOL.md maps each protocol handler to ZooKeeper's method and the TLA+ actions. These
 * tests keep the map honest about our side of it: every `file:function` it names is declared in
 * that file, and every handler of the ZAB files is named, with its file. Renaming a handler or
 * moving it to another file fails here until the document follows.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const CORE = fileURLToPath(new URL('.', import.meta.url));
const DOC_PATH = fileURLToPath(new URL('../../docs/PROTOCOL.md', import.meta.url));
const DOC = readFileSync(DOC_PATH, 'utf8');

/**
 * Every ZAB file must have all its handlers in the map, so that a handler moved to a new file is
 * still held to it; except these, which hold no protocol step (file → why).
 */
const NOT_PROTOCOL: Record<string, string> = {
  'zk/checker.ts': 'the safety invariants, checked after every step',
  'zk/config.ts': 'the ensemble and its timing',
  'zk/face.ts': 'how the canvas draws a server and its messages (no protocol step)',
  'zk/release.ts': 'the releases and the rules in which they differ (data, read by the handlers)',
  'zk/messages.ts': 'message shapes and their trace-hash codes',
  'zk/state.ts': 'types',
  'zk/zxid.ts': 'zxid arithmetic and formatting',
};
const PHASE_FILES = readdirSync(`${CORE}zk`)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => `zk/${f}`)
  .filter((f) => !(f in NOT_PROTOCOL));

/** The map's tables, by the heading they sit under. */
const REQUIRED_TABLES = ['Election', 'Discovery', 'Synchronization', 'Broadcast', 'Lifecycle and crashes', 'Two-phase commit', 'Paxos'];

/**
 * Handlers of PHASE_FILES that the map may leave out, as 'file:function' → why. Keep it short:
 * a function listed here must still be a handler (a stale entry fails).
 */
const NOT_MAPPED: Record<string, string> = {
  'zk/vote.ts:agreeing': 'lists the voters that agree with a vote, for the inspector and the event log',
};

/** `zk/sync.ts:planSync`: a file under src/core and a function in it. */
const REF = /`([\w./-]+\.ts):([A-Za-z_$][\w$]*)`/g;

interface Ref {
  file: string;
  fn: string;
  line: number;
}

interface Table {
  heading: string;
  line: number;
  rows: { line: number; cells: string[] }[];
  width: number;
}

function cellsOf(line: string): string[] {
  return line.split('|').slice(1, -1).map((c) => c.trim());
}

/** The tables whose first column is "our handler", with the heading above each. */
function handlerTables(md: string): Table[] {
  const tables: Table[] = [];
  let heading = '';
  let current: Table | null = null;
  md.split('\n').forEach((text, i) => {
    const line = i + 1;
    if (text.startsWith('#')) heading = text.replace(/^#+\s*/, '');
    if (!text.startsWith('|')) {
      current = null;
      return;
    }
    const cells = cellsOf(text);
    if (current === null) {
      // a table starts: its header says whether it is a handler table
      if (cells[0]?.startsWith('our handler')) tables.push((current = { heading, line, rows: [], width: cells.length }));
      else current = { heading, line, rows: [], width: cells.length }; // another kind: read past it
      return;
    }
    if (cells.every((c) => /^:?-+:?$/.test(c))) return;
    if (tables.includes(current)) current.rows.push({ line, cells });
  });
  return tables;
}

function refsOf(tables: Table[]): Ref[] {
  return tables.flatMap((t) => t.rows.flatMap((r) => [...(r.cells[0] ?? '').matchAll(REF)].map((m) => ({ file: m[1]!, fn: m[2]!, line: r.line }))));
}

interface Declared {
  name: string;
  exported: boolean;
  /** the type annotations of its parameters, as written */
  params: string[];
}

/** Top-level functions of a source file: declarations, and consts bound to a function. */
function declaredFunctions(path: string): Declared[] {
  const src = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Declared[] = [];
  const exported = (n: ts.Node) => (ts.canHaveModifiers(n) ? (ts.getModifiers(n) ?? []) : []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const params = (f: ts.SignatureDeclaration) => f.parameters.map((p) => p.type?.getText(src) ?? '');
  for (const st of src.statements) {
    if (ts.isFunctionDeclaration(st) && st.name) out.push({ name: st.name.text, exported: exported(st), params: params(st) });
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer;
        if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
          out.push({ name: d.name.text, exported: exported(st), params: params(init) });
        }
      }
    }
  }
  return out;
}

/**
 * What counts as a handler of a ZAB phase: a step of the protocol, which takes the server and its
 * environment (`(s: ZkServer, env: Env, …)`), or reacts to an event (`on…`), or is exported for
 * the other phases and zab.ts to call.
 */
function isHandler(f: Declared): boolean {
  return f.exported || /^on[A-Z]/.test(f.name) || (f.params[0] === 'ZkServer' && f.params[1] === 'Env');
}

const tables = handlerTables(DOC);
const refs = refsOf(tables);
const declared = new Map<string, Declared[]>();
function functionsIn(file: string): Declared[] {
  if (!declared.has(file)) declared.set(file, declaredFunctions(`${CORE}${file}`));
  return declared.get(file)!;
}

describe('docs/PROTOCOL.md, the handler map', () => {
  it('has its tables, each row naming at least one handler as `file:function` and nothing else in backticks', () => {
    const headings = tables.map((t) => t.heading);
    for (const h of REQUIRED_TABLES) expect(headings.some((x) => x.startsWith(h)), `no handler table under a heading "${h}…"`).toBe(true);
    const bad: string[] = [];
    for (const t of tables) {
      for (const r of t.rows) {
        if (r.cells.length !== t.width) bad.push(`line ${r.line}: ${r.cells.length} cells, the header has ${t.width}`);
        const first = r.cells[0] ?? '';
        const ticked = [...first.matchAll(/`([^`]*)`/g)].map((m) => m[0]);
        const refsHere = [...first.matchAll(REF)].map((m) => m[0]);
        if (refsHere.length === 0) bad.push(`line ${r.line}: no \`file:function\` in "${first}"`);
        for (const t2 of ticked) if (!refsHere.includes(t2)) bad.push(`line ${r.line}: ${t2} is not \`file.ts:function\``);
      }
    }
    expect(bad).toEqual([]);
    // not vacuous: the map is read, and it is big
    expect(refs.length).toBeGreaterThan(100);
  });

  it('names only functions that are declared in the file it names', () => {
    const missing: string[] = [];
    for (const r of refs) {
      if (!existsSync(`${CORE}${r.file}`)) {
        missing.push(`line ${r.line}: src/core/${r.file} does not exist`);
        continue;
      }
      if (!functionsIn(r.file).some((f) => f.name === r.fn)) missing.push(`line ${r.line}: no function ${r.fn} in src/core/${r.file}`);
    }
    expect(missing, 'docs/PROTOCOL.md names handlers that are not there (renamed, moved or removed?)').toEqual([]);
  });

  it('names, in its prose too, only functions that are declared in the file it names', () => {
    const missing: string[] = [];
    DOC.split('\n').forEach((text, i) => {
      for (const m of text.matchAll(REF)) {
        const file = m[1]!;
        if (!existsSync(`${CORE}${file}`) || !functionsIn(file).some((f) => f.name === m[2])) missing.push(`line ${i + 1}: ${m[0]}`);
      }
    });
    expect(missing).toEqual([]);
  });

  it('names every handler of the ZAB files, with its file', () => {
    const named = new Set(refs.map((r) => `${r.file}:${r.fn}`));
    const unmapped: string[] = [];
    let handlers = 0;
    for (const file of PHASE_FILES) {
      for (const f of functionsIn(file).filter(isHandler)) {
        handlers++;
        const key = `${file}:${f.name}`;
        if (!named.has(key) && !(key in NOT_MAPPED)) unmapped.push(key);
      }
    }
    expect(unmapped, 'handlers missing from docs/PROTOCOL.md (new, renamed or moved here?)').toEqual([]);
    expect(handlers).toBeGreaterThan(40);
    for (const f of ['zk/election.ts', 'zk/discovery.ts', 'zk/sync.ts', 'zk/broadcast.ts']) expect(PHASE_FILES).toContain(f);
    for (const f of Object.keys(NOT_PROTOCOL)) expect(existsSync(`${CORE}${f}`), `${f} in NOT_PROTOCOL no longer exists`).toBe(true);
  });

  it('leaves out only what NOT_MAPPED lists, and NOT_MAPPED lists only handlers that exist', () => {
    for (const [key, why] of Object.entries(NOT_MAPPED)) {
      const [file, fn] = key.split(':') as [string, string];
      expect(PHASE_FILES, key).toContain(file);
      expect(functionsIn(file).some((f) => f.name === fn && isHandler(f)), `${key} is no longer a handler of ${file}`).toBe(true);
      expect(why.length, `${key} needs a reason`).toBeGreaterThan(10);
    }
  });
});
