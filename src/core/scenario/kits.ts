/**
 * One kit per protocol: how a scenario becomes a running simulator with its invariant checker,
 * and how a run is summed up (who leads, in which epoch) for breakpoints, the page and the CLI.
 * The simulator, network, faults, checkpoints and snapshots are shared by all three.
 */
import { Simulator } from '../sim/simulator';
import type { Message, NodeId, NodeViewBase } from '../sim/types';
import type { RunChecker } from '../check/types';
import { Checker, clientOf, type ZabSim } from '../zk/checker';
import { clientName } from '../sim/actions';
import { dataTree, hasBodies, listTree, sessionHex } from '../zk/datatree';
import { ensemble } from '../zk/config';
import { createZab } from '../zk/zab';
import { DISK, type SnapshotFile } from '../zk/disk';
import { lastOf, zxidHex } from '../zk/zxid';
import type { ZkServer } from '../zk/state';
import { createTwoPc, DISK_LOG, twoPcConfig, twoPcNodes, TwoPcChecker, type LogRecord } from '../twopc';
import { createPaxos, DEFAULT_LEARNERS, DEFAULT_PROPOSERS, paxosConfig, paxosNodes, PaxosChecker, type PaxosNode } from '../paxos';
import type { ProtocolName, Scenario } from './scenario';

export type { ProtocolName } from './scenario';

export const PROTOCOLS: readonly ProtocolName[] = ['zab', '2pc', 'paxos'];

/** A simulator of any protocol: the engine and the CLI only need what all of them share. */
export type AnySim = Simulator<unknown, Message, NodeViewBase>;

export interface Run {
  protocol: ProtocolName;
  sim: AnySim;
  checker: RunChecker<AnySim>;
}

export interface RunSummary {
  /** the established leader / coordinator / Paxos leader and its epoch (ZAB) or round (Paxos); null if none */
  leader: { id: NodeId; epoch: number } | null;
  /** the highest established epoch (ZAB), ballot round (Paxos) or 0 */
  epoch: number;
}

/**
 * What a down server's disk holds, all a restart will read. ZAB's in its own terms; another
 * protocol's as its durable fields.
 */
export type NodeDisk =
  | { kind: 'zab'; acceptedEpoch: number | null; currentEpoch: number | null; logLength: number; logTail: number[]; snapshot: number | null }
  | { kind: 'generic'; fields: Record<string, unknown> };

/** The most log entries a down server's disk shows (its newest). */
const DISK_TAIL = 24;

/** A server's data tree for the CLI, where a client's txn made one: znodes by path, and the live sessions. */
function zabTree(s: ZkServer): Record<string, unknown> {
  if (hasBodies(s)) {
    const { znodes, sessions } = listTree(dataTree(s));
    return { znodes: Object.fromEntries(znodes.map((z) => [z.path, { data: z.data, version: z.version, ...(z.owner ? { ephemeralOwner: z.owner } : {}) }])), sessions };
  }
  return {};
}

export interface Kit {
  build(sc: Scenario): Run;
  /** what a server's disk holds (read for a down server: its state is gone) */
  disk(sim: AnySim, id: NodeId): NodeDisk;
  summary(sim: AnySim): RunSummary;
  /** one node as the CLI prints it (extend, never rename a field) */
  cliNode(sim: AnySim, id: NodeId): Record<string, unknown>;
  /** what the run decided, in the protocol's terms (the CLI's `outcome`) */
  outcome(sim: AnySim): unknown;
  /** each client node as the CLI prints it (ZAB's clients; extend, never rename a field) */
  cliClients?(sim: AnySim): Record<string, unknown>[];
}

