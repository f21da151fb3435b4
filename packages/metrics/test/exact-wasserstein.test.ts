// Tests of the exact W2: agreement with SciPy's linear_sum_assignment and with exact
// rational 1-D values (fixtures from scripts/make-wasserstein-fixtures.py), brute force
// over all permutations for tiny sets, closed forms (translations, a crossing pair),
// and the typed errors at the boundary.
import { createRng } from '@aeot/tensor-backend';
import { describe, expect, it } from 'vitest';
import { NonFiniteFeaturesError } from '../src/errors.js';
import { exactWasserstein2, wasserstein2OneD } from '../src/exact-wasserstein.js';
import { relativeError, wassersteinFixture, type AssignmentCase } from './fixtures/wasserstein.js';

const fixture = wassersteinFixture;

/** (1/n) Σ |aᵢ − b_σ(i)|², recomputed here from the points. */
function matchingCost(a: ArrayLike<number>, b: ArrayLike<number>, n: number, d: number, assignment: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const j = assignment[i] as number;
    for (let k = 0; k < d; k++) sum += ((a[i * d + k] as number) - (b[j * d + k] as number)) ** 2;
  }
  return sum / n;
}

function expectPermutation(assignment: Int32Array, n: number): void {
  expect(assignment).toBeInstanceOf(Int32Array);
  expect(assignment.length).toBe(n);
  const seen = new Uint8Array(n);
  for (const j of assignment) {
    expect(j).toBeGreaterThanOrEqual(0);
    expect(j).toBeLessThan(n);
    seen[j] = 1;
  }
  expect(seen.every((s) => s === 1)).toBe(true);
}

/** Minimum over all n! permutations, by Heap's algorithm (n ≤ 7). */
function bruteForceSquared(a: Float64Array, b: Float64Array, n: number, d: number): number {
  const perm = Array.from({ length: n }, (_, i) => i);
  const c = new Array<number>(n).fill(0);
  let best = matchingCost(a, b, n, d, perm);
  let i = 0;
  while (i < n) {
    if ((c[i] as number) < i) {
      const k = i % 2 === 0 ? 0 : (c[i] as number);
      [perm[k], perm[i]] = [perm[i] as number, perm[k] as number];
      best = Math.min(best, matchingCost(a, b, n, d, perm));
      c[i] = (c[i] as number) + 1;
      i = 0;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return best;
}

describe('exactWasserstein2', () => {
  it.each(fixture.assignment.map((c) => [c.name, c] as const))('agrees with scipy linear_sum_assignment: %s', (_, c) => {
    const result = exactWasserstein2({ data: c.a, shape: [c.n, c.d] }, { data: c.b, shape: [c.n, c.d] });
    expect(result.n).toBe(c.n);
    expect(relativeError(result.squared, c.squared)).toBeLessThan(1e-6);
    expect(relativeError(result.distance, Math.sqrt(c.squared))).toBeLessThan(1e-6);
    expectPermutation(result.assignment, c.n);
    expect(relativeError(matchingCost(c.a, c.b, c.n, c.d, result.assignment), result.squared)).toBeLessThan(1e-12);
  });

  it('matches the brute-force minimum over all permutations on tiny sets, ties included', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + (trial % 7);
      const d = 1 + (trial % 3);
      const a = new Float64Array(n * d);
      const b = new Float64Array(n * d);
      if (trial % 4 === 0) {
        // Coarse grid: duplicates and exactly tied matchings.
        for (let k = 0; k < n * d; k++) {
          a[k] = rng.nextInt(2);
          b[k] = rng.nextInt(2);
        }
      } else {
        rng.fillNormal(a);
        rng.fillNormal(b, 0.5, 2);
      }
      const result = exactWasserstein2({ data: a, shape: [n, d] }, { data: b, shape: [n, d] });
      expectPermutation(result.assignment, n);
      const best = bruteForceSquared(a, b, n, d);
      expect(Math.abs(result.squared - best)).toBeLessThanOrEqual(1e-12 * Math.max(1, best));
    }
  });

  it('prefers the parallel matching over the crossing one (n = 2)', () => {
    // a₀→b₁ and a₁→b₀ are horizontal unit moves (cost 1 each); the crossing matching
    // moves each point diagonally (cost 2 each).
    const result = exactWasserstein2(
      [
        [0, 0],
        [0, 1],
      ],
      [
        [1, 1],
        [1, 0],
      ],
    );
    expect(Array.from(result.assignment)).toEqual([1, 0]);
    expect(result.squared).toBe(1);
    expect(result.distance).toBe(1);
  });

  it('gives W2 = |v| for a translation by v and recovers a shuffled order (full squared cost)', () => {
    const rng = createRng(3);
    const n = 120;
    const d = 3;
    const v = [0.3, -1.2, 2];
    const a = rng.fillNormal(new Float64Array(n * d));
    const order = rng.permutation(n); // b[order[i]] = a[i] + v
    const b = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) b[(order[i] as number) * d + k] = (a[i * d + k] as number) + (v[k] as number);
    const result = exactWasserstein2({ data: a, shape: [n, d] }, { data: b, shape: [n, d] });
    expect(Array.from(result.assignment)).toEqual(Array.from(order));
    expect(relativeError(result.distance, Math.hypot(...v))).toBeLessThan(1e-12);
  });

  it('is zero between a set and a permutation of itself, and symmetric', () => {
    const rng = createRng(11);
    const n = 64;
    const a = rng.fillNormal(new Float64Array(n * 4));
    const order = rng.permutation(n);
    const b = new Float64Array(n * 4);
    for (let i = 0; i < n; i++) b.set(a.subarray(i * 4, i * 4 + 4), (order[i] as number) * 4);
    expect(exactWasserstein2({ data: a, shape: [n, 4] }, { data: b, shape: [n, 4] }).squared).toBe(0);
    const c = rng.fillNormal(new Float64Array(n * 4));
    const ab = exactWasserstein2({ data: a, shape: [n, 4] }, { data: c, shape: [n, 4] });
    const ba = exactWasserstein2({ data: c, shape: [n, 4] }, { data: a, shape: [n, 4] });
    expect(relativeError(ba.squared, ab.squared)).toBeLessThan(1e-12);
  });

  it('throws typed errors at the boundary', () => {
    const two = [
      [0, 0],
      [1, 1],
    ];
    expect(() => exactWasserstein2(two, [[0, 0, 0]])).toThrow(RangeError);
    expect(() => exactWasserstein2(two, [[0, 0, 0]])).toThrow('"b" expected rows of dimension 2 (that of "a"), got 3');
    expect(() => exactWasserstein2(two, [[0, 0]])).toThrow(RangeError);
    expect(() => exactWasserstein2(two, [[0, 0]])).toThrow(/expected as many rows as "a" \(2\).*got 1; subsample both sets to equal sizes, or use slicedWasserstein2.*wasserstein2OneD/);
    expect(() => exactWasserstein2([], two)).toThrow('"a" expected at least 1 rows, got 0');
    expect(() => exactWasserstein2(two, { data: [], shape: [0, 2] })).toThrow(RangeError);
    const bad = () =>
      exactWasserstein2(two, [
        [0, 0],
        [1, NaN],
      ]);
    expect(bad).toThrow(NonFiniteFeaturesError);
    expect(bad).toThrow(expect.objectContaining({ set: 'b', row: 1, column: 1, code: 'ERR_AEOT_NON_FINITE_FEATURES' }));
    expect(() => exactWasserstein2('points' as never, two)).toThrow(TypeError);
    expect(() => exactWasserstein2(two, two, null as never)).toThrow('"options" expected an options object, got null');
    expect(() => exactWasserstein2(two, two, { maxPoints: 0 })).toThrow('"maxPoints" expected an integer in [1, 32768], got 0');
    expect(() => exactWasserstein2(two, two, { maxPoints: '2' as never })).toThrow(TypeError);
    expect(() => exactWasserstein2(two, two, { maxPoints: 1 })).toThrow(/expected at most 1 rows \("maxPoints"/);
    expect(() => exactWasserstein2([[1e200], [0]], [[-1e200], [0]])).toThrow(/squared distances that fit in float64/);
  });
});

