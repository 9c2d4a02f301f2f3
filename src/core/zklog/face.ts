/**
 * A server of a real ensemble's logs as the canvas draws it: the colours of ZooKeeper's states
 * (zk/face.ts), and in small print only what its log said: its epoch and last zxid known, its
 * Zab phase, the last sync it received, and while it looks, how many peers it has heard and how
 * often its notifications timed out. Nothing is filled in from the model.
 */
import type { NodeFace } from '../face/face';
import { STATE_HUE } from '../zk/face';
import { zxidHex, zxidShort } from '../zk/zxid';
import type { ServerNow } from './replay';

export function logFace(s: ServerNow): NodeFace {
  const face: NodeFace = { hue: s.state ? (STATE_HUE[s.state] ?? 'slate') : 'slate', lines: [], log: [] };
  const zxid = s.zxid === null ? '?' : zxidShort(s.zxid);
  if (s.state === null) {
    face.lines.push({ text: { code: 'zklog.starting' } });
    return face;
  }
  if (s.state === 'LEADING') face.leads = true;
  if (s.state === 'LOOKING') {
    face.seeking = true;
    const peers = Object.keys(s.heard).length;
    face.lines.push({ text: { code: 'zklog.looking', args: { zxid, peers } }, ...(s.zxid !== null ? { title: zxidHex(s.zxid) } : {}) });
    if (s.timeouts > 0) face.lines.push({ text: { code: 'zklog.timeouts', args: { n: s.timeouts } }, tone: 'notice' });
    return face;
  }
  face.lines.push({ text: `e ${s.epoch ?? '?'} · zxid ${zxid}`, ...(s.zxid !== null ? { title: zxidHex(s.zxid) } : {}) });
  if (s.zab && s.zab !== 'broadcast') face.lines.push(s.zab);
  if (s.sync && s.state !== 'LEADING') face.lines.push(`${s.sync.mode} ${zxidShort(s.sync.zxid)}`);
  return face;
}
