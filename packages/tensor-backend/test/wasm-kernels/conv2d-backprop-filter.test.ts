// Conv2DBackpropFilter on wasm: checked against the cpu backend's kernel and against a
// float64 loop written from the definition, over many random shapes, strides,
// dilations, paddings, rounding modes and both data formats.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { AeotError } from '../../src/errors.js';
import { registerWasmTrainingKernels } from '../../src/wasm-kernels/register.js';
import { seededUniform } from '../../src/testing/training-nets/seeded-data.js';
import { randomValues, relativeError } from './compare.js';
import { convInfo, randomCase, type Case } from './conv-cases.js';

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
});

/** Runs the kernel on `backend` with fresh tensors; returns the output's values and shape. */
async function runOn(backend: string, c: Case, x: Float32Array, dy: Float32Array): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const info = convInfo(c);
  const xt = tf.tensor4d(x, c.xShape);
  const dyt = tf.tensor4d(dy, info.outShape);
  const attrs = {
    strides: c.strides,
    pad: c.pad,
    dataFormat: c.dataFormat,
    filterShape: c.filterShape,
    ...(c.dimRoundingMode === undefined ? {} : { dimRoundingMode: c.dimRoundingMode }),
    // Not a tfjs attribute (its conv gradient rejects dilations); the wasm kernel honours it.
    ...(c.dilations[0] * c.dilations[1] === 1 ? {} : { dilations: c.dilations }),
  };
  const out = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: xt, dy: dyt }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  const shape = out.shape;
  tf.dispose([xt, dyt, out]);
  return { values, shape };
}

/** dW[kh, kw, ci, co] = Σ x[n, oh·sh + kh·dh − top, ow·sw + kw·dw − left, ci] · dy[n, oh, ow, co], in float64. */
function naiveFilterGrad(c: Case, x: Float32Array, dy: Float32Array): Float64Array {
  const info = convInfo(c);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const nchw = c.dataFormat === 'NCHW';
  const xAt = (b: number, r: number, col: number, ch: number): number =>
    x[nchw ? ((b * ci + ch) * h + r) * w + col : ((b * h + r) * w + col) * ci + ch] ?? NaN;
  const dyAt = (b: number, r: number, col: number, ch: number): number =>
    dy[nchw ? ((b * co + ch) * oh + r) * ow + col : ((b * oh + r) * ow + col) * co + ch] ?? NaN;
  const out = new Float64Array(kh * kw * ci * co);
  for (let fr = 0; fr < kh; fr++) {
    for (let fc = 0; fc < kw; fc++) {
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) {
          let acc = 0;
          for (let b = 0; b < n; b++) {
            for (let yr = 0; yr < oh; yr++) {
              const r = yr * sh + fr * dh - info.padInfo.top;
              if (r < 0 || r >= h) continue;
              for (let yc = 0; yc < ow; yc++) {
                const col = yc * sw + fc * dw - info.padInfo.left;
                if (col < 0 || col >= w) continue;
                acc += xAt(b, r, col, i) * dyAt(b, yr, yc, o);
              }
            }
          }
          out[((fr * kw + fc) * ci + i) * co + o] = acc;
        }
      }
    }
  }
  return out;
}

