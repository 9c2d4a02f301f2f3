/**
 * How a protocol is drawn, in terms a canvas can draw without knowing the protocol: what each
 * node shows (its face), which nodes stand on the ring and which pairs talk, how each kind of
 * message looks and what it says in flight, and what the legend explains. Each protocol supplies
 * one (zk/face.ts, twopc/face.ts, paxos/face.ts); the page only draws it.
 *
 * Words stay translatable: a text is either protocol terms and numbers as they are, of which the
 * page translates each word its catalogue knows (`faceWord.<word>`), or a catalogue code with its
 * arguments (`face.<code>`), as the event log's notes are.
 */
import type { NodeId, NodeViewBase, NoteArgs } from '../sim/types';

/**
 * A hue of the page's palette. The protocol says which hue means what (a state, a kind of
 * message); the page says how each is painted, dark enough for the white name on a server.
 */
export type Hue =
  // servers
  | 'amber'
  | 'blue'
  | 'green'
  | 'violet'
  | 'slate'
  | 'orange'
  | 'red'
  | 'teal'
  | 'purple'
  | 'down'
  // messages
  | 'gold'
  | 'cyan'
  | 'lavender'
  | 'rust'
  | 'forest'
  | 'grey'
  | 'silver'
  | 'leaf'
  | 'sky'
  | 'ink';

/** Protocol words and numbers ("promised 1.2", "e 1/1 · zxid 1:3"), or a catalogue code (face.<code>) with its arguments. */
export type FaceText = string | { code: string; args?: NoteArgs };

/** A line under a node. A plain text is small print. */
export interface FaceLine {
  text: FaceText;
  /** 'notice' stands out: a quorum in sight, a leader gone quiet, a behaviour switched on */
  tone?: 'notice';
  /** what the pointer resting on the line shows */
  title?: FaceText;
}

export type CellStatus = 'committed' | 'pending' | 'aborted';

/** One entry of a node's log, as the strip beside it draws it. */
export interface LogCell {
  /** what the entry is, in full ("T3", "2:v1", "1:5 (0x100000005)"): said on hover with its status */
  label: string;
  /** the few characters drawn in the cell; the label if absent */
  short?: string;
  status: CellStatus;
}

/** What a node that is up shows. */
export interface NodeFace {
  hue: Hue;
  /** a few lines under it, the first counting most: a small canvas shows fewer */
  lines: (string | FaceLine)[];
  /** the tail of its log, oldest first */
  log: LogCell[];
  /** it leads (or coordinates): a crown above it */
  leads?: boolean;
  /** it is looking for agreement: its outline pulses */
  seeking?: boolean;
  /** said after its state's name when the pointer rests on that */
  stateTitle?: FaceText;
}

/** A node as the ensemble's face sees it: up or down, in its protocol's state. */
export interface FaceNode {
  id: NodeId;
  role: string;
  state: string;
  up: boolean;
}

/** Where the nodes stand and who talks to whom, as it stands now. */
export interface EnsembleFace {
  /** the nodes drawn on the ring (voters, acceptors...); the others stand in rows below it */
  ring: NodeId[];
  /** the pairs that talk: a line is drawn between each, which a person may cut */
  links: [NodeId, NodeId][];
}

export type Shape = 'circle' | 'rect' | 'diamond';

/** A kind of message in flight: its glyph, and what its label says (kind and label unless told). */
export interface MessageLook {
  hue: Hue;
  shape: Shape;
  says?: 'kind' | 'label' | 'nothing';
}

/**
 * A line of the legend: a catalogue code (legend.<code>, else a state's name, state.<code>), and
 * the server colour or message glyph it explains, if any.
 */
export interface LegendItem {
  code: string;
  node?: Hue;
  message?: { hue: Hue; shape: Shape };
}

/** What does not change during a run: how messages look, what the legend explains. */
export interface ProtocolLook {
  messages: Readonly<Record<string, MessageLook>>;
  legend: readonly LegendItem[];
}

/** The most log entries a face need carry: the strip beside a server has room for fewer. */
export const FACE_LOG = 5;

/** A protocol's face: how its views and ensemble are drawn. */
export interface ProtocolFace<V extends NodeViewBase = NodeViewBase> {
  /** what a node that is up shows at simulated time `now`, from its view (and the behaviours a person switched on) */
  node(view: V & { flags?: string[] }, now: number): NodeFace;
  ensemble(nodes: readonly FaceNode[]): EnsembleFace;
  look: ProtocolLook;
}

/** The nodes of these roles, by id. */
export function idsOf(nodes: readonly FaceNode[], roles: ReadonlySet<string>): NodeId[] {
  return nodes.filter((n) => roles.has(n.role)).map((n) => n.id);
}

/** Every pair of these nodes, each once, in order. */
export function allPairs(ids: readonly NodeId[]): [NodeId, NodeId][] {
  const out: [NodeId, NodeId][] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) out.push([ids[i]!, ids[j]!]);
  return out;
}

/**
 * A short name for a log entry's cell: "slot:value" (Multi-Paxos) by its slot, as the event log
 * numbers it; anything else by its last word's number ("T12" → 12, "v3" → 3); at most 3 characters.
 */
export function cellShort(label: string): string {
  const colon = label.indexOf(':');
  return (colon >= 0 ? label.slice(0, colon) : (label.split(/\s/).pop() ?? '').replace(/^[A-Za-z]+(?=\d)/, '')).slice(-3);
}
