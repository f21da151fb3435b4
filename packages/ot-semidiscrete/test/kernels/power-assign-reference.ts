// Shared by the CPU kernel tests: seeded problems shaped like numpy_assign.py's, a
// float64 plain-loop top-k reference, and the check of a kernel's result against it.
import { expect } from 'vitest';
import { mulberry32 } from './mulberry32.js';

export interface Problem {
  readonly n: number;
  readonly m: number;
  readonly d: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly h: Float32Array;
}

/** X ~ U[-0.5, 0.5), Y ~ N(0, 1), h = -|y|²/2 + noise (as numpy_assign.py, plus jitter). */
export function problem(n: number, m: number, d: number, seed: number): Problem {
  const rand = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const x = Float32Array.from({ length: n * d }, () => rand() - 0.5);
  const y = Float32Array.from({ length: m * d }, gauss);
  const h = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    let q = 0;
    for (let t = 0; t < d; t++) q += (y[j * d + t] ?? 0) ** 2;
    h[j] = -q / 2 + 0.1 * gauss();
  }
  return { n, m, d, x, y, h };
}

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
export const close = (a: number, b: number): boolean => Math.abs(a - b) <= REL * Math.max(1, Math.abs(b));

/**
 * Checks a result against the float64 reference: scores match to ~1e-5 relative, each
 * index's own float64 score matches the reported one, an index differs from the
 * reference only at a near-tie (counted); rows with fewer than k finite scores are padded
 * with -1 / -Infinity.
 */
export function check(p: Problem, k: number, index: Int32Array, score: Float32Array): { nearTies: number } {
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

export interface Engine {
  setTargets(y: Float32Array, m: number, d: number): void;
  assign(x: Float32Array, n: number, h: Float32Array, outIndex: Int32Array, outScore?: Float32Array): void;
  topK(x: Float32Array, n: number, h: Float32Array, k: number, outIndex: Int32Array, outScore?: Float32Array): void;
}

export function run(pa: Engine, p: Problem, k: number): { index: Int32Array; score: Float32Array } {
  const index = new Int32Array(p.n * k);
  const score = new Float32Array(p.n * k);
  pa.setTargets(p.y, p.m, p.d);
  if (k === 1) pa.assign(p.x, p.n, p.h, index, score);
  else pa.topK(p.x, p.n, p.h, k, index, score);
  return { index, score };
}
