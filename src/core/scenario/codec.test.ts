import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimedAction } from '../sim/actions';
import { encodeScenario, exportJson, MAX_CAPTION, MAX_TITLE } from './codec';
import { decodeScenario, importJson } from './decode';
import { defaultScenario, type OwnQuestion, type Scenario } from './scenario';
import { parseActions } from './actionText';
import { PAGE_LIMITS } from './query';

const decodeOk = (link: string): Scenario => {
  const d = decodeScenario(link);
  if (!d.ok) throw new Error(d.error);
  return d.scenario;
};
const b64url = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const arbScenario: fc.Arbitrary<Scenario> = fc.integer({ min: 1, max: 15 }).chain((voters) =>
  fc.integer({ min: 0, max: 30 }).chain((observers) => {
    const id = fc.integer({ min: 1, max: voters + observers });
    const at = fc.integer({ min: 0, max: 600_000 });
    const action: fc.Arbitrary<TimedAction> = fc.oneof(
      fc.record({ at, action: fc.record({ verb: fc.constantFrom('crash' as const, 'restart' as const, 'pause' as const, 'resume' as const, 'diskfail' as const, 'diskok' as const), id }) }),
      fc.record({ at, action: fc.record({ verb: fc.constant('write' as const), count: fc.integer({ min: 1, max: 100 }) }) }),
      fc.record({ at, action: fc.constant({ verb: 'heal' as const }) }),
      fc.record({ at, action: fc.record({ verb: fc.constant('partition' as const), groups: fc.uniqueArray(id, { minLength: 1, maxLength: 3 }).map((g) => [g]) }) }),
      fc.record({ at, action: fc.record({ verb: fc.constant('loss' as const), p: fc.integer({ min: 0, max: 100 }).map((x) => x / 100) }) }),
    );
    return fc.record({
      voters: fc.constant(voters),
      observers: fc.constant(observers),
      seed: fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/^\d+$/.test(s))),
      actions: fc.array(action, { maxLength: 20 }),
      latency: fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 })),
      tickTime: fc.option(fc.integer({ min: 100, max: 5000 }), { nil: undefined }),
    }).map(({ voters, observers, seed, actions, latency, tickTime }) =>
      defaultScenario({
        voters,
        observers,
        seed,
        actions,
        net: { latencyMin: Math.min(...latency), latencyMax: Math.max(...latency), loss: 0 },
        timing: tickTime === undefined ? {} : { tickTime },
      }),
    );
  }),
);

/** A person's own question: 2 to 4 choices, one of them right, any text (markup included). */
const arbQuestion: fc.Arbitrary<OwnQuestion> = fc
  .tuple(fc.string({ maxLength: 280 }), fc.array(fc.string({ maxLength: 60 }), { minLength: 2, maxLength: 4 }), fc.nat(), fc.option(fc.string({ maxLength: 280 }), { nil: undefined }), fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }))
  .map(([text, choices, a, why, revealAt]) => ({ text, choices, answer: a % choices.length, ...(why !== undefined ? { why } : {}), ...(revealAt !== undefined ? { revealAt } : {}) }));

/** Any protocol, with a person's captioned pause points and questions, and a title (any text, markup included). */
const arbAnyScenario: fc.Arbitrary<Scenario> = fc
  .tuple(
    arbScenario,
    fc.constantFrom('zab' as const, '2pc' as const, 'paxos' as const),
    fc.array(fc.record({ at: fc.integer({ min: 0, max: 600_000 }), text: fc.string({ maxLength: 80 }), ask: arbQuestion }, { requiredKeys: ['at', 'text'] }), { maxLength: 5 }),
    fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
    fc.record({ proposers: fc.integer({ min: 1, max: 5 }), learners: fc.integer({ min: 0, max: 5 }), mode: fc.constantFrom('basic' as const, 'multi' as const) }),
    // the default release (3.8.0) is written as no release at all
    fc.constantFrom(undefined, '3.8.5' as const, '3.9' as const),
  )
  .map(([sc, protocol, pauses, title, paxos, zk]) => {
    // a story's pause points are read back in time order, one at a moment
    const inOrder = pauses.filter((p, i) => pauses.findIndex((o) => o.at === p.at) === i).sort((a, b) => a.at - b.at);
    const out: Scenario = { ...sc, protocol, ...(inOrder.length ? { pauses: inOrder } : {}), ...(title !== undefined ? { title } : {}) };
    if (protocol === 'zab') return zk ? { ...out, zk } : out;
    // the generated actions name ids up to voters + observers: keep them all as nodes
    return { ...out, voters: Math.max(2, sc.voters + sc.observers), observers: 0, ...(protocol === 'paxos' ? { paxos } : {}) };
  });

