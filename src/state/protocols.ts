/**
 * What the page offers to choose from, and how a protocol is drawn: the protocols one can run and
 * each one's look (how its messages look, what its legend says). The page takes these from here,
 * never from the core: today the simulator's core supplies them; another source of runs (a real
 * ensemble feeding snapshots) would offer its own beside them.
 */
import { PROTOCOLS } from '../core/scenario/kits';
import { FACES } from '../core/scenario/faces';
import type { ProtocolName } from '../core/scenario/scenario';
import type { ProtocolLook } from '../core/face/face';

export { PROTOCOLS };

/** How a protocol's messages look and what its legend explains. */
export function protocolLook(p: ProtocolName): ProtocolLook {
  return FACES[p].look;
}
