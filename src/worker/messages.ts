import type { Action } from '../core/sim/actions';
import type { Flight, NetConfig, TraceRecord } from '../core/sim/simulator';
import type { CompareTarget, PausePoint, Scenario } from '../core/scenario/scenario';
import type { Violation } from '../core/check/types';
import type { ZkView } from '../core/zk/zab';
import type { ZkClientView } from '../core/zk/client';
import type { NodeDisk, ProtocolName } from '../core/scenario/kits';
import type { CellStatus, EnsembleFace, NodeFace } from '../core/face/face';
import type { FileRead, LogWarning } from '../core/zklog/ensemble';
import type { LogSummary } from '../core/zklog/summary';
import type { Disagreement } from '../core/zklog/toScenario';
import type { ZkRelease } from '../core/zk/release';
import type { LabRead } from '../core/lab/wire';

export type { NodeFace } from '../core/face/face';

/**
 * A 2PC or Paxos node's view: the page lists its fields as they are, and the log of the face the
 * view carries (its last dozen entries; the canvas's face has only the few it draws).
 */
export interface GenericView {
  id: number;
  role: string;
  state: string;
  face?: { log: { label: string; status: CellStatus }[] };
  /** a real ensemble's server: its last lines the page used, up to now (file:line, then the line) */
  lines?: { at: string; text: string }[];
  /** a lab's server: what its mntr reports (ZooKeeper's names without zk_) */
  mntr?: Record<string, string>;
}

/** The whole view of a server, its protocol's own: ZooKeeper's, or another's. */
export type NodeView = ZkView | GenericView;

/** Who leads and each server's role (lab mode's comparison of the real servers and the model). */
export interface LabRoles {
  lead: number | null;
  epoch: number;
  states: { id: number; state: string }[];
  /** the sync each learner got from its leader in its current life (DIFF, TRUNC, SNAP; null: none) */
  syncs: { id: number; mode: string | null }[];
}

/** A run's story: the guided story it started from (if any), its pause points, a person's own title. */
export interface Story {
  /** which load of the page's worker it is (the answers to a story's questions are its own) */
  id: number;
  guide: string | null;
  pauses: PausePoint[];
  title?: string;
}

/** UI → worker. */
export type Command =
  | { type: 'load'; scenario: Scenario; runTo?: number; runToStep?: number }
  /** a real ensemble's log files, read in the worker (.gz through DecompressionStream); `named`: a server for a file that never says */
  | { type: 'loadLogs'; files: File[]; named?: Record<string, number> }
  /** lab mode: a real ensemble through the lab bridge this page was served by, with its run's token */
  | { type: 'lab'; token: string }
  /** lab mode: run the model beside the real servers, on their actions and clock (or stop it) */
  | { type: 'labModel'; on: boolean }
  /** lab mode: a server's log as read so far, as a file to save */
  | { type: 'labLog'; id: number }
  /** lab mode: a real client reads / on server `id` */
  | { type: 'labRead'; id: number }
  /** stop reading log files */
  | { type: 'cancelLogs' }
  /** run the model beside a real ensemble's logs, from the scenario they show (or stop it) */
  | { type: 'logsModel'; on: boolean }
  /** a line of the logs kept only by where it is in its file (an event's rawFile, rawAt, rawLen): read it */
  | { type: 'rawLine'; file: number; at: number; len: number }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'speed'; value: number }
  /** play quiet stretches (nothing on the wire, only a timer to wait for) fast */
  | { type: 'skipQuiet'; on: boolean }
  | { type: 'step' }
  /** undo the last event (replayed from the nearest checkpoint) */
  | { type: 'back' }
  /** jump to a simulated time on the timeline */
  | { type: 'seek'; time: number }
  | { type: 'breakpoints'; breakpoints: Breakpoints }
  /** the inspected server: its view comes with every detail */
  | { type: 'focus'; id: number | null }
  /** ask for the shareable token of this run at this moment (`open`: to open the full page there) */
  /** `start`: the run from its beginning, not this moment (a story, to be played from its first caption) */
  | { type: 'share'; open?: boolean; start?: boolean }
  /** ask for this run as a JSON file */
  | { type: 'export'; start?: boolean }
  /** a story written in the page: its captions and questions (they change where playing stops, not the run) */
  | { type: 'setStory'; pauses: PausePoint[]; title?: string }
  | { type: 'action'; action: Action }
  /** run the same script on a second protocol beside this one, on a shared clock (null: stop) */
  /** `protocol`: another protocol, or ZAB on another release ("zab@3.9"); null closes the view */
  | { type: 'compare'; protocol: CompareTarget | null };

export interface Breakpoints {
  leaderChange: boolean;
  newEpoch: boolean;
  violation: boolean;
}

/**
 * A server as the page shows it: what every canvas draws of it (its face, from its protocol), and
 * for the inspected one (`focus`) its protocol's whole view, or, if it is down, what its disk holds.
 */
