// Conv2DBackpropInput on wasm (the replacement: one XNNPACK conv instead of the shipped
// loop): checked against the cpu backend's kernel and against a float64 loop written
// from the definition, over many random shapes, strides, paddings, rounding modes and
// both data formats; and through conv2dTranspose and conv2d's gradient.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { AeotError } from '../../src/errors.js';
import { ensureGradients } from '../../src/gradients/index.js';
import { conv2DBackpropInputWasm } from '../../src/wasm-kernels/conv2d-backprop-input.js';
import { registerWasmTrainingKernels } from '../../src/wasm-kernels/register.js';
import { seededUniform } from '../../src/testing/training-nets/seeded-data.js';
import { randomValues, relativeError } from './compare.js';
import { convInfo, randomCase, type Case } from './conv-cases.js';

beforeAll(async () => {
  await ensureGradients();
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
});

function attrsOf(c: Case): tf.NamedAttrMap {
  return {
    strides: c.strides,
    pad: c.pad,
    dataFormat: c.dataFormat,
    inputShape: c.xShape,
    ...(c.dimRoundingMode === undefined ? {} : { dimRoundingMode: c.dimRoundingMode }),
  } as unknown as tf.NamedAttrMap;
}

async function runOn(backend: string, c: Case, dy: Float32Array, w: Float32Array): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const dyt = tf.tensor4d(dy, convInfo(c).outShape);
  const wt = tf.tensor4d(w, c.filterShape);
  const out = tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: dyt, filter: wt }, attrsOf(c)) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  const shape = out.shape;
  tf.dispose([dyt, wt, out]);
  return { values, shape };
}

