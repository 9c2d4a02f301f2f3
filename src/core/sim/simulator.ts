import type { Action, TimedAction } from './actions';
import { queueFind, queueNextTime, queuePop, queueRemove } from './eventQueue';
import { restoreCheckpoint, takeCheckpoint, type Checkpoint } from './checkpoint';
import { flushed } from './disk';
import { applyAction, bootNode, clientRequest, clientWrites, scheduleClientTick } from './faults';
import { Kernel } from './kernel';
import { deliver, flights } from './network';
import { onCnxClosed, onDial } from './quorumCnx';
import type { Flight, NodeRt, SimEvent } from './state';
import type { Message, NodeId, NodeViewBase } from './types';

export { applyDiskOps } from './disk';
export type { Checkpoint } from './checkpoint';
export type { Sent, StepRecord } from './stepRecord';
export { labelMessages, STREAM_RTO_MS } from './state';
export type { DiskConfig, Flight, NetConfig, SimConfig, SimEvent, SimState, TraceRecord } from './state';

/**
 * The deterministic discrete-event simulator. It owns simulated time, the seeded PRNG, the
 * network (network.ts), the disks (disk.ts), faults and node lifecycles (faults.ts), and drives a
 * Protocol's handlers through each node's context (kernel.ts). Its whole state is plain data
 * (state.ts), so a checkpoint is a structured clone (checkpoint.ts), and the same config and
 * actions always give the same trace hash.
 */
export class Simulator<S, M extends Message, V extends NodeViewBase, D = unknown> extends Kernel<S, M, V, D> {
  /** Start every node at time 0 except those the script crashes at time 0 (they start down). */
  start(actions: TimedAction[] = []): void {
    const downAtZero = new Set(
      actions.filter((a) => a.at === 0 && a.action.verb === 'crash').map((a) => (a.action as { id: NodeId }).id),
    );
    // those crashes are still applied (and counted) in their turn, so that a replay from a
    // checkpoint finds the same actions left to apply; they find their server not yet started
    for (const a of actions) this.schedule(a);
    for (const id of this.st.order) if (!downAtZero.has(id)) bootNode(this, id);
  }

  /**
   * Put the actions not yet applied back in the queue: `all` is every action of the run in the
   * order they apply (by time, then as listed). After restoring a checkpoint taken before some
   * of them were added (a person's clicks), this makes the replay see them again.
   */
  rescheduleActions(all: TimedAction[]): void {
    queueRemove(this.st.queue, (e) => e.type === 'action');
    for (const a of all.slice(this.st.actionsDone)) this.schedule(a);
  }

  schedule(a: TimedAction): void {
    this.push({ type: 'action', action: a.action, time: Math.max(a.at, this.st.now), pri: 0, seq: 0 });
  }

  /** Apply an action now (the worker schedules user clicks as actions instead, see schedule). */
  apply(action: Action): void {
    applyAction(this, action);
  }

  get now(): number {
    return this.st.now;
  }

  traceHash(): string {
    return this.th.hex();
  }

  nextEventTime(): number | null {
    return queueNextTime(this.st.queue);
  }

  /** Is a message due next (rather than only timers, disk writes and actions)? */
  messageDueNext(): boolean {
    const t = queueNextTime(this.st.queue);
    return t !== null && queueFind(this.st.queue, t, (ev) => ev.type === 'deliver') !== undefined;
  }

  /** Process one event; returns false when nothing is left to do. */
  step(): boolean {
    const ev = queuePop(this.st.queue);
    if (!ev) return false;
    this.st.now = ev.time;
    this.st.step++;
    const log = this.log;
    log.begin();
    log.touched = ev.type === 'deliver' || ev.type === 'dial' ? ev.to : ev.type === 'action' || ev.type === 'clientTick' ? null : ev.node;
    if (this.hashing) {
      // every event, even one that turns out superseded, by its time (not its queue number: going
      // back in time schedules a person's actions again, with new numbers)
      this.th.word(ev.time);
      this.lastSent = null;
    }
    this.dispatch(ev);
    log.end();
    return true;
  }

  /** Run every event due at or before `t`, then set the clock to `t`. */
  runUntil(t: number, maxSteps = Infinity): void {
    let n = 0;
    for (;;) {
      const next = queueNextTime(this.st.queue);
      if (next === null || next > t || n >= maxSteps) break;
      this.step();
      n++;
    }
    if (n < maxSteps && t > this.st.now) this.st.now = t;
  }

