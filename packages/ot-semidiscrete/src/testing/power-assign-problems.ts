// Seeded power-assignment problems for the conformance cases and the benchmarks: the
// numpy_assign.py shape (uniform samples, Gaussian targets, heights near −|y|²/2) and a
// plainer one (everything uniform), each built from mulberry32 so that every backend
// and every language can regenerate the same numbers.
import { mulberry32 } from './mulberry32.js';

/** One assignment problem: n samples x, m targets y, heights h, in dimension d (row-major float32). */
export interface Problem {
  readonly n: number;
  readonly m: number;
  readonly d: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly h: Float32Array;
}

/**
 * X ~ U[-0.5, 0.5), Y ~ N(0, 1), h = -|y|²/2 + noise (as numpy_assign.py, plus jitter).
 *
 * @example
 * const p = problem(1000, 500, 8, 1);
 */
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

/**
 * X and Y uniform in [-1, 1), h uniform in [-0.5, 0.5).
 *
 * @example
 * const p = randomProblem(97, 300, 3, 1);
 */
export function randomProblem(n: number, m: number, d: number, seed: number): Problem {
  const next = mulberry32(seed);
  const fill = (len: number, scale: number): Float32Array => Float32Array.from({ length: len }, () => (2 * next() - 1) * scale);
  return { n, m, d, x: fill(n * d, 1), y: fill(m * d, 1), h: fill(m, 0.5) };
}
