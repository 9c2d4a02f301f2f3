/**
 * Reality beside the model (issue 20): the scenario that replays in the simulator what a real
 * ensemble's logs show it lived: the same servers, the release and timing its logs name, each
 * process's starts and ends at the same moments, a leader's long silence as a pause, and as many
 * writes in each epoch as its zxids show (INFO logs do not show client requests). Then where the
 * model's run first differs from the logs: the leaders and epochs established, each learner's sync.
 */
import { defaultScenario, type Scenario } from '../scenario/scenario';
import { buildZabRun } from '../scenario/run';
import type { TimedAction } from '../sim/actions';
import type { ZkRelease } from '../zk/release';
import type { EnsembleLog } from './ensemble';
import type { SyncMode } from './replay';

export interface LogScenario {
  scenario: Scenario;
  /** the release the logs name (zookeeper.version), and the modelled one it is replayed on */
  version: string | null;
  /** what the replay had to assume, as catalogue codes (zklog.assume.<code>) */
  assumed: string[];
}

/** The modelled release nearest to a real one: its NEWLEADER order, its sync fixes (zk/release.ts). */
export function releaseFor(version: string | null): ZkRelease {
  const m = version ? /^3\.(\d+)\.(\d+)/.exec(version) : null;
  if (!m) return '3.8.0';
  const [minor, patch] = [Number(m[1]), Number(m[2])];
  if (minor >= 9) return '3.9';
  if (minor === 8 && patch >= 5) return '3.8.5';
  return '3.8.0';
}

/**
 * The scenario, or null with the reason (a catalogue code, zklog.noReplay.<code>) if the logs
 * cannot be replayed: server ids that are not 1..n, observers below voters' ids.
 */
export function scenarioOfLogs(log: EnsembleLog): LogScenario | { reason: string } {
  const ids = log.servers;
  if (ids.length === 0 || ids.some((id, i) => id !== i + 1)) return { reason: 'ids' };
  const observers = new Set(log.beats.filter((b) => b.event.kind === 'state' && b.event.state === 'OBSERVING').map((b) => b.node));
  const voters = ids.length - observers.size;
  // the simulator numbers voters first, then observers
  if ([...observers].some((id) => id <= voters)) return { reason: 'observers' };
  const origin = log.beats[0]?.t ?? 0;
  const at = (t: number) => Math.max(0, Math.round(t - origin));
  const assumed: string[] = [];
  let version: string | null = null;
  const timing: Scenario['timing'] = {};
  const actions: TimedAction[] = [];
  const firstLooking = new Map<number, number>();
  // a process ends at its last line ('gone'); it comes back when its peer starts looking
  const awaitingLook = new Set<number>(ids);
  // what the logs show of zxids over time (each a lower bound of what the ensemble had then)
  const seen: { t: number; zxid: number }[] = [];
  const seeZxid = (t: number, zxid: number) => seen.push({ t, zxid });
  const lost: { t: number; leader: number | null; by: number }[] = [];
  const leaderOf = new Map<number, number>();
  for (const b of log.beats) {
    const e = b.event;
    if (e.kind === 'version') version ??= e.version;
    else if (e.kind === 'config' && b.node === ids[0]) timing[e.name] ??= e.value;
    else if (e.kind === 'gone') {
      actions.push({ at: at(b.t), action: { verb: 'crash', id: b.node } });
      awaitingLook.add(b.node);
    } else if (e.kind === 'state' && awaitingLook.has(b.node)) {
      awaitingLook.delete(b.node);
      if (!firstLooking.has(b.node)) firstLooking.set(b.node, b.t);
      // a server is up in the simulator from time 0: one that starts later is down until then
      if (at(b.t) > 0) actions.push({ at: at(b.t), action: { verb: 'restart', id: b.node } });
    } else if (e.kind === 'established') {
      seeZxid(b.t, e.zxid);
      for (const id of e.sids) leaderOf.set(id, b.node);
    } else if (e.kind === 'notification' || e.kind === 'newElection' || e.kind === 'sync') seeZxid(b.t, e.zxid);
    else if (e.kind === 'learnerLost') lost.push({ t: b.t, leader: leaderOf.get(b.node) ?? null, by: b.node });
    if (e.kind === 'sending') leaderOf.set(e.to, b.node);
  }
  for (const id of ids) if ((firstLooking.get(id) ?? origin) > origin) actions.unshift({ at: 0, action: { verb: 'crash', id } });
  // a process that ended had, at its last line, the zxid it proposes when it next looks (an upper
  // bound too: what it missed was written after it was gone)
  // (a zxid of an older epoch than the one serving then: it had none of the new epoch's txns)
  // (each server's next "New election" line after each beat, found in one pass from the end)
  const nextLook = new Array<number | null>(log.beats.length);
  const ahead = new Map<number, number>();
  for (let i = log.beats.length - 1; i >= 0; i--) {
    const b = log.beats[i]!;
    nextLook[i] = ahead.get(b.node) ?? null;
    if (b.event.kind === 'newElection') ahead.set(b.node, b.event.zxid);
  }
  let serving = 0;
  log.beats.forEach((b, i) => {
    if (b.event.kind === 'established') serving = Math.max(serving, Math.floor(b.event.zxid / 2 ** 32));
    const next = nextLook[i];
    if (b.event.kind === 'gone' && next !== null && next !== undefined) seeZxid(b.t, Math.max(next, serving * 2 ** 32));
  });
  // writes: each rise of an epoch's counter, just after the last moment the lower value was seen
  seen.sort((a, b) => a.t - b.t);
  const top = new Map<number, { counter: number; t: number }>();
  for (const { t, zxid } of seen) {
    const epoch = Math.floor(zxid / 2 ** 32);
    const counter = zxid % 2 ** 32;
    const cur = top.get(epoch);
    if (!cur) {
      top.set(epoch, { counter, t });
      if (counter > 0) actions.push({ at: at(t), action: { verb: 'write', count: Math.min(counter, 1000) } });
    } else if (counter > cur.counter) {
      actions.push({ at: at(cur.t) + 100, action: { verb: 'write', count: Math.min(counter - cur.counter, 1000) } });
      top.set(epoch, { counter, t });
    } else if (counter === cur.counter) cur.t = t;
  }
  if (actions.some((a) => a.action.verb === 'write')) assumed.push('writes');
  // a leader its followers lost that did not restart and logged nothing meanwhile: a pause
  const tick = timing.tickTime ?? 2000;
  const syncMs = (timing.syncLimit ?? 5) * tick;
  // each server's beats, in timeline order, to find its last before and first after a moment
  const byNode = new Map<number, typeof log.beats>();
  for (const b of log.beats) {
    let own = byNode.get(b.node);
    if (!own) byNode.set(b.node, (own = []));
    own.push(b);
  }
  const paused = new Set<number>();
  for (const l of lost) {
    if (l.leader === null || paused.has(l.leader)) continue;
    const own = byNode.get(l.leader) ?? [];
    // the first of its beats after the moment (beats are in time order)
    let lo = 0;
    let hi = own.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (own[mid]!.t <= l.t) lo = mid + 1;
      else hi = mid;
    }
    const beforeLost = own[lo - 1];
    const after = own[lo];
    if (!beforeLost || !after || after.event.kind === 'start' || after.event.kind === 'gone') continue;
    if (after.t - beforeLost.t < syncMs) continue;
    actions.push({ at: Math.max(at(beforeLost.t) + 1, at(l.t) - syncMs), action: { verb: 'pause', id: l.leader } });
    actions.push({ at: at(after.t), action: { verb: 'resume', id: l.leader } });
    paused.add(l.leader);
    if (!assumed.includes('pause')) assumed.push('pause');
  }
  actions.sort((a, b) => a.at - b.at);
  if (!version) assumed.push('version');
  const zk = releaseFor(version);
  const scenario = defaultScenario({ voters, observers: observers.size, seed: 1, timing, zk, actions });
  return { scenario, version, assumed };
}

