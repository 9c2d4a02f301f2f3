import { describe, expect, it } from 'vitest';
import { parseActions } from '../core/scenario/actionText';
import { defaultScenario } from '../core/scenario/scenario';
import { buildRun, runTo, zabSim } from '../core/scenario/run';
import { encodeScenario, MAX_CAPTION } from '../core/scenario/codec';
import { decodeScenario } from '../core/scenario/decode';
import { presetById, presetScenario } from '../core/scenario/presets';
import { Engine } from './engine';

function engine(actions = '', voters = 3) {
  const e = new Engine(defaultScenario({ voters, actions: parseActions(actions) }));
  return e;
}

/** Play for `ms` of simulated time, frame by frame. */
function play(e: Engine, ms: number) {
  e.command({ type: 'play' });
  e.command({ type: 'speed', value: 1000 });
  for (let t = 0; t < ms && e.playing; t += 50) e.frame(50);
}

describe('time travel', () => {
  it('stepping back returns to exactly the state of the previous event', () => {
    const e = engine('1000 write 3');
    const hashes: string[] = [];
    for (let i = 0; i < 300; i++) {
      hashes.push(e.run.sim.traceHash());
      e.command({ type: 'step' });
    }
    for (let i = 299; i >= 250; i--) {
      e.command({ type: 'back' });
      expect(e.run.sim.st.step).toBe(i);
      expect(e.run.sim.traceHash()).toBe(hashes[i]);
    }
  });

  it('scrubbing back and replaying forward reproduces the same run', () => {
    const e = engine('2000 write 5; 5000 crash 3; 8000 write 2');
    play(e, 12_000);
    const end = { hash: e.run.sim.traceHash(), step: e.run.sim.st.step };
    e.command({ type: 'seek', time: 3000 });
    expect(e.run.sim.now).toBe(3000);
    expect(e.run.sim.st.step).toBeLessThan(end.step);
    e.command({ type: 'seek', time: 1000 });
    e.command({ type: 'seek', time: e.maxTime });
    expect(e.run.sim.st.step).toBe(end.step);
    expect(e.run.sim.traceHash()).toBe(end.hash);
  });

  it('scrubbing back and forward again lands on the same run when servers start down (crashed at 0 s), whatever else is listed at 0 s', () => {
    for (const script of ['0 crash 3; 0 crash 4; 2000 write 2; 4000 restart 3', '0 diskfail 1; 0 crash 2; 0 loss 0.2; 3000 restart 2; 5000 write 1']) {
      const e = new Engine(defaultScenario({ voters: 5, seed: 4, actions: parseActions(script) }));
      play(e, 10_000);
      const end = { hash: e.run.sim.traceHash(), step: e.run.sim.st.step };
      for (const t of [20, 0, 3500]) {
        e.command({ type: 'seek', time: t });
        e.command({ type: 'seek', time: e.maxTime });
        expect(e.run.sim.st.step, script).toBe(end.step);
        expect(e.run.sim.traceHash(), script).toBe(end.hash);
      }
    }
    // and a guided story that starts with servers down (it was the one this broke)
    const g = new Engine(presetScenario(presetById('configured-quorum')!));
    play(g, 20_000);
    const hash = g.run.sim.traceHash();
    g.command({ type: 'seek', time: 20 });
    g.command({ type: 'seek', time: g.maxTime });
    expect(g.run.sim.traceHash()).toBe(hash);
  });

  it('acting in the past forks the future: later scripted actions are dropped', () => {
    const e = engine('6000 crash 3');
    play(e, 10_000);
    expect(e.run.sim.node(3).up).toBe(false);
    e.command({ type: 'seek', time: 4000 });
    e.command({ type: 'action', action: { verb: 'write', count: 1 } });
    expect(e.scenario.actions.map((a) => a.action.verb)).toEqual(['write']);
    expect(e.maxTime).toBeLessThan(4100);
    play(e, 6000);
    expect(e.run.sim.node(3).up).toBe(true);
  });

  it('keeps history bounded on a long run', () => {
    const e = engine('1000 rate 200', 5);
    play(e, 60_000);
    const snap = e.snapshot();
    expect(snap.checkpoints).toBeLessThanOrEqual(200);
    expect(snap.maxStep).toBeGreaterThan(100_000);
    e.command({ type: 'seek', time: 1000 });
    expect(e.run.sim.now).toBe(1000);
  }, 60_000);
});