export type NodeSnap =
  /** `paused`: stopped (a long GC pause), with how many events wait for it */
  | { id: number; role: string; state: string; up: true; diskFailed: boolean; flags?: string[]; paused?: { backlog: number }; face: NodeFace; view?: NodeView }
  | { id: number; role: string; state: 'DOWN'; up: false; diskFailed: boolean; flags?: string[]; disk?: NodeDisk };

/** A ZooKeeper client as the page shows it: its session and server, and what its requests got (`stale`: answered from a tree older than what was committed when asked). */
export type ClientSnap = Omit<ZkClientView, 'results' | 'state'> & { state: ZkClientView['state'] | 'DOWN'; up: boolean; results: (ZkClientView['results'][number] & { stale?: 'local' | 'afterSync' })[] };

/** Worker → UI: everything the page draws, small and structured-clone friendly. */
export interface Snapshot {
  time: number;
  step: number;
  traceHash: string;
  playing: boolean;
  /** simulated ms per wall-clock second */
  speed: number;
  skipQuiet: boolean;
  nodes: NodeSnap[];
  /** ZooKeeper's clients, when a run has any (absent from real sources) */
  clients?: ClientSnap[];
  /** which servers stand on the ring, and which pairs talk, as their protocol draws them */
  ensemble: EnsembleFace;
  flights: Flight[];
  /** group number per server id (all 0 when whole) */
  groups: Record<number, number>;
  /** links cut one by one, "a-b" */
  cuts: string[];
  /** trace records since the previous snapshot */
  events: TraceRecord[];
  /** the run jumped (load, seek, step back): the event log starts over from `events` */
  reset: boolean;
  violations: Violation[];
  /** the run is waiting for `runTo` */
  runTo: number | null;
  actions: number;
  /** the end of the timeline: the furthest step and time simulated */
  maxStep: number;
  maxTime: number;
  breakpoints: Breakpoints;
  /** which breakpoint paused the run, if one did */
  pausedBy: string | null;
  /** a person acted in the past: the run after `at` (it had reached `until`) was replaced */
  forked: { at: number; until: number } | null;
  net: NetConfig;
  writeRate: number;
  protocol: ProtocolName;
  /** who leads now (ZAB's established leader, 2PC's coordinator if up, Paxos's leader) */
  lead: { id: number | null; epoch: number };
  /** the guided scenario being played, and the caption of the latest pause point reached */
  guide: string | null;
  /** `prev`, `next`: the times of the pause points before and after this one */
  caption: { n: number; total: number; at: number; prev: number | null; next: number | null; key?: string; text?: string; last: boolean } | null;
  scenario: Pick<Scenario, 'protocol' | 'voters' | 'observers' | 'seed' | 'timing' | 'paxos' | 'ablations' | 'zk'>;
  checkpoints: number;
  /** wall-clock ms the worker spent building and posting the previous snapshot */
  postMs: number;
  /**
   * not the simulator: a real ensemble's logs, or a real ensemble live (lab mode: run by the lab
   * bridge or attached to; `problem`, the bridge could not be reached); `origin` is the wall-clock
   * ms (UTC) of time 0
   */
  source?:
    | { kind: 'logs'; origin: number }
    | {
        kind: 'lab';
        origin: number;
        mode: 'run' | 'attach';
        release: string;
        problem: string | null;
        /** with the model beside: whether it agrees once both settled (null while either moves) */
        agreement?: { agree: boolean; real: LabRoles; model: LabRoles } | null;
        /** the newest client read (`at`: wall-clock ms, UTC) */
        read?: LabRead | null;
      };
}

/** What was read from a real ensemble's logs, once per load: the banner's counts and the diagnosis. */
export interface LogReport {
  origin: number;
  files: FileRead[];
  servers: number[];
  skew: Record<number, number>;
  pairs: number;
  warnings: LogWarning[];
  summary: LogSummary;
  /** the model beside it: on which release, what it had to assume (zklog.assume.<code>), or why it cannot */
  replay: { version: string | null; zk: ZkRelease; assumed: string[] } | { reason: string };
  /** how long the read took in the worker, and how many bytes it read */
  read?: { ms: number; bytes: number };
  /** once the model has run beside it: where they first part (null: they agree), or undefined before */
  disagreement?: Disagreement | null;
}

export type WorkerOut =
  | { type: 'snapshot'; snapshot: Snapshot; compare: Snapshot | null }
  | { type: 'error'; message: string }
  /** logs were read (report), or could not be (error: a catalogue code), or are being read (progress 0..1) */
  /** `again`: the report of logs already on the page, told more (the model beside them): what the page fetched of them stays */
  | { type: 'logs'; report: LogReport | null; error?: string; progress?: number; again?: boolean }
  /** the line asked for by rawLine, under the key `file:at` */
  | { type: 'rawLine'; key: string; text: string }
  | { type: 'share'; token: string; open?: boolean }
  | { type: 'export'; json: string }
  /** the run's story, after each load and each change: its pause points and a person's own title */
  | { type: 'story'; story: Story }
  /** a file to save (lab mode: a server's log) */
  | { type: 'download'; name: string; text: string };
