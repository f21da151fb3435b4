// The wasm matMul wrappers: with transposed operands, BatchMatMul and _FusedMatMul give
// the cpu backend's results (all four transpose combinations, batched and broadcast
// shapes, fused bias and activation), wrap once, and free their transposes.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureGradients } from '../../src/gradients/index.js';
import { registerWasmTrainingKernels, WASM_WRAPPED_KERNEL_NAMES } from '../../src/wasm-kernels/register.js';
import { isUntransposedMatMul } from '../../src/wasm-kernels/untransposed-mat-mul.js';
import { seededUniform } from '../../src/testing/training-nets/seeded-data.js';
import { randomValues, relativeError } from './compare.js';

beforeAll(async () => {
  await ensureGradients();
  expect(await tf.setBackend('wasm')).toBe(true);
  registerWasmTrainingKernels();
  expect(await tf.setBackend('cpu')).toBe(true);
});

async function on(backend: string, f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

describe('untransposed matMul on wasm', () => {
  it('wraps BatchMatMul and _FusedMatMul once', () => {
    expect(WASM_WRAPPED_KERNEL_NAMES).toEqual([tf.BatchMatMul, tf._FusedMatMul]);
    const before = WASM_WRAPPED_KERNEL_NAMES.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc);
    for (const f of before) expect(isUntransposedMatMul(f!)).toBe(true);
    registerWasmTrainingKernels();
    expect(WASM_WRAPPED_KERNEL_NAMES.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc)).toEqual(before);
  });

  it('matches cpu for every transpose combination, batched and broadcast (rel. error ≤ 1e-5)', async () => {
    const rand = seededUniform(5);
    const shapes: [number[], number[]][] = [
      [[7, 5], [5, 3]],
      [[4, 7, 5], [4, 5, 3]],
      [[2, 1, 6, 4], [3, 4, 2]],
    ];
    for (const [as, bs] of shapes) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const aShape = ta ? [...as.slice(0, -2), as.at(-1)!, as.at(-2)!] : as;
          const bShape = tb ? [...bs.slice(0, -2), bs.at(-1)!, bs.at(-2)!] : bs;
          const av = randomValues(aShape.reduce((p, q) => p * q, 1), rand);
          const bv = randomValues(bShape.reduce((p, q) => p * q, 1), rand);
          const f = () => tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), ta, tb);
          expect(relativeError(await on('wasm', f), await on('cpu', f)), `${aShape} ${bShape} ${ta} ${tb}`).toBeLessThanOrEqual(1e-5);
        }
      }
    }
  });

  it('fused matMul with bias and relu matches cpu with transposed operands, and so do matMul gradients', async () => {
    const rand = seededUniform(6);
    const av = randomValues(9 * 6, rand);
    const bv = randomValues(4 * 9, rand);
    const bias = randomValues(4, rand);
    const fused = () => tf.fused.matMul({ a: tf.tensor2d(av, [9, 6]), b: tf.tensor2d(bv, [4, 9]), transposeA: true, transposeB: true, bias: tf.tensor1d(bias), activation: 'relu' });
    expect(relativeError(await on('wasm', fused), await on('cpu', fused))).toBeLessThanOrEqual(1e-5);
    // Gradients of matMul are transposed products: dA = dy·bᵀ, dB = aᵀ·dy.
    const grads = () => {
      const [da, db] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b))))([tf.tensor2d(av, [9, 6]), tf.tensor2d(bv.slice(0, 6 * 4), [6, 4])]);
      return tf.concat([tf.reshape(da!, [-1]), tf.reshape(db!, [-1])]);
    };
    expect(relativeError(await on('wasm', grads), await on('cpu', grads))).toBeLessThanOrEqual(1e-5);
  });

  it('frees its transposes (backend data count unchanged)', async () => {
    await tf.setBackend('wasm');
    const a = tf.ones([5, 3]);
    const b = tf.ones([4, 5]);
    const before = tf.engine().backend.numDataIds();
    tf.dispose(tf.matMul(a, b, true, true));
    expect(tf.engine().backend.numDataIds()).toBe(before);
    tf.dispose([a, b]);
  });
});
