/// <reference lib="webworker" />
import { defaultScenario } from '../core/scenario/scenario';
import { Engine } from './engine';
import { encodeScenario, exportJson } from '../core/scenario/codec';
import type { Command, WorkerOut } from './messages';
import { Follower, sameRun } from './compare';
import { LogEngine } from './logEngine';
import { idFromName, type LogFileRead } from '../core/zklog/ensemble';
import { PAGE_EVENT_BUDGET as MAX_LOG_EVENTS, RAW_SHOWN, ServerLogReader, shownLine } from '../core/zklog/parse';
import { LabSource, LAB_POLL_MS, labActionOf, modelSyncOf } from './lab';
import type { LabAction } from '../core/lab/wire';

/**
 * The tick loop: every ~16 ms advance the simulation by (speed × elapsed wall time) and post a
 * snapshot. The page only draws the latest one.
 */
const engine = new Engine(defaultScenario());
/** the compare view's second run, on a shared clock, if one is shown */
let follower: Follower | null = null;
/** a real ensemble's logs, played instead of the simulation while they are open */
let logs: LogEngine | null = null;
/** the model replaying them beside, on the logs' clock */
let logsModel: Engine | null = null;

/** a real ensemble, live through the lab bridge (lab mode), drawn instead of the simulation */
let lab: LabSource | null = null;
/** the model beside it, on its actions and clock, and the actions it was built with */
let labModel: { engine: Engine; actions: string } | null = null;
let labModelOn = false;

/** The model at the lab's moment: rebuilt when the person did something new, then run forward. */
function followLab(me: LabSource): Engine | null {
  if (!labModelOn) return (labModel = null);
  const sc = me.modelScenario();
  if (!sc) return null;
  const key = JSON.stringify(sc.actions) + sc.voters + sc.observers + sc.zk + JSON.stringify(sc.timing);
  if (!labModel || labModel.actions !== key) labModel = { engine: new Engine(sc), actions: key };
  const t = me.modelTime;
  if (t > labModel.engine.run.sim.now) labModel.engine.advanceTo(t);
  return labModel.engine;
}

/** Ask the bridge to do `a` to the real servers, then show what they became (or why not). */
function labDo(me: LabSource, a: LabAction): void {
  void me
    .act(a)
    .then(() => me.poll())
    .then(() => lab === me && publish())
    .catch((err: Error) => post({ type: 'error', message: `lab: ${err.message}` }));
}

/** Poll the bridge while lab mode lasts: a snapshot whenever something changed. */
async function watchLab(me: LabSource): Promise<void> {
  while (lab === me) {
    try {
      const changed = await me.poll();
      if (lab !== me) return;
      dirty = true;
      if (changed || labModelOn) publish();
    } catch (err) {
      post({ type: 'error', message: `lab: ${(err as Error).message}` });
    }
    await new Promise((r) => setTimeout(r, LAB_POLL_MS));
  }
}

/** Bring the model to the logs' moment: on forward, back by seeking. */
function followLogs(): void {
  if (!logs || !logsModel) return;
  const t = logs.clock;
  if (t < logsModel.run.sim.now) logsModel.seekTime(t);
  else logsModel.advanceTo(t);
}
const post = (m: WorkerOut) => (self as unknown as { postMessage(m: WorkerOut): void }).postMessage(m);

/** the read under way, if any: a newer read or a cancel stops it between chunks */
let reading: { cancelled: boolean } | null = null;

/**
 * Read log files as streams (a .gz through DecompressionStream), a chunk at a time: only what the
 * page uses is kept, so a gigabyte reads in bounded memory; progress is said by bytes read. A file
 * that cannot be read is left out and said.
 */