describe('wasserstein2OneD', () => {
  it.each(fixture.oneD.map((c) => [c.name, c] as const))('agrees with the exact rational value for unequal sizes: %s', (_, c) => {
    const forward = wasserstein2OneD(c.a, c.b);
    expect(relativeError(forward.squared, c.squared)).toBeLessThan(1e-12);
    expect(relativeError(forward.distance, Math.sqrt(c.squared))).toBeLessThan(1e-12);
    expect(relativeError(wasserstein2OneD(Float64Array.from(c.b).reverse(), c.a).squared, c.squared)).toBeLessThan(1e-12);
  });

  it('equals the exact assignment for equal sizes', () => {
    const c = fixture.assignment.find((x) => x.d === 1) as AssignmentCase;
    expect(relativeError(wasserstein2OneD(c.a, c.b).squared, c.squared)).toBeLessThan(1e-12);
  });

  it('integrates the quantile steps exactly (hand case) and gives |c| for a shift by c', () => {
    // Quantiles of {0, 1} and {0, ½, 1} differ by ½ on (1/3, 2/3]: W2² = ¼ · ⅓.
    expect(relativeError(wasserstein2OneD([0, 1], [0, 0.5, 1]).squared, 1 / 12)).toBeLessThan(1e-15);
    expect(wasserstein2OneD([1, 5, 2], [3.5, 7.5, 4.5]).distance).toBe(2.5);
    expect(wasserstein2OneD([4], [1, 2, 3]).squared).toBe(((4 - 1) ** 2 + (4 - 2) ** 2 + (4 - 3) ** 2) / 3);
  });

  it('throws typed errors at the boundary', () => {
    expect(() => wasserstein2OneD([], [1])).toThrow('"a" expected at least 1 value, got 0');
    expect(() => wasserstein2OneD([1], 'abc' as never)).toThrow(TypeError);
    expect(() => wasserstein2OneD([1, '2'] as never, [1])).toThrow(TypeError);
    expect(() => wasserstein2OneD([1], [2, Infinity])).toThrow(NonFiniteFeaturesError);
    expect(() => wasserstein2OneD([1], [2, Infinity])).toThrow(expect.objectContaining({ set: 'b', row: 1, column: 0 }));
  });
});
