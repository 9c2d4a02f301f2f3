/**
 * Conformance: the same steps on a real ZooKeeper 3.8 ensemble and on the simulator must agree
 * on who leads, who follows or observes, who is LOOKING or paused, the epochs on disk, each
 * server's zxid and the sync (DIFF, TRUNC or SNAP) each learner last received, as its own log
 * says (Learner.syncWithLeader). ZabRun with `npm run test:conformance` (installs Debian's zookeeper when absent).
 *
 * Steps are taken one at a time; after each, the real ensemble is given up to 45 s to reach the
 * state the simulator predicts. A client session is itself two txns (createSession and
 * closeSession), so `write k` on the real side is one zkCli session with k creates and k + 2
 * writes on the simulated side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseActions } from '../src/core/scenario/actionText';
import { defaultScenario } from '../src/core/scenario/scenario';
import { buildZabRun, runTo } from '../src/core/scenario/run';
import type { ZkTiming } from '../src/core/zk/config';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureZooKeeper, RealEnsemble, sleep } from '../src/lab/ensemble';

type Step = { do: 'start' | 'kill' | 'pause' | 'resume'; id: number } | { do: 'write'; count: number };

interface Observed {
  id: number;
  up: boolean;
  state: string;
  acceptedEpoch: number | null;
  currentEpoch: number | null;
  zxid: string | null;
  /** the sync this server last received from a leader in its current life */
  sync: 'DIFF' | 'TRUNC' | 'SNAP' | null;
}

const STEP_MS = 20_000;

/** What the simulator says after the first `k` steps. */
function simulate(voters: number, observers: number, steps: Step[], timing: Partial<ZkTiming> = {}): Observed[] {
  const n = voters + observers;
  const text: string[] = Array.from({ length: n }, (_, i) => `0 crash ${i + 1}`);
  steps.forEach((s, k) => {
    const t = 1000 + k * STEP_MS;
    if (s.do === 'start') text.push(`${t} restart ${s.id}`);
    else if (s.do === 'kill') text.push(`${t} crash ${s.id}`);
    else if (s.do === 'pause') text.push(`${t} pause ${s.id}`);
    else if (s.do === 'resume') text.push(`${t} resume ${s.id}`);
    else if (s.do === 'write') text.push(`${t} write ${s.count + 2}`);
  });
  const r = buildZabRun(defaultScenario({ voters, observers, timing, actions: parseActions(text.join(';')) }));
  runTo(r, 1000 + steps.length * STEP_MS);
  expect(r.checker.violations).toEqual([]);
  return r.sim.nodeIds().map((id) => {
    const node = r.sim.node(id);
    const s = node.up ? node.state : null;
    const d = node.durable as { acceptedEpoch?: number; currentEpoch?: number };
    const paused = node.up && node.paused;
    return {
      id,
      up: node.up,
      state: !s ? 'DOWN' : paused ? 'PAUSED' : s.state,
      acceptedEpoch: s ? s.acceptedEpoch : (d.acceptedEpoch ?? null),
      currentEpoch: s ? s.currentEpoch : (d.currentEpoch ?? null),
      zxid: s && !paused && s.state !== 'LOOKING' ? '0x' + s.lastZxid.toString(16) : null,
      sync: s?.lastSync?.mode ?? null,
    };
  });
}

const MODE: Record<string, string> = { leader: 'LEADING', follower: 'FOLLOWING', observer: 'OBSERVING' };

async function observe(ens: RealEnsemble): Promise<Observed[]> {
  const out: Observed[] = [];
  for (let id = 1; id <= ens.voters + ens.observers; id++) {
    const up = ens.up(id);
    const paused = ens.paused(id);
    const e = ens.epochs(id);
    // a stopped JVM answers nothing (the kernel accepts the connection, no one reads it)
    const s = up && !paused ? await ens.srvr(id) : null;
    out.push({
      id,
      up,
      state: !up ? 'DOWN' : paused ? 'PAUSED' : s?.mode ? (MODE[s.mode] ?? s.mode) : 'LOOKING',
      acceptedEpoch: e.acceptedEpoch,
      currentEpoch: e.currentEpoch,
      zxid: s?.mode && s.zxid !== null ? '0x' + s.zxid.toString(16) : null,
      sync: up ? ens.lastSync(id) : null,
    });
  }
  return out;
}

async function until(ens: RealEnsemble, expected: Observed[], ms: number): Promise<Observed[]> {
  const end = Date.now() + ms;
  let seen = await observe(ens);
  while (Date.now() < end && JSON.stringify(seen) !== JSON.stringify(expected)) {
    await sleep(500);
    seen = await observe(ens);
  }
  return seen;
}

const skip = ensureZooKeeper();
// Below Linux's ephemeral range (32768–60999 by default): a port in that range can be taken by any
// outgoing connection (a probe, zkCli, a server dialling a peer) just before a server binds it, and
// a leader that cannot bind its quorum port goes back to LOOKING (the likely cause of a CI run in
// which two restarted servers sat LOOKING for 45 s).
let port = 11000;

/**
 * ZABVIZ_KEEP_LOGS=DIR keeps, for each scenario that passes, its servers' logs and what the suite
 * saw after each step (the real side, through the four-letter words and the epoch files) in
 * DIR/<layout>/<scenario>/: test data for the log reader (issue 20).
 */
const KEEP = process.env.ZABVIZ_KEEP_LOGS;
const LAYOUT = process.env.ZABVIZ_LOG_LAYOUT === 'default' ? 'default' : 'debian';

