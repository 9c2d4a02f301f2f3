/**
 * ZooKeeper as the canvas draws it: a server's state in its colour, its epochs and last zxid, its
 * vote and how many agree while it elects, a leader gone quiet, its log's tail; voters on the
 * ring, talking to each other, and the leader to its observers; ZAB's packets by their kind.
 * A zxid is written epoch:counter (1:5), its hex (0x100000005) on hover.
 */
import type { NodeId } from '../sim/types';
import { allPairs, FACE_LOG, idsOf, type FaceNode, type Hue, type LogCell, type MessageLook, type NodeFace, type ProtocolFace } from '../face/face';
import type { ZkView } from './zab';
import { counterOf, zxidHex, zxidShort } from './zxid';

export const STATE_HUE: Readonly<Record<string, Hue>> = { LOOKING: 'amber', FOLLOWING: 'blue', LEADING: 'green', OBSERVING: 'violet' };

/** A learner's leader gone quiet this long is said under it, with when it will give up. */
const SILENT_AFTER_MS = 1500;

/** "(1, 0:3, 2)": a vote as a Notification carries it, (peerEpoch, zxid, leader). */
export function voteLabel(v: { peerEpoch: number; zxid: number; leader: number | null }): string {
  return `(${v.peerEpoch < 0 ? '—' : v.peerEpoch}, ${zxidShort(v.zxid)}, ${v.leader ?? '—'})`;
}

function node(v: ZkView, now: number): NodeFace {
  // protocol names and numbers; "committed" is translated (faceWord.committed)
  const epochs = `acceptedEpoch ${v.acceptedEpoch}, currentEpoch ${v.currentEpoch}, zxid ${zxidHex(v.lastZxid)}, committed ${zxidHex(v.committedZxid)}`;
  const face: NodeFace = { hue: STATE_HUE[v.state] ?? 'slate', lines: [], log: logCells(v) };
  if (v.state === 'LEADING') face.leads = true;
  if (v.state === 'LOOKING') {
    // a server electing shows its vote and how many agree; its epochs are on hover over its state
    face.seeking = true;
    face.stateTitle = epochs;
    face.lines.push(`vote ${voteLabel(v.vote)} · round ${v.electionEpoch}`);
    if (v.role === 'voter') face.lines.push(v.finalizing ? { text: { code: 'zab.finalizing' }, tone: 'notice' } : { text: `${v.agreeing.length}/${v.quorumSize} agree`, tone: 'notice' });
    return face;
  }
  face.lines.push({ text: `e ${v.acceptedEpoch}/${v.currentEpoch} · zxid ${zxidShort(v.lastZxid)}`, title: epochs });
  // discovery and synchronization are passing phases: said while they last
  if (v.zabState !== 'ELECTION' && v.zabState !== 'BROADCAST') face.lines.push(v.zabState);
  // a learner that has not heard from its leader for a while: say so, and when it will give up
  if (v.lastHeard !== null && v.leader !== null && now - v.lastHeard > SILENT_AFTER_MS) {
    const args = { leader: v.leader, s: ((now - v.lastHeard) / 1000).toFixed(1), limit: (v.readTimeout / 1000).toFixed(0) };
    face.lines.push({ text: { code: 'zab.silent', args }, tone: 'notice' });
  }
  return face;
}

/** The log's tail: filled cells committed (applied), hollow ones only logged; each by its counter. */
function logCells(v: ZkView): LogCell[] {
  const cells: LogCell[] = [];
  for (let i = Math.max(0, v.logTail.length - FACE_LOG); i < v.logTail.length; i++) {
    const z = v.logTail[i]!;
    cells.push({ label: `${zxidShort(z)} (${zxidHex(z)})`, short: String(counterOf(z)), status: i < v.logCommitted ? 'committed' : 'pending' });
  }
  return cells;
}

const VOTERS: ReadonlySet<string> = new Set(['voter']);

const sync: MessageLook = { hue: 'cyan', shape: 'rect', says: 'kind' };
const MESSAGES: Record<string, MessageLook> = {
  // a vote: said by its (epoch, zxid, leader) alone
  NOTIFICATION: { hue: 'gold', shape: 'circle', says: 'label' },
  FOLLOWERINFO: sync,
  OBSERVERINFO: sync,
  LEADERINFO: sync,
  ACKEPOCH: sync,
  DIFF: { hue: 'lavender', shape: 'diamond', says: 'kind' },
  TRUNC: { hue: 'rust', shape: 'diamond', says: 'kind' },
  SNAP: { hue: 'lavender', shape: 'diamond', says: 'kind' },
  NEWLEADER: { hue: 'forest', shape: 'rect', says: 'kind' },
  UPTODATE: { hue: 'forest', shape: 'rect', says: 'kind' },
  // the broadcast's packets: by kind and zxid
  ACK: { hue: 'grey', shape: 'rect' },
  PING: { hue: 'silver', shape: 'circle', says: 'nothing' },
  PROPOSAL: { hue: 'orange', shape: 'rect' },
  COMMIT: { hue: 'leaf', shape: 'diamond' },
  INFORM: { hue: 'violet', shape: 'diamond' },
  // a client and its server (squares), and what a follower asks of its leader for a client
  ConnectRequest: { hue: 'sky', shape: 'rect', says: 'kind' },
  ConnectResponse: { hue: 'sky', shape: 'diamond', says: 'label' },
  ClientRequest: { hue: 'cyan', shape: 'rect', says: 'label' },
  ClientReply: { hue: 'cyan', shape: 'diamond', says: 'label' },
  REQUEST: { hue: 'cyan', shape: 'rect' },
  SYNC: { hue: 'leaf', shape: 'rect', says: 'kind' },
  REVALIDATE: { hue: 'sky', shape: 'rect', says: 'kind' },
};

export const zabFace: ProtocolFace<ZkView> = {
  node,
  ensemble(nodes: readonly FaceNode[]) {
    const ring = idsOf(nodes, VOTERS);
    const links = allPairs(ring);
    // observers talk to the leader only
    const leader = nodes.find((n) => n.up && n.state === 'LEADING');
    if (leader) for (const n of nodes) if (!VOTERS.has(n.role)) links.push([leader.id, n.id] as [NodeId, NodeId]);
    return { ring, links };
  },
  look: {
    messages: MESSAGES,
    legend: [
      { code: 'LOOKING', node: 'amber' },
      { code: 'FOLLOWING', node: 'blue' },
      { code: 'LEADING', node: 'green' },
      { code: 'OBSERVING', node: 'violet' },
      { code: 'DOWN', node: 'down' },
      { code: 'vote', message: { hue: 'gold', shape: 'circle' } },
      { code: 'packets', message: { hue: 'orange', shape: 'rect' } },
      { code: 'clientPackets', message: { hue: 'cyan', shape: 'rect' } },
      { code: 'agree' },
      { code: 'epochs' },
      { code: 'zxid' },
      { code: 'log' },
    ],
  },
};
