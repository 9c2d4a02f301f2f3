/**
 * Reading a scenario link or file (see codec.ts for the format). Untrusted input: it is
 * size-limited, parsed with a schema, and every failure comes back as a message, never as an
 * exception.
 */
import { z } from 'zod';
import { ActionSyntaxError, parseActions } from './actionText';
import { DEFAULT_DISK, DEFAULT_NET, defaultScenario, inTimeOrder, LIMITS, nodeIds, targetOf, type CompareTarget, type Scenario } from './scenario';
import { presetById, presetScenario } from './presets';
import { compactQuestion, MAX_CAPTION, MAX_CHOICE, MAX_CHOICES, MAX_LINK, MAX_PAUSES, MAX_TITLE, toBase64Url, VERSION, ZAB_ABLATION_KEYS } from './codec';
import type { ZabAblations } from '../zk/config';
import { ZK_RELEASES } from '../zk/release';
import { issueProblem, problemText, rangeProblem, type Problem } from './problems';

const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);
const V1Fields = {
    n: int(LIMITS.voters.min, LIMITS.voters.max),
    o: int(LIMITS.observers.min, LIMITS.observers.max).optional(),
    s: z.union([z.string().max(64), z.number().int().min(0).max(2 ** 32 - 1)]).optional(),
    a: z.string().max(200_000).optional(),
    t: int(0, LIMITS.until.max).optional(),
    /** the moment's event count: several events can share a millisecond */
    k: int(0, 1e12).optional(),
    net: z.object({ min: int(0, 60_000), max: int(0, 60_000), loss: z.number().min(0).max(1) }).optional(),
    disk: z.object({ min: int(0, 60_000), max: int(0, 60_000) }).optional(),
    tick: z
      .object({ tickTime: int(100, 60_000).optional(), initLimit: int(1, 100).optional(), syncLimit: int(1, 100).optional(), initialZxidCounter: int(0, 0xfffffffe).optional() })
      .strict()
      .optional(),
};
const V1Schema = z.object(V1Fields).strict();
/** rules switched off: 2PC's presumeCommit (pc), Paxos's forgetPromise (fp), ZAB's (see ZAB_ABLATION_KEYS) */
const AblationsSchema = z
  .object({
    pc: z.literal(true).optional(),
    fp: z.literal(true).optional(),
    lq: z.literal(true).optional(),
    nf: z.literal(true).optional(),
    ce: z.literal(true).optional(),
    nt: z.literal(true).optional(),
    vm: z.literal(true).optional(),
    nw: z.literal(true).optional(),
    sc: z.literal(true).optional(),
    sy: z.literal(true).optional(),
    bc: z.literal(true).optional(),
    ns: z.literal(true).optional(),
  })
  .strict();
const CompactSchema = z
  .object({
    ...V1Fields,
    tick: z
      .object({
        tickTime: int(100, 60_000).optional(),
        initLimit: int(1, 100).optional(),
        syncLimit: int(1, 100).optional(),
        initialZxidCounter: int(0, 0xfffffffe).optional(),
        commitLogCount: int(1, 100_000).optional(),
      })
      .strict()
      .optional(),
    /** protocol (zab when absent) */
    p: z.enum(['2pc', 'paxos']).optional(),
    /** ZAB: the ZooKeeper release (3.8.0 when absent) */
    zk: z.enum(ZK_RELEASES).optional(),
    /** Paxos: proposers, learners, mode */
    px: z.object({ pr: int(1, 9), le: int(0, 9), m: z.enum(['basic', 'multi']), bo: int(1, 60_000).optional() }).strict().optional(),
    /** the guided scenario this run started from */
    g: z.string().regex(/^[a-z0-9-]{1,40}$/).optional(),
    /** pause points: time and caption (plain text, shown as text) */
    pz: z
      .array(
        z
          .object({
            t: int(0, LIMITS.until.max),
            c: z.string().max(MAX_CAPTION),
            /** a person's question there: its text, choices, the right one's index, why */
            q: z.object({ x: z.string().max(MAX_CAPTION), ch: z.array(z.string().max(MAX_CHOICE)).min(2).max(MAX_CHOICES), a: int(0, MAX_CHOICES - 1), w: z.string().max(MAX_CAPTION).optional(), r: int(0, LIMITS.until.max).optional() }).strict().optional(),
          })
          .strict(),
      )
      .max(MAX_PAUSES)
      .optional(),
    /** a person's own story's title */
    tt: z.string().max(MAX_TITLE).optional(),
    /** the compare view's second run: another protocol, or ZAB on another release */
    cmp: z.enum(['zab', '2pc', 'paxos', ...ZK_RELEASES.map((r) => `zab@${r}` as const)]).optional(),
    /** rules switched off on purpose */
    ab: AblationsSchema.optional(),
  })
  .strict();