async function readLogs(files: File[], named: Record<string, number>): Promise<void> {
  if (reading) reading.cancelled = true;
  const me = { cancelled: false };
  reading = me;
  const inputs: LogFileRead[] = [];
  const blobs: Blob[] = [];
  const unreadable: string[] = [];
  const truncated: string[] = [];
  const total = files.reduce((n, f) => n + f.size, 0) || 1;
  // what a tab can hold: past it the read stops, with what was read and a warning
  const budget = { left: MAX_LOG_EVENTS };
  const started = performance.now();
  let stoppedAt: string | null = null;
  let done = 0;
  let lastPost = 0;
  for (const f of files) {
    const name = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    if (stoppedAt) break;
    // a plain file's events keep where their lines are, read again when a person opens one
    const reader = new ServerLogReader(named[name] ?? idFromName(name), budget, 'offset');
    const gz = /\.gz$/i.test(name);
    let pushed = false;
    try {
      let bytes: ReadableStream<Uint8Array> = f.stream().pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, ctl) {
            done += chunk.byteLength;
            ctl.enqueue(chunk);
          },
        }),
      );
      if (gz) bytes = bytes.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
      const chunks = bytes.getReader();
      for (;;) {
        const { value, done: end } = await chunks.read();
        if (me.cancelled) {
          void chunks.cancel().catch(() => undefined);
          if (reading === me) reading = null;
          post({ type: 'logs', report: null, error: 'logsCancelled' });
          return;
        }
        if (end) break;
        // a decompressed chunk's bytes are not the file's: its lines are kept as text
        reader.pushBytes(value, !gz);
        pushed ||= value.length > 0;
        if (reader.full) {
          stoppedAt = name;
          void chunks.cancel().catch(() => undefined);
          break;
        }
        if (performance.now() - lastPost > 100) {
          lastPost = performance.now();
          post({ type: 'logs', report: null, progress: Math.min(1, done / total) });
        }
      }
      inputs.push({ name, log: reader.end() });
      blobs.push(f);
    } catch {
      // a .gz cut short: what it held up to the cut is read, and the cut said
      if (gz && pushed) {
        inputs.push({ name, log: reader.end() });
        blobs.push(f);
        truncated.push(name);
      } else unreadable.push(name);
    }
  }
  if (reading === me) reading = null;
  const next = new LogEngine(inputs, named);
  for (const name of unreadable) next.log.warnings.push({ file: name, line: 0, code: 'unreadable', text: '' });
  for (const name of truncated) next.log.warnings.push({ file: name, line: 0, code: 'truncated', text: '' });
  if (stoppedAt) next.log.warnings.push({ file: stoppedAt, line: 0, code: 'tooMany', text: String(MAX_LOG_EVENTS) });
  if (next.log.servers.length === 0) {
    post({ type: 'logs', report: null, error: 'logsNothingRead' });
    return;
  }
  logs = next;
  logFiles = blobs;
  logsModel = null;
  follower = null;
  logs.read = { ms: performance.now() - started, bytes: done };
  post({ type: 'logs', report: logs.report() });
  dirty = true;
  publish();
}

/** The files of the logs on the page, by their index in the ensemble: lines kept by offset are read from them. */
let logFiles: Blob[] = [];

/** A line of a log file by its byte offset and length, as the page shows it (ASCII: bytes are characters). */
async function readLine(file: number, at: number, len: number): Promise<string> {
  const blob = logFiles[file];
  const n = Math.min(len, RAW_SHOWN + 1);
  return blob ? shownLine(new TextDecoder().decode(await blob.slice(at, at + n).arrayBuffer())) : '';
}

let last = performance.now();
let dirty = true;

