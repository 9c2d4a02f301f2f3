/**
 * The liveness phase after a run's faults: heal the network, mend every disk, restart every
 * server that is down, and send writes at a steady rate; the ensemble must then elect (or
 * recover) and commit a write sent after the heal within a bound. Then every server restarts
 * from its disk, and a commit must follow again (explorer.ts). One probe per protocol says what
 * committing means there, and the bound comes from that protocol's own timeouts.
 */
import type { Action } from '../sim/actions';
import type { NodeId } from '../sim/types';
import type { AnySim } from '../scenario/kits';
import type { Scenario } from '../scenario/scenario';
import { DEFAULT_NET } from '../scenario/scenario';
import { DEFAULT_TIMING } from '../zk/config';
import type { ZkServer } from '../zk/state';
import { epochOf, makeZxid, type Zxid } from '../zk/zxid';
import { DISK as ZK_DISK } from '../zk/disk';
import { DEFAULT_TWOPC_TIMING } from '../twopc/config';
import { DISK_LOG, type LogRecord } from '../twopc/state';
import { DEFAULT_PAXOS_TIMING } from '../paxos/config';
import type { PaxosNode } from '../paxos/state';

/** Client writes per simulated second during the phase: one comes at most 500 ms after a leader does. */
export const LIVENESS_RATE = 2;

export interface Liveness {
  /** the most a healed, restarted ensemble may take to commit a write sent after the heal (ms) */
  bound: number;
  /** remember, at the heal, what is already there; the answer says whether something new is committed */
  mark(sim: AnySim): (sim: AnySim) => boolean;
}

/**
 * What undoes every fault still standing, as ordinary actions: the heal is part of the
 * counterexample, so that a link replays the phase as the explorer ran it. Only what changes
 * something: a shrunk schedule keeps no action that does nothing. With `everyone`, the servers
 * still up are crashed and restarted too (a whole-ensemble restart): each then knows only its
 * disk, so what it held in memory alone is gone, as after a power cut.
 */
export function healActions(sim: AnySim, sc: Scenario, everyone = false): Action[] {
  const st = sim.st;
  const out: Action[] = [];
  const net = sc.net ?? DEFAULT_NET;
  if (st.anyCut || st.order.some((id) => st.group[id] !== 0)) out.push({ verb: 'heal' });
  if (st.net.loss !== net.loss) out.push({ verb: 'loss', p: net.loss });
  if (st.net.latencyMin !== net.latencyMin || st.net.latencyMax !== net.latencyMax) out.push({ verb: 'latency', min: net.latencyMin, max: net.latencyMax });
  for (const id of st.order) if (st.nodes[id]!.diskFailed) out.push({ verb: 'diskok', id });
  if (everyone) for (const id of st.order) if (st.nodes[id]!.up) out.push({ verb: 'crash', id });
  for (const id of st.order) if (everyone || !st.nodes[id]!.up) out.push({ verb: 'restart', id });
  if (st.writeRate !== LIVENESS_RATE) out.push({ verb: 'rate', perSecond: LIVENESS_RATE });
  return out;
}

export function livenessOf(sc: Scenario): Liveness {
  if (sc.protocol === '2pc') return twopc(sc);
  if (sc.protocol === 'paxos') return paxos(sc);
  return zab(sc);
}

/**
 * ZAB: an established leader has committed a zxid above every zxid of its epoch that any server
 * held or proposed at the heal (only that epoch's leader makes its zxids, so a higher one is a
 * write it took after the heal). Not "above every zxid": a leader that chose an epoch no quorum
 * accepted leaves zxids of an epoch the next leader may reuse below.
 *
 * The bound: a server may still serve a role that died during the faults: a follower syncing with
 * a gone leader, or a leader waiting for followers that will not come, gives up after initLimit
 * ticks; a leader that lost its quorum, or a follower in broadcast, after syncLimit ticks. Then one
 * election (finalizeWait and a few round trips) and one discovery and sync. An election can pick a
 * server that then fails to gather its quorum (a follower still in its old role refuses it), which
 * costs one more initLimit wait. A LOOKING server whose notification back-off grew during the
 * faults still answers every notification at once, and the restarted servers send theirs at the
 * heal, so the back-off does not add. So: two initLimit waits, one syncLimit wait, and 5 s for the
 * elections and syncs (at 10–30 ms a message, an election and sync take well under one second).
 * With ZooKeeper's defaults that is 55 s.
 */
