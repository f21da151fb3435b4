// UnsortedSegmentSum on wasm (the kernel tf.gather's gradient runs): checked against the
// cpu kernel and a plain loop, with duplicate and out-of-range ids, multi-axis ids,
// int32 data, empty inputs, and end to end through the gradient of tf.gather.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureGradients } from '../../src/gradients/index.js';
import { AeotError } from '../../src/errors.js';
import { registerWasmTrainingKernels } from '../../src/wasm-kernels/register.js';
import { seededUniform } from '../../src/testing/training-nets/seeded-data.js';

beforeAll(async () => {
  await ensureGradients();
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
});

interface Case {
  readonly x: Float32Array | Int32Array;
  readonly xShape: number[];
  readonly ids: Int32Array;
  readonly idShape: number[];
  readonly numSegments: number;
}

async function segmentSumOn(backend: string, c: Case): Promise<{ values: Float32Array | Int32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const x = tf.tensor(c.x, c.xShape, c.x instanceof Int32Array ? 'int32' : 'float32');
  const ids = tf.tensor(c.ids, c.idShape, 'int32');
  const out = tf.unsortedSegmentSum(x, ids as tf.Tensor1D, c.numSegments);
  const result = { values: (await out.data()) as Float32Array | Int32Array, shape: out.shape };
  tf.dispose([x, ids, out]);
  return result;
}

/** Plain-loop reference: rows with an id outside [0, numSegments) are dropped. */
function naiveSegmentSum(c: Case): Float64Array {
  const inner = c.x.length / Math.max(1, c.ids.length);
  const out = new Float64Array(c.numSegments * inner);
  c.ids.forEach((id, i) => {
    if (id < 0 || id >= c.numSegments) return;
    for (let j = 0; j < inner; j++) out[id * inner + j] = (out[id * inner + j] ?? 0) + (c.x[i * inner + j] ?? NaN);
  });
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return worst;
}

describe('UnsortedSegmentSum (wasm)', () => {
  it('is registered for wasm after registerWasmTrainingKernels()', () => {
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'wasm')).toBeDefined();
  });

  // tfjs documents 1-D ids; for ids of rank r > 1 the wasm kernel follows TensorFlow's
  // definition (output [numSegments, ...x.shape.slice(r)]), which the cpu kernel does
  // not (it only reduces axis 0), so those cases are checked against the loop alone.
  it('matches cpu and a plain loop on random cases with duplicate and out-of-range ids', async () => {
    const rand = seededUniform(2024);
    const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
    for (let i = 0; i < 30; i++) {
      const numSegments = int(1, 9);
      const idShape = rand() < 0.3 ? [int(1, 4), int(1, 4)] : [int(1, 20)];
      const rest = Array.from({ length: int(0, 2) }, () => int(1, 4));
      const count = tf.util.sizeFromShape(idShape);
      const xShape = [...idShape, ...rest];
      const c: Case = {
        x: Float32Array.from({ length: tf.util.sizeFromShape(xShape) }, () => 2 * rand() - 1),
        xShape,
        // Some ids fall outside [0, numSegments): they must be dropped.
        ids: Int32Array.from({ length: count }, () => int(-2, numSegments + 1)),
        idShape,
        numSegments,
      };
      const wasm = await segmentSumOn('wasm', c);
      expect(wasm.shape).toEqual([numSegments, ...rest]);
      expect(maxAbsDiff(wasm.values, naiveSegmentSum(c))).toBeLessThanOrEqual(1e-5);
      if (idShape.length === 1) {
        const cpu = await segmentSumOn('cpu', c);
        expect(wasm.shape).toEqual(cpu.shape);
        expect(maxAbsDiff(wasm.values, cpu.values)).toBeLessThanOrEqual(1e-5);
      }
    }
  });

  it('sums int32 data exactly and keeps its dtype', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    const out = tf.unsortedSegmentSum(x, tf.tensor1d([1, 1, 0], 'int32'), 3);
    expect(out.dtype).toBe('int32');
    expect(Array.from(await out.data())).toEqual([5, 6, 4, 6, 0, 0]);
    tf.dispose([x, out]);
  });

  it('returns zeros for empty inputs', async () => {
    await tf.setBackend('wasm');
    const out = tf.engine().runKernel(tf.UnsortedSegmentSum, { x: tf.zeros([0, 3]), segmentIds: tf.zeros([0], 'int32') }, { numSegments: 2 }) as tf.Tensor;
    expect(out.shape).toEqual([2, 3]);
    expect(Array.from(await out.data())).toEqual([0, 0, 0, 0, 0, 0]);
    out.dispose();
  });

  it('makes the gradient of tf.gather work on wasm, matching cpu', async () => {
    const rand = seededUniform(11);
    const params = Float32Array.from({ length: 10 * 4 }, () => rand());
    const weights = Float32Array.from({ length: 6 * 4 }, () => rand());
    const gradOn = async (backend: string): Promise<Float32Array> => {
      await tf.setBackend(backend);
      const p = tf.tensor2d(params, [10, 4]);
      const w = tf.tensor2d(weights, [6, 4]);
      const idx = tf.tensor1d([3, 1, 3, 9, 0, 3], 'int32');
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), w)))(p);
      const values = (await g.data()) as Float32Array;
      tf.dispose([p, w, idx, g]);
      return values;
    };
    expect(maxAbsDiff(await gradOn('wasm'), await gradOn('cpu'))).toBeLessThanOrEqual(1e-6);
  });

  it('frees every intermediate and rejects bad dtypes', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([5, 2]);
    const ids = tf.tensor1d([0, 7, -1, 2, 2], 'int32');
    const before = tf.engine().backend.numDataIds();
    tf.dispose(tf.unsortedSegmentSum(x, ids, 3));
    expect(tf.engine().backend.numDataIds()).toBe(before);
    const b = tf.tensor1d([true, false, true, true, false], 'bool');
    expect(() => tf.engine().runKernel(tf.UnsortedSegmentSum, { x: b, segmentIds: ids }, { numSegments: 3 })).toThrow(AeotError);
    tf.dispose([x, ids, b]);
  });
});
