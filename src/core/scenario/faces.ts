/**
 * How each protocol is drawn (its face: nodes, ensemble, look), by name. Apart from the kits
 * (kits.ts) on purpose: the page's main thread, which runs no protocol, needs the looks without
 * the simulators and checkers that come with a kit.
 */
import type { ProtocolFace } from '../face/face';
import { zabFace } from '../zk/face';
import { twoPcFace } from '../twopc/face';
import { paxosFace } from '../paxos/face';
import type { ProtocolName } from './scenario';

export const FACES: Readonly<Record<ProtocolName, ProtocolFace>> = { zab: zabFace, '2pc': twoPcFace, paxos: paxosFace };