/** dx[n, r, col, i] = Σ dy[n, oh, ow, o] · w[fr, fc, i, o] over r = oh·sh + fr − top, col = ow·sw + fc − left; float64. */
function naiveInputGrad(c: Case, dy: Float32Array, w: Float32Array): Float64Array {
  const info = convInfo(c);
  const { batchSize: n, inHeight: h, inWidth: wd, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const nchw = c.dataFormat === 'NCHW';
  const xIndex = (b: number, r: number, col: number, ch: number): number => (nchw ? ((b * ci + ch) * h + r) * wd + col : ((b * h + r) * wd + col) * ci + ch);
  const dyAt = (b: number, r: number, col: number, ch: number): number => dy[nchw ? ((b * co + ch) * oh + r) * ow + col : ((b * oh + r) * ow + col) * co + ch] ?? NaN;
  const out = new Float64Array(n * h * wd * ci);
  for (let b = 0; b < n; b++) {
    for (let yr = 0; yr < oh; yr++) {
      for (let yc = 0; yc < ow; yc++) {
        for (let fr = 0; fr < kh; fr++) {
          const r = yr * sh + fr - info.padInfo.top;
          if (r < 0 || r >= h) continue;
          for (let fc = 0; fc < kw; fc++) {
            const col = yc * sw + fc - info.padInfo.left;
            if (col < 0 || col >= wd) continue;
            for (let i = 0; i < ci; i++) {
              let acc = 0;
              for (let o = 0; o < co; o++) acc += dyAt(b, yr, yc, o) * (w[((fr * kw + fc) * ci + i) * co + o] as number);
              out[xIndex(b, r, col, i)] += acc;
            }
          }
        }
      }
    }
  }
  return out;
}

describe('Conv2DBackpropInput (wasm replacement)', () => {
  it('replaces the shipped kernel after registerWasmTrainingKernels()', () => {
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.kernelFunc).toBe(conv2DBackpropInputWasm);
  });

  it('matches the cpu kernel and a float64 loop on 100 random shapes / strides / paddings (rel. error ≤ 1e-4)', async () => {
    const rand = seededUniform(4321);
    let worstCpu = 0;
    let worstTruth = 0;
    for (let i = 0; i < 100; i++) {
      const c = randomCase(rand, false);
      const dy = randomValues(tf.util.sizeFromShape(convInfo(c).outShape), rand);
      const w = randomValues(tf.util.sizeFromShape(c.filterShape), rand);
      const wasm = await runOn('wasm', c, dy, w);
      const cpu = await runOn('cpu', c, dy, w);
      expect(wasm.shape).toEqual(c.xShape);
      const vsCpu = relativeError(wasm.values, cpu.values);
      const vsTruth = relativeError(wasm.values, naiveInputGrad(c, dy, w));
      worstCpu = Math.max(worstCpu, vsCpu);
      worstTruth = Math.max(worstTruth, vsTruth);
      if (vsCpu > 1e-4 || vsTruth > 1e-4) throw new Error(`case ${i} ${JSON.stringify(c)}: vs cpu ${vsCpu}, vs float64 ${vsTruth}`);
    }
    console.info(`Conv2DBackpropInput, 100 cases: worst rel. error ${worstCpu.toExponential(2)} vs cpu, ${worstTruth.toExponential(2)} vs float64`);
  });

  it('conv2dTranspose (DCGAN decoder, 7×7 → 14×14 → 28×28) and conv2d input gradients match cpu', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const z = tf.tensor4d(randomValues(4 * 7 * 7 * 16, seededUniform(1)), [4, 7, 7, 16]);
        const w1 = tf.tensor4d(randomValues(4 * 4 * 8 * 16, seededUniform(2)), [4, 4, 8, 16]);
        const w2 = tf.tensor4d(randomValues(4 * 4 * 1 * 8, seededUniform(3)), [4, 4, 1, 8]);
        const up = tf.conv2dTranspose(tf.conv2dTranspose(z, w1, [4, 14, 14, 8], 2, 'same'), w2, [4, 28, 28, 1], 2, 'same');
        const x = tf.tensor4d(randomValues(2 * 9 * 9 * 3, seededUniform(4)), [2, 9, 9, 3]);
        const k = tf.tensor4d(randomValues(3 * 3 * 3 * 5, seededUniform(5)), [3, 3, 3, 5]);
        const dx = tf.grad((t: tf.Tensor4D) => tf.sum(tf.square(tf.conv2d(t, k, 2, 'valid'))))(x);
        return [up.dataSync(), dx.dataSync()] as const;
      });
    };
    const wasm = await run('wasm');
    const cpu = await run('cpu');
    expect(relativeError(wasm[0], cpu[0])).toBeLessThanOrEqual(1e-5);
    expect(relativeError(wasm[1], cpu[1])).toBeLessThanOrEqual(1e-5);
  });

  it('frees every intermediate (backend data count unchanged)', async () => {
    await tf.setBackend('wasm');
    const c: Case = { xShape: [2, 9, 9, 3], filterShape: [3, 3, 3, 5], strides: [2, 2], dilations: [1, 1], pad: 'same', dataFormat: 'NCHW' };
    const rand = seededUniform(3);
    const dy = tf.tensor4d(randomValues(tf.util.sizeFromShape(convInfo(c).outShape), rand), convInfo(c).outShape);
    const w = tf.tensor4d(randomValues(3 * 3 * 3 * 5, rand), c.filterShape);
    const before = tf.engine().backend.numDataIds();
    const tensorsBefore = tf.memory().numTensors;
    tf.dispose(tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter: w }, attrsOf(c)) as tf.Tensor);
    expect(tf.engine().backend.numDataIds()).toBe(before);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    tf.dispose([dy, w]);
  });

  it('rejects non-float32 inputs and a dy of the wrong shape', async () => {
    await tf.setBackend('wasm');
    const c: Case = { xShape: [1, 4, 4, 1], filterShape: [2, 2, 1, 1], strides: [2, 2], dilations: [1, 1], pad: 'valid', dataFormat: 'NHWC' };
    const dy = tf.zeros([1, 2, 2, 1], 'int32');
    const w = tf.zeros([2, 2, 1, 1], 'int32');
    const run = (a: tf.Tensor, b: tf.Tensor): unknown => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: a, filter: b }, attrsOf(c));
    expect(() => run(dy, w)).toThrow(AeotError);
    const wrong = tf.zeros([1, 3, 3, 1]);
    expect(() => run(wrong, tf.zeros([2, 2, 1, 1]))).toThrow(RangeError);
    tf.dispose([dy, w, wrong]);
  });
});
