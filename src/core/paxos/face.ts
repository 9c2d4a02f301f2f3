/**
 * Paxos as the canvas draws it: each node's state in its colour (acceptors by their promise,
 * proposers by their phase, learners violet), the view's lines and log, a crown on Multi-Paxos's
 * leader; the acceptors on the ring, talking to each other, and proposers and learners to each.
 */
import { allPairs, cellShort, FACE_LOG, idsOf, type FaceNode, type Hue, type MessageLook, type NodeFace, type ProtocolFace } from '../face/face';
import type { PaxosState, PaxosView } from './paxos';

const HUE: Readonly<Record<PaxosState, Hue>> = {
  ACCEPTOR: 'slate',
  PROMISED: 'blue',
  ACCEPTED: 'teal',
  IDLE: 'slate',
  PREPARING: 'amber',
  ACCEPTING: 'orange',
  BACKOFF: 'red',
  DECIDED: 'green',
  LEADER: 'green',
  LEARNER: 'violet',
  LEARNED: 'purple',
};

function node(v: PaxosView): NodeFace {
  return {
    hue: HUE[v.state] ?? 'slate',
    lines: v.face.lines,
    log: v.face.log.slice(-FACE_LOG).map((c) => ({ ...c, short: cellShort(c.label) })),
    ...(v.state === 'LEADER' ? { leads: true } : {}),
  };
}

const ACCEPTORS: ReadonlySet<string> = new Set(['acceptor']);

const MESSAGES: Record<string, MessageLook> = {
  PREPARE: { hue: 'gold', shape: 'circle' },
  PROMISE: { hue: 'sky', shape: 'rect' },
  NACK: { hue: 'red', shape: 'rect' },
  ACCEPT: { hue: 'orange', shape: 'rect' },
  ACCEPTED: { hue: 'grey', shape: 'rect' },
  CHOSEN: { hue: 'leaf', shape: 'diamond' },
  HEARTBEAT: { hue: 'silver', shape: 'circle' },
  CATCHUP: { hue: 'lavender', shape: 'circle' },
};

export const paxosFace: ProtocolFace<PaxosView> = {
  node,
  ensemble(nodes: readonly FaceNode[]) {
    // the acceptors on the ring; proposers and learners talk to every acceptor
    const ring = idsOf(nodes, ACCEPTORS);
    const links = allPairs(ring);
    for (const n of nodes) if (!ACCEPTORS.has(n.role)) for (const a of ring) links.push([a, n.id]);
    return { ring, links };
  },
  look: {
    messages: MESSAGES,
    legend: [
      ...(Object.entries(HUE) as [PaxosState, Hue][]).map(([code, hue]) => ({ code, node: hue })),
      { code: 'DOWN', node: 'down' },
      { code: 'PREPARE', message: MESSAGES.PREPARE! },
      { code: 'ACCEPT', message: MESSAGES.ACCEPT! },
      { code: 'CHOSEN', message: MESSAGES.CHOSEN! },
      { code: 'log' },
    ],
  },
};