describe('scenario links', () => {
  it('encode then decode is the identity for every protocol, with captions', () => {
    fc.assert(
      fc.property(arbAnyScenario, (sc) => {
        const d = decodeScenario(encodeScenario(sc, null));
        expect(d.ok && d.scenario).toEqual(sc);
      }),
      { numRuns: 500 },
    );
  });

  it('export then import is the identity for every protocol, with captions', () => {
    fc.assert(
      fc.property(arbAnyScenario, (sc) => {
        const d = importJson(exportJson(sc, 10));
        expect(d.ok && d.scenario).toEqual(sc);
      }),
      { numRuns: 200 },
    );
  });

  it('a link names its ZooKeeper release; one for another protocol, or an unknown release, is refused', () => {
    const d = decodeScenario(`v2.${b64url({ n: 3, zk: '3.9' })}`);
    expect(d.ok && d.scenario.zk).toBe('3.9');
    const other = decodeScenario(`v2.${b64url({ n: 3, p: '2pc', zk: '3.9' })}`);
    expect(!other.ok && other.problem.code).toBe('problem.releaseZabOnly');
    const unknown = decodeScenario(`v2.${b64url({ n: 3, zk: '4.0' })}`);
    expect(unknown.ok).toBe(false);
  });

  it('older links (format v1, ZAB only) keep opening', () => {
    // a link as the first published version wrote it: 5 voters, 1 observer, seed 7, at 4 s
    const d = decodeScenario('https://example.invalid/#s=v1.eyJuIjo1LCJvIjoxLCJzIjo3LCJhIjoiMTAwMCBjcmFzaCA1OzIwMDAgd3JpdGUgMiIsInQiOjQwMDB9');
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.time).toBe(4000);
    expect(d.scenario).toEqual(defaultScenario({ voters: 5, observers: 1, seed: 7, actions: parseActions('1000 crash 5; 2000 write 2') }));
    // v1 knew nothing of protocols: a v1 link claiming one is refused, not misread
    expect(decodeScenario(`v1.${b64url({ n: 3, p: '2pc' })}`).ok).toBe(false);
  });

  it('a guided scenario link names its preset; an unknown one is refused by name', () => {
    const d = decodeScenario(`v2.${b64url({ n: 3, g: 'first-election' })}`);
    expect(d.ok && d.scenario.guide).toBe('first-election');
    expect(d.ok && d.scenario.pauses?.[0]?.key).toBe('guide.first-election.0');
    const bad = decodeScenario(`v2.${b64url({ n: 3, g: 'no-such-story' })}`);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/no-such-story/);
  });

  it('encode then decode gives the same scenario and moment back', () => {
    fc.assert(
      fc.property(arbScenario, fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: null }), (sc, time) => {
        const d = decodeScenario(`https://example.invalid/zab-viz/#s=${encodeScenario(sc, time)}`);
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        expect(d.scenario).toEqual(sc);
        expect(d.time).toBe(time);
      }),
      { numRuns: 500 },
    );
  });

  it('a typical scenario with a dozen actions fits in a short link', () => {
    const text = Array.from({ length: 12 }, (_, i) => `${1000 * (i + 1)} ${['crash 3', 'restart 3', 'write 5', 'partition 1,2|3', 'heal'][i % 5]}`).join(';');
    const token = encodeScenario(defaultScenario({ voters: 5, observers: 1, seed: 42, actions: parseActions(text) }), 12_500);
    expect(token.length).toBeLessThan(300);
  });

  it('never throws, whatever the string: random text and mutated links', () => {
    const valid = encodeScenario(defaultScenario({ voters: 5, actions: [{ at: 10, action: { verb: 'crash', id: 2 } }] }), 5000);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.tuple(fc.integer({ min: 0, max: valid.length }), fc.string({ maxLength: 5 })).map(([i, s]) => `#s=${valid.slice(0, i)}${s}${valid.slice(i + 1)}`)), (s) => {
        const d = decodeScenario(s);
        if (!d.ok) expect(d.error).toMatch(/\w/);
      }),
      { numRuns: 10_000 },
    );
  });

  it.each([
    ['#s=v9.abc', 'a format this version does not know (v9'],
    ['#s=v1.!!!', 'not a zab-viz'],
    ['#s=v1.AAAA', 'damaged'],
    [`#s=v1.${b64url({ n: 999 })}`, '"voters" must be from 1 to 101; it is 999'],
    [`#s=v1.${b64url({ n: 3, a: '10 crash 9' })}`, 'no server 9'],
    [`#s=v1.${b64url({ n: 3, x: '<script>' })}`, 'a field this version does not know: "x"'],
    ['#s=v1.' + 'A'.repeat(20_000), 'too long'],
  ])('a bad link gets a message naming the problem (%#)', (link, msg) => {
    const d = decodeScenario(link);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toContain(msg);
  });
});

