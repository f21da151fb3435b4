// Kernel cases at the edges of the contract: exact ties between duplicate targets (lower
// index first, within a webgpu lane, across lanes and across tiles), all-equal scores,
// -Infinity and NaN scores (webgpu's ranking), N = 0, and bad k, dtypes and shapes
// rejected with TypeError / RangeError without leaking a tensor.
import * as tf from '@tensorflow/tfjs-core';
import { POWER_ASSIGN } from '../kernels/power-assign-kernel.js';
import { hasLanes, unlessNonFiniteRankedLast, type KernelCase } from './kernel-case.js';
import { powerAssignChecks } from './power-assign-checks.js';
import { randomProblem, type Problem } from './power-assign-problems.js';
import { liveCounts, runAssign, withLanes } from './run-power-assign.js';

/** The kernel cases at the edges of the contract. */
export const KERNEL_EDGE_CASES: readonly KernelCase[] = Object.freeze([
  {
    name: 'duplicate targets tie exactly and keep the lower index first, within a lane, across lanes and across tiles',
    async run({ expect }) {
      const { expectMatches } = powerAssignChecks(expect);
      // Targets 0..299; copies of target 5 at 6 (next lane), 13, 133 and 299 (later tiles),
      // with equal heights, so those five scores are bit-identical for every sample.
      const p = randomProblem(64, 300, 3, 21);
      const y = Float32Array.from(p.y);
      const h = Float32Array.from(p.h);
      for (const j of [6, 13, 133, 299]) {
        y.set(y.subarray(5 * 3, 6 * 3), j * 3);
        h[j] = h[5] ?? 0;
      }
      // Heights large enough that the five copies are every sample's five best.
      for (const j of [5, 6, 13, 133, 299]) h[j] = 10;
      const dup: Problem = { ...p, y, h };
      for (const lanes of [0, 1, 2, 8]) {
        await withLanes(lanes, async () => {
          const got = await runAssign(dup, 5);
          for (let i = 0; i < dup.n; i++) {
            expect(Array.from(got.indices.subarray(i * 5, i * 5 + 5)), `row ${i}, lanes ${lanes}`).toEqual([5, 6, 13, 133, 299]);
          }
          expectMatches(dup, 5, got, true);
        });
      }
    },
  },
  {
    name: 'duplicate targets tie exactly and keep the lower index first (across lanes and tiles)',
    async run({ expect }) {
      const [n, m, d] = [64, 300, 3];
      const base = randomProblem(n, m, d, 7);
      const x = base.x;
      const y = Float32Array.from(base.y);
      const h = new Float32Array(m);
      for (const j of [6, 13, 133, 299]) y.set(y.subarray(5 * d, 6 * d), j * d);
      for (const j of [5, 6, 13, 133, 299]) h[j] = 10;
      for (const lanes of [0, 1]) {
        await withLanes(lanes, async () => {
          const got = await runAssign({ n, m, d, x, y, h }, 5);
          const indices = Array.from(got.indices);
          for (let i = 0; i < n; i++) expect(indices.slice(i * 5, i * 5 + 5), `row ${i}`).toEqual([5, 6, 13, 133, 299]);
        });
      }
    },
  },
  {
    name: 'all-equal scores (y = 0, h constant) rank by index; -Infinity heights rank last but still fill k',
    skip: unlessNonFiniteRankedLast,
    async run({ expect }) {
      const flat: Problem = { n: 9, m: 70, d: 2, x: randomProblem(9, 1, 2, 3).x, y: new Float32Array(140), h: new Float32Array(70).fill(0.25) };
      const got = await runAssign(flat, 5);
      for (let i = 0; i < 9; i++) expect(Array.from(got.indices.subarray(i * 5, i * 5 + 5))).toEqual([0, 1, 2, 3, 4]);
      const h = new Float32Array([-Infinity, 1, -Infinity, 2]);
      const inf: Problem = { n: 3, m: 4, d: 1, x: new Float32Array([1, -1, 0]), y: new Float32Array([1, 2, 3, 4]), h };
      for (const lanes of [1, 4]) {
        await withLanes(lanes, async () => {
          const r = await runAssign(inf, 4);
          expect(Array.from(r.indices.subarray(0, 4))).toEqual([3, 1, 0, 2]);
          expect(Array.from(r.scores.subarray(0, 4))).toEqual([6, 3, -Infinity, -Infinity]);
          expect(Array.from(r.indices.subarray(8, 12))).toEqual([3, 1, 0, 2]);
        });
      }
    },
  },
  {
    name: 'a NaN score counts as -Infinity: ranked last (ties with -Infinity by index) and reported as -Infinity',
    skip: unlessNonFiniteRankedLast,
    async run({ expect }) {
      const nan: Problem = { n: 2, m: 4, d: 1, x: new Float32Array([1, 2]), y: new Float32Array([5, 1, 2, 3]), h: new Float32Array([NaN, 0, -Infinity, 0]) };
      for (const lanes of [1, 2]) {
        await withLanes(lanes, async () => {
          const r = await runAssign(nan, 4);
          expect(Array.from(r.indices)).toEqual([3, 1, 0, 2, 3, 1, 0, 2]);
          expect(Array.from(r.scores)).toEqual([3, 1, -Infinity, -Infinity, 6, 2, -Infinity, -Infinity]);
        });
      }
    },
  },
  {
    name: 'N = 0 gives empty [0, k] outputs',
    async run({ expect }) {
      const got = await runAssign({ n: 0, m: 4, d: 2, x: new Float32Array(0), y: new Float32Array(8), h: new Float32Array(4) }, 3);
      expect(got.shapes).toEqual([
        [0, 3],
        [0, 3],
      ]);
      expect(got.indices.length).toBe(0);
    },
  },
  {
    name: 'rejects bad k, dtypes and shapes with RangeError / TypeError, leaking nothing',
    async run({ expect, backend }) {
      const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
      const y = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
      const h = tf.tensor1d([0, 0, 0]);
      const xi = tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32');
      const y3 = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const h2 = tf.tensor1d([0, 0]);
      try {
        const before = liveCounts();
        const run = (inputs: Record<string, tf.Tensor>, k: number) => () => tf.engine().runKernel(POWER_ASSIGN, inputs, { k });
        expect(run({ x, y, h }, 0)).toThrow(/"k" expected an integer in \[1, 3\]/);
        expect(run({ x, y, h }, 4)).toThrow(RangeError);
        expect(run({ x, y, h }, 1.5)).toThrow(RangeError);
        expect(run({ x: xi, y, h }, 1)).toThrow(TypeError);
        expect(run({ x, y: y3, h }, 1)).toThrow(/"y" expected a 2-D tensor of shape \[M, 2\], got \[2, 3\]/);
        expect(run({ x, y, h: h2 }, 1)).toThrow(/"h" expected a 1-D tensor of shape \[3\], got \[2\]/);
        // A lane count the webgpu kernel does not have (the other kernels have no lanes).
        if (hasLanes(backend)) {
          await withLanes(3, async () => {
            expect(run({ x, y, h }, 1)).toThrow(RangeError);
          });
        }
        expect(liveCounts()).toEqual(before);
      } finally {
        tf.dispose([x, y, h, xi, y3, h2]);
      }
    },
  },
  {
    name: 'rejects a bad k and mismatched shapes',
    async run({ expect }) {
      const x = tf.zeros([4, 3]);
      const y = tf.zeros([5, 3]);
      const h = tf.zeros([5]);
      const y2 = tf.zeros([5, 2]);
      const before = tf.memory().numTensors;
      expect(() => tf.engine().runKernel(POWER_ASSIGN, { x, y, h }, { k: 6 })).toThrow(RangeError);
      expect(() => tf.engine().runKernel(POWER_ASSIGN, { x, y: y2, h }, { k: 1 })).toThrow(RangeError);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, y, y2, h]);
    },
  },
]);