describe('breakpoints', () => {
  it('pauses when a leader is established, and again on a new epoch', () => {
    const e = engine('5000 crash 3');
    e.command({ type: 'breakpoints', breakpoints: { leaderChange: true, newEpoch: false, violation: true } });
    play(e, 20_000);
    expect(e.playing).toBe(false);
    expect(e.pausedBy).toBe('leaderChange');
    expect(zabSim(e.run).node(3).state!.state).toBe('LEADING');
    e.command({ type: 'breakpoints', breakpoints: { leaderChange: false, newEpoch: true, violation: true } });
    play(e, 20_000);
    expect(e.pausedBy).toBe('newEpoch');
    expect(e.run.sim.now).toBeGreaterThan(5000);
    expect(zabSim(e.run).node(2).state!.state).toBe('LEADING');
  });
});

describe('playing quiet stretches', () => {
  /** Frames of 50 ms at 0.06× real time (the page's default) until `frames` have passed. */
  const slow = (e: Engine, frames: number) => {
    e.command({ type: 'play' });
    e.command({ type: 'speed', value: 60 });
    for (let i = 0; i < frames && e.playing; i++) e.frame(50);
  };

  it('skips a wait with nothing on the wire to shortly before its next event, and never skips a message in flight', () => {
    // S3 leads, then is cut off at 2 s: only timers run until syncLimit expires
    const e = engine('2000 partition 3|1,2');
    e.advanceTo(2100);
    slow(e, 100); // 5 s of wall time: 0.3 s simulated without skipping
    expect(e.run.sim.now).toBeGreaterThan(5000);
    // a message on the wire: time runs at the chosen speed only
    const f = engine();
    slow(f, 10);
    expect(f.run.sim.now).toBeLessThanOrEqual(30);
  });

  it('switched off, plays every stretch at the chosen speed', () => {
    const e = engine('2000 partition 3|1,2');
    e.advanceTo(2100);
    e.command({ type: 'skipQuiet', on: false });
    slow(e, 100);
    expect(e.run.sim.now).toBeLessThanOrEqual(2100 + 0.06 * 5000 + 1);
  });
});

describe('a rule switched off', () => {
  it('stops a run at the first violation; a guided story of the same rule stops at its captions instead', () => {
    const story = presetScenario(presetById('ablation-commit-early')!);
    // the same run, not guided: the violation breakpoint (on by default) stops it where Durability breaks
    const plain = new Engine({ ...story, guide: undefined, pauses: [] });
    plain.command({ type: 'speed', value: 1e6 });
    plain.command({ type: 'play' });
    for (let i = 0; i < 100 && plain.playing; i++) plain.frame(100);
    expect(plain.pausedBy).toBe('violation');
    expect(plain.run.checker.violations[0]?.invariant).toBe('Durability');
    // guided: it plays past the violations to its pause points
    const guided = new Engine(story);
    guided.command({ type: 'speed', value: 1e6 });
    for (let n = 1; n < (story.pauses ?? []).length; n++) {
      guided.command({ type: 'play' });
      for (let i = 0; i < 200 && guided.playing; i++) guided.frame(100);
      expect(guided.pausedBy).toBe('caption');
    }
    expect(guided.run.checker.violations.length).toBeGreaterThan(0);
  });
});

