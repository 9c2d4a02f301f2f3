/**
 * Two-phase commit as the canvas draws it: each node's state in its colour (waiting amber,
 * holding a lock orange, the outcome green or red), the view's lines and log, a crown on the
 * coordinator; every node on the ring, the coordinator talking to each participant.
 */
import type { NodeId } from '../sim/types';
import { cellShort, FACE_LOG, type FaceNode, type Hue, type MessageLook, type NodeFace, type ProtocolFace } from '../face/face';
import type { TwoPcState, TwoPcView } from './twopc';

const HUE: Readonly<Record<TwoPcState, Hue>> = {
  IDLE: 'slate',
  WAITING_VOTES: 'amber',
  VOTING: 'amber',
  PREPARED: 'orange',
  COMMITTING: 'green',
  COMMITTED: 'green',
  ABORTING: 'red',
  ABORTED: 'red',
};

function node(v: TwoPcView & { flags?: string[] }): NodeFace {
  // a behaviour a person switched on (a participant's vote no) shows before it takes effect
  const flagged = (v.flags ?? []).includes('voteNo') ? [{ text: { code: '2pc.voteNo' }, tone: 'notice' as const }] : [];
  return {
    hue: HUE[v.state] ?? 'slate',
    lines: [...flagged, ...v.face.lines],
    log: v.face.log.slice(-FACE_LOG).map((c) => ({ ...c, short: cellShort(c.label) })),
    ...(v.role === 'coordinator' ? { leads: true } : {}),
  };
}

const MESSAGES: Record<string, MessageLook> = {
  PREPARE: { hue: 'gold', shape: 'circle' },
  VOTE: { hue: 'cyan', shape: 'rect' },
  COMMIT: { hue: 'leaf', shape: 'diamond' },
  ABORT: { hue: 'red', shape: 'diamond' },
  ACK: { hue: 'grey', shape: 'rect' },
  DECISION_REQ: { hue: 'orange', shape: 'circle' },
};

export const twoPcFace: ProtocolFace<TwoPcView> = {
  node,
  ensemble(nodes: readonly FaceNode[]) {
    // every node on the ring; the coordinator talks to each participant, participants never to one another
    const coordinator = nodes.find((n) => n.role === 'coordinator')?.id ?? 1;
    const links: [NodeId, NodeId][] = nodes.filter((n) => n.role !== 'coordinator').map((n) => [coordinator, n.id]);
    return { ring: nodes.map((n) => n.id), links };
  },
  look: {
    messages: MESSAGES,
    legend: [
      ...(Object.entries(HUE) as [TwoPcState, Hue][]).map(([code, hue]) => ({ code, node: hue })),
      { code: 'DOWN', node: 'down' },
      { code: 'PREPARE', message: MESSAGES.PREPARE! },
      { code: 'COMMIT', message: MESSAGES.COMMIT! },
      { code: 'ABORT', message: MESSAGES.ABORT! },
      { code: 'log' },
    ],
  },
};
