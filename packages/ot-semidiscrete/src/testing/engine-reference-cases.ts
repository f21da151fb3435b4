// Engine cases against the ground truths: the float64 reference at many shapes (d not a
// multiple of 4, N and M not multiples of any tile, M = 1), k up to 32, 1 and 2 threads
// bit-identical, and the relaxed-SIMD WebAssembly kernel bit for bit where the engine
// also fuses its multiply-adds.
import { MAX_TOP_K } from '../kernels/power-assign-kernel.js';
import type { EngineCase } from './engine-case.js';
import { powerAssignChecks } from './power-assign-checks.js';
import { problem } from './power-assign-problems.js';
import { run } from './run-power-assign.js';

const SHAPES: ReadonlyArray<readonly [n: number, m: number, d: number]> = [
  [1, 1, 1],
  [7, 1, 3],
  [5, 2, 2],
  [50, 13, 5],
  [100, 37, 2],
  [257, 1000, 3],
  [200, 500, 8],
  [129, 301, 33],
  [64, 2000, 100],
  [31, 97, 7],
];

// N and M are not multiples of any tile (6 or 4 samples; 64, 24 or 12 targets).
const DIMS = [1, 2, 3, 7, 16, 33, 100, 130];
const KS = [1, 2, 5, 32];

const shapeCases: EngineCase[] = SHAPES.map(([n, m, d]) => ({
  name: `matches the float64 reference at N=${n}, M=${m}, d=${d} for k = 1 and 5`,
  run({ expect, engine }) {
    const { check } = powerAssignChecks(expect);
    const p = problem(n, m, d, 1000 * n + 10 * m + d);
    let ties = 0;
    for (const k of [1, Math.min(5, m)]) {
      const one = run(engine(1), p, k);
      ties += check(p, k, one.index, one.score).nearTies;
      const two = run(engine(2), p, k);
      expect(two.index).toEqual(one.index);
      expect(two.score).toEqual(one.score);
    }
    expect(ties).toBeLessThanOrEqual(Math.max(1, Math.ceil(0.01 * n)));
  },
}));

const dimensionCases: EngineCase[] = DIMS.flatMap((d): EngineCase[] => [
  {
    name: `d = ${d}: is bit-identical to the WebAssembly relaxed-SIMD kernel for k = 1, 2, 5, 32, with 1 and 2 threads`,
    skip: ({ bitReferenceAbsent }) => bitReferenceAbsent,
    run({ expect, engine, bitReference }) {
      const { expectIdentical } = powerAssignChecks(expect);
      if (bitReference === undefined) throw new Error('no bit reference');
      const p = problem(203, 1001 + 2 * d, d, 31 * d + 1);
      for (const k of KS) {
        const ref = run(bitReference, p, k);
        for (const threads of [1, 2] as const) expectIdentical(run(engine(threads), p, k), ref, `${threads} thread(s), k = ${k}`);
      }
    },
  },
  {
    name: `d = ${d}: matches the float64 reference for k = 1 and 5`,
    run({ expect, engine }) {
      const { check } = powerAssignChecks(expect);
      const p = problem(61, 397, d, 7 * d + 3);
      let ties = 0;
      for (const k of [1, 5]) {
        const out = run(engine(2), p, k);
        ties += check(p, k, out.index, out.score).nearTies;
      }
      expect(ties).toBeLessThanOrEqual(4);
    },
  },
]);

const threadCases: EngineCase[] = [
  {
    name: 'gives the same lists with 1 and 2 threads on a large problem, and k = 32',
    run({ expect, engine }) {
      const { check } = powerAssignChecks(expect);
      const p = problem(3001, 777, 19, 7);
      const k = MAX_TOP_K;
      const one = run(engine(1), p, k);
      const two = run(engine(2), p, k);
      expect(two.index).toEqual(one.index);
      expect(two.score).toEqual(one.score);
      const few = problem(60, 777, 19, 7);
      const sub = run(engine(2), few, k);
      expect(check(few, k, sub.index, sub.score).nearTies).toBeLessThanOrEqual(2);
    },
  },
  {
    name: 'splits a large problem over threads with identical results, at several sizes and k = 32',
    run({ expect, engine, bitReference }) {
      const { check, expectIdentical } = powerAssignChecks(expect);
      for (const [n, m, d] of [
        [3001, 777, 19],
        [4099, 130, 100],
        [70_001, 13, 2],
      ] as const) {
        const p = problem(n, m, d, n + m + d);
        for (const k of [1, Math.min(MAX_TOP_K, m)]) {
          const one = run(engine(1), p, k);
          const two = run(engine(2), p, k);
          expectIdentical(two, one, `N=${n} M=${m} d=${d} k=${k}`);
          if (bitReference) expectIdentical(one, run(bitReference, p, k), `vs wasm N=${n} M=${m} d=${d} k=${k}`);
        }
      }
      const few = problem(60, 777, 19, 7);
      const sub = run(engine(2), few, MAX_TOP_K);
      expect(check(few, MAX_TOP_K, sub.index, sub.score).nearTies).toBeLessThanOrEqual(2);
    },
  },
  {
    name: 'handles M = 1, N = 1, and M below one tile',
    run({ expect, engine, bitReference }) {
      const { check, expectIdentical } = powerAssignChecks(expect);
      for (const [n, m, d] of [
        [1, 1, 1],
        [7, 1, 3],
        [5, 2, 2],
        [50, 13, 5],
      ] as const) {
        const p = problem(n, m, d, 1000 * n + 10 * m + d);
        for (const k of [1, Math.min(5, m)]) {
          const out = run(engine(2), p, k);
          check(p, k, out.index, out.score);
          if (bitReference) expectIdentical(out, run(bitReference, p, k), `N=${n} M=${m} k=${k}`);
        }
      }
    },
  },
];

/** The engine cases against the float64 reference and between thread counts. */
export const ENGINE_REFERENCE_CASES: readonly EngineCase[] = Object.freeze([...shapeCases, ...dimensionCases, ...threadCases]);