async function conform(voters: number, observers: number, steps: Step[], timing: { snapCount?: number } = {}): Promise<void> {
  const ens = new RealEnsemble(voters, observers, (port += 1000), timing.snapCount ? [`snapCount=${timing.snapCount}`] : [], LAYOUT);
  const seenAfter: { step: Step; seen: Observed[] }[] = [];
  let passed = false;
  try {
    for (let k = 0; k < steps.length; k++) {
      const step = steps[k]!;
      const stepStarted = Date.now();
      if (step.do === 'start') {
        ens.start(step.id);
        const t = Date.now();
        while (Date.now() - t < 30_000 && !ens.endedByItself(step.id) && !(await ens.srvr(step.id)).answered) await sleep(200);
        if (ens.endedByItself(step.id)) {
          console.error(`server ${step.id} did not start:\n${await ens.diagnose()}`);
          expect.fail(`server ${step.id} ${ens.endedByItself(step.id)}`);
        }
      } else if (step.do === 'kill') ens.kill(step.id);
      else if (step.do === 'pause') ens.pause(step.id);
      else if (step.do === 'resume') ens.resume(step.id);
      else if (step.do === 'write') {
        const leader = (await observe(ens)).find((o) => o.state === 'LEADING');
        expect(leader, 'a leader to write to').toBeDefined();
        expect(ens.write(leader!.id, step.count), 'the writes succeed').toBe(true);
      }
      const expected = simulate(voters, observers, steps.slice(0, k + 1), timing);
      const seen = await until(ens, expected, 45_000);
      if (JSON.stringify(seen) !== JSON.stringify(expected)) console.error(`step ${k + 1} did not converge:\n${await ens.diagnose()}`);
      expect(seen, `after step ${k + 1} (${JSON.stringify(step)})`).toEqual(expected);
      seenAfter.push({ step, seen });
      // a pause lasts what the simulator gives it (STEP_MS a step), not just until the state
      // settles: the timeouts it trips (syncLimit × tickTime = 10 s) must have time to fire
      if (ens.anyPaused()) await sleep(Math.max(0, stepStarted + STEP_MS - Date.now()));
    }
    passed = true;
    if (KEEP) {
      const dir = join(KEEP, LAYOUT, expect.getState().currentTestName!.split(' > ').pop()!.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''));
      ens.keepLogs(dir);
      writeFileSync(join(dir, 'seen.json'), JSON.stringify({ voters, observers, timing, layout: LAYOUT, steps: seenAfter }, null, 1) + '\n');
    }
  } finally {
    ens.stopAll();
    if (passed) ens.remove();
  }
}

const start = (id: number): Step => ({ do: 'start', id });
const kill = (id: number): Step => ({ do: 'kill', id });
const pause = (id: number): Step => ({ do: 'pause', id });
const resume = (id: number): Step => ({ do: 'resume', id });
const write = (count: number): Step => ({ do: 'write', count });
const oneByOne: Step[] = [start(3), start(1), start(2)];

describe.skipIf(skip !== null)('the simulator agrees with a real ZooKeeper 3.8 ensemble', () => {
  beforeAll(() => {
    if (skip) console.warn(`conformance skipped: ${skip}`);
  });
  afterAll(() => undefined);

  it('fresh start, servers coming up one by one', () => conform(3, 0, oneByOne));
  it('the leader crashes', () => conform(3, 0, [...oneByOne, kill(3)]));
  it('the old leader restarts and follows', () => conform(3, 0, [...oneByOne, kill(3), start(3)]));
  it('writes while a server is down, then it rejoins, then a full restart', () =>
    conform(3, 0, [...oneByOne, kill(1), { do: 'write', count: 3 }, start(1), kill(1), kill(2), kill(3), start(1), start(2), start(3)]));
  it('a minority cannot serve', () => conform(3, 0, [...oneByOne, kill(3), kill(2)]));
  it('five servers lose two and keep serving', () => conform(5, 0, [start(5), start(1), start(2), start(3), start(4), { do: 'write', count: 2 }, kill(5), kill(4)]));
  // the observer alone with one voter is no quorum; it is then stopped and started again once the
  // ensemble runs, so that when it syncs does not depend on the JVMs' start-up race
  it('an observer learns the leader and does not vote', () => conform(3, 1, [start(3), start(4), kill(4), start(1), start(2), start(4), kill(2)]));

  // Sync modes (LearnerHandler.syncFollower, ZKDatabase.getProposalsFromTxnLog; release-3.8.0-1).
  // Predicted before the suite ran them: DIFF inside the leader's committedLog; SNAP for a fresh
  // server. For one that missed more than commitLogCount (500) txns we predicted SNAP; the real
  // leader replayed its txn log instead ("Use txnlog and committedLog"): the size check counts
  // only the log files after the one holding the learner's zxid, none here. The model now does
  // too; with snapCount=100 the leader has rolled its log since, and it is a SNAP.
  it('a follower back after a short absence gets a DIFF', () => conform(3, 0, [...oneByOne, write(1), kill(1), write(3), start(1)]));
  it('a follower back after missing more txns than the committedLog holds is synced from the txn log', () => conform(3, 0, [...oneByOne, write(1), kill(1), write(600), start(1)]));
  it('...and gets a SNAP once the leader has rolled its log past it (snapCount=100)', () => conform(3, 0, [...oneByOne, write(1), kill(1), write(600), start(1)], { snapCount: 100 }));
  it('an observer that joins after writes gets a SNAP', () => conform(3, 1, [...oneByOne, write(2), start(4)]));
  // a stop-the-world pause (SIGSTOP): the process lives, its connections stay open, it answers nothing
  it('a paused leader is replaced, and follows once it resumes', () => conform(3, 0, [...oneByOne, write(1), pause(3), resume(3)]));
  it('a paused follower drops out, and rejoins by DIFF once it resumes', () => conform(3, 0, [...oneByOne, pause(1), write(2), resume(1)]));
});
