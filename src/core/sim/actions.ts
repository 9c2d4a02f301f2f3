import type { NodeId } from './types';

/** Everything a person (or a script) can do to a running simulation. */
export type Action =
  | { verb: 'crash'; id: NodeId }
  | { verb: 'restart'; id: NodeId }
  /** stop / continue a process (a stop-the-world GC pause, SIGSTOP / SIGCONT): alive, but running nothing */
  | { verb: 'pause'; id: NodeId }
  | { verb: 'resume'; id: NodeId }
  /** groups of node ids; nodes named in no group form one more group together */
  | { verb: 'partition'; groups: NodeId[][] }
  | { verb: 'heal' }
  /** client writes; `node` sends them to that server (a Paxos proposer) instead of the leader */
  | { verb: 'write'; count: number; node?: NodeId }
  /** switch a behaviour a person injects into one server (2PC: 'voteNo'); it survives restarts */
  | { verb: 'flag'; id: NodeId; name: string; on: boolean }
  | { verb: 'diskfail'; id: NodeId }
  | { verb: 'diskok'; id: NodeId }
  | { verb: 'loss'; p: number }
  | { verb: 'latency'; min: number; max: number }
  /** drop one message in flight, by its id */
  | { verb: 'drop'; msg: number }
  /** cut / mend the single link between two servers */
  | { verb: 'cut'; a: NodeId; b: NodeId }
  | { verb: 'mend'; a: NodeId; b: NodeId }
  /** a steady stream of client writes, per simulated second (0 stops it) */
  | { verb: 'rate'; perSecond: number }
  /** something a person has client `client` do (ZooKeeper's client: zab only); the first one starts the client */
  | { verb: 'client'; client: number; cmd: ClientCommand };

/**
 * What a client can be told to do: connect to one of a list of servers (a connect string), make
 * or change znodes, read one, sync, close its session. Paths and data are plain text.
 */
export type ClientCommand =
  | { op: 'connect'; servers: NodeId[]; timeout?: number }
  | { op: 'create'; path: string; data: string; ephemeral: boolean }
  | { op: 'setData'; path: string; data: string }
  | { op: 'delete'; path: string }
  | { op: 'getData'; path: string }
  | { op: 'sync' }
  | { op: 'close' };

/** Clients are nodes numbered from here (C1 is node 1001), apart from servers (at most 201 of them). */
export const CLIENT_BASE = 1000;
export const MAX_CLIENTS = 9;

export function clientNodeId(client: number): NodeId {
  return CLIENT_BASE + client;
}

/** A client node's name, in the event log, the CLI and the page: C1 for node 1001. */
export function clientName(id: NodeId): string {
  return `C${id - CLIENT_BASE}`;
}

export interface TimedAction {
  at: number;
  action: Action;
}
