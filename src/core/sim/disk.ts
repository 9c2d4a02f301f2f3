import { prngInt } from './prng';
import type { DiskWrite, SimEvent } from './state';
import type { AnyKernel, Kernel } from './kernel';
import type { DiskOp, Durable, Message, NodeId, NodeViewBase } from './types';

/**
 * One disk per node with group commit, like ZooKeeper's SyncRequestProcessor: a write joins the
 * next flush if it has not started yet; otherwise it starts a flush after the current one; in
 * order. A flush is one event: its writes complete together, as a flushed batch is handed on at
 * once. A failed disk (the `diskfail` action) takes the writes and reports them failed; an append
 * to a file queued behind a failed append to that file fails too (NodeRt.brokenFiles).
 */

export function persist(k: AnyKernel, id: NodeId, ops: DiskOp[], then: unknown): void {
  const st = k.st;
  const n = st.nodes[id]!;
  const w: DiskWrite = { then, ok: !n.diskFailed, ops, seq: n.writeSeq++ };
  if (st.now < n.flushStart && n.flush) return void n.flush.push(w);
  const lat = prngInt(st.rng, st.disk.latencyMin, st.disk.latencyMax);
  n.flushStart = Math.max(st.now, n.diskFreeAt);
  n.diskFreeAt = n.flushStart + lat;
  const writes = [w];
  n.flush = writes;
  k.push({ type: 'disk', node: id, inc: n.inc, writes, time: n.diskFreeAt, pri: 1, seq: 0 });
}

/** A flush ends: the writes it carried complete together, each handed back to the node in order. */
export function flushed<S, M extends Message, V extends NodeViewBase, D>(k: Kernel<S, M, V, D>, ev: Extract<SimEvent, { type: 'disk' }>): void {
  const n = k.st.nodes[ev.node]!;
  if (k.hashing) k.th.word(ev.node);
  if (n.paused && n.up && n.inc === ev.inc && !ev.landed) {
    // the kernel finishes the writes of a stopped process; what it does next waits for it
    for (const w of ev.writes) if (lands(n, w)) applyDiskOps(n.durable, w.ops);
    ev.landed = true;
    n.backlog.push(ev);
    return;
  }
  for (const w of ev.writes) {
    if (!n.up || n.inc !== ev.inc) return; // the write never reached the platter (or a handler crashed the node)
    if (!ev.landed && lands(n, w)) applyDiskOps(n.durable, w.ops);
    if (k.records) k.record({ type: 'disk', node: ev.node, code: w.ok ? 'disk.ok' : 'disk.failed', args: { tag: k.protocol.diskLabel(w.then as D) } });
    k.protocol.onDisk(n.state as S, w.then as D, w.ok, k.ctx(ev.node));
  }
}

/**
 * Does a write reach the disk? Not if the disk failed it, nor if it appends to a file whose
 * writer already failed on an append queued before it; a failed append breaks its file for
 * every append already queued. (w.ok is settled here, once: what the node is told later.)
 */
function lands(n: { writeSeq: number; brokenFiles: Record<string, number>; brokenUntil: number }, w: DiskWrite): boolean {
  // (brokenUntil, the largest of brokenFiles, spares the lookups when nothing queued before a failure is left)
  if (w.ok && w.seq < n.brokenUntil) for (const o of w.ops) if (o.op === 'append' && w.seq < (n.brokenFiles[o.key] ?? -1)) w.ok = false;
  if (!w.ok) {
    for (const o of w.ops) if (o.op === 'append') n.brokenFiles[o.key] = n.writeSeq;
    n.brokenUntil = n.writeSeq;
  }
  return w.ok;
}

export function applyDiskOps(d: Durable, ops: DiskOp[]): void {
  for (const o of ops) {
    if (o.op === 'set') d[o.key] = structuredClone(o.value);
    else if (o.op === 'append') {
      // in place: logs are append-only (checkpoints share their prefix)
      // items are taken as they are: a protocol hands over fresh values and never touches them again
      const arr = (d[o.key] as unknown[] | undefined) ?? (d[o.key] = []);
      for (const item of o.items) (arr as unknown[]).push(item);
    }
    else d[o.key] = ((d[o.key] as unknown[]) ?? []).slice(0, o.length);
  }
}
