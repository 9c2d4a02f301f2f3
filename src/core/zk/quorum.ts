import type { NodeId } from '../sim/types';
import type { Env } from './state';

/**
 * QuorumMaj: a set is a quorum when it holds more than half of the *configured* voters,
 * however many of them are down (过半, 以配置数量为准). Observers never count.
 */
export class QuorumVerifier {
  readonly voters: ReadonlySet<NodeId>;
  readonly half: number;

  constructor(voters: Iterable<NodeId>) {
    this.voters = new Set(voters);
    this.half = Math.floor(this.voters.size / 2);
  }

  isVoter(id: NodeId): boolean {
    return this.voters.has(id);
  }

  /** Smallest number of voters that forms a quorum. */
  get size(): number {
    return this.half + 1;
  }

  containsQuorum(ids: Iterable<NodeId>): boolean {
    let n = 0;
    if (Array.isArray(ids)) {
      // the hot path (a proposal's ACKs, on every ACK): count each voter once, allocating nothing
      const a = ids as readonly NodeId[];
      for (let i = 0; i < a.length; i++) if (this.voters.has(a[i]!) && a.indexOf(a[i]!) === i) n++;
    } else for (const id of new Set(ids)) if (this.voters.has(id)) n++;
    return n > this.half;
  }
}

/**
 * The quorum rule a server applies now: a majority of the configured voters (QuorumMaj), or,
 * under the liveQuorum ablation, a majority of the voters it is currently in contact with
 * (as if it had a perfect failure detector). ZooKeeper never shrinks the denominator.
 */
export function quorumNow(env: Env): QuorumVerifier {
  if (!env.cfg.ablations?.liveQuorum || !env.ctx.inContact) return env.qv;
  return new QuorumVerifier(env.ctx.inContact().filter((id) => env.qv.isVoter(id)));
}