export type Compact = z.infer<typeof CompactSchema>;

/** `error`: the problem in English (the CLI prints it); `problem`: the same for the catalogue */
export type Decoded = { ok: true; scenario: Scenario; time: number | null; step: number | null; compare?: CompareTarget } | { ok: false; error: string; problem: Problem };

/**
 * How many servers a scenario may have. The CLI takes LIMITS; the page draws at most its own
 * (PAGE_LIMITS in query.ts), the same for its dialog, links and files.
 */
export interface SizeLimits {
  voters: number;
  observers: number;
  proposers: number;
  learners: number;
}
const CLI_LIMITS: SizeLimits = { voters: LIMITS.voters.max, observers: LIMITS.observers.max, proposers: 9, learners: 9 };

const fail = (problem: Problem): Decoded => ({ ok: false, error: problemText(problem), problem });

/** The sizes a page draws, checked before the schema so the problem names the page's range. */
function sizeProblem(json: unknown, limits: SizeLimits): Problem | null {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return null;
  const c = json as Record<string, unknown>;
  const px = c.px !== null && typeof c.px === 'object' ? (c.px as Record<string, unknown>) : {};
  return (
    rangeProblem(['n'], c.n, LIMITS.voters.min, limits.voters) ??
    rangeProblem(['o'], c.o, LIMITS.observers.min, limits.observers) ??
    rangeProblem(['px', 'pr'], px.pr, 1, limits.proposers) ??
    rangeProblem(['px', 'le'], px.le, 0, limits.learners)
  );
}

