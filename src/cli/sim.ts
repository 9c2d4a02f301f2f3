/**
 * Headless runner: `npm run -s sim -- --voters N [--observers M] [--seed S] [--until MS]
 * [--actions "LIST"]`. Prints one JSON object. Its flags and fields are a public contract:
 * extend them, never rename or drop one.
 */
import { parseArgs } from 'node:util';
import { ENSEMBLE_FLAGS, failer, intFlag } from './args';
import { ablationsOn } from '../core/explore/ablations';
import { ActionSyntaxError, parseActions } from '../core/scenario/actionText';
import { defaultScenario, LIMITS, nodeIds, type Scenario } from '../core/scenario/scenario';
import { buildRun, runTo } from '../core/scenario/run';
import { decodeScenario } from '../core/scenario/decode';
import { presetById, presetScenario, PRESETS } from '../core/scenario/presets';
import { kitOf, PROTOCOLS, type ProtocolName } from '../core/scenario/kits';
import type { TraceRecord } from '../core/sim/state';
import { DEFAULT_RELEASE, isRelease, ZK_RELEASES, type ZkRelease } from '../core/zk/release';
import type { Message } from '../core/sim/types';
import { clientName } from '../core/sim/actions';
import type { StaleRead } from '../core/zk/checker';
import { zxidHex } from '../core/zk/zxid';

const USAGE = `usage: npm run -s sim -- --voters N [--observers M] [--zk 3.8.0|3.8.5|3.9] [--seed S] [--until MS] [--actions "LIST"] [--initial-zxid-counter C]
       npm run -s sim -- --protocol 2pc --voters N ...        (node 1 coordinates, 2..N participate)
       npm run -s sim -- --protocol paxos --voters N [--proposers P] [--learners L] [--mode basic|multi] ...
       npm run -s sim -- --url "LINK" [--until MS]   (a link shared from the page, or its #s=… part)
       npm run -s sim -- --guided ID [--until MS]    (a guided story, to its end; --list-guided prints the ids)
  --events: print the run's event log first, one JSON object per line (time, step, event, kind,
    from, to, msgId, label, code, args), then the result as one JSON line
  --protocol zab | 2pc | paxos (default zab); for paxos, --voters is the number of acceptors
  --zk: the ZooKeeper release the servers behave as (default 3.8.0; 3.9 is the newest 3.9, 3.9.5)
  LIST: ';'-separated steps "TIME_MS VERB ARGS", verbs:
    crash ID | restart ID | pause ID | resume ID | partition 1,2|3 | heal | cut A B | mend A B | write COUNT [@ID]
    ZooKeeper clients (C = 1..9; c1..c9 where a server id goes): client C connect S[,S...] [TIMEOUT_MS]
    create C PATH [DATA] [ephemeral] | set C PATH DATA | delete C PATH | read C PATH | sync C | close C
    rate PER_SECOND | diskfail ID | diskok ID | flag ID NAME | unflag ID NAME (2pc: flag 3 voteNo)
    loss P | latency MIN MAX | drop MESSAGE_ID`;

