// Kernel cases against the float64 reference: N, M not multiples of any tile, d from 1
// to 70 (webgpu streams d > 32 in chunks), k up to 32, M = 1, every lane count of the
// webgpu kernel, output shapes and dtypes, and no leaked tensor or buffer. Small
// problems: SwiftShader, webgpu on the CPU, runs ~0.1 GFLOP/s.
import { MAX_TOP_K } from '../kernels/power-assign-kernel.js';
import type { KernelCase } from './kernel-case.js';
import { powerAssignChecks } from './power-assign-checks.js';
import { randomProblem } from './power-assign-problems.js';
import { referenceTopK } from './power-assign-reference.js';
import { liveCounts, runAssign, withLanes } from './run-power-assign.js';

const dimensionCases: KernelCase[] = [1, 2, 3, 7, 16].map((d) => ({
  name: `N=97, M=300 (not a multiple of the tile), d=${d}, k ∈ {1, 2, 5}: matches the float64 reference`,
  async run({ expect }) {
    const { expectMatches } = powerAssignChecks(expect);
    const p = randomProblem(97, 300, d, 1000 + d);
    for (const k of [1, 2, 5]) {
      const before = liveCounts();
      const got = await runAssign(p, k);
      expect(got.shapes).toEqual([
        [97, k],
        [97, k],
      ]);
      expect(got.dtypes).toEqual(['int32', 'float32']);
      expectMatches(p, k, got);
      expect(liveCounts()).toEqual(before);
    }
  },
}));

/** The kernel cases against the float64 reference. */
export const KERNEL_REFERENCE_CASES: readonly KernelCase[] = Object.freeze([
  ...dimensionCases,
  {
    name: 'N=512, M=300, d=3, k=5 (automatic lanes) and every forced lane count agree with the reference',
    async run({ expect }) {
      const { expectMatches } = powerAssignChecks(expect);
      const p = randomProblem(512, 300, 3, 7);
      expectMatches(p, 5, await runAssign(p, 5));
      for (const lanes of [1, 2, 4, 8]) {
        await withLanes(lanes, async () => expectMatches(p, 5, await runAssign(p, 5)));
      }
    },
  },
  {
    name: 'd > 32 streams dimensions in chunks (d = 33, 70), single lane and merged lanes',
    async run({ expect }) {
      const { expectMatches } = powerAssignChecks(expect);
      for (const d of [33, 70]) {
        const p = randomProblem(70, 90, d, 300 + d);
        for (const lanes of [1, 8]) {
          await withLanes(lanes, async () => {
            expectMatches(p, 5, await runAssign(p, 5));
            expectMatches(p, 1, await runAssign(p, 1));
          });
        }
      }
    },
  },
  {
    name: `k = MAX_TOP_K = ${MAX_TOP_K} at d = 32 and 33, with the largest merge buffers (2 lanes)`,
    async run({ expect }) {
      const { expectMatches } = powerAssignChecks(expect);
      for (const d of [32, 33]) {
        const p = randomProblem(40, 150, d, 900 + d);
        for (const lanes of [1, 2]) {
          await withLanes(lanes, async () => expectMatches(p, 32, await runAssign(p, 32)));
        }
      }
    },
  },
  {
    name: 'M = 1 (k = 1) and k = M = 5 with more lanes than targets',
    async run({ expect }) {
      const { expectMatches } = powerAssignChecks(expect);
      const one = randomProblem(10, 1, 4, 11);
      const got = await runAssign(one, 1);
      expect(Array.from(got.indices)).toEqual(new Array<number>(10).fill(0));
      expectMatches(one, 1, got);
      const five = randomProblem(33, 5, 2, 12);
      for (const lanes of [1, 8]) {
        await withLanes(lanes, async () => expectMatches(five, 5, await runAssign(five, 5)));
      }
    },
  },
  {
    name: 'N=97, M=300, d=7, k=5: matches the float64 reference, leaking nothing',
    async run({ expect }) {
      const [n, m, d, k] = [97, 300, 7, 5];
      const p = randomProblem(n, m, d, 42);
      const ref = referenceTopK(p, k);
      const before = liveCounts();
      for (const lanes of [0, 1]) {
        await withLanes(lanes, async () => {
          const got = await runAssign(p, k);
          expect(got.shapes).toEqual([
            [n, k],
            [n, k],
          ]);
          for (let at = 0; at < n * k; at++) {
            const i = Math.floor(at / k);
            const tol = 1e-5 * (ref.scale[i] ?? 1);
            const want = ref.scores[at] ?? NaN;
            expect(Math.abs((got.scores[at] ?? NaN) - want), `score at ${at}`).toBeLessThanOrEqual(tol);
            const gi = got.indices[at] ?? -1;
            // A different index only where float32 cannot resolve a near-tie.
            if (gi !== ref.indices[at]) expect(Math.abs((ref.all[i * m + gi] ?? NaN) - want), `index at ${at}`).toBeLessThanOrEqual(tol);
          }
        });
      }
      expect(liveCounts()).toEqual(before);
    },
  },
]);
