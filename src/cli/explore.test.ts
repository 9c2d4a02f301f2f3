import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const cli = (tool: string, args: string[]) => {
  const r = spawnSync(process.execPath, ['scripts/cli.mjs', tool, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('npm run explore', () => {
  it('finds a counterexample, prints it as JSON with a link, and `sim --url` replays it to the same violation', () => {
    const r = cli('explore', ['--protocol', 'paxos', '--ablation', 'paxos.forgetPromise', '--runs', '100', '--seed', '3']);
    expect(r.code, r.err).toBe(0);
    const o = JSON.parse(r.out);
    expect(o).toMatchObject({ protocol: 'paxos', ablations: ['paxos.forgetPromise'], seed: 3, runs: 100, found: true });
    expect(o.runsPerSecond).toBeGreaterThan(0);
    const c = o.counterexample;
    expect(c.invariant).toMatch(/^[A-Z]\w+$/);
    expect(c.actions.length).toBeLessThanOrEqual(c.actionsBeforeShrinking);
    expect(c.url).toMatch(/^#s=v2\./);
    const replay = cli('sim', ['--url', c.url]);
    expect(replay.code, replay.err).toBe(0);
    const s = JSON.parse(replay.out);
    expect(s.time).toBe(c.time);
    expect(s.steps).toBe(c.step);
    expect(s.violations[0]).toMatchObject({ invariant: c.invariant, time: c.time, step: c.step });
    expect(s.ablations).toEqual(['paxos.forgetPromise']);
  });

  it('reports nothing found with no rule switched off', () => {
    const r = cli('explore', ['--protocol', '2pc', '--runs', '40']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ found: false, tried: 40, counterexample: null, ablations: [] });
  });

  it('reports the liveness bound and the note codes reached and never reached; --no-liveness drops the phase', () => {
    const o = JSON.parse(cli('explore', ['--protocol', '2pc', '--runs', '20']).out);
    expect(o.liveness.boundMs).toBeGreaterThan(o.liveness.slowestMs);
    expect(o.liveness.slowestMs).toBeGreaterThan(0);
    expect(o.coverage.reached['twopc.prepare']).toBeGreaterThan(0);
    expect(o.coverage.neverReached).toContain('twopc.presumedCommit'); // its rule is on
    expect(o.coverage.unknown).toEqual([]);
    const off = JSON.parse(cli('explore', ['--protocol', '2pc', '--runs', '5', '--no-liveness']).out);
    expect(off.liveness).toBeNull();
  });

  it("finds ZooKeeper 3.8.0's own bugs with no rule switched off, names them, and `sim` replays the shrunk actions", () => {
    const r = cli('explore', ['--voters', '3', '--runs', '400', '--seed', '1', '--zk', '3.8.0']);
    expect(r.code, r.err).toBe(0);
    const o = JSON.parse(r.out);
    expect(o.zk).toBe('3.8.0');
    const c = o.counterexample;
    expect(c.knownBugs.length).toBeGreaterThan(0);
    for (const b of c.knownBugs) expect(b).toMatchObject({ id: expect.stringMatching(/^(ZOOKEEPER-\d+|stale-ack|sync-cut-short)$/), releases: expect.any(String), summary: expect.any(String) });
    expect(c.knownBugs.map((b: { jira: string | null }) => b.jira)).toContain('https://issues.apache.org/jira/browse/ZOOKEEPER-4394');
    expect(c.liveness).toBeNull();
    const s = JSON.parse(cli('sim', ['--voters', '3', '--seed', String(c.seed), '--until', String(c.time), '--actions', c.actions.join('; ')]).out);
    expect(s.violations[0]).toMatchObject({ invariant: c.invariant, time: c.time, step: c.step });
    // on 3.9 the same search meets ZOOKEEPER-4882 instead
    const newest = JSON.parse(cli('explore', ['--voters', '3', '--runs', '1500', '--seed', '8', '--zk', '3.9', '--no-shrink']).out);
    expect(newest.counterexample.knownBugs.map((b: { id: string }) => b.id)).toEqual(['ZOOKEEPER-4882']);
  });

  it('refuses bad input with a message', () => {
    for (const args of [['--zk', '3.7'], ['--protocol', '2pc', '--zk', '3.8.0'], ['--ablation', 'noSuchRule'], ['--protocol', 'raft'], ['--runs', '0'], ['--protocol', 'zab', '--ablation', 'twopc.presumeCommit'], ['--bogus']]) {
      const r = cli('explore', args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/^explore: /);
    }
  });
});
