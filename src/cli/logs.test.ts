import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const logs = (args: string[]) => {
  const r = spawnSync(process.execPath, ['scripts/cli.mjs', 'logs', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const DIR = 'testdata/logs/3.8.0/default/a-follower-back-after-a-short-absence-gets-a-diff';

describe('npm run logs', () => {
  it('reads a real ensemble’s logs: each server, its elections and syncs, where it stood at the end', () => {
    const r = logs([`${DIR}/server1.log`, `${DIR}/server2.log`, `${DIR}/server3.log`]);
    expect(r.code, r.err).toBe(0);
    const { servers } = JSON.parse(r.out);
    expect(servers.map((s: { myid: number }) => s.myid)).toEqual([1, 2, 3]);
    const s1 = servers[0];
    // S1 came back after a short absence: its last life began with a DIFF
    expect(s1.end).toEqual({ state: 'FOLLOWING', zab: 'broadcast', sync: 'DIFF' });
    expect(s1.starts).toBe(2);
    expect(s1.elections.length).toBeGreaterThan(0);
    expect(s1.syncs.at(-1)).toMatchObject({ mode: 'DIFF', zxid: expect.stringMatching(/^0x1000000/) });
    expect(servers.filter((s: { end: { state: string } }) => s.end.state === 'LEADING')).toHaveLength(1);
    // its states over time: each life starts, looks, then follows through discovery, synchronization and broadcast
    const lives = s1.states.map((x: { state: string; zab: string | null }) => (x.zab ? `${x.state}/${x.zab}` : x.state));
    expect(lives.filter((x: string) => x === 'START')).toHaveLength(2);
    const last = lives.slice(lives.lastIndexOf('START'));
    expect(last.slice(0, 4)).toEqual(['START', 'LOOKING', 'FOLLOWING', 'FOLLOWING/discovery']);
    expect(last).toContain('FOLLOWING/synchronization');
    expect(last.at(-1)).toBe('FOLLOWING/broadcast');
    expect(s1.notifications).toBeGreaterThan(2);
    // each time it looked: the last ended following the leader, about as long as ZooKeeper says
    const leader = servers.find((s: { end: { state: string } }) => s.end.state === 'LEADING').myid;
    const looked = s1.lookings.at(-1);
    expect(looked).toMatchObject({ to: { state: 'FOLLOWING' }, leader, senders: expect.arrayContaining([leader]) });
    expect(Math.abs(looked.tookMs - looked.loggedTookMs)).toBeLessThan(50);
  });

  it('refuses bad input with a message and exit status 2', () => {
    for (const args of [[], ['/no/such/file.log'], ['--myid', 'x', `${DIR}/server1.log`], ['--bogus']]) {
      const r = logs(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/logs: /);
    }
  });
});
