/**
 * What the Clients panel asks a ZooKeeper client to do, checked as the action language checks it
 * (the same path and data rules), made into the action the worker runs. A problem is a
 * catalogue key, never the input echoed as markup.
 */
import { DATA, PATH } from '../core/scenario/actionText';
import { CLIENT_BASE, clientName, MAX_CLIENTS, type Action, type ClientCommand } from '../core/sim/actions';

export { clientName };
import type { MessageKey } from '../i18n/messages';

export type ClientVerb = 'connect' | 'create' | 'setData' | 'delete' | 'getData' | 'sync' | 'close';

export interface ClientForm {
  client: number;
  /** the connect string: server ids, "1,2,3" */
  servers: string;
  path: string;
  data: string;
  ephemeral: boolean;
}

/** Is this node one of ZooKeeper's clients? */
export function isClientNode(id: number): boolean {
  return id >= CLIENT_BASE;
}

/** A node's name as the page writes it: S3 for a server, C1 for a client (node 1001). */
export function nodeName(id: number): string {
  return isClientNode(id) ? clientName(id) : `S${id}`;
}

export const CLIENT_NUMBERS = Array.from({ length: MAX_CLIENTS }, (_, i) => i + 1);

export function clientAction(verb: ClientVerb, f: ClientForm, serverIds: readonly number[]): { action: Action } | { problem: MessageKey } {
  const mk = (cmd: ClientCommand): { action: Action } => ({ action: { verb: 'client', client: f.client, cmd } });
  const needPath = verb === 'create' || verb === 'setData' || verb === 'delete' || verb === 'getData';
  if (needPath && !PATH.test(f.path)) return { problem: 'clientBadPath' };
  if ((verb === 'setData' || (verb === 'create' && f.data !== '')) && !DATA.test(f.data)) return { problem: 'clientBadData' };
  // (the action language would read it back as the flag)
  if (verb === 'create' && f.data === 'ephemeral') return { problem: 'clientBadData' };
  switch (verb) {
    case 'connect': {
      const ids = f.servers
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
      if (!ids.length || ids.some((x) => !/^\d{1,3}$/.test(x) || !serverIds.includes(Number(x)))) return { problem: 'clientBadServers' };
      return mk({ op: 'connect', servers: ids.map(Number) });
    }
    case 'create':
      return mk({ op: 'create', path: f.path, data: f.data, ephemeral: f.ephemeral });
    case 'setData':
      return mk({ op: 'setData', path: f.path, data: f.data });
    case 'delete':
      return mk({ op: 'delete', path: f.path });
    case 'getData':
      return mk({ op: 'getData', path: f.path });
    case 'sync':
      return mk({ op: 'sync' });
    case 'close':
      return mk({ op: 'close' });
  }
}