const fail: (msg: string) => never = failer('sim', USAGE);
const int = (v: string | undefined, name: string, lo: number, hi: number, dflt: number) => intFlag(fail, v, name, lo, hi, dflt);

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        ...ENSEMBLE_FLAGS,
        until: { type: 'string' },
        actions: { type: 'string' },
        'initial-zxid-counter': { type: 'string' },
        url: { type: 'string' },
        events: { type: 'boolean' },
        zk: { type: 'string' },
        guided: { type: 'string' },
        'list-guided': { type: 'boolean' },
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
  if (values['list-guided']) {
    process.stdout.write(PRESETS.map((p) => p.id).join('\n') + '\n');
    return;
  }
  // a shared link (or its #s=… part) replays exactly what the page showed; a guided story, as the page plays it
  let fromUrl: Scenario | null = null;
  if (values.guided !== undefined) {
    if (values.url !== undefined) fail('--guided and --url name two runs: give one');
    const preset = presetById(values.guided);
    if (!preset) fail(`--guided: no guided story "${values.guided}" (npm run -s sim -- --list-guided lists them)`);
    fromUrl = presetScenario(preset);
    // a museum story on the release that fixed its bug: --guided zookeeper-4646 --zk 3.8.5
    if (values.zk !== undefined && isRelease(values.zk) && fromUrl.protocol === 'zab') fromUrl = { ...fromUrl, zk: values.zk };
    if (values.until === undefined) values.until = String(preset.until);
  }
  let urlStep: number | null = null;
  if (values.url !== undefined) {
    const d = decodeScenario(values.url);
    if (!d.ok) fail(`bad --url: ${d.error}`);
    fromUrl = d.scenario;
    // the shared moment: its time, and its event count (several events can share a millisecond)
    if (values.until === undefined && d.time !== null) {
      values.until = String(d.time);
      urlStep = d.step;
    }
  }
  if (values.voters === undefined && !fromUrl) fail('--voters is required (or --url)');
  const voters = int(values.voters, 'voters', LIMITS.voters.min, LIMITS.voters.max, 3);
  const observers = int(values.observers, 'observers', LIMITS.observers.min, LIMITS.observers.max, 0);
  const until = int(values.until, 'until', LIMITS.until.min, LIMITS.until.max, 10_000);
  // zookeeper.testingonly.initialZxid: a new leader's first counter, to reach rollover quickly
  const counterText = values['initial-zxid-counter'];
  const initialZxidCounter = counterText === undefined ? 0 : /^(0x[0-9a-f]{1,8}|\d{1,10})$/i.test(counterText) ? Number(counterText) : NaN;
  if (!(initialZxidCounter >= 0 && initialZxidCounter < 0xffffffff)) fail(`--initial-zxid-counter must be from 0 to 0xfffffffe, got "${counterText}"`);
  const seed = values.seed ?? '1';
  if (seed.length > 64) fail('--seed is at most 64 characters');
  const protocolText = values.protocol ?? 'zab';
  if (!(PROTOCOLS as readonly string[]).includes(protocolText)) fail(`--protocol must be one of ${PROTOCOLS.join(', ')}, got "${protocolText}"`);
  const protocol = protocolText as ProtocolName;
  if (protocol === '2pc' && voters < 2) fail('--voters must be at least 2 for 2pc (a coordinator and a participant)');
  if (protocol !== 'zab' && values.observers !== undefined) fail('--observers is for zab only');
  if (values.zk !== undefined && !isRelease(values.zk)) fail(`--zk must be one of ${ZK_RELEASES.join(', ')}, got "${values.zk}"`);
  if (protocol !== 'zab' && values.zk !== undefined) fail('--zk is for zab only');
  if (values.url !== undefined && values.zk !== undefined) fail('--zk cannot change a --url run (its link names its release)');
  const proposers = int(values.proposers, 'proposers', 1, 9, 2);
  const learners = int(values.learners, 'learners', 0, 9, 1);
  const mode = values.mode ?? 'basic';
  if (mode !== 'basic' && mode !== 'multi') fail(`--mode must be basic or multi, got "${mode}"`);
  const ids = nodeIds({ protocol, voters, observers, paxos: { proposers, learners } });
  let actions;
  try {
    actions = parseActions(values.actions ?? '', ids);
  } catch (e) {
    if (e instanceof ActionSyntaxError) fail(`bad --actions: ${e.message}`);
    throw e;
  }

  const scenario =
    fromUrl ??
    defaultScenario({
      protocol,
      voters,
      observers: protocol === 'zab' ? observers : 0,
      seed: /^\d+$/.test(seed) ? Number(seed) : seed,
      actions,
      timing: { initialZxidCounter },
      ...(protocol === 'zab' && values.zk !== undefined ? { zk: values.zk as ZkRelease } : {}),
      ...(protocol === 'paxos' ? { paxos: { proposers, learners, mode } } : {}),
    });
  // with --events, the log starts before the servers do (buildRun starts them)
  const run = values.events ? kitOf(scenario.protocol).build(scenario) : buildRun(scenario);
  const { sim, checker } = run;
  if (values.events) {
    sim.records = [];
    sim.start(scenario.actions);
    // the log goes out as the run goes, a simulated second at a time: a long run never holds it all
    for (let t = 0; ; t = Math.min(until, t + 1000)) {
      runTo(run, t, urlStep ?? Infinity);
      printEvents(sim.records, (m) => sim.protocol.label(m));
      sim.records.length = 0;
      if (t >= until || (urlStep !== null && sim.st.step >= urlStep)) break;
    }
  } else runTo(run, until, urlStep ?? Infinity);
  const kit = kitOf(run.protocol);
  const nodes = sim.nodeIds().map((id) => kit.cliNode(sim, id));
  const out = {
    time: sim.now,
    traceHash: sim.traceHash(),
    seed: fromUrl ? String(fromUrl.seed) : seed,
    steps: sim.st.step,
    nodes,
    violations: checker.violations,
    protocol: run.protocol,
    outcome: kit.outcome(sim),
    /** the rules switched off in this run (a counterexample of the bug hunter), by name */
    ablations: ablationsOn(scenario),
    /** ZAB: the ZooKeeper release the servers behaved as */
    ...(run.protocol === 'zab' ? { zk: scenario.zk ?? DEFAULT_RELEASE } : {}),
    /** ZAB: each client (its session, server, last zxid seen, every request's outcome), and the reads that were stale */
    ...(kit.cliClients ? { clients: kit.cliClients(sim), staleReads: staleReadsOf(checker) } : {}),
  };
  process.stdout.write((values.events ? JSON.stringify(out) : JSON.stringify(out, null, 2)) + '\n');
}

/** ZAB's stale reads (allowed, and shown): who read what from which server, and how far behind it was. */
function staleReadsOf(checker: unknown): Record<string, unknown>[] {
  const reads = (checker as { staleReads?: StaleRead[] }).staleReads ?? [];
  return reads.map((r) => ({ time: r.time, client: clientName(r.client), server: r.server, path: r.path, zxid: zxidHex(r.zxid), committed: zxidHex(r.committed), ...(r.afterSync ? { afterSync: true } : {}) }));
}

/** One line per event: who sent what to whom, or what a server noted (a catalogue code and its arguments). */
function printEvents(records: TraceRecord[], label: (m: Message) => string): void {
  let text = '';
  for (const r of records) {
    // a send is from its node; a delivery or a loss is to it
    const outgoing = r.type === 'send';
    const line = {
      time: r.time,
      step: r.step,
      event: r.type,
      node: r.node,
      kind: r.kind ?? null,
      from: r.peer === undefined ? null : outgoing ? r.node : r.peer,
      to: r.peer === undefined ? null : outgoing ? r.peer : r.node,
      msgId: r.msgId ?? null,
      label: r.msg ? label(r.msg) : null,
      code: r.code,
      args: r.args,
    };
    text += JSON.stringify(line) + '\n';
  }
  if (text) process.stdout.write(text);
}

main();
