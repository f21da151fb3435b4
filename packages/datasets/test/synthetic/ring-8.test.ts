// Tests of ring-8 against its definition in EVALUATION.md: 8 modes at
// (cos 2πk/8, sin 2πk/8), radius 1, σ = 0.01, equal weights; plus the options.
import { describe, expect, it } from 'vitest';
import { ring8 } from '../../src/synthetic/ring-8.js';

describe('ring8', () => {
  it('has the 8 modes of the definition, at angles 2πk/8 on the unit circle', () => {
    const ring = ring8();
    expect(ring.name).toBe('ring-8');
    expect(ring.dim).toBe(2);
    expect(ring.numModes).toBe(8);
    expect(ring.sigma).toBe(0.01);
    expect(ring.weights).toEqual(Array(8).fill(1 / 8));
    for (let k = 0; k < 8; k++) {
      expect(ring.means[k]).toEqual([Math.cos((2 * Math.PI * k) / 8), Math.sin((2 * Math.PI * k) / 8)]);
      const [x, y] = ring.means[k] as [number, number];
      expect(Math.hypot(x, y)).toBeCloseTo(1, 14);
    }
    // Spot values independent of the formula: k = 0, 2, 4, 6 are the axis points, k = 1 the diagonal.
    const axis = [[1, 0], [0, 1], [-1, 0], [0, -1]];
    axis.forEach(([x, y], i) => {
      expect(ring.means[2 * i]?.[0]).toBeCloseTo(x as number, 15);
      expect(ring.means[2 * i]?.[1]).toBeCloseTo(y as number, 15);
    });
    expect(ring.means[1]?.[0]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(ring.means[1]?.[1]).toBeCloseTo(Math.SQRT1_2, 15);
  });

  it('has no two coinciding modes (the linspace(0, 2π, 8) trap): neighbours are 2 sin(π/8) apart', () => {
    const ring = ring8();
    expect(ring.minModeDistance).toBeCloseTo(2 * Math.sin(Math.PI / 8), 12);
    const keys = new Set(ring.means.map(([x, y]) => `${(x as number).toFixed(6)},${(y as number).toFixed(6)}`));
    expect(keys.size).toBe(8);
  });

  it('freezes its parameters', () => {
    const ring = ring8();
    expect(Object.isFrozen(ring.means)).toBe(true);
    expect(Object.isFrozen(ring.means[0])).toBe(true);
    expect(Object.isFrozen(ring.weights)).toBe(true);
    expect(() => {
      (ring.means[0] as number[])[0] = 5;
    }).toThrow(TypeError);
  });

  it('accepts another mode count, radius and sigma', () => {
    const ring = ring8({ modes: 5, radius: 2, sigma: 0.1 });
    expect(ring.name).toBe('ring-5');
    expect(ring.numModes).toBe(5);
    expect(ring.sigma).toBe(0.1);
    for (let k = 0; k < 5; k++) {
      expect(ring.means[k]?.[0]).toBeCloseTo(2 * Math.cos((2 * Math.PI * k) / 5), 14);
      expect(ring.means[k]?.[1]).toBeCloseTo(2 * Math.sin((2 * Math.PI * k) / 5), 14);
    }
    expect(ring8({ name: 'my-ring' }).name).toBe('my-ring');
  });

  it('rejects bad options with typed errors', () => {
    expect(() => ring8({ modes: 0 })).toThrow(RangeError);
    expect(() => ring8({ modes: 2.5 })).toThrow(RangeError);
    expect(() => ring8({ modes: '8' as unknown as number })).toThrow(TypeError);
    expect(() => ring8({ sigma: 0 })).toThrow(RangeError);
    expect(() => ring8({ sigma: Number.NaN })).toThrow(/"sigma" expected a finite number > 0, got NaN/);
    expect(() => ring8({ radius: -1 })).toThrow(RangeError);
    expect(() => ring8({ radius: Infinity })).toThrow(RangeError);
    expect(() => ring8(null as unknown as object)).toThrow(TypeError);
  });
});