describe('Conv2DBackpropFilter (wasm)', () => {
  it('is registered for wasm after registerWasmTrainingKernels()', () => {
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
  });

  it('matches the cpu kernel and a float64 loop on 80 random shapes / strides / paddings (rel. error ≤ 1e-4)', async () => {
    const rand = seededUniform(1234);
    let worstCpu = 0;
    let worstTruth = 0;
    for (let i = 0; i < 80; i++) {
      const c = randomCase(rand, false);
      const info = convInfo(c);
      const x = randomValues(tf.util.sizeFromShape(c.xShape), rand);
      const dy = randomValues(tf.util.sizeFromShape(info.outShape), rand);
      const wasm = await runOn('wasm', c, x, dy);
      const cpu = await runOn('cpu', c, x, dy);
      expect(wasm.shape).toEqual(c.filterShape);
      const vsCpu = relativeError(wasm.values, cpu.values);
      const vsTruth = relativeError(wasm.values, naiveFilterGrad(c, x, dy));
      worstCpu = Math.max(worstCpu, vsCpu);
      worstTruth = Math.max(worstTruth, vsTruth);
      if (vsCpu > 1e-4 || vsTruth > 1e-4) throw new Error(`case ${i} ${JSON.stringify(c)}: vs cpu ${vsCpu}, vs float64 ${vsTruth}`);
    }
    console.info(`Conv2DBackpropFilter, 80 cases: worst rel. error ${worstCpu.toExponential(2)} vs cpu, ${worstTruth.toExponential(2)} vs float64`);
    expect(worstCpu).toBeLessThanOrEqual(1e-4);
    expect(worstTruth).toBeLessThanOrEqual(1e-4);
  });

  it('honours dilations (checked against the float64 loop; the cpu kernel ignores them)', async () => {
    const rand = seededUniform(99);
    for (let i = 0; i < 30; i++) {
      const c = randomCase(rand, true);
      const x = randomValues(tf.util.sizeFromShape(c.xShape), rand);
      const dy = randomValues(tf.util.sizeFromShape(convInfo(c).outShape), rand);
      const wasm = await runOn('wasm', c, x, dy);
      const err = relativeError(wasm.values, naiveFilterGrad(c, x, dy));
      if (err > 1e-4) throw new Error(`case ${i} ${JSON.stringify(c)}: vs float64 ${err}`);
    }
  });

  // The cpu kernel is a scalar JS loop (about 10 s for the second layer at batch 16), so
  // the wide layer runs at batch 4 here; the training test covers batch 16 end to end.
  it('matches cpu on the DCGAN layer shapes (28×28 → 14×14 → 7×7, 4×4 stride 2 same)', async () => {
    const rand = seededUniform(7);
    const cases: Case[] = [
      { xShape: [8, 28, 28, 1], filterShape: [4, 4, 1, 32], strides: [2, 2], dilations: [1, 1], pad: 'same', dataFormat: 'NHWC' },
      { xShape: [4, 14, 14, 32], filterShape: [4, 4, 32, 64], strides: [2, 2], dilations: [1, 1], pad: 'same', dataFormat: 'NHWC' },
      { xShape: [4, 7, 7, 64], filterShape: [1, 1, 64, 64], strides: [1, 1], dilations: [1, 1], pad: 'valid', dataFormat: 'NHWC' },
      // Filter larger than the input ('same' padding on both sides).
      { xShape: [2, 3, 3, 4], filterShape: [5, 5, 4, 3], strides: [1, 1], dilations: [1, 1], pad: 'same', dataFormat: 'NHWC' },
    ];
    for (const c of cases) {
      const x = randomValues(tf.util.sizeFromShape(c.xShape), rand);
      const dy = randomValues(tf.util.sizeFromShape(convInfo(c).outShape), rand);
      const wasm = await runOn('wasm', c, x, dy);
      const cpu = await runOn('cpu', c, x, dy);
      expect(relativeError(wasm.values, cpu.values)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('frees every intermediate (backend data count unchanged)', async () => {
    await tf.setBackend('wasm');
    const c: Case = { xShape: [2, 9, 9, 3], filterShape: [3, 3, 3, 5], strides: [2, 2], dilations: [1, 1], pad: 'valid', dataFormat: 'NHWC' };
    const rand = seededUniform(3);
    const x = tf.tensor4d(randomValues(2 * 9 * 9 * 3, rand), c.xShape);
    const dy = tf.tensor4d(randomValues(tf.util.sizeFromShape(convInfo(c).outShape), rand), convInfo(c).outShape);
    const before = tf.engine().backend.numDataIds();
    const tensorsBefore = tf.memory().numTensors;
    tf.dispose(tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filterShape }) as tf.Tensor);
    expect(tf.engine().backend.numDataIds()).toBe(before);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    tf.dispose([x, dy]);
  });

  it('rejects non-float32 inputs and a dy of the wrong shape', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 4, 4, 1], 'int32');
    const dy = tf.zeros([1, 2, 2, 1], 'int32');
    const attrs = { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [2, 2, 1, 1] } as const;
    const run = (a: tf.Tensor, b: tf.Tensor): unknown => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: a, dy: b }, attrs as unknown as tf.NamedAttrMap);
    expect(() => run(x, dy)).toThrow(AeotError);
    try {
      run(x, dy);
    } catch (e) {
      expect((e as AeotError).code).toBe('ERR_AEOT_UNSUPPORTED_DTYPE');
    }
    const xf = tf.zeros([1, 4, 4, 1]);
    const wrong = tf.zeros([1, 3, 3, 1]);
    expect(() => run(xf, wrong)).toThrow(RangeError);
    tf.dispose([x, dy, xf, wrong]);
  });
});
