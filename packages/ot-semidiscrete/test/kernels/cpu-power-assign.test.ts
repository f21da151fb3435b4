// The CPU power assignment (WebAssembly SIMD, worker threads) against a float64 plain-loop
// reference: random data at many shapes (d not a multiple of 4, M not a multiple of the
// tile, M = 1), top-1 and top-k, exact ties between duplicate targets, both SIMD
// variants, 1 and 2 threads bit-identical, and through tfjs on the wasm and cpu backends.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@aeot/tensor-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuPowerAssign, type CpuPowerAssignVariant } from '../../src/kernels/cpu/cpu-power-assign.js';
import { availablePowerAssignVariants } from '../../src/kernels/cpu/power-assign-module.js';
import { registerCpuPowerAssignKernels } from '../../src/kernels/cpu/register-cpu-power-assign.js';
import { MAX_TOP_K, POWER_ASSIGN } from '../../src/kernels/power-assign-kernel.js';
import { check, close, problem, reference, run, type Problem } from './power-assign-reference.js';

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

const variants: CpuPowerAssignVariant[] = await availablePowerAssignVariants();
const kernels = new Map<string, CpuPowerAssign>();

beforeAll(async () => {
  for (const variant of variants) {
    for (const threads of [1, 2]) kernels.set(`${variant}/${threads}`, await CpuPowerAssign.create({ variant, threads }));
  }
});

afterAll(() => {
  for (const pa of kernels.values()) pa.dispose();
});

function kernel(variant: CpuPowerAssignVariant, threads: number): CpuPowerAssign {
  const pa = kernels.get(`${variant}/${threads}`);
  if (pa === undefined) throw new Error(`no kernel ${variant}/${threads}`);
  return pa;
}

describe.each(variants)('CpuPowerAssign (%s)', (variant) => {
  it.each(SHAPES)('matches the float64 reference at N=%i, M=%i, d=%i for k = 1 and 5', (n, m, d) => {
    const p = problem(n, m, d, 1000 * n + 10 * m + d);
    let ties = 0;
    for (const k of [1, Math.min(5, m)]) {
      const one = run(kernel(variant, 1), p, k);
      ties += check(p, k, one.index, one.score).nearTies;
      const two = run(kernel(variant, 2), p, k);
      expect(two.index).toEqual(one.index);
      expect(two.score).toEqual(one.score);
    }
    expect(ties).toBeLessThanOrEqual(Math.max(1, Math.ceil(0.01 * n)));
  });

  it('gives the same lists with 1 and 2 threads on a large problem, and k = 32', () => {
    const p = problem(3001, 777, 19, 7);
    const k = MAX_TOP_K;
    const one = run(kernel(variant, 1), p, k);
    const two = run(kernel(variant, 2), p, k);
    expect(two.index).toEqual(one.index);
    expect(two.score).toEqual(one.score);
    const few = problem(60, 777, 19, 7);
    const sub = run(kernel(variant, 2), few, k);
    expect(check(few, k, sub.index, sub.score).nearTies).toBeLessThanOrEqual(2);
  });

  it('breaks exact ties between duplicate targets toward the lower index', () => {
    const base = problem(300, 40, 6, 3);
    // Targets 2a and 2a + 1 are the same point with the same height.
    const y = new Float32Array(80 * 6);
    const h = new Float32Array(80);
    for (let a = 0; a < 40; a++) {
      for (const j of [2 * a, 2 * a + 1]) {
        y.set(base.y.subarray(a * 6, a * 6 + 6), j * 6);
        h[j] = base.h[a] ?? 0;
      }
    }
    const p: Problem = { ...base, m: 80, y, h };
    const k = 6;
    for (const threads of [1, 2]) {
      const { index, score } = run(kernel(variant, threads), p, k);
      for (let i = 0; i < p.n; i++) {
        const row = Array.from(index.subarray(i * k, i * k + k));
        expect(row.filter((_, q) => q % 2 === 0).every((j) => j % 2 === 0)).toBe(true);
        expect(row.filter((_, q) => q % 2 === 1).every((j, q) => j === (row[2 * q] ?? -2) + 1)).toBe(true);
        expect(score[i * k]).toBe(score[i * k + 1]);
      }
    }
  });

  it('processes more samples than one batch, and new targets of another shape', () => {
    const pa = kernel(variant, 2);
    const p = problem(70_001, 13, 2, 11);
    const { index, score } = run(pa, p, 3);
    const sample = [0, 1, 65_535, 65_536, 65_537, 70_000];
    for (const i of sample) {
      const ref = reference(p, i, 3);
      for (let q = 0; q < 3; q++) expect(close(score[i * 3 + q] ?? NaN, ref.score[q] ?? NaN)).toBe(true);
    }
    expect(Array.from(index.subarray(0, 3)).sort()).toEqual([...reference(p, 0, 3).index].sort());
    const q = problem(40, 3000, 40, 12);
    const again = run(pa, q, 2);
    check(q, 2, again.index, again.score);
  });
});

