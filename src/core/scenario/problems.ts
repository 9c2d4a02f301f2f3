/**
 * What is wrong with a link or a scenario file, in a person's words: a catalogue code and its
 * arguments, never a schema validator's message. The English text lives here (the CLI prints it;
 * the page's catalogue takes the same English and adds Chinese), `{field}` names a field as a
 * scenario file spells it.
 */
import type { z } from 'zod';

export const PROBLEM_EN = {
  'problem.tooLong': 'it is too long ({length} characters; at most {max})',
  'problem.tooLarge': 'it is too large (at most 1 MB)',
  'problem.notLink': 'it is not a zab-viz scenario link (one ends in "#s=v2.…")',
  'problem.unknownFormat': 'it is in a format this version does not know ({format}; it reads v1 and v2)',
  'problem.damaged': 'it is damaged: its scenario does not decode',
  'problem.notJson': 'it is not JSON',
  'problem.notScenario': 'it is not a zab-viz scenario file (its "format" must be "zab-viz scenario")',
  'problem.unreadable': 'it could not be read',
  'problem.range': '"{field}" must be from {min} to {max}; it is {value}',
  'problem.atMost': '"{field}" must be at most {max}',
  'problem.atLeast': '"{field}" must be at least {min}',
  'problem.whole': '"{field}" must be a whole number',
  'problem.number': '"{field}" must be a number',
  'problem.text': '"{field}" must be text',
  'problem.list': '"{field}" must be a list',
  'problem.group': '"{field}" must be a group of fields',
  'problem.trueOnly': '"{field}" may only be true',
  'problem.missing': '"{field}" is missing',
  'problem.tooMany': '"{field}" has too many entries (at most {max})',
  'problem.textTooLong': '"{field}" is too long (at most {max} characters)',
  'problem.unknownField': 'it has a field this version does not know: "{field}"',
  'problem.oneOf': '"{field}" must be one of {options}',
  'problem.invalid': '"{field}" is not valid',
  'problem.observersZabOnly': 'it has observers, which are for ZAB only',
  'problem.twoPcMin': 'two-phase commit needs at least 2 nodes',
  'problem.paxosRoles': 'it gives Paxos roles for another protocol',
  'problem.releaseZabOnly': 'it names a ZooKeeper release for another protocol',
  'problem.noGuide': 'it names a guided scenario that does not exist ("{name}")',
  'problem.actions': 'its actions are invalid: {message}',
  'problem.noSuchChoice': '"{field}" names a choice the question does not have',
  'problem.samePause': '"{field}" is {at} ms, the moment of another caption: a story has one caption at a moment',
} as const;

export type ProblemCode = keyof typeof PROBLEM_EN;
export interface Problem {
  code: ProblemCode;
  args?: Record<string, string | number>;
}

/** The problem in English (the CLI's words; the page translates the code). */
export function problemText(p: Problem): string {
  let s: string = PROBLEM_EN[p.code];
  for (const [k, v] of Object.entries(p.args ?? {})) s = s.split(`{${k}}`).join(String(v));
  return s;
}

/** A link's short keys, as the file names them (the words a person sees in a problem). */
const TOP: Record<string, string> = { n: 'voters', o: 'observers', s: 'seed', a: 'actions', t: 'time', k: 'step', net: 'network', tick: 'timing', p: 'protocol', px: 'paxos', g: 'guide', pz: 'pauses', tt: 'title', cmp: 'compare', ab: 'ablations' };
const INNER: Record<string, Record<string, string>> = {
  network: { min: 'latencyMin', max: 'latencyMax' },
  disk: { min: 'latencyMin', max: 'latencyMax' },
  paxos: { pr: 'proposers', le: 'learners', m: 'mode', bo: 'timing.backoffMax' },
  pauses: { t: 'at', c: 'caption', q: 'question', x: 'text', ch: 'choices', a: 'answer', w: 'why', r: 'revealAt' },
};

/** "network.latencyMin" for the path [net, min] of a link, or [network, latencyMin] of a file. */
export function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'scenario';
  const out: string[] = [];
  let top = '';
  path.forEach((k, i) => {
    const key = String(k);
    if (i === 0) out.push((top = TOP[key] ?? key));
    else out.push(INNER[top]?.[key] ?? key);
  });
  return out.join('.');
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** One schema issue in a person's words: which field, and what it must be. */
export function issueProblem(issue: z.core.$ZodIssue, raw: unknown): Problem {
  const field = fieldName(issue.path);
  const value = valueAt(raw, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return { code: 'problem.unknownField', args: { field: fieldName([...issue.path, issue.keys[0] ?? '']) } };
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'set') return { code: 'problem.tooMany', args: { field, max: Number(issue.maximum) } };
      if (issue.origin === 'string') return { code: 'problem.textTooLong', args: { field, max: Number(issue.maximum) } };
      return { code: 'problem.atMost', args: { field, max: Number(issue.maximum) } };
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'string') return { code: 'problem.invalid', args: { field } };
      return { code: 'problem.atLeast', args: { field, min: Number(issue.minimum) } };
    case 'invalid_type': {
      if (value === undefined) return { code: 'problem.missing', args: { field } };
      const expected = String(issue.expected);
      if (expected === 'int') return { code: 'problem.whole', args: { field } };
      if (expected === 'number') return { code: 'problem.number', args: { field } };
      if (expected === 'string') return { code: 'problem.text', args: { field } };
      if (expected === 'array') return { code: 'problem.list', args: { field } };
      if (expected === 'object' || expected === 'record') return { code: 'problem.group', args: { field } };
      return { code: 'problem.invalid', args: { field } };
    }
    case 'invalid_value': {
      if (issue.values.length === 1 && issue.values[0] === true) return { code: 'problem.trueOnly', args: { field } };
      if (issue.path.length === 1 && issue.path[0] === 'format') return { code: 'problem.notScenario' };
      return { code: 'problem.oneOf', args: { field, options: issue.values.map((v) => JSON.stringify(v)).join(', ') } };
    }
    default:
      return { code: 'problem.invalid', args: { field } };
  }
}

/** A whole number in [min, max], or the problem with it (a field a page limits more than the schema). */
export function rangeProblem(path: readonly PropertyKey[], value: unknown, min: number, max: number): Problem | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return { code: 'problem.number', args: { field: fieldName(path) } };
  if (!Number.isInteger(value)) return { code: 'problem.whole', args: { field: fieldName(path) } };
  if (value < min || value > max) return { code: 'problem.range', args: { field: fieldName(path), min, max, value } };
  return null;
}
