/**
 * The shareable form of a scenario: `#s=v2.<base64url of compact JSON>`, the same string the CLI
 * takes with --url. v2 adds the protocol, Paxos's roles, a guided preset and captioned pause
 * points to v1 (ZAB only), which still opens. This file writes links and files; decode.ts reads
 * them (it holds the schemas, and the page loads it only when it has a link or a file to read).
 */
import { formatAction } from './actionText';
import { DEFAULT_DISK, DEFAULT_NET, targetOf, type CompareTarget, type OwnQuestion, type Scenario } from './scenario';
import type { Compact } from './decode';
import type { ZabAblations } from '../zk/config';
import { DEFAULT_RELEASE } from '../zk/release';

/** Short link keys of the ZAB ablations (inside `ab`, next to 2PC's `pc` and Paxos's `fp`). */
export const ZAB_ABLATION_KEYS = {
  liveQuorum: 'lq',
  noEpochFencing: 'nf',
  commitEarly: 'ce',
  noTrunc: 'nt',
  voteByMyid: 'vm',
  noFinalizeWait: 'nw',
  acceptStaleClient: 'sc',
  syncLocally: 'sy',
  answerBeforeCommit: 'bc',
  noSessionCheck: 'ns',
} as const satisfies Record<keyof ZabAblations, string>;

/** The `ab` object of a link: every switch that is on, by its short key; null when none is. */
export function compactAblations(ab: Scenario['ablations']): Compact['ab'] | null {
  const c: Record<string, true> = {};
  if (ab?.twopc?.presumeCommit) c.pc = true;
  if (ab?.paxos?.forgetPromise) c.fp = true;
  for (const [name, key] of Object.entries(ZAB_ABLATION_KEYS)) if (ab?.zab?.[name as keyof ZabAblations]) c[key] = true;
  return Object.keys(c).length ? (c as Compact['ab']) : null;
}

export const MAX_LINK = 16_384;
/** a caption, a question, its why: long enough for every guided story's own (a test holds them to it, in both languages) */
export const MAX_CAPTION = 400;
export const MAX_PAUSES = 50;
/** a person's own story: its title, and a question's choices (2 to MAX_CHOICES, each at most MAX_CHOICE characters) */
export const MAX_TITLE = 120;
export const MAX_CHOICES = 4;
export const MAX_CHOICE = 60;
export const VERSION = 'v2';

/** A person's question as a link writes it (a file writes it as it is: text, choices, answer, why, revealAt). */
export function compactQuestion(q: OwnQuestion): NonNullable<NonNullable<Compact['pz']>[number]['q']> {
  return { x: q.text, ch: q.choices, a: q.answer, ...(q.why !== undefined ? { w: q.why } : {}), ...(q.revealAt !== undefined ? { r: q.revealAt } : {}) };
}

export function toBase64Url(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The `v1.…` token for a scenario (and the moment being viewed, if any). */
export function encodeScenario(sc: Scenario, time: number | null = null, step: number | null = null, compare: CompareTarget | null = null): string {
  const c: Compact = { n: sc.voters };
  if (sc.observers) c.o = sc.observers;
  if (sc.seed !== 1) c.s = sc.seed;
  if (sc.actions.length) c.a = sc.actions.map(formatAction).join(';');
  // every event is at a whole millisecond: the floor replays exactly what was processed
  if (time !== null) c.t = Math.floor(time);
  if (time !== null && step !== null) c.k = step;
  if (compare !== null && compare !== sc.protocol && compare !== targetOf(sc)) c.cmp = compare;
  if (sc.net.latencyMin !== DEFAULT_NET.latencyMin || sc.net.latencyMax !== DEFAULT_NET.latencyMax || sc.net.loss !== DEFAULT_NET.loss) c.net = { min: sc.net.latencyMin, max: sc.net.latencyMax, loss: sc.net.loss };
  if (sc.disk.latencyMin !== DEFAULT_DISK.latencyMin || sc.disk.latencyMax !== DEFAULT_DISK.latencyMax) c.disk = { min: sc.disk.latencyMin, max: sc.disk.latencyMax };
  if (Object.keys(sc.timing).length) c.tick = { ...sc.timing } as Compact['tick'];
  if (sc.protocol !== 'zab') c.p = sc.protocol;
  if (sc.protocol === 'zab' && sc.zk !== undefined && sc.zk !== DEFAULT_RELEASE) c.zk = sc.zk;
  if (sc.protocol === 'paxos') c.px = { pr: sc.paxos?.proposers ?? 2, le: sc.paxos?.learners ?? 1, m: sc.paxos?.mode ?? 'basic', ...(sc.paxos?.timing?.backoffMax ? { bo: sc.paxos.timing.backoffMax } : {}) };
  if (sc.guide) c.g = sc.guide;
  // a guided scenario's own captions come from its preset (in the reader's language)
  const own = (sc.pauses ?? []).filter((p) => p.text !== undefined);
  // a guided story whose captions a person removed: none, not its preset's
  if (own.length || (sc.guide && sc.pauses?.length === 0)) c.pz = own.map((p) => ({ t: p.at, c: p.text!, ...(p.ask ? { q: compactQuestion(p.ask) } : {}) }));
  if (sc.title !== undefined) c.tt = sc.title;
  const ab = compactAblations(sc.ablations);
  if (ab) c.ab = ab;
  return `${VERSION}.${toBase64Url(JSON.stringify(c))}`;
}

/** A scenario as a readable JSON file (export / import); validated exactly like a link. */
export function exportJson(sc: Scenario, time: number | null = null): string {
  const file = {
    format: 'zab-viz scenario',
    version: 2,
    protocol: sc.protocol,
    zk: sc.protocol === 'zab' && sc.zk !== undefined && sc.zk !== DEFAULT_RELEASE ? sc.zk : undefined,
    voters: sc.voters,
    observers: sc.observers,
    seed: sc.seed,
    actions: sc.actions.map(formatAction),
    time: time === null ? undefined : Math.floor(time),
    network: { latencyMin: sc.net.latencyMin, latencyMax: sc.net.latencyMax, loss: sc.net.loss },
    disk: { latencyMin: sc.disk.latencyMin, latencyMax: sc.disk.latencyMax },
    timing: sc.timing,
    paxos: sc.protocol === 'paxos' ? sc.paxos : undefined,
    guide: sc.guide,
    // a guided scenario's captions come from its preset; a person's own are kept as text
    // (a guided story whose captions a person removed: none, written as an empty list)
    pauses: sc.pauses?.some((p) => p.text !== undefined) ? sc.pauses.filter((p) => p.text !== undefined).map((p) => ({ at: p.at, caption: p.text, question: p.ask })) : sc.guide && sc.pauses?.length === 0 ? [] : undefined,
    title: sc.title,
    // rules switched off on purpose, by their link keys
    ablations: compactAblations(sc.ablations) ?? undefined,
  };
  return JSON.stringify(file, null, 2) + '\n';
}