describe('time travel keeps what a person did', () => {
  it('a crash clicked by hand survives stepping back, scrubbing back and forward again', () => {
    const e = engine('1000 write 1');
    play(e, 3000);
    e.command({ type: 'action', action: { verb: 'crash', id: 3 } });
    play(e, 20_000);
    const end = { step: e.run.sim.st.step, hash: e.run.sim.traceHash() };
    expect(e.run.sim.node(3).up).toBe(false);
    e.command({ type: 'back' });
    expect(e.run.sim.st.step).toBe(end.step - 1);
    expect(e.run.sim.node(3).up).toBe(false);
    e.command({ type: 'seek', time: 1500 });
    expect(e.run.sim.node(3).up).toBe(true);
    e.command({ type: 'seek', time: e.maxTime });
    expect(e.run.sim.node(3).up).toBe(false);
    expect(e.run.sim.traceHash()).toBe(end.hash);
    // and the replay leaves an event log behind it
    expect(e.snapshot().events.length).toBeGreaterThan(0);
  });
});

describe('pause points', () => {
  it('playing stops exactly at each pause point, however fast, and the snapshot carries its caption', () => {
    const e = new Engine(presetScenario(presetById('leader-crash')!));
    const seen: number[] = [];
    for (let k = 0; k < 10; k++) {
      e.command({ type: 'play' });
      e.command({ type: 'speed', value: 1e6 });
      for (let i = 0; i < 100 && e.playing; i++) e.frame(50);
      const c = e.snapshot().caption;
      if (!c || c.last) break;
      seen.push(e.run.sim.now);
      expect(e.pausedBy).toBe('caption');
      expect(c.key).toBe(`guide.leader-crash.${c.n}`);
    }
    expect(seen).toEqual([1200, 3040, 3600, 6200]);
    expect(e.snapshot().caption).toMatchObject({ n: 5, last: true, at: 9400 });
  });

  it('a story written in the page: its captions in time order, within a link’s limits, stop the run; the run itself is unchanged', () => {
    const e = new Engine(defaultScenario());
    const plain = new Engine(defaultScenario());
    const long = 'é'.repeat(MAX_CAPTION + 50);
    e.command({ type: 'setStory', title: '  Mine  ', pauses: [{ at: 300.7, text: long }, { at: 0, text: 'start', ask: { text: 'who?', choices: ['S1', 'S3'], answer: 1 } }, ...Array.from({ length: 60 }, (_, i) => ({ at: 1000 + i, text: 'x' }))] });
    const story = e.story();
    expect(story.title).toBe('Mine');
    expect(story.pauses.length).toBe(50);
    expect(story.pauses.slice(0, 2)).toEqual([{ at: 0, text: 'start', ask: { text: 'who?', choices: ['S1', 'S3'], answer: 1 } }, { at: 300, text: 'é'.repeat(MAX_CAPTION) }]);
    e.command({ type: 'play' });
    e.command({ type: 'speed', value: 1e6 });
    for (let i = 0; i < 100 && e.playing; i++) e.frame(50);
    expect(e.run.sim.now).toBe(300);
    expect(e.snapshot().caption).toMatchObject({ n: 1, text: 'é'.repeat(MAX_CAPTION), at: 300 });
    // where playing stops is all that changed: the same events as a run without the story
    runTo(plain.run, 300);
    expect(e.run.sim.st.step).toBe(plain.run.sim.st.step);
    // a blank title is none; no pause points is a story with none
    e.command({ type: 'setStory', title: ' ', pauses: [] });
    expect(e.story()).toEqual({ id: 1, guide: null, pauses: [] });
  });

  it('after a jump back the caption is that of the moment shown', () => {
    const e = new Engine(presetScenario(presetById('leader-crash')!));
    e.command({ type: 'play' });
    e.command({ type: 'speed', value: 1e6 });
    for (let k = 0; k < 5; k++) {
      e.command({ type: 'play' });
      for (let i = 0; i < 100 && e.playing; i++) e.frame(50);
    }
    e.command({ type: 'seek', time: 3100 });
    expect(e.snapshot().caption).toMatchObject({ n: 2, at: 3040, next: 3600 });
  });
});

