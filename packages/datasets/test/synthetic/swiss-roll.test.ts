// Tests of the WGAN-GP swiss roll against its definition: t = 1.5π(1 + 2u), points
// ((t cos t, t sin t) + noise·z) / 7.5 — exactly on the spiral with noise 0, with
// N(0, 0.25²) residuals otherwise.
import { describe, expect, it } from 'vitest';
import { swissRoll } from '../../src/synthetic/swiss-roll.js';

describe('swissRoll', () => {
  it('puts noiseless points on the spiral: |p|·7.5 = t and the angle of p is t (mod 2π)', () => {
    const { points, t } = swissRoll({ noise: 0 }).sample(10_000, { seed: 1 });
    let worstRadius = 0;
    let worstAngle = 0;
    for (let i = 0; i < t.length; i++) {
      const ti = t[i] as number;
      const x = points[2 * i] as number;
      const y = points[2 * i + 1] as number;
      worstRadius = Math.max(worstRadius, Math.abs(Math.hypot(x, y) * 7.5 - ti) / ti);
      const angle = Math.atan2(y, x);
      worstAngle = Math.max(worstAngle, Math.abs(Math.atan2(Math.sin(angle - ti), Math.cos(angle - ti))));
    }
    expect(Math.min(...t)).toBeGreaterThanOrEqual(1.5 * Math.PI);
    expect(Math.max(...t)).toBeLessThan(4.5 * Math.PI);
    expect(worstRadius).toBeLessThan(1e-6); // float32 storage
    expect(worstAngle).toBeLessThan(1e-6);
  });

  it('draws t uniformly on [1.5π, 4.5π)', () => {
    const { t } = swissRoll().sample(100_000, { seed: 2 });
    const u = Array.from(t, (v) => (v / (1.5 * Math.PI) - 1) / 2);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / u.length));
    // Kolmogorov–Smirnov distance to U(0, 1): the 0.1 % critical value is 1.95/√n.
    u.sort((a, b) => a - b);
    let ks = 0;
    u.forEach((v, i) => (ks = Math.max(ks, Math.abs(v - i / u.length), Math.abs(v - (i + 1) / u.length))));
    expect(ks).toBeLessThan(1.95 / Math.sqrt(u.length));
  });

  it('adds N(0, noise²) per coordinate before dividing by the scale', () => {
    const roll = swissRoll();
    expect(roll.noise).toBe(0.25);
    expect(roll.scale).toBe(7.5);
    const n = 100_000;
    const { points, t } = roll.sample(n, { seed: 3 });
    const sums = [0, 0];
    const squares = [0, 0];
    for (let i = 0; i < n; i++) {
      const ti = t[i] as number;
      const residual = [(points[2 * i] as number) * 7.5 - ti * Math.cos(ti), (points[2 * i + 1] as number) * 7.5 - ti * Math.sin(ti)];
      residual.forEach((r, j) => {
        sums[j]! += r;
        squares[j]! += r * r;
      });
    }
    for (let j = 0; j < 2; j++) {
      expect(Math.abs(sums[j]! / n)).toBeLessThan((4 * 0.25) / Math.sqrt(n));
      expect(Math.abs(Math.sqrt(squares[j]! / n) / 0.25 - 1)).toBeLessThan(0.02);
    }
  });

  it('honours a custom scale and is reproducible by seed, with the same t at every noise level', () => {
    const a = swissRoll({ noise: 0, scale: 1 }).sample(50, { seed: 4 });
    for (let i = 0; i < 50; i++) expect(Math.hypot(a.points[2 * i] as number, a.points[2 * i + 1] as number)).toBeCloseTo(a.t[i] as number, 5);
    const b = swissRoll().sample(50, { seed: 4 });
    expect(b.t).toEqual(a.t);
    expect(swissRoll().sample(50, { seed: 4 }).points).toEqual(b.points);
    expect(swissRoll().sample(50, { seed: 5 }).t).not.toEqual(b.t);
  });

  it('builds an unlabelled 2-D points dataset', async () => {
    const roll = swissRoll();
    const ds = roll.dataset(128, { seed: 6 });
    expect(ds.name).toBe('swiss-roll');
    expect(ds.size).toBe(128);
    expect(ds.kind).toBe('points');
    expect(ds.exampleShape).toEqual([2]);
    expect(ds.labels).toBeUndefined();
    expect(await ds.read([5])).toEqual(roll.sample(128, { seed: 6 }).points.slice(10, 12));
  });

  it('rejects bad options with typed errors', () => {
    expect(() => swissRoll({ noise: -0.1 })).toThrow(/"noise" expected a finite number ≥ 0, got -0.1/);
    expect(() => swissRoll({ scale: 0 })).toThrow(RangeError);
    expect(() => swissRoll({ noise: '0.25' as unknown as number })).toThrow(TypeError);
    expect(() => swissRoll().sample(-3)).toThrow(RangeError);
    expect(() => swissRoll().sample(3, { seed: 2 ** 32 })).toThrow(RangeError);
  });
});
