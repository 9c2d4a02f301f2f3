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
  | { verb: 'rate'; perSecond: number };

export interface TimedAction {
  at: number;
  action: Action;
}