function zab(sc: Scenario): Liveness {
  const t = { ...DEFAULT_TIMING, ...sc.timing };
  const bound = 2 * t.initLimit * t.tickTime + t.syncLimit * t.tickTime + 5000;
  return {
    bound,
    mark(sim) {
      // per epoch, the highest zxid anywhere at the heal
      const top: Record<number, Zxid> = {};
      const see = (z: Zxid) => {
        const e = epochOf(z);
        if (z > (top[e] ?? 0)) top[e] = z;
      };
      for (const id of sim.nodeIds()) {
        const n = sim.st.nodes[id]!;
        for (const z of (n.durable[ZK_DISK.log] as Zxid[] | undefined) ?? []) see(z);
        const s = n.up ? (n.state as ZkServer | null) : null;
        if (!s) continue;
        for (const z of [s.lastZxid, ...s.log, ...s.unflushed, s.leader?.lastProposed ?? 0]) see(z);
      }
      return (now) =>
        now.nodeIds().some((id) => {
          const n = now.st.nodes[id]!;
          const s = n.up ? (n.state as ZkServer | null) : null;
          const l = s?.state === 'LEADING' ? s.leader : null;
          return !!l?.established && l.lastCommitted > Math.max(top[l.epoch] ?? 0, makeZxid(l.epoch, t.initialZxidCounter));
        });
    },
  };
}

/**
 * 2PC: the coordinator has on disk a decision (COMMIT or ABORT: either ends the transaction)
 * for a transaction sent after the heal. The bound: every participant is up and reachable after
 * the heal, so only a transaction whose PREPARE went out before it can wait for a vote timeout
 * (and a retry); the coordinator then works through the writes queued before the heal, one at a
 * time, each two log writes and two round trips (under 150 ms at 10–30 ms a message). The explorer
 * queues at most 6 bursts of 8 writes: 64 transactions at 300 ms, and 5 s more.
 */
function twopc(sc: Scenario): Liveness {
  const t = { ...DEFAULT_TWOPC_TIMING, ...sc.twopc?.timing };
  return {
    bound: t.voteTimeout + t.retryInterval + 64 * 300 + 5000,
    mark(sim) {
      const from = sim.st.nextReq;
      return (sim2) => {
        const log = (sim2.st.nodes[1]?.durable[DISK_LOG] as LogRecord[] | undefined) ?? [];
        return log.some((r) => r.tx >= from && (r.rec === 'COMMIT' || r.rec === 'ABORT'));
      };
    },
  };
}

/**
 * Paxos: Multi-Paxos has chosen, in some slot, a value a client sent after the heal; Basic Paxos
 * (one decree) has some proposer or learner that knows the chosen value. The bound: a proposer
 * that hears no leader tries to lead after at most twice leaderTimeout; dueling proposers back off
 * up to backoffMax between rounds, and a round whose majority does not answer gives up after
 * prepareTimeout. Ten such rounds, and 5 s more.
 */
function paxos(sc: Scenario): Liveness {
  const t = { ...DEFAULT_PAXOS_TIMING, ...sc.paxos?.timing };
  const multi = (sc.paxos?.mode ?? 'basic') === 'multi';
  return {
    bound: 2 * t.leaderTimeout + 10 * (t.prepareTimeout + t.acceptTimeout + t.backoffMax) + 5000,
    mark(sim) {
      const from = sim.st.nextReq;
      const fresh = (v: string) => /^v\d+$/.test(v) && Number(v.slice(1)) >= from;
      return (sim2) =>
        sim2.nodeIds().some((id: NodeId) => {
          const n = sim2.st.nodes[id]!;
          const s = n.up ? (n.state as PaxosNode | null) : null;
          if (!s) return false;
          if (!multi) return (s.role === 'proposer' && s.decided !== null) || (s.role === 'learner' && s.learned.length > 0);
          return s.role === 'proposer' && s.log.some((x) => x !== null && x.chosen && fresh(x.value));
        });
    },
  };
}
