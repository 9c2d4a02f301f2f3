import type { ZabAblations, ZkTiming } from '../zk/config';
import { DEFAULT_RELEASE, type ZkRelease } from '../zk/release';
import type { DiskConfig, NetConfig } from '../sim/state';
import type { TimedAction } from '../sim/actions';
import type { Durable } from '../sim/types';
import type { TwoPcAblations, TwoPcTiming } from '../twopc/config';
import type { PaxosTiming } from '../paxos/config';
import { DEFAULT_LEARNERS, DEFAULT_PROPOSERS } from '../paxos/config';

/**
 * A scenario as plain data: everything needed to replay a run exactly, and its defaults. Building
 * a running simulator from one is run.ts's business; this module imports no protocol's code.
 */

export type ProtocolName = 'zab' | '2pc' | 'paxos';

/** What the compare view sets beside a run: another protocol, or ZAB on another release ("zab@3.9"). */
export type CompareTarget = ProtocolName | `zab@${ZkRelease}`;

/** The protocol and, for ZAB, the release a compare target names. */
export function compareTarget(t: CompareTarget): { protocol: ProtocolName; zk?: ZkRelease } {
  const [protocol, zk] = t.split('@') as [ProtocolName, ZkRelease | undefined];
  return zk ? { protocol, zk } : { protocol };
}

/** The compare target a run is: its protocol, with its release for ZAB. */
export function targetOf(sc: Pick<Scenario, 'protocol' | 'zk'>): CompareTarget {
  return sc.protocol === 'zab' ? `zab@${sc.zk ?? DEFAULT_RELEASE}` : sc.protocol;
}

/** Everything needed to replay a run exactly. */
export interface Scenario {
  protocol: ProtocolName;
  /** ZAB: voting servers; 2PC: nodes (1 coordinates); Paxos: acceptors */
  voters: number;
  observers: number;
  seed: number | string;
  net: NetConfig;
  disk: DiskConfig;
  timing: Partial<ZkTiming>;
  actions: TimedAction[];
  /** ZAB: the ZooKeeper release whose behaviour the servers have (3.8.0 when absent; zk/release.ts) */
  zk?: ZkRelease;
  twopc?: { timing?: Partial<TwoPcTiming> };
  paxos?: { proposers?: number; learners?: number; mode?: 'basic' | 'multi'; timing?: Partial<PaxosTiming> };
  /** the guided scenario (preset id) this run started from */
  guide?: string;
  /**
   * Pause points: playing stops at each, showing its caption: `key` names a caption in the
   * message catalogue (guided scenarios), `text` is a person's own (plain text, never HTML).
   */
  pauses?: PausePoint[];
  /** a story a person wrote in the page: its title (plain text) */
  title?: string;
  /** rules switched off on purpose, to see what breaks (the bug hunter) */
  ablations?: { twopc?: TwoPcAblations; paxos?: { forgetPromise?: boolean }; zab?: ZabAblations };
  /** what each server's disk holds before the run (a history from an earlier life) */
  initial?: Record<number, Durable>;
}

export interface PausePoint {
  at: number;
  key?: string;
  text?: string;
  /** a person's own question, asked at this pause point */
  ask?: OwnQuestion;
}

/**
 * A question a person wrote into a story (plain text, never HTML): asked at its pause point, the
 * answer taken before the story plays on, the verdict given at the next pause point (at once on
 * the last). The guided stories' questions are in questions.ts.
 */
export interface OwnQuestion {
  text: string;
  choices: string[];
  /** the index of the right choice */
  answer: number;
  /** why that answer is right, shown with the verdict */
  why?: string;
  /** the time of the pause point where the verdict is given (the next one when absent) */
  revealAt?: number;
}

/** Pause points as a story stops at them: in time order (a sort that keeps the order of equal times). */
export function inTimeOrder<P extends PausePoint>(pauses: readonly P[]): P[] {
  return [...pauses].sort((a, b) => a.at - b.at);
}

export const LIMITS = {
  voters: { min: 1, max: 101 },
  observers: { min: 0, max: 100 },
  /** simulated milliseconds */
  until: { min: 0, max: 24 * 3600 * 1000 },
};

export const DEFAULT_NET: NetConfig = { latencyMin: 10, latencyMax: 30, loss: 0 };
export const DEFAULT_DISK: DiskConfig = { latencyMin: 1, latencyMax: 4 };

export function defaultScenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    protocol: 'zab',
    voters: 3,
    observers: 0,
    seed: 1,
    net: { ...DEFAULT_NET },
    disk: { ...DEFAULT_DISK },
    timing: {},
    actions: [],
    ...overrides,
  };
}

/** Every node id of a scenario: ZAB's voters then observers, 2PC's nodes, or Paxos's acceptors, proposers, learners. */
export function nodeIds(sc: Pick<Scenario, 'protocol' | 'voters' | 'observers' | 'paxos'>): Set<number> {
  const paxos = sc.protocol === 'paxos' ? (sc.paxos?.proposers ?? DEFAULT_PROPOSERS) + (sc.paxos?.learners ?? DEFAULT_LEARNERS) : 0;
  const n = sc.voters + (sc.protocol === 'zab' ? sc.observers : 0) + paxos;
  return new Set(Array.from({ length: n }, (_, i) => i + 1));
}