  private dispatch(ev: SimEvent): void {
    switch (ev.type) {
      case 'action':
        this.st.actionsDone++;
        return applyAction(this, ev.action);
      case 'clientTick':
        if (ev.gen !== this.st.rateGen) return;
        // one write changes one server: the checkers need look only there
        this.log.touched = clientWrites(this, 1) ?? null;
        return scheduleClientTick(this);
      case 'deliver':
        return deliver(this, ev);
      case 'timer': {
        const n = this.st.nodes[ev.node]!;
        if (!n.up || n.inc !== ev.inc || n.timerEvents[ev.name] !== ev.time) return; // superseded
        delete n.timerEvents[ev.name];
        const due = n.timers[ev.name];
        if (due === undefined) return; // cancelled
        if (due > ev.time) return this.queueTimer(n, ev.node, ev.name, due); // re-armed later
        if (n.paused) return void n.backlog.push(ev); // it fires late, when the process resumes
        delete n.timers[ev.name];
        if (this.hashing) {
          this.th.word(ev.node);
          this.th.name(ev.name);
        }
        this.record({ type: 'timer', node: ev.node, code: 'timer', args: { name: ev.name } });
        return this.protocol.onTimer(n.state as S, ev.name, this.ctx(ev.node));
      }
      case 'disk':
        return flushed(this, ev);
      case 'client':
        return clientRequest(this, ev.node, ev.op);
      case 'dial':
        return onDial(this, ev);
      case 'closed': {
        const n = this.st.nodes[ev.node]!;
        if (!n.up) return;
        // an election connection is QuorumCnxManager's business, under the protocol
        if (ev.qcm) return onCnxClosed(this, ev.node, ev.peer, ev.conn);
        if (n.paused) return void n.backlog.push(ev);
        if (this.hashing) {
          this.th.word((ev.node << 16) | ev.peer);
          this.th.word(ev.conn);
        }
        this.record({ type: 'closed', node: ev.node, peer: ev.peer, code: 'closed', args: { peer: ev.peer } });
        return this.protocol.onClosed(n.state as S, ev.conn, ev.peer, this.ctx(ev.node), ev.refused === true);
      }
    }
  }

  // ---- inspection -------------------------------------------------------------------------

  node(id: NodeId): NodeRt<S> {
    const n = this.st.nodes[id];
    if (!n) throw new Error(`no server ${id}`);
    return n;
  }

  nodeIds(): NodeId[] {
    return this.st.order;
  }

  /** Client nodes, in the order they started (empty unless a `client` action ran). */
  clientIds(): NodeId[] {
    return this.st.clients;
  }

  /** A client node as the page and the CLI show it. */
  clientView(id: NodeId): NodeViewBase & { up: boolean } {
    const n = this.node(id);
    if (!n.up || n.state === null || !this.protocol.viewClient) return { id, role: 'client', state: 'DOWN', up: false };
    return { ...this.protocol.viewClient(n.state), up: true };
  }

  view(id: NodeId, detail = true): (V & { up: boolean; diskFailed: boolean; flags?: string[]; paused?: { backlog: number } }) | { id: NodeId; role: string; state: 'DOWN'; up: false; diskFailed: boolean; flags?: string[] } {
    const n = this.node(id);
    // only when a person switched one on: snapshots of large ensembles stay small
    const f = Object.keys(n.flags);
    const flags = f.length ? { flags: f } : {};
    if (!n.up || n.state === null) return { id, role: n.spec.role, state: 'DOWN', up: false, diskFailed: n.diskFailed, ...flags };
    // a paused process shows the state it stopped in, and how much waits for it
    const paused = n.paused ? { paused: { backlog: n.backlog.length } } : {};
    return { ...this.protocol.view(n.state, n.durable, detail), up: true, diskFailed: n.diskFailed, ...flags, ...paused };
  }

  /** Every message on the wire or held on a cut stream, oldest first (see network.ts). */
  flights(newest = Infinity): Flight[] {
    return flights(this, newest);
  }

  // ---- checkpoints --------------------------------------------------------------------------

  checkpoint(): Checkpoint<S> {
    return takeCheckpoint(this);
  }

  restore(cp: Checkpoint<S>): void {
    restoreCheckpoint(this, cp);
  }
}
