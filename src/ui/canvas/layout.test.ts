import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitLayout, footprint, type Point } from './layout';

/** Voters on the ring, observers below it. */
const ensemble = (voters: number, observers: number) => [
  ...Array.from({ length: voters }, (_, i) => ({ id: i + 1, ring: true })),
  ...Array.from({ length: observers }, (_, i) => ({ id: voters + i + 1, ring: false })),
];

/** Two servers' boxes (circle, crown, log strip, caption lines) overlap. */
function overlap(a: Point, b: Point, r: number, lines: number): boolean {
  const f = footprint(r, lines);
  const box = (p: Point) => ({ x0: p.x - f.left, x1: p.x + f.right, y0: p.y - f.top, y1: p.y + f.bottom });
  const p = box(a);
  const q = box(b);
  return p.x0 < q.x1 - 0.5 && q.x0 < p.x1 - 0.5 && p.y0 < q.y1 - 0.5 && q.y0 < p.y1 - 0.5;
}

describe('the canvas layout', () => {
  it('never overlaps two servers, nor leaves the canvas, when it says it fits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 320, max: 1920 }), fc.integer({ min: 320, max: 1080 }), (v, o, w, h) => {
        const fit = fitLayout(ensemble(v, o), {}, w, h);
        const ps = [...fit.pos.values()];
        for (const p of ps) {
          expect(p.x).toBeGreaterThanOrEqual(0);
          expect(p.x).toBeLessThanOrEqual(w);
          expect(p.y).toBeGreaterThanOrEqual(0);
          expect(p.y).toBeLessThanOrEqual(h);
        }
        if (!fit.fitted) return;
        for (let i = 0; i < ps.length; i++) for (let j = i + 1; j < ps.length; j++) expect(overlap(ps[i]!, ps[j]!, fit.r, fit.lines), `${v}+${o} on ${w}×${h}`).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('fits the usual ensembles (up to 7 voters and 2 observers) on a canvas of 600 × 400 or more, with captions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 600, max: 1920 }), fc.integer({ min: 400, max: 1080 }), (v, o, w, h) => {
        const fit = fitLayout(ensemble(v, o), {}, w, h);
        expect(fit.fitted, `${v}+${o} on ${w}×${h}`).toBe(true);
        expect(fit.lines, `${v}+${o} on ${w}×${h}`).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 200 },
    );
  });

  it('gives a roomy canvas large servers with full captions', () => {
    const fit = fitLayout(ensemble(9, 3), {}, 1535, 744);
    expect(fit.r).toBeGreaterThanOrEqual(30);
    expect(fit.lines).toBe(3);
  });

  it('keeps a partitioned side inside the canvas', () => {
    const fit = fitLayout(ensemble(5, 1), { 1: 1, 2: 1 }, 640, 420);
    for (const p of fit.pos.values()) {
      expect(p.x).toBeGreaterThan(0);
      expect(p.y).toBeGreaterThan(0);
      expect(p.x).toBeLessThan(640);
      expect(p.y).toBeLessThan(420);
    }
  });
});