const zab: Kit = {
  build(sc) {
    const cfg = ensemble(sc.voters, sc.observers, sc.timing, sc.ablations?.zab, sc.zk);
    const nodes = [...cfg.voters.map((id) => ({ id, role: 'voter' })), ...cfg.observers.map((id) => ({ id, role: 'observer' }))];
    const sim = new Simulator(createZab(cfg), { seed: sc.seed, nodes, net: sc.net, disk: sc.disk }, sc.initial ?? {});
    return { protocol: 'zab', sim: sim as unknown as AnySim, checker: new Checker(new Set(cfg.voters)) as unknown as RunChecker<AnySim> };
  },
  summary(sim) {
    let leader: RunSummary['leader'] = null;
    let epoch = 0;
    for (const id of sim.nodeIds()) {
      const s = sim.st.nodes[id]!.state as ZkServer | null;
      // during a partition an old leader may not know yet: the newest epoch is the one that rules
      if (s?.state === 'LEADING' && s.leader?.established && s.leader.epoch > epoch) {
        leader = { id, epoch: s.leader.epoch };
        epoch = Math.max(epoch, s.leader.epoch);
      }
    }
    return { leader, epoch };
  },
  cliNode(sim, id) {
    const n = sim.node(id);
    const s = n.up ? (n.state as ZkServer | null) : null;
    const role = n.spec.role;
    if (!s) {
      // a crashed server: only what its disk holds is known
      const d = n.durable;
      return {
        id,
        role,
        up: false,
        state: null,
        leader: null,
        electionEpoch: null,
        acceptedEpoch: (d.acceptedEpoch as number | undefined) ?? 0,
        currentEpoch: (d.currentEpoch as number | undefined) ?? 0,
        lastZxid: null,
        zabState: null,
        phase: null,
        committedZxid: null,
        log: ((d.log as unknown[] | undefined) ?? []).length,
        lastSync: null,
      };
    }
    return {
      id,
      role,
      up: true,
      state: s.state,
      leader: s.state === 'LOOKING' ? null : s.currentVote.leader,
      electionEpoch: s.election.logicalclock,
      acceptedEpoch: s.acceptedEpoch,
      currentEpoch: s.currentEpoch,
      lastZxid: zxidHex(s.lastZxid),
      zabState: s.zabState,
      phase: s.zabState,
      committedZxid: zxidHex(lastOf(s.history, s.snapZxid)),
      log: s.log.length,
      /** the last sync its leader sent it (DIFF, TRUNC or SNAP and the packet's zxid), null if none since it started */
      lastSync: s.lastSync && { mode: s.lastSync.mode, zxid: zxidHex(s.lastSync.zxid), leader: s.lastSync.leader },
      ...zabTree(s),
    };
  },
  cliClients(sim) {
    return sim.clientIds().map((id) => {
      const c = clientOf(sim as unknown as ZabSim, id);
      const name = clientName(id);
      if (!c) return { id: name, node: id, up: false, state: null, server: null, session: null, timeout: null, lastZxid: null, results: [] };
      return {
        id: name,
        node: id,
        up: true,
        state: c.state,
        server: c.state === 'CONNECTED' || c.state === 'CONNECTING' ? c.server : null,
        servers: [...c.servers],
        session: c.session ? sessionHex(c.session) : null,
        timeout: c.timeout || null,
        lastZxid: zxidHex(c.lastZxid),
        /** every request's outcome, in the order they came back */
        results: c.results.map((r) => ({
          op: r.op,
          ...(r.path !== undefined ? { path: r.path } : {}),
          err: r.err,
          zxid: zxidHex(r.zxid),
          ...(r.data !== undefined ? { data: r.data, version: r.version } : {}),
          server: r.server,
          at: r.at,
        })),
      };
    });
  },
  outcome(sim) {
    const s = zab.summary(sim);
    return { leader: s.leader?.id ?? null, epoch: s.epoch };
  },
  disk(sim, id) {
    const d = sim.node(id).durable;
    const log = (d[DISK.log] as number[] | undefined) ?? [];
    const snap = d[DISK.snapshot] as SnapshotFile | undefined;
    return {
      kind: 'zab',
      acceptedEpoch: (d[DISK.acceptedEpoch] as number | undefined) ?? null,
      currentEpoch: (d[DISK.currentEpoch] as number | undefined) ?? null,
      logLength: log.length,
      logTail: log.slice(-DISK_TAIL),
      snapshot: snap ? snap.zxid : null,
    };
  },
};