function fromBase64Url(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/**
 * Accepts a whole link, its hash (`#s=…`), or the bare token. `limits`: the most servers of each
 * kind (the page passes its own; the CLI's default goes further).
 */
export function decodeScenario(input: string, limits: SizeLimits = CLI_LIMITS): Decoded {
  try {
    if (input.length > MAX_LINK) return fail({ code: 'problem.tooLong', args: { length: input.length, max: MAX_LINK } });
    const m = /(?:[#&?]s=)?(v\d+)\.([A-Za-z0-9_-]*)\s*$/.exec(input.trim());
    if (!m) return fail({ code: 'problem.notLink' });
    if (m[1] !== VERSION && m[1] !== 'v1') return fail({ code: 'problem.unknownFormat', args: { format: m[1]! } });
    let json: unknown;
    try {
      json = JSON.parse(fromBase64Url(m[2]!));
    } catch {
      return fail({ code: 'problem.damaged' });
    }
    const tooMany = sizeProblem(json, limits);
    if (tooMany) return fail(tooMany);
    const parsed = (m[1] === 'v1' ? V1Schema : CompactSchema).safeParse(json);
    if (!parsed.success) return fail(issueProblem(parsed.error.issues[0]!, json));
    const c = parsed.data as Compact;
    const protocol = c.p ?? 'zab';
    if (protocol !== 'zab' && c.o) return fail({ code: 'problem.observersZabOnly' });
    if (protocol === '2pc' && c.n < 2) return fail({ code: 'problem.twoPcMin' });
    if (c.px && protocol !== 'paxos') return fail({ code: 'problem.paxosRoles' });
    if (c.zk && protocol !== 'zab') return fail({ code: 'problem.releaseZabOnly' });
    const paxos = protocol === 'paxos' ? { proposers: c.px?.pr ?? 2, learners: c.px?.le ?? 1, mode: c.px?.m ?? ('basic' as const), ...(c.px?.bo ? { timing: { backoffMin: Math.min(10, c.px.bo), backoffMax: c.px.bo } } : {}) } : undefined;
    const ids = nodeIds({ protocol, voters: c.n, observers: c.o ?? 0, ...(paxos ? { paxos } : {}) });
    const actions = parseActions(c.a ?? '', ids);
    const net = c.net ? { latencyMin: c.net.min, latencyMax: Math.max(c.net.min, c.net.max), loss: c.net.loss } : { ...DEFAULT_NET };
    const disk = c.disk ? { latencyMin: c.disk.min, latencyMax: Math.max(c.disk.min, c.disk.max) } : { ...DEFAULT_DISK };
    const timing = Object.fromEntries(Object.entries(c.tick ?? {}).filter(([, v]) => v !== undefined));
    // a guided scenario: its preset gives what a link does not carry (disks, captions)
    const preset = c.g === undefined ? null : presetById(c.g);
    if (c.g !== undefined && !preset) return fail({ code: 'problem.noGuide', args: { name: c.g } });
    const base = preset ? presetScenario(preset) : defaultScenario();
    const wrong = c.pz?.findIndex((p) => p.q && p.q.a >= p.q.ch.length) ?? -1;
    if (wrong >= 0) return fail({ code: 'problem.noSuchChoice', args: { field: `pauses.${wrong}.question.answer` } });
    // a story stops at each of its pause points in time order, one at a moment
    const same = c.pz?.findIndex((p, i) => c.pz!.some((o, j) => j < i && o.t === p.t)) ?? -1;
    if (same >= 0) return fail({ code: 'problem.samePause', args: { field: `pauses.${same}.at`, at: c.pz![same]!.t } });
    const pauses = c.pz ? inTimeOrder(c.pz.map((p) => ({ at: p.t, text: p.c, ...(p.q ? { ask: { text: p.q.x, choices: p.q.ch, answer: p.q.a, ...(p.q.w !== undefined ? { why: p.q.w } : {}), ...(p.q.r !== undefined ? { revealAt: p.q.r } : {}) } } : {}) }))) : base.pauses;
    const zab: ZabAblations = {};
    for (const [name, key] of Object.entries(ZAB_ABLATION_KEYS)) if (c.ab?.[key]) zab[name as keyof ZabAblations] = true;
    const ablations = c.ab ? { ...(c.ab.pc ? { twopc: { presumeCommit: true } } : {}), ...(c.ab.fp ? { paxos: { forgetPromise: true } } : {}), ...(Object.keys(zab).length ? { zab } : {}) } : undefined;
    const scenario: Scenario = {
      ...base,
      protocol,
      voters: c.n,
      observers: c.o ?? 0,
      seed: c.s ?? 1,
      actions,
      net,
      disk,
      timing: { ...(preset ? base.timing : {}), ...timing },
      ...(paxos ? { paxos } : {}),
      ...(c.zk ? { zk: c.zk } : {}),
      ...(pauses ? { pauses } : {}),
      ...(c.tt !== undefined ? { title: c.tt } : {}),
      ...(ablations ? { ablations } : {}),
    };
    return { ok: true, scenario, time: c.t ?? null, step: c.t !== undefined && c.k !== undefined ? c.k : null, ...(c.cmp && c.cmp !== protocol && c.cmp !== targetOf(scenario) ? { compare: c.cmp } : {}) };
  } catch (e) {
    if (e instanceof ActionSyntaxError) return fail({ code: 'problem.actions', args: { message: e.message } });
    return fail({ code: 'problem.unreadable' });
  }
}

const FileSchema = z.object({
  format: z.literal('zab-viz scenario'),
  version: z.union([z.literal(1), z.literal(2)]),
  protocol: z.enum(['zab', '2pc', 'paxos']).optional(),
  zk: z.enum(ZK_RELEASES).optional(),
  paxos: z.object({ proposers: z.number().optional(), learners: z.number().optional(), mode: z.enum(['basic', 'multi']).optional(), timing: z.object({ backoffMax: z.number().optional() }).passthrough().optional() }).optional(),
  guide: z.string().max(40).optional(),
  pauses: z.array(z.object({ at: z.number(), caption: z.string(), question: z.object({ text: z.string(), choices: z.array(z.string()), answer: z.number(), why: z.string().optional(), revealAt: z.number().optional() }).optional() })).max(MAX_PAUSES).optional(),
  title: z.string().optional(),
  voters: z.number(),
  observers: z.number().optional(),
  seed: z.union([z.string(), z.number()]).optional(),
  actions: z.array(z.string().max(200)).max(10_000).optional(),
  time: z.number().optional(),
  network: z.object({ latencyMin: z.number(), latencyMax: z.number(), loss: z.number() }).optional(),
  disk: z.object({ latencyMin: z.number(), latencyMax: z.number() }).optional(),
  timing: z.record(z.string(), z.number()).optional(),
  ablations: z.record(z.string(), z.literal(true)).optional(),
});

/** A scenario file, within `limits` (the page's, when it imports one): the same checks as a link. */
export function importJson(text: string, limits: SizeLimits = CLI_LIMITS): Decoded {
  try {
    if (text.length > 1_000_000) return fail({ code: 'problem.tooLarge' });
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return fail({ code: 'problem.notJson' });
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || (raw as Record<string, unknown>).format !== 'zab-viz scenario') return fail({ code: 'problem.notScenario' });
    const f = FileSchema.safeParse(raw);
    if (!f.success) return fail(issueProblem(f.error.issues[0]!, raw));
    const d = f.data;
    // the same validation as a link: build its compact form and decode that
    const compact = {
      n: d.voters,
      ...(d.observers ? { o: d.observers } : {}),
      ...(d.seed !== undefined ? { s: d.seed } : {}),
      ...(d.actions?.length ? { a: d.actions.join(';') } : {}),
      ...(d.time !== undefined ? { t: d.time } : {}),
      ...(d.network ? { net: { min: d.network.latencyMin, max: d.network.latencyMax, loss: d.network.loss } } : {}),
      ...(d.disk ? { disk: { min: d.disk.latencyMin, max: d.disk.latencyMax } } : {}),
      ...(d.timing && Object.keys(d.timing).length ? { tick: d.timing } : {}),
      ...(d.protocol && d.protocol !== 'zab' ? { p: d.protocol } : {}),
      ...(d.zk ? { zk: d.zk } : {}),
      ...(d.protocol === 'paxos' ? { px: { pr: d.paxos?.proposers ?? 2, le: d.paxos?.learners ?? 1, m: d.paxos?.mode ?? 'basic', ...(d.paxos?.timing?.backoffMax ? { bo: d.paxos.timing.backoffMax } : {}) } } : {}),
      ...(d.guide !== undefined ? { g: d.guide } : {}),
      ...(d.pauses ? { pz: d.pauses.map((p) => ({ t: p.at, c: p.caption, ...(p.question ? { q: compactQuestion(p.question) } : {}) })) } : {}),
      ...(d.title !== undefined ? { tt: d.title } : {}),
      ...(d.ablations && Object.keys(d.ablations).length ? { ab: d.ablations } : {}),
    };
    return decodeScenario(`${VERSION}.${toBase64Url(JSON.stringify(compact))}`, limits);
  } catch {
    return fail({ code: 'problem.unreadable' });
  }
}