self.onmessage = (e: MessageEvent<Command>) => {
  if (e.data.type === 'cancelLogs') {
    if (reading) reading.cancelled = true;
    return;
  }
  if (e.data.type === 'loadLogs') {
    void readLogs(e.data.files, e.data.named ?? {}).catch(() => post({ type: 'logs', report: null, error: 'logsFailed' }));
    return;
  }
  if (e.data.type === 'lab') {
    lab = new LabSource(e.data.token);
    labModel = null;
    labModelOn = false;
    logs = null;
    logsModel = null;
    follower = null;
    void watchLab(lab);
    return;
  }
  if (lab && e.data.type !== 'load') {
    const c = e.data;
    if (c.type === 'share' || c.type === 'export') {
      // the session as a scenario: the model's run of it replays in the simulator and the CLI
      const sc = lab.modelScenario();
      if (!sc) post({ type: 'error', message: 'lab: an ensemble watched from here has no scenario of its own' });
      else if (c.type === 'share') post({ type: 'share', token: encodeScenario(sc, lab.modelTime), ...(c.open ? { open: true } : {}) });
      else post({ type: 'export', json: exportJson(sc, lab.modelTime) });
    } else if (c.type === 'labLog') {
      const text = lab.logText(c.id);
      if (text !== null) post({ type: 'download', name: `server${c.id}.log`, text });
    } else if (c.type === 'labRead') labDo(lab, { verb: 'read', node: c.id });
    else if (c.type === 'labModel') {
      labModelOn = c.on;
      dirty = true;
      publish();
    } else if (c.type === 'focus') {
      lab.focus(c.id);
      dirty = true;
      publish();
    } else if (c.type === 'action') {
      const a = labActionOf(c.action);
      if (!a) post({ type: 'error', message: `lab: “${c.action.verb}” is the simulator’s, not something done to real servers` });
      else labDo(lab, a);
    }
    return;
  }
  if (e.data.type === 'load') lab = null;
  if (e.data.type === 'rawLine') {
    const { file, at, len } = e.data;
    if (logs)
      void readLine(file, at, len)
        .then((text) => post({ type: 'rawLine', key: `${file}:${at}`, text }))
        .catch(() => undefined);
    return;
  }
  if (logs && e.data.type === 'logsModel') {
    logsModel = e.data.on && !('reason' in logs.replay) ? new Engine(logs.replay.scenario) : null;
    if (logsModel) {
      logs.compareWithModel();
      post({ type: 'logs', report: logs.report(), again: true });
    }
    followLogs();
    dirty = true;
    publish();
    return;
  }
  if (logs && e.data.type !== 'load') {
    logs.command(e.data);
    followLogs();
    dirty = true;
    publish();
    return;
  }
  if (e.data.type === 'load') {
    logs = null;
    logsModel = null;
  }
  if (e.data.type === 'share') {
    const now = e.data.start ? null : engine.run.sim.now;
    post({ type: 'share', token: encodeScenario(engine.scenario, now, now === null ? null : engine.run.sim.st.step, follower ? follower.target : null), ...(e.data.open ? { open: true } : {}) });
    return;
  }
  if (e.data.type === 'export') {
    post({ type: 'export', json: exportJson(engine.scenario, e.data.start ? null : engine.run.sim.now) });
    return;
  }
  try {
    const c = e.data;
    if (c.type === 'compare') follower = c.protocol === null || sameRun(engine.scenario, c.protocol) ? null : new Follower(engine, c.protocol);
    else {
      engine.command(c);
      if (c.type === 'load') follower = null;
      follower?.command(c);
      follower?.follow(engine);
      // after a load only: the page's own edits are not echoed back (an echo would race its typing)
      if (c.type === 'load') post({ type: 'story', story: engine.story() });
    }
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
  dirty = true;
  publish();
};

/** How long the last snapshot took to build and post, reported in the next one. */
let lastPostMs = 0;

function publish(): void {
  const t0 = performance.now();
  if (lab) {
    const snapshot = lab.snapshot(() => engine.snapshot());
    const model = followLab(lab);
    const compare = model ? model.snapshot() : null;
    if (compare && model && snapshot.source?.kind === 'lab') snapshot.source.agreement = lab.agreement(snapshot, compare, modelSyncOf(model));
    post({ type: 'snapshot', snapshot, compare });
    dirty = false;
    return;
  }
  if (logs) {
    const snapshot = logs.snapshot();
    snapshot.postMs = lastPostMs;
    post({ type: 'snapshot', snapshot, compare: logsModel ? logsModel.snapshot() : null });
    lastPostMs = performance.now() - t0;
    dirty = false;
    // the inspector asked for lines only their files hold: read them, then show them
    const shown = logs;
    if (shown.wantsRawLines)
      void shown
        .readRawLines(readLine)
        .then(() => {
          if (logs === shown) {
            dirty = true;
            publish();
          }
        })
        .catch(() => undefined);
    return;
  }
  const snapshot = engine.snapshot();
  snapshot.postMs = lastPostMs;
  post({ type: 'snapshot', snapshot, compare: follower ? follower.engine.snapshot() : null });
  lastPostMs = performance.now() - t0;
  dirty = false;
}

function loop(): void {
  const now = performance.now();
  const dt = now - last;
  last = now;
  if (lab) {
    setTimeout(loop, 16);
    return;
  }
  if (logs) {
    const busy = logs.playing;
    logs.frame(dt);
    if (busy) followLogs();
    if (busy || dirty) publish();
    setTimeout(loop, 16);
    return;
  }
  const busy = engine.playing || engine.runTo !== null;
  try {
    engine.frame(dt);
    if (busy) follower?.follow(engine);
  } catch (err) {
    engine.playing = false;
    post({ type: 'error', message: (err as Error).message });
  }
  if (busy || dirty) publish();
  setTimeout(loop, 16);
}
loop();