describe('a shared moment', () => {
  it('replays to the same event even when several events share its millisecond', () => {
    const sc = defaultScenario({ protocol: '2pc', voters: 4, actions: parseActions('1000 write 1') });
    const a = new Engine(sc);
    // step until two consecutive events fall in the same millisecond, and stop between them
    let found = false;
    for (let i = 0; i < 400 && !found; i++) {
      a.command({ type: 'step' });
      found = a.run.sim.nextEventTime() === a.run.sim.now && a.run.sim.now > 1000;
    }
    expect(found).toBe(true);
    const token = encodeScenario(a.scenario, a.run.sim.now, a.run.sim.st.step);
    const d = decodeScenario(token);
    if (!d.ok) throw new Error(d.error);
    const b = new Engine(d.scenario);
    b.load(d.scenario, d.time!, d.step!);
    for (let i = 0; i < 100 && b.runTo !== null; i++) b.frame(16);
    expect(b.run.sim.st.step).toBe(a.run.sim.st.step);
    expect(b.run.sim.traceHash()).toBe(a.run.sim.traceHash());
    // the CLI's path: runTo with the event count
    const r = buildRun(d.scenario);
    runTo(r, d.time!, d.step!);
    expect(r.sim.traceHash()).toBe(a.run.sim.traceHash());
  });
});

describe('what a snapshot says of each server', () => {
  it('every server its face and the ensemble its ring and links; the inspected one alone its whole view', () => {
    const e = new Engine(defaultScenario({ voters: 3, observers: 1, actions: parseActions('1000 write 2') }));
    e.load(e.scenario, 3000);
    for (let i = 0; i < 100 && e.runTo !== null; i++) e.frame(16);
    let s = e.snapshot();
    expect(s.ensemble).toEqual({ ring: [1, 2, 3], links: [[1, 2], [1, 3], [2, 3], [3, 4]] });
    for (const n of s.nodes) {
      if (!n.up) throw new Error(`S${n.id} should be up`);
      expect(n.face.hue).toBe(n.id === 3 ? 'green' : n.id === 4 ? 'violet' : 'blue');
      expect(n).not.toHaveProperty('view'); // not inspected: snapshots stay small
    }
    e.command({ type: 'focus', id: 2 });
    s = e.snapshot();
    const two = s.nodes.find((n) => n.id === 2)!;
    expect(two.up && two.view).toMatchObject({ id: 2, state: 'FOLLOWING', zabState: 'BROADCAST', lastZxid: 2 ** 32 + 2 });
    expect(s.nodes.filter((n) => n.up && n.view)).toHaveLength(1);
  });
});

describe("a down server's disk", () => {
  it('comes with the inspected server once it is down: epochs, log and snapshot, as a restart reads them', () => {
    const e = new Engine(defaultScenario({ voters: 3, actions: parseActions('1000 write 3; 2000 crash 1') }));
    e.load(e.scenario, 2500);
    for (let i = 0; i < 100 && e.runTo !== null; i++) e.frame(16);
    const down = () => e.snapshot().nodes.find((n) => n.id === 1)!;
    expect(down()).toMatchObject({ up: false, state: 'DOWN' });
    expect(down()).not.toHaveProperty('disk'); // not inspected: snapshots stay small
    e.command({ type: 'focus', id: 1 });
    const n = down();
    if (n.up) throw new Error('S1 should be down');
    expect(n.disk).toEqual({ kind: 'zab', acceptedEpoch: 1, currentEpoch: 1, logLength: 3, logTail: [2 ** 32 + 1, 2 ** 32 + 2, 2 ** 32 + 3], snapshot: null });
  });

  it("another protocol's down node shows its durable fields", () => {
    const e = new Engine(defaultScenario({ protocol: '2pc', voters: 3, actions: parseActions('1000 write 1; 2000 crash 2') }));
    e.load(e.scenario, 2500);
    for (let i = 0; i < 100 && e.runTo !== null; i++) e.frame(16);
    e.command({ type: 'focus', id: 2 });
    const n = e.snapshot().nodes.find((x) => x.id === 2)!;
    expect(n.up).toBe(false);
    expect(!n.up && n.disk?.kind).toBe('generic');
  });
});
