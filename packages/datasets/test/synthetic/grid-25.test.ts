// Tests of grid-25 against its definition in EVALUATION.md: 25 modes at {−4,−2,0,2,4}²,
// σ = 0.05, equal weights; plus the size / spacing options.
import { describe, expect, it } from 'vitest';
import { grid25 } from '../../src/synthetic/grid-25.js';

describe('grid25', () => {
  it('has exactly the 25 points of {−4, −2, 0, 2, 4}² as means, x varying slowest', () => {
    const grid = grid25();
    expect(grid.name).toBe('grid-25');
    expect(grid.dim).toBe(2);
    expect(grid.numModes).toBe(25);
    expect(grid.sigma).toBe(0.05);
    const axis = [-4, -2, 0, 2, 4];
    const expected = axis.flatMap((x) => axis.map((y) => [x, y]));
    expect(grid.means).toEqual(expected);
    expect(grid.weights.every((w) => w === 1 / 25)).toBe(true);
    expect(grid.minModeDistance).toBe(2);
    expect(Array.from(grid.meanMatrix())).toEqual(expected.flat());
  });

  it('accepts another size, spacing and sigma, centred on the origin', () => {
    const grid = grid25({ size: 4, spacing: 1, sigma: 0.1 });
    expect(grid.name).toBe('grid-16');
    const axis = [-1.5, -0.5, 0.5, 1.5];
    expect(grid.means).toEqual(axis.flatMap((x) => axis.map((y) => [x, y])));
    expect(grid.sigma).toBe(0.1);
    expect(grid25({ size: 1 }).means).toEqual([[0, 0]]);
  });

  it('rejects bad options with typed errors', () => {
    expect(() => grid25({ size: 0 })).toThrow(RangeError);
    expect(() => grid25({ spacing: 0 })).toThrow(/"spacing" expected a finite number > 0, got 0/);
    expect(() => grid25({ sigma: -0.05 })).toThrow(RangeError);
    expect(() => grid25({ sigma: '0.05' as unknown as number })).toThrow(TypeError);
    expect(() => grid25({ name: 3 as unknown as string })).toThrow(TypeError);
  });
});
