import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActionSyntaxError, formatAction, parseActions } from './actionText';
import { scenarioFromQuery } from './query';

describe('the action language', () => {
  it('parses every verb', () => {
    const a = parseActions('0 crash 2; 100 restart 2 ; 200 partition 1,2|3; 300 heal; 400 write 5; 500 diskfail 1; 600 diskok 1; 700 loss 0.1; 800 latency 5 50; 900 drop 17');
    expect(a.map((x) => x.action.verb)).toEqual(['crash', 'restart', 'partition', 'heal', 'write', 'diskfail', 'diskok', 'loss', 'latency', 'drop']);
    expect(a[2]!.action).toEqual({ verb: 'partition', groups: [[1, 2], [3]] });
  });

  it.each([
    ['crash', 'TIME_MS'],
    ['10 explode 3', 'unknown verb'],
    ['10 crash', 'takes 1 argument'],
    ['10 crash 9', 'no server 9'],
    ['10 partition 1,2|2', 'two groups'],
    ['10 loss 2', 'P must be'],
    ['-5 heal', 'TIME_MS'],
    ['1.5 heal', 'whole number'],
  ])('rejects %s with a message naming the problem', (text, msg) => {
    expect(() => parseActions(text, new Set([1, 2, 3]))).toThrow(ActionSyntaxError);
    expect(() => parseActions(text, new Set([1, 2, 3]))).toThrow(msg);
  });

  it('format and parse round-trip', () => {
    const text = '0 crash 2; 200 partition 1,2|3; 300 heal; 700 loss 0.25; 800 latency 5 50';
    expect(parseActions(parseActions(text).map(formatAction).join('; '))).toEqual(parseActions(text));
  });

  it('reads what ZooKeeper clients do, and writes it back as it read it', () => {
    const text = '0 client 1 connect 1,2,3 6000; 10 create 1 /a/b-1 x.y ephemeral; 20 create 2 /e ephemeral; 30 create 2 /p; 40 set 1 /a v2; 50 delete c1 /a; 60 read 1 /a; 70 sync 1; 80 close 1; 90 partition 1,2|3,c1; 100 crash c2';
    const a = parseActions(text, new Set([1, 2, 3]));
    expect(a[0]!.action).toEqual({ verb: 'client', client: 1, cmd: { op: 'connect', servers: [1, 2, 3], timeout: 6000 } });
    expect(a[1]!.action).toEqual({ verb: 'client', client: 1, cmd: { op: 'create', path: '/a/b-1', data: 'x.y', ephemeral: true } });
    expect(a[2]!.action).toEqual({ verb: 'client', client: 2, cmd: { op: 'create', path: '/e', data: '', ephemeral: true } });
    expect(a[9]!.action).toEqual({ verb: 'partition', groups: [[1, 2], [3, 1001]] });
    expect(a.map(formatAction).join('; ')).toBe(text.replace('delete c1', 'delete 1'));
  });

  it.each([
    ['10 client 1 connect 9', 'no server 9'],
    ['10 client 1 connect c2', 'not to a client'],
    ['10 client 0 connect 1', 'client number'],
    ['10 create 1 a', 'a path is'],
    ['10 create 1 /a <b>x</b> y', 'expected "create'],
    ['10 set 1 /a', 'takes 3 arguments'],
    ['10 read 1 /' + 'x'.repeat(40), 'a path is'],
  ])('rejects the client step %s, saying why', (text, msg) => {
    expect(() => parseActions(text, new Set([1, 2, 3]))).toThrow(msg);
  });

  it('never throws anything but ActionSyntaxError, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        try {
          parseActions(s, new Set([1, 2, 3]));
        } catch (e) {
          expect(e).toBeInstanceOf(ActionSyntaxError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('scenario from a page link', () => {
  it('reads voters, observers, seed, actions and until', () => {
    const r = scenarioFromQuery('?voters=5&observers=1&seed=9&actions=100%20crash%205&until=4000');
    expect(r.error).toBeNull();
    expect(r.scenario).toMatchObject({ voters: 5, observers: 1, seed: 9 });
    expect(r.scenario.actions).toHaveLength(1);
    expect(r.runTo).toBe(4000);
  });

  it.each(['?voters=999', '?voters=abc', '?actions=1%20crash%2042', '?until=-1', '?seed=' + 'x'.repeat(100), '?' + 'a'.repeat(10_000)])(
    'a bad link (%s) falls back to the default scenario with a message',
    (q) => {
      const r = scenarioFromQuery(q);
      expect(r.error).toMatch(/\w/);
      expect(r.scenario.voters).toBe(3);
      expect(r.scenario.actions).toEqual([]);
    },
  );

  it('never throws, whatever the link', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = scenarioFromQuery(s);
        expect(r.scenario.voters).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });
});