describe('scenario files', () => {
  it('export then import gives the same scenario and moment back', () => {
    fc.assert(
      fc.property(arbScenario, fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: null }), (sc, time) => {
        const d = importJson(exportJson(sc, time));
        expect(d.ok).toBe(true);
        if (d.ok) {
          expect(d.scenario).toEqual(sc);
          expect(d.time).toBe(time);
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['{', 'not JSON'],
    ['{"format":"other"}', 'not a zab-viz scenario'],
    ['{"format":"zab-viz scenario","version":1,"voters":500}', '"voters" must be from 1 to 101; it is 500'],
    ['{"format":"zab-viz scenario","version":1,"voters":3,"actions":["1 crash 8"]}', 'no server 8'],
  ])('a bad file gets a message naming the problem (%#)', (text, msg) => {
    const d = importJson(text);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toContain(msg);
  });

  it('a page imports within its own limits, the same as its dialog and its links', () => {
    const file = (patch: object) => JSON.stringify({ format: 'zab-viz scenario', version: 2, voters: 3, ...patch });
    // the CLI's limits let 101 voters through; the page's do not, and say so in the file's terms
    expect(importJson(file({ voters: 101 })).ok).toBe(true);
    const big = importJson(file({ voters: 101 }), PAGE_LIMITS);
    expect(!big.ok && big.problem).toEqual({ code: 'problem.range', args: { field: 'voters', min: 1, max: PAGE_LIMITS.voters, value: 101 } });
    expect(!big.ok && big.error).toBe(`"voters" must be from 1 to ${PAGE_LIMITS.voters}; it is 101`);
    expect(importJson(file({ observers: PAGE_LIMITS.observers + 1 }), PAGE_LIMITS).ok).toBe(false);
    expect(importJson(file({ protocol: 'paxos', paxos: { proposers: PAGE_LIMITS.proposers + 1 } }), PAGE_LIMITS).ok).toBe(false);
    expect(importJson(file({ voters: PAGE_LIMITS.voters, observers: PAGE_LIMITS.observers }), PAGE_LIMITS).ok).toBe(true);
    // a link too
    expect(decodeScenario(`v2.${b64url({ n: 101 })}`, PAGE_LIMITS).ok).toBe(false);
    expect(decodeScenario(`v2.${b64url({ n: 15 })}`, PAGE_LIMITS).ok).toBe(true);
  });

  it("a problem is in a person's words and names the field as the file does, never the validator's", () => {
    const file = (patch: object) => JSON.stringify({ format: 'zab-viz scenario', version: 2, voters: 3, ...patch });
    const words = (text: string) => {
      const d = importJson(text, PAGE_LIMITS);
      return d.ok ? null : d.error;
    };
    expect(words(file({ voters: 2.5 }))).toBe('"voters" must be a whole number');
    expect(words(file({ voters: 'three' }))).toBe('"voters" must be a number');
    expect(words(file({ network: { latencyMin: 10, latencyMax: 70_000, loss: 0 } }))).toBe('"network.latencyMax" must be at most 60000');
    expect(words(file({ timing: { tickTime: 5 } }))).toBe('"timing.tickTime" must be at least 100');
    expect(words(file({ pauses: [{ at: -1, caption: 'x' }] }))).toBe('"pauses.0.at" must be at least 0');
    // a person's own story: the limits of its title and questions, named as the file names them
    const q = (patch: object) => file({ pauses: [{ at: 0, caption: 'x', question: { text: 'Who?', choices: ['S1', 'S2'], answer: 0, ...patch } }] });
    expect(words(q({}))).toBeNull();
    expect(words(q({ answer: 2 }))).toBe('"pauses.0.question.answer" names a choice the question does not have');
    expect(words(q({ choices: ['only one'] }))).toBe('"pauses.0.question.choices" is not valid');
    expect(words(q({ choices: ['a', 'b', 'c', 'd', 'e'] }))).toBe('"pauses.0.question.choices" has too many entries (at most 4)');
    expect(words(q({ choices: ['a', 'b'.repeat(61)] }))).toBe('"pauses.0.question.choices.1" is too long (at most 60 characters)');
    expect(words(q({ why: 'w'.repeat(MAX_CAPTION + 1) }))).toBe(`"pauses.0.question.why" is too long (at most ${MAX_CAPTION} characters)`);
    expect(words(file({ title: 't'.repeat(MAX_TITLE + 1) }))).toBe(`"title" is too long (at most ${MAX_TITLE} characters)`);
    // one caption at a moment; captions out of order are put in order
    expect(words(file({ pauses: [{ at: 5, caption: 'a' }, { at: 5, caption: 'b' }] }))).toBe('"pauses.1.at" is 5 ms, the moment of another caption: a story has one caption at a moment');
    const shuffled = importJson(file({ pauses: [{ at: 9, caption: 'late' }, { at: 2, caption: 'early' }] }));
    expect(shuffled.ok && shuffled.scenario.pauses?.map((p) => p.text)).toEqual(['early', 'late']);
    // a guided story with every caption removed keeps none, in a file as in a link
    const bare = { ...decodeOk(`v2.${b64url({ n: 3, g: 'sync-diff' })}`), pauses: [] };
    expect(importJson(exportJson(bare)).ok && (importJson(exportJson(bare)) as { scenario: Scenario }).scenario.pauses).toEqual([]);
    expect(decodeOk(encodeScenario(bare)).pauses).toEqual([]);
    expect(words(file({ pauses: Array.from({ length: 51 }, (_, i) => ({ at: i, caption: 'x' })) }))).toBe('"pauses" has too many entries (at most 50)');
    expect(words('{"format":"something else"}')).toBe('it is not a zab-viz scenario file (its "format" must be "zab-viz scenario")');
    expect(words(JSON.stringify({ format: 'zab-viz scenario', version: 2 }))).toBe('"voters" is missing');
    const validator = /expected|received|Too (big|small)|Invalid input|Unrecognized/i;
    fc.assert(
      fc.property(
        fc.record({ voters: fc.oneof(fc.integer({ min: -5, max: 500 }), fc.double(), fc.string()), observers: fc.option(fc.oneof(fc.integer({ min: -5, max: 500 }), fc.string()), { nil: undefined }), seed: fc.option(fc.oneof(fc.string(), fc.integer()), { nil: undefined }), time: fc.option(fc.oneof(fc.integer(), fc.string()), { nil: undefined }), network: fc.option(fc.object(), { nil: undefined }), timing: fc.option(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string())), { nil: undefined }) }),
        (patch) => {
          const e = words(file(patch));
          if (e !== null) expect(e).not.toMatch(validator);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.json()), (s) => {
        expect(() => importJson(s)).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });
});

describe('ZAB ablations in links and files', () => {
  const all = { liveQuorum: true, noEpochFencing: true, commitEarly: true, noTrunc: true, voteByMyid: true, noFinalizeWait: true };

  it('each switch, and all of them, survive a link and a file, under short keys', () => {
    for (const zab of [...Object.keys(all).map((k) => ({ [k]: true })), all]) {
      const sc = defaultScenario({ voters: 5, ablations: { zab } });
      const link = decodeScenario(encodeScenario(sc));
      expect(link.ok && link.scenario).toEqual(sc);
      const file = importJson(exportJson(sc));
      expect(file.ok && file.scenario).toEqual(sc);
    }
    const token = encodeScenario(defaultScenario({ ablations: { zab: all } }));
    const json = JSON.parse(atob(token.slice(3).replace(/-/g, '+').replace(/_/g, '/'))) as { ab: Record<string, true> };
    expect(Object.keys(json.ab).sort()).toEqual(['ce', 'lq', 'nf', 'nt', 'nw', 'vm']);
  });

  it('an unknown switch in a link is refused', () => {
    const d = decodeScenario(`v2.${b64url({ n: 3, ab: { xx: true } })}`);
    expect(d.ok).toBe(false);
  });
});
