/**
 * Headless runner: `npm run -s sim -- --voters N [--observers M] [--seed S] [--until MS]
 * [--actions "LIST"]`. Prints one JSON object. Its flags and fields are a public contract:
 * extend them, never rename or drop one.
 */
import { parseArgs } from 'node:util';
import { ActionSyntaxError, parseActions } from '../core/scenario/actionText';
import { buildRun, defaultScenario, LIMITS, runTo, type Scenario } from '../core/scenario/scenario';
import { decodeScenario } from '../core/scenario/codec';
import { zxidHex } from '../core/zk/zxid';
import { lastOf } from '../core/zk/peer';

const USAGE = `usage: npm run -s sim -- --voters N [--observers M] [--seed S] [--until MS] [--actions "LIST"] [--initial-zxid-counter C]
       npm run -s sim -- --url "LINK" [--until MS]   (a link shared from the page, or its #s=… part)
  LIST: ';'-separated steps "TIME_MS VERB ARGS", verbs:
    crash ID | restart ID | partition 1,2|3 | heal | write COUNT | diskfail ID | diskok ID
    loss P | latency MIN MAX | drop MESSAGE_ID`;

function fail(msg: string): never {
  process.stderr.write(`sim: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function intFlag(v: string | undefined, name: string, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) fail(`--${name} must be a whole number, got "${v}"`);
  const n = Number(v);
  if (n < lo || n > hi) fail(`--${name} must be from ${lo} to ${hi}, got ${n}`);
  return n;
}

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        voters: { type: 'string' },
        observers: { type: 'string' },
        seed: { type: 'string' },
        until: { type: 'string' },
        actions: { type: 'string' },
        'initial-zxid-counter': { type: 'string' },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  // a shared link (or its #s=… part) replays exactly what the page showed
  let fromUrl: Scenario | null = null;
  if (values.url !== undefined) {
    const d = decodeScenario(values.url);
    if (!d.ok) fail(`bad --url: ${d.error}`);
    fromUrl = d.scenario;
    if (values.until === undefined && d.time !== null) values.until = String(d.time);
  }
  if (values.voters === undefined && !fromUrl) fail('--voters is required (or --url)');
  const voters = intFlag(values.voters, 'voters', LIMITS.voters.min, LIMITS.voters.max, 3);
  const observers = intFlag(values.observers, 'observers', LIMITS.observers.min, LIMITS.observers.max, 0);
  const until = intFlag(values.until, 'until', LIMITS.until.min, LIMITS.until.max, 10_000);
  // zookeeper.testingonly.initialZxid: a new leader's first counter, to reach rollover quickly
  const counterText = values['initial-zxid-counter'];
  const initialZxidCounter = counterText === undefined ? 0 : /^(0x[0-9a-f]{1,8}|\d{1,10})$/i.test(counterText) ? Number(counterText) : NaN;
  if (!(initialZxidCounter >= 0 && initialZxidCounter < 0xffffffff)) fail(`--initial-zxid-counter must be from 0 to 0xfffffffe, got "${counterText}"`);
  const seed = values.seed ?? '1';
  if (seed.length > 64) fail('--seed is at most 64 characters');
  const ids = new Set(Array.from({ length: voters + observers }, (_, i) => i + 1));
  let actions;
  try {
    actions = parseActions(values.actions ?? '', ids);
  } catch (e) {
    if (e instanceof ActionSyntaxError) fail(`bad --actions: ${e.message}`);
    throw e;
  }

  const run = buildRun(fromUrl ?? defaultScenario({ voters, observers, seed: /^\d+$/.test(seed) ? Number(seed) : seed, actions, timing: { initialZxidCounter } }));
  runTo(run, until);
  const { sim, checker } = run;
  const nodes = sim.nodeIds().map((id) => {
    const n = sim.node(id);
    const s = n.up ? n.state : null;
    const role = n.spec.role as 'voter' | 'observer';
    if (!s) {
      // a crashed server: only what its disk holds is known
      const d = n.durable;
      return {
        id,
        role,
        up: false,
        state: null,
        leader: null,
        electionEpoch: null,
        acceptedEpoch: (d.acceptedEpoch as number | undefined) ?? 0,
        currentEpoch: (d.currentEpoch as number | undefined) ?? 0,
        lastZxid: null,
        zabState: null,
        phase: null,
        committedZxid: null,
        log: ((d.log as unknown[] | undefined) ?? []).length,
      };
    }
    return {
      id,
      role,
      up: true,
      state: s.state,
      leader: s.state === 'LOOKING' ? null : s.currentVote.leader,
      electionEpoch: s.election.logicalclock,
      acceptedEpoch: s.acceptedEpoch,
      currentEpoch: s.currentEpoch,
      lastZxid: zxidHex(s.lastZxid),
      zabState: s.zabState,
      phase: s.zabState,
      committedZxid: zxidHex(lastOf(s.history, s.snapZxid)),
      log: s.log.length,
    };
  });
  const out = {
    time: sim.now,
    traceHash: sim.traceHash(),
    seed: fromUrl ? String(fromUrl.seed) : seed,
    steps: sim.st.step,
    nodes,
    violations: checker.violations,
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

main();
