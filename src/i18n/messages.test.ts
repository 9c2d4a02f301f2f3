import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESETS, presetScenario } from '../core/scenario/presets';
import { parseActions } from '../core/scenario/actionText';
import { defaultScenario } from '../core/scenario/scenario';
import { buildRun, runTo } from '../core/scenario/run';
import { catalogue, isMessageKey, loadStories, storiesLoaded, translate } from './messages';
import { storyMessages } from './stories';

describe('the message catalogue', () => {
  it('has every key in English and Chinese, with the same placeholders, the stories too once loaded', async () => {
    const check = () => {
      for (const key of Object.keys(catalogue.en) as (keyof typeof catalogue.en)[]) {
        const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(catalogue.zh[key], key).toBeTruthy();
        expect(vars(catalogue.zh[key]!), key).toEqual(vars(catalogue.en[key]!));
      }
    };
    check();
    const story = 'guide.first-election.title';
    if (!storiesLoaded()) {
      expect(isMessageKey(story)).toBe(false);
      expect(translate('en', story)).toBe(''); // not yet loaded: nothing, never the key
    }
    await Promise.all([loadStories(), loadStories()]);
    expect(storiesLoaded()).toBe(true);
    expect(translate('zh', story)).toBe(storyMessages.zh[story]);
    expect(Object.keys(storyMessages.zh).sort()).toEqual(Object.keys(storyMessages.en).sort());
    check();
  });

  it('words every broken invariant the checkers can report, and the page says it as the English text does', () => {
    const codes = new Set<string>();
    for (const f of ['zk', 'twopc', 'paxos']) {
      const src = readFileSync(`src/core/${f}/checker.ts`, 'utf8');
      for (const m of src.matchAll(/say\('(\w+)'/g)) codes.add(m[1]!);
      // Paxos words a learner's and a decider's check alike: `${how}Unchosen`, `${how}Other`
      for (const m of src.matchAll(/say\(`\$\{how\}(\w+)`/g)) for (const how of ['decided', 'learned']) codes.add(how + m[1]!);
    }
    expect(codes.size).toBeGreaterThan(15);
    for (const c of codes) expect(isMessageKey(`inv.${c}`), c).toBe(true);
    // a real violation: its code and arguments say in English what its message says
    // every violation of the stories that break something: its code and arguments say in English what its message says
    let seen = 0;
    for (const p of PRESETS.filter((x) => x.ablations || x.bug)) {
      const r = buildRun(presetScenario(p));
      runTo(r, p.until);
      for (const v of r.checker.violations) {
        seen++;
        expect(translate('en', `inv.${v.code}` as never, v.args), p.id).toBe(v.message);
        expect(translate('zh', `inv.${v.code}` as never, v.args), p.id).not.toBe(v.message);
      }
    }
    expect(seen).toBeGreaterThan(5);
  });

  it('names every event and reason the core emits, under faults of every kind', () => {
    const scripts = [
      '0 crash 2; 1000 restart 2; 2000 write 3; 2500 partition 1|2,3,4; 3000 write 2; 9000 heal; 9500 diskfail 3; 9600 write 1; 12000 diskok 3; 13000 crash 3; 14000 loss 0.3; 15000 latency 5 80; 16000 drop 99999; 17000 crash 9; 18000 loss 0; 19000 restart 3; 25000 write 2',
      '0 diskfail 4; 3000 crash 4; 3000 crash 3; 3500 restart 3; 3600 restart 3; 4000 partition 1,2|3,4|5; 5000 flag 2 voteNo; 6000 unflag 2 voteNo; 7000 pause 1; 7000 resume 5; 7500 pause 9; 9000 write 2; 20000 resume 1',
    ];
    const codes = new Set<string>();
    const reasons = new Set<string>();
    for (const [i, text] of scripts.entries()) {
      const r = buildRun(defaultScenario({ voters: 4, observers: 1, seed: i, timing: { initialZxidCounter: 0xfffffffd }, actions: parseActions(text) }));
      r.sim.records = [];
      runTo(r, 60_000);
      for (const x of r.sim.records) {
        codes.add(x.code);
        if (x.code === 'goesLooking') reasons.add(String(x.args.reason));
      }
    }
    expect(codes.size).toBeGreaterThan(25);
    for (const c of codes) expect(isMessageKey(`ev.${c}`), `ev.${c}`).toBe(true);
    for (const c of reasons) expect(isMessageKey(`reason.${c}`), `reason.${c}`).toBe(true);
  });

  it('says "1 event", not "1 events": a count of one takes the singular form, in every message that has one', () => {
    expect(translate('en', 'noEventsShown', { n: 1 })).toMatch(/^1 event so far/);
    expect(translate('en', 'noEventsShown', { n: 2 })).toMatch(/^2 events so far/);
    expect(translate('en', 'inFlight', { n: 1 })).toBe('1 message in flight');
    expect(translate('en', 'ev.syncs', { sid: 1, mode: 'DIFF', n: 1 })).toBe('syncs 1 by DIFF (+1 txn)');
    expect(translate('zh', 'noEventsShown', { n: 1 })).toMatch(/^到目前为止有 1 个事件/);
    // every singular form belongs to a message with a count
    for (const key of Object.keys(catalogue.en).filter((k) => k.endsWith('.one'))) {
      const plural = key.slice(0, -4);
      expect(isMessageKey(plural), key).toBe(true);
      expect(catalogue.en[plural as keyof typeof catalogue.en], key).toContain('{n}');
    }
  });

  it('the Chinese interface has no English left but protocol terms (and the name of the other language)', async () => {
    await loadStories();
    // ZooKeeper's, the protocols' and the files' own names, as a Chinese reader meets them in its documentation,
    // and the names printed on a keyboard's keys
    const terms = new Set(
      'Tab Enter Home End Esc Shift zab-viz ZooKeeper Debian Paxos Basic Multi-Paxos Notification Learner English zxid epoch myid sid ballot learner acceptor proposer tick ms log snapshot dataDir version- logicalclock recvset outofelection gz mntr Agreement Validity Durability true presumed abort sync SyncConnected Disconnected'.split(' '),
    );
    const english: string[] = [];
    for (const [key, text] of Object.entries(catalogue.zh)) {
      // placeholders, quoted file fields and log lines, hex, dotted names (Leader.waitForEpochAck), identifiers (acceptedEpoch, PrefixConsistency, LOOKING) are names
      const words = text
          .replace(/\{\w+\}/g, ' ')
          .replace(/“[^”]*”|"[^"]*"/g, ' ')
          .replace(/0x[0-9a-f]+|\w+(\.\w+)+/g, ' ').match(/[A-Za-z][A-Za-z-]*/g) ?? [];
      for (const w of words) if (w.length > 1 && !terms.has(w) && !/^[A-Z0-9_-]+$/.test(w) && !/[a-z][A-Z]/.test(w) && !/^[A-Z][a-z]+[A-Z]/.test(w)) english.push(`${key}: ${w}`);
    }
    expect(english).toEqual([]);
  });
});