/** A moment the model's run and the logs part ways. */
export interface Disagreement {
  /** ms from the first line of the logs */
  time: number;
  what: 'leader' | 'sync';
  real: string;
  model: string;
}

export interface Milestones {
  /** (leader, epoch) as each leader was established, in order, with when */
  leaders: { t: number; id: number; epoch: number }[];
  /** each learner's syncs, in order */
  syncs: Record<number, { t: number; mode: SyncMode | string }[]>;
}

/** The first moment (on the logs' clock) where the model established another leader or epoch, or a learner synced otherwise. */
export function firstDisagreement(real: Milestones, model: Milestones): Disagreement | null {
  const found: Disagreement[] = [];
  const n = Math.max(real.leaders.length, model.leaders.length);
  for (let i = 0; i < n; i++) {
    const r = real.leaders[i];
    const m = model.leaders[i];
    if (r && m && r.id === m.id && r.epoch === m.epoch) continue;
    found.push({ time: Math.min(r?.t ?? Infinity, m?.t ?? Infinity), what: 'leader', real: r ? `S${r.id} e${r.epoch}` : '—', model: m ? `S${m.id} e${m.epoch}` : '—' });
    break;
  }
  for (const id of new Set([...Object.keys(real.syncs), ...Object.keys(model.syncs)].map(Number))) {
    const rs = real.syncs[id] ?? [];
    const ms = model.syncs[id] ?? [];
    for (let i = 0; i < Math.max(rs.length, ms.length); i++) {
      const r = rs[i];
      const m = ms[i];
      if (r && m && r.mode === m.mode) continue;
      found.push({ time: Math.min(r?.t ?? Infinity, m?.t ?? Infinity), what: 'sync', real: r ? `S${id} ${r.mode}` : `S${id} —`, model: m ? `S${id} ${m.mode}` : `S${id} —` });
      break;
    }
  }
  return found.sort((a, b) => a.time - b.time)[0] ?? null;
}

/** The logs' milestones, on their own clock (ms from the first line). */
export function logMilestones(log: EnsembleLog): Milestones {
  const origin = log.beats[0]?.t ?? 0;
  const out: Milestones = { leaders: [], syncs: {} };
  for (const b of log.beats) {
    if (b.event.kind === 'established') out.leaders.push({ t: b.t - origin, id: b.node, epoch: Math.floor(b.event.zxid / 2 ** 32) });
    else if (b.event.kind === 'sync') (out.syncs[b.node] ??= []).push({ t: b.t - origin, mode: b.event.mode });
  }
  return out;
}

/** The model's milestones, replaying `sc` up to `until` ms. */
export function modelMilestones(sc: Scenario, until: number): Milestones {
  const run = buildZabRun(sc);
  const sim = run.sim;
  sim.records = [];
  const out: Milestones = { leaders: [], syncs: {} };
  while ((sim.nextEventTime() ?? Infinity) <= until) {
    sim.step();
    for (const x of sim.records) {
      if (x.type !== 'note') continue;
      if (x.code === 'established') out.leaders.push({ t: x.time, id: x.node, epoch: Number(x.args.epoch) });
      else if (x.code === 'synced') (out.syncs[x.node] ??= []).push({ t: x.time, mode: String(x.args.mode) });
    }
    sim.records.length = 0;
  }
  return out;
}