describe('CpuPowerAssign arguments', () => {
  it('validates at the boundary', async () => {
    const pa = await CpuPowerAssign.create({ threads: 1 });
    const idx = new Int32Array(4);
    expect(() => pa.assign(new Float32Array(4), 2, new Float32Array(3), idx)).toThrow(/setTargets/);
    pa.setTargets(new Float32Array(6), 3, 2);
    expect(() => pa.topK(new Float32Array(4), 2, new Float32Array(3), 4, new Int32Array(8))).toThrow(RangeError);
    expect(() => pa.assign(new Float32Array(3), 2, new Float32Array(3), idx)).toThrow(/"x" expected at least n·d = 4/);
    expect(() => pa.assign(new Float64Array(4) as unknown as Float32Array, 2, new Float32Array(3), idx)).toThrow(TypeError);
    expect(() => pa.assign(new Float32Array(4), 2.5, new Float32Array(3), idx)).toThrow(RangeError);
    expect(() => pa.setTargets(new Float32Array(5), 3, 2)).toThrow(RangeError);
    await expect(CpuPowerAssign.create({ threads: 0 })).rejects.toThrow(RangeError);
    pa.assign(new Float32Array(0), 0, new Float32Array(3), new Int32Array(0));
    pa.dispose();
    pa.dispose();
    expect(() => pa.setTargets(new Float32Array(6), 3, 2)).toThrow(/dispose/);
  });
});

describe.each(['wasm', 'cpu'] as const)('POWER_ASSIGN through tfjs on %s', (backendName) => {
  let pa: CpuPowerAssign;
  let unregister: () => void;

  beforeAll(async () => {
    await initBackend({ backend: backendName });
    pa = await CpuPowerAssign.create({ threads: 2 });
    unregister = registerCpuPowerAssignKernels(pa);
  });

  afterAll(() => {
    unregister();
    pa.dispose();
  });

  it('matches the float64 reference, packs the targets once, and leaks no tensor', async () => {
    const p = problem(301, 123, 10, 5);
    const x = tf.tensor2d(p.x, [p.n, p.d]);
    const y = tf.tensor2d(p.y, [p.m, p.d]);
    const h = tf.tensor1d(p.h);
    const h2 = tf.tensor1d(p.h.map((v) => v + 1));
    const before = tf.memory().numTensors;
    for (const k of [1, 5]) {
      const [indices, scores] = tf.engine().runKernel(POWER_ASSIGN, { x, y, h }, { k }) as tf.Tensor[];
      if (indices === undefined || scores === undefined) throw new Error('expected two outputs');
      expect(indices.shape).toEqual([p.n, k]);
      expect(indices.dtype).toBe('int32');
      expect(scores.shape).toEqual([p.n, k]);
      expect(scores.dtype).toBe('float32');
      check(p, k, (await indices.data()) as Int32Array, (await scores.data()) as Float32Array);
      tf.dispose([indices, scores]);
    }
    expect(tf.memory().numTensors).toBe(before);
    // Same targets, new heights: no repacking; the result is the direct call's.
    const version = pa.targetsVersion;
    const out = tf.engine().runKernel(POWER_ASSIGN, { x, y, h: h2 }, { k: 1 }) as tf.Tensor[];
    expect(pa.targetsVersion).toBe(version);
    const direct = new Int32Array(p.n);
    pa.assign(p.x, p.n, Float32Array.from(p.h, (v) => v + 1), direct);
    expect((await out[0]?.data()) as Int32Array).toEqual(direct);
    tf.dispose(out);
    expect(tf.memory().numTensors).toBe(before);
    // New targets tensor: packed again.
    const y2 = tf.tensor2d(p.y.map((v) => -v), [p.m, p.d]);
    tf.dispose(tf.engine().runKernel(POWER_ASSIGN, { x, y: y2, h }, { k: 2 }) as tf.Tensor[]);
    expect(pa.targetsVersion).toBe(version + 1);
    tf.dispose([x, y, y2, h, h2]);
    expect(tf.memory().numTensors).toBe(before - 4);
  });

  it('rejects a bad k and mismatched shapes', () => {
    const x = tf.zeros([4, 3]);
    const y = tf.zeros([5, 3]);
    const h = tf.zeros([5]);
    const y2 = tf.zeros([5, 2]);
    const before = tf.memory().numTensors;
    expect(() => tf.engine().runKernel(POWER_ASSIGN, { x, y, h }, { k: 6 })).toThrow(RangeError);
    expect(() => tf.engine().runKernel(POWER_ASSIGN, { x, y: y2, h }, { k: 1 })).toThrow(RangeError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, y2, h]);
  });
});
