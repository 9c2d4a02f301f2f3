import type { ZkServer } from './state';
import { describe, expect, it } from 'vitest';
import { FakeCtx } from '../testing/fakeCtx';
import { ensemble } from './config';
import { connectToLeader } from './discovery';
import type { ZkMessage } from './messages';
import { QuorumVerifier } from './quorum';
import { createZab } from './zab';

/** Server 1 has decided to follow 3 and dialled it. */
function dialling() {
  const cfg = ensemble(3, 0);
  const zab = createZab(cfg);
  const ctx = new FakeCtx<ZkMessage>(1);
  const s = zab.init({ id: 1, role: 'voter' }, {}, ctx) as ZkServer;
  s.state = 'FOLLOWING';
  s.currentVote = { ...s.currentVote, leader: 3 };
  connectToLeader(s, { cfg, qv: new QuorumVerifier(cfg.voters), ctx });
  ctx.clear();
  return { zab, ctx, s, conn: s.learner!.conn! };
}

describe('connecting to the leader (Learner.connectToLeader, registerWithLeader)', () => {
  it('a refused connect (nobody listens on the quorum port yet) is tried again 100 ms later', () => {
    const { zab, ctx, s, conn } = dialling();
    zab.onClosed(s, conn, 3, ctx, true);
    expect(s.state).toBe('FOLLOWING');
    expect(ctx.timers.get('connectRetry')).toBe(100);
    expect(ctx.notes).not.toContain('goesLooking');
  });

  it('a connection that was made and then closed, before LEADERINFO too, sends it back to LOOKING at once (D9)', () => {
    const { zab, ctx, s, conn } = dialling();
    zab.onClosed(s, conn, 3, ctx, false);
    expect(s.state).toBe('LOOKING');
    expect(ctx.notes).toContain('goesLooking');
    expect(ctx.timers.has('connectRetry')).toBe(false);
  });

  it('a server that does not lead refuses the connect; a leader accepts it', () => {
    const { zab, ctx } = dialling();
    const other = new FakeCtx<ZkMessage>(3);
    const looking = zab.init({ id: 3, role: 'voter' }, {}, other);
    const refused: { conn: number; refuse?: boolean }[] = [];
    other.close = (conn: number, refuse?: boolean) => void refused.push({ conn, refuse });
    zab.onMessage(looking, 1, { kind: 'FOLLOWERINFO', acceptedEpoch: 0 }, 7, other);
    expect(refused).toEqual([{ conn: 7, refuse: true }]);
    void ctx;
  });
});
