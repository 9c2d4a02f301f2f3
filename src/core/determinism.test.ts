import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseActions } from './scenario/actionText';
import { defaultScenario } from './scenario/scenario';
import { buildRun, runTo } from './scenario/run';

function hashOf(seed: number | string, actions: string, until = 60_000, loss = 0.05): string {
  const r = buildRun(defaultScenario({ voters: 5, observers: 2, seed, net: { latencyMin: 1, latencyMax: 120, loss }, actions: parseActions(actions) }));
  runTo(r, until);
  return r.sim.traceHash();
}

describe('determinism', () => {
  const script = '3000 crash 5; 9000 partition 1,2|3,4; 20000 heal; 25000 restart 5; 30000 diskfail 4; 40000 diskok 4';

  it('the same scenario and seed give the same trace hash, bit for bit', () => {
    expect(hashOf(11, script)).toBe(hashOf(11, script));
    expect(hashOf('a string seed', script)).toBe(hashOf('a string seed', script));
  });

  it('a different seed or a different action gives a different trace', () => {
    const h = hashOf(11, script);
    expect(hashOf(12, script)).not.toBe(h);
    expect(hashOf(11, script.replace('3000 crash 5', '3001 crash 5'))).not.toBe(h);
  });

  it('running in one go or in many small steps gives the same trace', () => {
    const r = buildRun(defaultScenario({ voters: 5, seed: 3, actions: parseActions(script) }));
    for (let t = 0; t <= 60_000; t += 777) runTo(r, t);
    runTo(r, 60_000);
    const r2 = buildRun(defaultScenario({ voters: 5, seed: 3, actions: parseActions(script) }));
    runTo(r2, 60_000);
    expect(r.sim.traceHash()).toBe(r2.sim.traceHash());
  });
});

describe('the core is pure', () => {
  it('no wall clock, Math.random, timers or DOM anywhere in src/core', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f)) files.push(p);
      }
    };
    walk(join(__dirname));
    expect(files.length).toBeGreaterThan(10);
    const banned = /\b(Date\.now|new Date\(|Math\.random|performance\.now|setTimeout|setInterval|requestAnimationFrame|window\.|document\.)/;
    const offenders = files.filter((f) => banned.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
