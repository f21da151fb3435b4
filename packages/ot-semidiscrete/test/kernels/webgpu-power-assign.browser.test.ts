// The WGSL power assignment in headless Chromium (navigator.gpu; SwiftShader on
// machines without a GPU): two of the Node cases, against a float64 reference written
// here with plain loops. AEOT_REQUIRE_WEBGPU=1 turns "unavailable" into a failure.
import { useWebGpu } from '@aeot/tensor-backend/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POWER_ASSIGN } from '../../src/kernels/power-assign-kernel.js';
import { registerWebGpuPowerAssignKernel, WEBGPU_POWER_ASSIGN_LANES_FLAG } from '../../src/kernels/webgpu/power-assign-webgpu.js';
import { mulberry32 } from './mulberry32.js';

const rng = mulberry32;

/** float64 top-k of <x_i, y_j> + h_j, ties → lower index; also each row's error scale. */
function reference(x: Float32Array, y: Float32Array, h: Float32Array, n: number, m: number, d: number, k: number) {
  const indices: number[] = [];
  const scores: number[] = [];
  const all: number[] = [];
  const scale: number[] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    let rowScale = 0;
    for (let j = 0; j < m; j++) {
      let s = 0;
      let a = 0;
      for (let c = 0; c < d; c++) {
        const prod = (x[i * d + c] ?? 0) * (y[j * d + c] ?? 0);
        s += prod;
        a += Math.abs(prod);
      }
      row.push(s + (h[j] ?? 0));
      rowScale = Math.max(rowScale, a + Math.abs(h[j] ?? 0));
    }
    const order = row.map((_, j) => j).sort((p, q) => (row[q] ?? 0) - (row[p] ?? 0) || p - q);
    for (let q = 0; q < k; q++) {
      const j = order[q] ?? -1;
      indices.push(j);
      scores.push(row[j] ?? NaN);
    }
    all.push(...row);
    scale.push(rowScale);
  }
  return { indices, scores, all, scale };
}

async function runAssign(x: Float32Array, y: Float32Array, h: Float32Array, n: number, m: number, d: number, k: number) {
  const tx = tf.tensor2d(x, [n, d]);
  const ty = tf.tensor2d(y, [m, d]);
  const th = tf.tensor1d(h);
  const out = tf.engine().runKernel(POWER_ASSIGN, { x: tx, y: ty, h: th }, { k }) as tf.Tensor[];
  try {
    const [ti, ts] = out;
    if (ti === undefined || ts === undefined) throw new Error(`expected 2 outputs, got ${out.length}`);
    return { indices: Array.from(await ti.data()), scores: Array.from(await ts.data()), shapes: out.map((t) => t.shape) };
  } finally {
    tf.dispose([...out, tx, ty, th]);
  }
}

const gpu = useWebGpu({ beforeAll, afterAll }, import.meta.env.AEOT_REQUIRE_WEBGPU === '1');

beforeAll(async () => {
  registerWebGpuPowerAssignKernel();
  if (gpu.unavailable !== undefined) return;
  expect(tf.getBackend()).toBe('webgpu');
});

afterAll(() => {
  tf.env().set(WEBGPU_POWER_ASSIGN_LANES_FLAG, 0);
});

describe('power assignment on webgpu (Chromium)', () => {
  it('N=97, M=300, d=7, k=5: matches the float64 reference, leaking nothing', async (ctx) => {
    if (gpu.unavailable !== undefined) ctx.skip(gpu.unavailable);
    const [n, m, d, k] = [97, 300, 7, 5];
    const next = rng(42);
    const fill = (len: number, s: number) => Float32Array.from({ length: len }, () => (2 * next() - 1) * s);
    const x = fill(n * d, 1);
    const y = fill(m * d, 1);
    const h = fill(m, 0.5);
    const ref = reference(x, y, h, n, m, d, k);
    const before = [tf.memory().numTensors, tf.engine().backend.numDataIds()];
    for (const lanes of [0, 1]) {
      tf.env().set(WEBGPU_POWER_ASSIGN_LANES_FLAG, lanes);
      const got = await runAssign(x, y, h, n, m, d, k);
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
    }
    tf.env().set(WEBGPU_POWER_ASSIGN_LANES_FLAG, 0);
    expect([tf.memory().numTensors, tf.engine().backend.numDataIds()]).toEqual(before);
  });

  it('duplicate targets tie exactly and keep the lower index first (across lanes and tiles)', async (ctx) => {
    if (gpu.unavailable !== undefined) ctx.skip(gpu.unavailable);
    const [n, m, d] = [64, 300, 3];
    const next = rng(7);
    const x = Float32Array.from({ length: n * d }, () => 2 * next() - 1);
    const y = Float32Array.from({ length: m * d }, () => 2 * next() - 1);
    const h = new Float32Array(m);
    for (const j of [6, 13, 133, 299]) y.set(y.subarray(5 * d, 6 * d), j * d);
    for (const j of [5, 6, 13, 133, 299]) h[j] = 10;
    for (const lanes of [0, 1]) {
      tf.env().set(WEBGPU_POWER_ASSIGN_LANES_FLAG, lanes);
      const got = await runAssign(x, y, h, n, m, d, 5);
      for (let i = 0; i < n; i++) expect(got.indices.slice(i * 5, i * 5 + 5), `row ${i}`).toEqual([5, 6, 13, 133, 299]);
    }
    tf.env().set(WEBGPU_POWER_ASSIGN_LANES_FLAG, 0);
  });
});
