// Tests of the sliced W2: exact in 1-D (against the rational fixtures), below W2/√d
// in higher dimensions (W2 from SciPy's assignment in the fixtures), the closed form
// SW2² = |v|²/d of a translation with a standard error that shrinks as 1/√P,
// determinism per seed, and the typed errors at the boundary.
import { createRng } from '@aeot/tensor-backend';
import { describe, expect, it } from 'vitest';
import { NonFiniteFeaturesError } from '../src/errors.js';
import { slicedWasserstein2 } from '../src/sliced-wasserstein.js';
import { relativeError, wassersteinFixture, type AssignmentCase } from './fixtures/wasserstein.js';

const fixture = wassersteinFixture;
const column = (values: number[]) => ({ data: values, shape: [values.length, 1] as [number, number] });

/** n points in d dimensions and the same points translated by v, in a shuffled order. */
function translatedPair(seed: number, n: number, v: number[]): [{ data: Float64Array; shape: [number, number] }, { data: Float64Array; shape: [number, number] }] {
  const d = v.length;
  const rng = createRng(seed);
  const a = rng.fillNormal(new Float64Array(n * d));
  const order = rng.permutation(n);
  const b = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) b[(order[i] as number) * d + k] = (a[i * d + k] as number) + (v[k] as number);
  return [
    { data: a, shape: [n, d] },
    { data: b, shape: [n, d] },
  ];
}

describe('slicedWasserstein2', () => {
  it.each(fixture.oneD.map((c) => [c.name, c] as const))('equals the exact W2 in 1-D, any sizes: %s', (_, c) => {
    const result = slicedWasserstein2(column(c.a), column(c.b), { projections: 8 });
    expect(relativeError(result.squared, c.squared)).toBeLessThan(1e-12);
    expect(relativeError(result.distance, Math.sqrt(c.squared))).toBeLessThan(1e-12);
    expect(result.standardError).toBeLessThan(1e-12 * c.squared);
    expect(result.projections).toBe(8);
  });

  it.each(fixture.assignment.filter((c) => c.d >= 2).map((c) => [c.name, c] as const))('stays below W2/√d (up to its standard error): %s', (_, c) => {
    const result = slicedWasserstein2({ data: c.a, shape: [c.n, c.d] }, { data: c.b, shape: [c.n, c.d] }, { projections: 128, seed: 5 });
    // SW2² = E_θ W2²(θ#μ, θ#ν) ≤ W2²/d holds for the expectation; the estimate may exceed
    // it by Monte Carlo error only, which matters where the bound is nearly tight (one
    // coordinate dominating, as in the "scales" case).
    expect(result.squared).toBeLessThanOrEqual((c.squared / c.d) * (1 + 1e-12) + 4 * result.standardError);
    expect(result.squared).toBeGreaterThan(0);
  });

  it('gives SW2² = |v|²/d for a translation, converging as 1/√P', () => {
    const v = [1, -2, 0.5, 3, 0, -1];
    const truth = v.reduce((s, x) => s + x * x, 0) / v.length;
    const [a, b] = translatedPair(1, 24, v);
    const errors: number[] = [];
    let previous = Infinity;
    for (const projections of [16, 256, 4096]) {
      const result = slicedWasserstein2(a, b, { projections, seed: 2 });
      expect(Math.abs(result.squared - truth)).toBeLessThanOrEqual(4 * result.standardError);
      // 16× the directions: the standard error falls about 4×.
      expect(result.standardError).toBeLessThan(previous / 2.5);
      previous = result.standardError;
      errors.push(Math.abs(result.squared - truth));
    }
    expect(previous).toBeLessThan(0.03 * truth);
    expect(errors[2]).toBeLessThan(0.05 * truth);
  });

  it('gives the same result for the same seed, and a different estimate for another seed', () => {
    const c = fixture.assignment.find((x) => x.d === 3) as AssignmentCase;
    const a = { data: c.a, shape: [c.n, c.d] as [number, number] };
    const b = { data: c.b, shape: [c.n, c.d] as [number, number] };
    const first = slicedWasserstein2(a, b, { projections: 64, seed: 9 });
    const again = slicedWasserstein2(a, b, { projections: 64, seed: 9 });
    expect(again.squared).toBe(first.squared);
    expect(again.standardError).toBe(first.standardError);
    const other = slicedWasserstein2(a, b, { projections: 64, seed: 10 });
    expect(other.squared).not.toBe(first.squared);
    // Two independent estimates of one quantity.
    expect(Math.abs(other.squared - first.squared)).toBeLessThan(5 * Math.hypot(first.standardError, other.standardError));
    // The default seed is 0.
    expect(slicedWasserstein2(a, b, { projections: 64 }).squared).toBe(slicedWasserstein2(a, b, { projections: 64, seed: 0 }).squared);
  });

  it('accepts sets of different sizes and is symmetric', () => {
    const rng = createRng(4);
    const a = { data: rng.fillNormal(new Float64Array(30 * 3)), shape: [30, 3] as [number, number] };
    const b = { data: rng.fillNormal(new Float64Array(45 * 3), 1, 1), shape: [45, 3] as [number, number] };
    const ab = slicedWasserstein2(a, b, { projections: 32, seed: 1 });
    const ba = slicedWasserstein2(b, a, { projections: 32, seed: 1 });
    expect(relativeError(ba.squared, ab.squared)).toBeLessThan(1e-12);
    expect(ab.squared).toBeGreaterThan(0);
  });

  it('reports NaN as the standard error of a single direction', () => {
    const result = slicedWasserstein2([[0, 0]], [[1, 1]], { projections: 1 });
    expect(result.standardError).toBeNaN();
    expect(Number.isFinite(result.squared)).toBe(true);
  });

  it('throws typed errors at the boundary', () => {
    const two = [
      [0, 0],
      [1, 1],
    ];
    expect(() => slicedWasserstein2(two, two, { projections: 0 })).toThrow(RangeError);
    expect(() => slicedWasserstein2(two, two, { projections: 0 })).toThrow('"projections" expected an integer ≥ 1, got 0');
    expect(() => slicedWasserstein2(two, two, { projections: 2.5 })).toThrow(RangeError);
    expect(() => slicedWasserstein2(two, two, { projections: '8' as never })).toThrow(TypeError);
    expect(() => slicedWasserstein2(two, two, { seed: 0.5 })).toThrow(RangeError);
    expect(() => slicedWasserstein2(two, two, { seed: 'x' as never })).toThrow(TypeError);
    expect(() => slicedWasserstein2(two, two, [] as never)).toThrow('"options" expected an options object, got array of length 0');
    expect(() => slicedWasserstein2(two, [[0, 0, 0]])).toThrow('"b" expected rows of dimension 2 (that of "a"), got 3');
    expect(() => slicedWasserstein2(two, [])).toThrow(RangeError);
    expect(() => slicedWasserstein2({ data: [], shape: [0, 2] }, two)).toThrow(RangeError);
    expect(() => slicedWasserstein2([[NaN, 0]], two)).toThrow(NonFiniteFeaturesError);
    expect(() => slicedWasserstein2([[NaN, 0]], two)).toThrow(expect.objectContaining({ set: 'a', row: 0, column: 0 }));
  });
});
