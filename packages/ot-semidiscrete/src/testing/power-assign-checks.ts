// The judgements of a kernel's result that the conformance cases share, bound to the
// test framework's `expect`: against the float64 reference (to float32 rounding,
// near-ties allowed where float32 cannot resolve them), and bit for bit between two
// results.
import type { Expect } from './expect.js';
import type { Problem } from './power-assign-problems.js';
import { close, reference, referenceTopK, score64 } from './power-assign-reference.js';

/** A result: n × k indices and scores, row-major. */
export interface AssignResult {
  readonly index: Int32Array;
  readonly score: Float32Array;
}

/** A result read back from tfjs tensors (as the GPU gives it). */
export interface KernelResult {
  readonly indices: Int32Array;
  readonly scores: Float32Array;
}

/** The checks of {@link powerAssignChecks}. */
export interface PowerAssignChecks {
  /**
   * Checks a result against the float64 reference: scores match to ~1e-5 relative, each
   * index's own float64 score matches the reported one, an index differs from the
   * reference only at a near-tie (counted); rows with fewer than k finite scores are
   * padded with -1 / -Infinity.
   */
  check(p: Problem, k: number, index: Int32Array, score: Float32Array): { nearTies: number };
  /** Bit-identical: same indices, same float32 bits (Object.is: -0 and NaN included). */
  expectIdentical(a: AssignResult, b: AssignResult, what: string): void;
  /**
   * Scores within 1e-5 of the row's scale; indices equal to the reference's, except that
   * a different index is accepted where its own reference score is within that tolerance
   * of the expected one (a near-tie float32 cannot resolve). `exactTies` demands equal
   * indices everywhere (for exactly tied inputs, which float32 reproduces bit for bit).
   */
  expectMatches(p: Problem, k: number, got: KernelResult, exactTies?: boolean): void;
}

const RELATIVE_TOLERANCE = 1e-5;

/**
 * The shared checks, asserting with `expect`.
 *
 * @example
 * const { check } = powerAssignChecks(expect);
 * check(p, 5, index, score);
 */
export function powerAssignChecks(expect: Expect): PowerAssignChecks {
  function check(p: Problem, k: number, index: Int32Array, score: Float32Array): { nearTies: number } {
    let nearTies = 0;
    for (let i = 0; i < p.n; i++) {
      const ref = reference(p, i, k);
      for (let q = 0; q < k; q++) {
        const j = index[i * k + q] ?? -2;
        const s = score[i * k + q] ?? NaN;
        if (q >= ref.index.length) {
          expect(j).toBe(-1);
          expect(s).toBe(-Infinity);
          continue;
        }
        const r = ref.score[q] ?? NaN;
        if (!close(s, r)) expect.fail(`sample ${i} rank ${q}: score ${s}, reference ${r}`);
        expect(j).toBeGreaterThanOrEqual(0);
        expect(j).toBeLessThan(p.m);
        if (!close(s, score64(p, i, j))) expect.fail(`sample ${i} rank ${q}: score ${s} is not target ${j}'s (${score64(p, i, j)})`);
        if (j !== ref.index[q]) {
          if (!close(score64(p, i, j), r)) expect.fail(`sample ${i} rank ${q}: index ${j}, reference ${ref.index[q]} (${r})`);
          nearTies++;
        }
      }
    }
    return { nearTies };
  }

  function expectIdentical(a: AssignResult, b: AssignResult, what: string): void {
    expect(a.index.length).toBe(b.index.length);
    for (let i = 0; i < a.index.length; i++) {
      if (a.index[i] !== b.index[i] || !Object.is(a.score[i], b.score[i])) {
        expect.fail(`${what}: entry ${i}: index ${a.index[i]} vs ${b.index[i]}, score ${a.score[i]} vs ${b.score[i]}`);
      }
    }
  }

  function expectMatches(p: Problem, k: number, got: KernelResult, exactTies = false): void {
    const ref = referenceTopK(p, k);
    let nearTieSwaps = 0;
    for (let i = 0; i < p.n; i++) {
      const tol = RELATIVE_TOLERANCE * Math.max(ref.scale[i] ?? 0, 1e-30);
      const seen = new Set<number>();
      for (let q = 0; q < k; q++) {
        const at = i * k + q;
        const want = ref.scores[at] ?? NaN;
        const g = got.scores[at] ?? NaN;
        const gi = got.indices[at] ?? -1;
        const where = `row ${i}, rank ${q}`;
        if (want === -Infinity) expect(g, where).toBe(-Infinity);
        else expect(Math.abs(g - want), `${where}: score ${g} vs ${want}`).toBeLessThanOrEqual(tol);
        expect(gi >= 0 && gi < p.m, `${where}: index ${gi} in [0, ${p.m})`).toBe(true);
        expect(seen.has(gi), `${where}: index ${gi} repeated`).toBe(false);
        seen.add(gi);
        const wantIndex = ref.indices[at] ?? -1;
        if (gi === wantIndex) continue;
        expect(exactTies, `${where}: index ${gi}, expected ${wantIndex} (exact ties)`).toBe(false);
        const gotRefScore = ref.all[i * p.m + gi] ?? NaN;
        expect(Math.abs(gotRefScore - want), `${where}: index ${gi} (score ${gotRefScore}) instead of ${wantIndex} (score ${want})`).toBeLessThanOrEqual(tol);
        nearTieSwaps++;
      }
      // Best first: non-increasing scores along each row.
      for (let q = 1; q < k; q++) {
        expect(got.scores[i * k + q] ?? NaN, `row ${i} sorted at ${q}`).toBeLessThanOrEqual(got.scores[i * k + q - 1] ?? NaN);
      }
    }
    // Random data has essentially no near-ties; many would mean a real ordering bug.
    expect(nearTieSwaps).toBeLessThanOrEqual(Math.max(2, (p.n * k) / 1000));
  }

  return { check, expectIdentical, expectMatches };
}
