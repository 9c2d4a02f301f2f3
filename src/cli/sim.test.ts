/** The CLI is a public contract: these tests pin its flags, its JSON fields and its exit codes. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function sim(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/sim.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Out {
  time: number;
  traceHash: string;
  nodes: { id: number; role: string; up: boolean; state: string | null; leader: number | null; electionEpoch: number | null; acceptedEpoch: number; currentEpoch: number; lastZxid: string | null }[];
  violations: unknown[];
}

describe('npm run sim', () => {
  it('three voters: server 3 leads, 1 and 2 follow it, with every contract field', () => {
    const r = sim('--voters', '3', '--until', '5000');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as Out;
    expect(o.time).toBe(5000);
    expect(o.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(o.violations).toEqual([]);
    expect(o.nodes.map((n) => [n.id, n.state, n.leader])).toEqual([
      [1, 'FOLLOWING', 3],
      [2, 'FOLLOWING', 3],
      [3, 'LEADING', 3],
    ]);
    for (const n of o.nodes) {
      expect(Object.keys(n)).toEqual(expect.arrayContaining(['id', 'role', 'up', 'state', 'leader', 'electionEpoch', 'acceptedEpoch', 'currentEpoch', 'lastZxid']));
      expect(n.role).toBe('voter');
      expect(n.lastZxid).toMatch(/^0x[0-9a-f]+$/);
    }
  });

  it('crashing 3 at 5000 ms makes 2 the leader of epoch 2', () => {
    const o = JSON.parse(sim('--voters', '3', '--until', '12000', '--actions', '5000 crash 3').out) as Out;
    expect(o.nodes.map((n) => [n.id, n.up, n.state, n.leader])).toEqual([
      [1, true, 'FOLLOWING', 2],
      [2, true, 'LEADING', 2],
      [3, false, null, null],
    ]);
    expect(o.nodes[1]!.currentEpoch).toBe(2);
    expect(o.nodes[1]!.lastZxid).toBe('0x200000000');
  });

  it('observers are reported with role "observer" and state OBSERVING; the same run gives the same hash', () => {
    const a = sim('--voters', '3', '--observers', '2', '--seed', '42', '--until', '8000');
    const b = sim('--voters', '3', '--observers', '2', '--seed', '42', '--until', '8000');
    const o = JSON.parse(a.out) as Out;
    expect(o.nodes.slice(3).map((n) => [n.role, n.state])).toEqual([
      ['observer', 'OBSERVING'],
      ['observer', 'OBSERVING'],
    ]);
    expect(JSON.parse(b.out).traceHash).toBe(o.traceHash);
  });

  it.each([
    [['--voters', 'x'], '--voters must be a whole number'],
    [['--voters', '0'], '--voters must be from'],
    [['--voters', '3', '--bogus'], 'Unknown option'],
    [['--voters', '3', '--actions', '10 crash 7'], 'no server 7'],
    [['--voters', '3', '--actions', '10 fly 1'], 'unknown verb'],
    [[], '--voters is required'],
  ])('a bad flag or action (%j) prints a clear error on stderr and exits 2', (args, msg) => {
    const r = sim(...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(msg);
    expect(r.out).toBe('');
  });
});
