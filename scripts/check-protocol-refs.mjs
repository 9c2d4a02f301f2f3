#!/usr/bin/env node
// Checks the ZooKeeper names docs/PROTOCOL.md cites against ZooKeeper's own sources, up to its
// "What is modelled" part (the handler map and the differences). Needs a clone of
// apache/zookeeper; not part of `npm test`, since the tests never touch the network.
//
//   node scripts/check-protocol-refs.mjs <zookeeper .git dir> [java ref] [spec ref]
//
// java ref defaults to release-3.8.0-1 (the 3.8.0 release), spec ref to master. Every
// `Class.method` (or `Outer.Inner.method`) must be declared in that class's file at the java
// ref; every name in a table's "Zab.tla" column must be defined in Zab.tla, every name in its
// "system spec" column in ZkV3_7_0.tla or FastLeaderElection.tla, at the spec ref. Bare
// capitalized names in the prose must be one or the other.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [gitDir, javaRef = 'release-3.8.0-1', specRef = 'master'] = process.argv.slice(2);
if (!gitDir) {
  console.error('usage: node scripts/check-protocol-refs.mjs <zookeeper .git dir> [java ref] [spec ref]');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

const doc = readFileSync(new URL('../docs/PROTOCOL.md', import.meta.url), 'utf8');
const cut = doc.indexOf('\n## What is modelled, rule by rule');
const mapped = cut < 0 ? doc : doc.slice(0, cut);

// ---- the specs ---------------------------------------------------------------------------------
const SPECS = 'zookeeper-specifications';
const specText = (path) => git('show', `${specRef}:${SPECS}/${path}`);
const defs = (text) => new Set([...text.matchAll(/^\s*(?:RECURSIVE\s+)?([A-Za-z_]\w*)\s*(?:\([^)]*\))?\s*==/gm)].map((m) => m[1]));
const zabTla = defs(specText('protocol-spec/Zab.tla'));
const systemTla = new Set([...defs(specText('system-spec/zk-3.7/ZkV3_7_0.tla')), ...defs(specText('system-spec/zk-3.7/FastLeaderElection.tla'))]);

// ---- the Java sources --------------------------------------------------------------------------
const javaFiles = new Map();
for (const path of git('ls-tree', '-r', '--name-only', javaRef, 'zookeeper-server/src/main/java').split('\n')) {
  const m = /\/(\w+)\.java$/.exec(path);
  if (m) javaFiles.set(m[1], path);
}
const sources = new Map();
const source = (cls) => {
  if (!sources.has(cls)) sources.set(cls, git('show', `${javaRef}:${javaFiles.get(cls)}`));
  return sources.get(cls);
};
const nestedClasses = new Set();
for (const cls of ['Leader', 'LearnerHandler', 'Learner', 'FastLeaderElection', 'QuorumPeer']) {
  for (const m of source(cls).matchAll(/\bclass\s+(\w+)/g)) nestedClasses.add(m[1]);
}

function checkJava(name) {
  const parts = name.replace(/\(\)$/, '').split('.');
  const [cls, ...rest] = parts;
  if (!javaFiles.has(cls)) return `no class ${cls} at ${javaRef}`;
  const text = source(cls);
  const member = rest.pop();
  for (const inner of rest) if (!new RegExp(`\\bclass\\s+${inner}\\b`).test(text)) return `no nested class ${inner} in ${cls}`;
  if (member === undefined) return null;
  const method = new RegExp(`[\\w>\\]]\\s+${member}\\s*\\(`); // a declaration: a type before the name
  const field = new RegExp(`[\\w>\\]]\\s+${member}\\s*[=;]`);
  return method.test(text) || field.test(text) ? null : `no method or field ${member} in ${cls}.java`;
}

// ---- the document ------------------------------------------------------------------------------
const problems = [];
let checked = 0;
const ticked = (cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

let columns = null;
for (const line of mapped.split('\n')) {
  if (!line.startsWith('|')) {
    columns = null;
    continue;
  }
  const cells = line.split('|').slice(1, -1).map((c) => c.trim());
  if (columns === null) {
    columns = cells;
    continue;
  }
  if (cells.every((c) => /^-+$/.test(c))) continue;
  cells.forEach((cell, i) => {
    const header = columns[i] ?? '';
    const spec = header.startsWith('Zab.tla') ? zabTla : header.startsWith('system spec') ? systemTla : null;
    if (!spec) return;
    for (const name of ticked(cell)) {
      checked++;
      if (!spec.has(name)) problems.push(`${header}: ${name} is not defined`);
    }
  });
}

const JDK = new Set(['Long']);
const PLACEHOLDERS = new Set(['Class.method', 'Outer.Inner.method']);
for (const name of new Set(ticked(mapped))) {
  if (PLACEHOLDERS.has(name) || /\.(tla|java|ts|md)$/.test(name)) continue; // a format, or a file
  if (/^[A-Z]\w*(\.\w+)+(\(\))?$/.test(name)) {
    if (JDK.has(name.split('.')[0])) continue;
    checked++;
    const p = checkJava(name);
    if (p) problems.push(`${name}: ${p}`);
  } else if (/^[A-Z][A-Za-z0-9_]*$/.test(name) && !/^[A-Z0-9_]+$/.test(name)) {
    // a bare CamelCase name: a spec action, or a Java class
    checked++;
    if (!zabTla.has(name) && !systemTla.has(name) && !javaFiles.has(name) && !nestedClasses.has(name)) problems.push(`${name}: neither a spec definition nor a class`);
  }
}

for (const p of problems) console.log(p);
console.log(`${checked} names checked against ${javaRef} and ${SPECS} at ${specRef}: ${problems.length} not found`);
process.exit(problems.length ? 1 : 0);
