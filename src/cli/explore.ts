/**
 * The bug hunter, headless: `npm run -s explore -- [--protocol P] [--voters N] [--ablation NAME]…
 * [--runs N] [--seed S]`. Tries random fault schedules until an invariant breaks, shrinks the
 * schedule, and prints one JSON object with the counterexample as a link that the page and
 * `npm run -s sim -- --url` replay. Its flags and fields are a public contract: extend them,
 * never rename or drop one.
 */
import { parseArgs } from 'node:util';
import { ENSEMBLE_FLAGS, failer, intFlag } from './args';
import { formatAction } from '../core/scenario/actionText';
import { defaultScenario, type Scenario } from '../core/scenario/scenario';
import { PROTOCOLS, type ProtocolName } from '../core/scenario/kits';
import { explore } from '../core/explore/explorer';
import { ABLATIONS, ablationsOn, withAblations } from '../core/explore/ablations';
import { KNOWN_BUGS } from '../core/explore/knownBugs';
import { DEFAULT_RELEASE, isRelease, ZK_RELEASES } from '../core/zk/release';

const USAGE = `usage: npm run -s explore -- [--protocol zab|2pc|paxos] [--voters N] [--observers M] [--zk 3.8.0|3.8.5|3.9]
         [--proposers P] [--learners L] [--mode basic|multi] [--ablation NAME]... [--runs N] [--seed S]
         [--horizon MS] [--no-shrink] [--no-liveness]
  tries up to --runs random fault schedules (default 500) and stops at the first invariant violation
  each run draws its own mix of faults; after them everything is healed and restarted, and a write
  sent then must commit within a bound, or the run breaks Liveness (--no-liveness: no such phase)
  --zk: the ZooKeeper release the servers behave as (default 3.8.0); a violation that is one of
    ZooKeeper's known bugs is named in counterexample.knownBugs
  --ablation switches a rule off (repeat it, or separate names with commas): ${ABLATIONS.map((a) => a.name).join(', ')}`;

const fail: (msg: string) => never = failer('explore', USAGE);
const int = (v: string | undefined, name: string, lo: number, hi: number, dflt: number) => intFlag(fail, v, name, lo, hi, dflt);

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        ...ENSEMBLE_FLAGS,
        ablation: { type: 'string', multiple: true },
        zk: { type: 'string' },
        runs: { type: 'string' },
        horizon: { type: 'string' },
        'no-shrink': { type: 'boolean' },
        'no-liveness': { type: 'boolean' },
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
  const protocol = (values.protocol ?? 'zab') as ProtocolName;
  if (!PROTOCOLS.includes(protocol)) fail(`--protocol must be one of ${PROTOCOLS.join(', ')}, got "${values.protocol}"`);
  const voters = int(values.voters, 'voters', protocol === '2pc' ? 2 : 1, 9, protocol === '2pc' ? 4 : 3);
  const observers = int(values.observers, 'observers', 0, protocol === 'zab' ? 9 : 0, 0);
  const mode = (values.mode ?? 'multi') as 'basic' | 'multi';
  if (mode !== 'basic' && mode !== 'multi') fail(`--mode must be basic or multi, got "${values.mode}"`);
  const paxos = protocol === 'paxos' ? { proposers: int(values.proposers, 'proposers', 1, 9, 2), learners: int(values.learners, 'learners', 0, 9, 1), mode } : undefined;
  const runs = int(values.runs, 'runs', 1, 1_000_000, 500);
  const seed = int(values.seed, 'seed', 0, 2 ** 32 - 1, 1);
  const horizon = int(values.horizon, 'horizon', 2000, 600_000, 12_000);
  const names = (values.ablation ?? []).flatMap((a) => a.split(',')).map((a) => a.trim()).filter(Boolean);
  if (values.zk !== undefined && !isRelease(values.zk)) fail(`--zk must be one of ${ZK_RELEASES.join(', ')}, got "${values.zk}"`);
  if (protocol !== 'zab' && values.zk !== undefined) fail('--zk is for zab only');
  const zk = protocol === 'zab' && isRelease(values.zk) ? values.zk : undefined;
  const base: Scenario = defaultScenario({ protocol, voters, observers, ...(paxos ? { paxos } : {}), ...(zk ? { zk } : {}) });
  const w = withAblations(base, names);
  if (!w.ok) fail(w.error);

  const t0 = performance.now();
  let searchMs = 0;
  const r = explore({ base: w.scenario, seed, runs, horizon, shrink: !values['no-shrink'], liveness: !values['no-liveness'], progress: () => void (searchMs = performance.now() - t0) });
  const wallMs = performance.now() - t0;
  const c = r.counterexample;
  const out = {
    protocol,
    voters,
    ...(protocol === 'zab' ? { observers, zk: zk ?? DEFAULT_RELEASE } : {}),
    ...(paxos ? { paxos } : {}),
    ablations: ablationsOn(w.scenario),
    seed,
    runs,
    tried: r.tried,
    wallMs: Math.round(wallMs),
    /** schedules tried per wall-clock second of searching (shrinking not included) */
    runsPerSecond: Math.round((r.tried / Math.max(1, searchMs)) * 1000 * 10) / 10,
    shrinkMs: Math.round(wallMs - searchMs),
    found: c !== null,
    counterexample: c && {
      invariant: c.violation.invariant,
      message: c.violation.message,
      nodes: c.violation.nodes,
      time: c.violation.time,
      step: c.violation.step,
      actions: c.scenario.actions.map(formatAction),
      actionsBeforeShrinking: c.found.actions,
      shrinkRuns: c.shrinkRuns,
      seed: c.scenario.seed,
      url: `#s=${c.token}`,
      replay: `npm run -s sim -- --url '#s=${c.token}'`,
      /** the fault mix of the run that found it: each kind's weight (0: unused), tempo, lengths */
      swarm: c.found.swarm ?? null,
      /** a Liveness violation: the heal's time and the bound a commit had after it (the replay shows the state at the deadline) */
      liveness: c.liveness ? { healAt: c.liveness.healAt, boundMs: c.liveness.bound } : null,
      /** ZooKeeper's own bugs this schedule shows (none: the model's, or a new finding), with where to read about each */
      knownBugs: c.knownBugs.map((id) => ({ id, jira: KNOWN_BUGS[id].jira, releases: KNOWN_BUGS[id].releases, story: KNOWN_BUGS[id].story, summary: KNOWN_BUGS[id].summary })),
    },
    /** the liveness phase: its bound, and the longest any schedule tried took to commit after a heal or restart */
    liveness: r.liveness && { boundMs: r.liveness.bound, slowestMs: r.liveness.slowest },
    /** every note code the schedules reached, how often; the protocol's codes never reached */
    coverage: { reached: r.coverage.counts, neverReached: r.coverage.neverReached, unknown: r.coverage.unknown },
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

main();
