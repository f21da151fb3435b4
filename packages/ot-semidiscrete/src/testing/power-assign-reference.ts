// The float64 ground truth of the power assignment, with plain loops and no code of the
// kernels: per sample, the k best targets by <x_i, y_j> + h_j, best first, equal scores
// lower index first. Two views of it: one sample at a time (for the CPU engines'
// checks), and whole rows with every score and each row's rounding scale (to judge
// near-ties of float32 sums in any order, as the GPU makes them).
import type { Problem } from './power-assign-problems.js';

/** Float64 score of sample i and target j. */
export function score64(p: Problem, i: number, j: number): number {
  let s = p.h[j] ?? 0;
  for (let t = 0; t < p.d; t++) s += (p.x[i * p.d + t] ?? 0) * (p.y[j * p.d + t] ?? 0);
  return s;
}

/** Float64 reference top-k of sample i: (score desc, index asc), finite scores only. */
export function reference(p: Problem, i: number, k: number): { index: number[]; score: number[] } {
  const all = Array.from({ length: p.m }, (_, j) => ({ j, s: score64(p, i, j) })).filter((e) => e.s > -Infinity);
  all.sort((a, b) => b.s - a.s || a.j - b.j);
  const top = all.slice(0, k);
  return { index: top.map((e) => e.j), score: top.map((e) => e.s) };
}

const REL = 1e-5;

/** Whether a float32 score `a` equals the float64 `b` to 1e-5, relative to max(1, |b|). */
export const close = (a: number, b: number): boolean => Math.abs(a - b) <= REL * Math.max(1, Math.abs(b));

/** Every row of a problem's float64 top-k, with what is needed to judge near-ties. */
export interface ReferenceTopK {
  /** Per row: the k best indices and their float64 scores, best first, ties → lower index. */
  readonly indices: Int32Array;
  readonly scores: Float64Array;
  /** Per row, per target: the float64 score (to judge near-ties). */
  readonly all: Float64Array;
  /** Per row: Σ_c |x_c·y_jc| + |h_j| maximised over j, the scale of rounding errors. */
  readonly scale: Float64Array;
}

/**
 * The float64 top-k of every row, non-finite scores included (a -Infinity height ranks
 * last, by index).
 */
export function referenceTopK(p: Problem, k: number): ReferenceTopK {
  const { n, m, d, x, y, h } = p;
  const indices = new Int32Array(n * k);
  const scores = new Float64Array(n * k);
  const all = new Float64Array(n * m);
  const scale = new Float64Array(n);
  const order = Array.from({ length: m }, (_, j) => j);
  for (let i = 0; i < n; i++) {
    let rowScale = 0;
    for (let j = 0; j < m; j++) {
      let s = 0;
      let a = 0;
      for (let c = 0; c < d; c++) {
        const prod = (x[i * d + c] ?? 0) * (y[j * d + c] ?? 0);
        s += prod;
        a += Math.abs(prod);
      }
      const hj = h[j] ?? 0;
      all[i * m + j] = s + hj;
      if (Number.isFinite(hj)) rowScale = Math.max(rowScale, a + Math.abs(hj));
    }
    scale[i] = rowScale;
    const row = all.subarray(i * m, (i + 1) * m);
    order.sort((a, b) => (row[b] ?? 0) - (row[a] ?? 0) || a - b);
    for (let q = 0; q < k; q++) {
      const j = order[q] ?? -1;
      indices[i * k + q] = j;
      scores[i * k + q] = row[j] ?? NaN;
    }
  }
  return { indices, scores, all, scale };
}
