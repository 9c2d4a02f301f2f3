import type { MessageKey } from '../i18n/messages';
import type { Snapshot } from '../worker/messages';

export interface Announcement {
  key: MessageKey;
  vars: Record<string, string | number>;
}

/**
 * What a screen reader should hear about the step from `prev` to `next`: a leader elected (with
 * its epoch or round, so a new epoch is heard too), a leader gone, a server down or back up, an
 * invariant violated. Nothing when the run jumped (a load, a seek, a step back: `reset`), or
 * while it runs ahead to a moment without drawing (`runTo`): those are not news.
 */
export function announcements(prev: Snapshot | null, next: Snapshot): Announcement[] {
  if (!prev || next.reset || next.runTo !== null || prev.protocol !== next.protocol) return [];
  const out: Announcement[] = [];
  const before = new Map(prev.nodes.map((n) => [n.id, n.up]));
  for (const n of next.nodes) {
    const was = before.get(n.id);
    if (was === true && !n.up) out.push({ key: 'announce.down', vars: { id: n.id } });
    else if (was === false && n.up) out.push({ key: 'announce.up', vars: { id: n.id } });
  }
  // 2PC's coordinator is fixed: its going down or up is said above
  if (next.protocol !== '2pc') {
    const a = prev.lead;
    const b = next.lead;
    if (b.id !== null && (b.id !== a.id || b.epoch !== a.epoch)) out.push({ key: next.protocol === 'paxos' ? 'announce.leaderPaxos' : 'announce.leader', vars: { id: b.id, epoch: b.epoch } });
    else if (b.id === null && a.id !== null) out.push({ key: 'announce.noLeader', vars: { id: a.id } });
  }
  for (const v of next.violations.slice(prev.violations.length)) out.push({ key: 'announce.violation', vars: { invariant: v.invariant } });
  return out;
}