/** Another protocol's disk: its durable fields as they are (a copy: snapshots cross to the page). */
function genericDisk(sim: AnySim, id: NodeId): NodeDisk {
  return { kind: 'generic', fields: structuredClone(sim.node(id).durable) };
}

/** A node of a protocol with a view: its view without the canvas-only face, or its disk if down. */
function genericNode(sim: AnySim, id: NodeId): Record<string, unknown> {
  const v = sim.view(id, true) as Record<string, unknown>;
  const rest = { ...v };
  delete rest.face; // drawing only
  if (v.up) return rest;
  return { ...rest, state: null, disk: sim.node(id).durable };
}

const twopc: Kit = {
  build(sc) {
    const n = Math.max(2, sc.voters);
    const sim = new Simulator(createTwoPc(twoPcConfig(n, sc.twopc?.timing ?? {}, sc.ablations?.twopc)), { seed: sc.seed, nodes: twoPcNodes(n), net: sc.net, disk: sc.disk }, sc.initial ?? {});
    sim.log.keepsSent = true; // its checker reads every message sent (WriteAheadLog)
    return { protocol: '2pc', sim: sim as unknown as AnySim, checker: new TwoPcChecker() as unknown as RunChecker<AnySim> };
  },
  summary(sim) {
    const c = sim.st.nodes[1];
    return { leader: c?.up ? { id: 1, epoch: 0 } : null, epoch: 0 };
  },
  cliNode: genericNode,
  disk: genericDisk,
  outcome(sim) {
    // every tx's fate as the nodes' disks record it
    const out: Record<string, { decision: string | null; nodes: Record<string, string> }> = {};
    for (const id of sim.nodeIds()) {
      const log = (sim.node(id).durable[DISK_LOG] as LogRecord[] | undefined) ?? [];
      for (const r of log) {
        if (r.rec === 'BEGIN' || r.rec === 'END') continue;
        const t = (out[`T${r.tx}`] ??= { decision: null, nodes: {} });
        t.nodes[String(id)] = r.rec;
        if (r.rec === 'COMMIT' || r.rec === 'ABORT') t.decision = r.rec;
      }
    }
    return { transactions: out };
  },
};

const paxos: Kit = {
  build(sc) {
    const o = sc.paxos ?? {};
    const cfg = paxosConfig(Math.max(1, sc.voters), o.proposers ?? DEFAULT_PROPOSERS, o.learners ?? DEFAULT_LEARNERS, { mode: o.mode ?? 'basic', timing: o.timing ?? {}, ...(sc.ablations?.paxos ? { ablations: sc.ablations.paxos } : {}) });
    const sim = new Simulator(createPaxos(cfg), { seed: sc.seed, nodes: paxosNodes(cfg.acceptors.length, cfg.proposers.length, cfg.learners.length), net: sc.net, disk: sc.disk }, sc.initial ?? {});
    return { protocol: 'paxos', sim: sim as unknown as AnySim, checker: new PaxosChecker(cfg) as unknown as RunChecker<AnySim> };
  },
  summary(sim) {
    // Multi-Paxos's stable leader and its ballot round; Basic Paxos has no leader
    // from the state, not the view: this runs after every step, for the breakpoints
    for (const id of sim.nodeIds()) {
      const s = sim.st.nodes[id]!.state as PaxosNode | null;
      if (s?.role === 'proposer' && s.phase === 'LEADER') return { leader: { id, epoch: s.round }, epoch: s.round };
    }
    return { leader: null, epoch: 0 };
  },
  cliNode: genericNode,
  disk: genericDisk,
  outcome(sim) {
    // each slot's value as the nodes that know it was chosen report it
    const chosen: Record<string, string[]> = {};
    for (const id of sim.nodeIds()) {
      const v = sim.view(id, true) as { up: boolean; slots?: { slot: number; value: string; chosen: boolean }[] };
      for (const s of v.slots ?? []) if (s.chosen && !(chosen[s.slot] ??= []).includes(s.value)) chosen[s.slot]!.push(s.value);
    }
    return { chosen };
  },
};

export const KITS: Record<ProtocolName, Kit> = { zab, '2pc': twopc, paxos };

export function kitOf(p: ProtocolName): Kit {
  return KITS[p];
}
