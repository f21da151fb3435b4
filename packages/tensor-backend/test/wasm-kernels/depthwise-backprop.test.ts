// DepthwiseConv2dNativeBackpropFilter / BackpropInput on wasm: checked against the cpu
// backend's kernels (stride-only cases; the cpu kernels ignore dilations) and against
// float64 loops written from the definition (all cases, dilations included).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { AeotError } from '../../src/errors.js';
import { registerWasmTrainingKernels } from '../../src/wasm-kernels/register.js';
import { seededUniform } from '../../src/testing/training-nets/seeded-data.js';
import { randomValues, relativeError } from './compare.js';
import { randomPadding, type Pad, type Shape4 } from './conv-cases.js';

interface Case {
  readonly xShape: Shape4;
  /** [KH, KW, C, M]. */
  readonly filterShape: Shape4;
  readonly strides: [number, number];
  readonly dilations: [number, number];
  readonly pad: Pad;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
});

function convInfo(c: Case): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(c.xShape, c.filterShape, c.strides, c.dilations, c.pad, c.dimRoundingMode, true);
}

function attrsOf(c: Case): Record<string, unknown> {
  return {
    strides: c.strides,
    dilations: c.dilations,
    pad: c.pad,
    ...(c.dimRoundingMode === undefined ? {} : { dimRoundingMode: c.dimRoundingMode }),
  };
}

async function filterGradOn(backend: string, c: Case, x: Float32Array, dy: Float32Array): Promise<Float32Array> {
  await tf.setBackend(backend);
  const xt = tf.tensor4d(x, c.xShape);
  const dyt = tf.tensor4d(dy, convInfo(c).outShape);
  const attrs = { ...attrsOf(c), filterShape: c.filterShape } as unknown as tf.NamedAttrMap;
  const out = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x: xt, dy: dyt }, attrs) as tf.Tensor;
  expect(out.shape).toEqual(c.filterShape);
  const values = (await out.data()) as Float32Array;
  tf.dispose([xt, dyt, out]);
  return values;
}

async function inputGradOn(backend: string, c: Case, dy: Float32Array, filter: Float32Array): Promise<Float32Array> {
  await tf.setBackend(backend);
  const dyt = tf.tensor4d(dy, convInfo(c).outShape);
  const ft = tf.tensor4d(filter, c.filterShape);
  const attrs = { ...attrsOf(c), inputShape: c.xShape } as unknown as tf.NamedAttrMap;
  const out = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy: dyt, filter: ft }, attrs) as tf.Tensor;
  expect(out.shape).toEqual(c.xShape);
  const values = (await out.data()) as Float32Array;
  tf.dispose([dyt, ft, out]);
  return values;
}

/**
 * Visits every (x element, filter element, dy element) triple the forward depthwise conv
 * multiplies: y[n, oh, ow, c·M + m] += x[n, ih, iw, c] · W[kh, kw, c, m].
 */
function forEachTap(c: Case, visit: (xi: number, wi: number, yi: number) => void): void {
  const info = convInfo(c);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ch, outHeight: oh, outWidth: ow, outChannels: cm } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const m = cm / ch;
  for (let b = 0; b < n; b++)
    for (let yr = 0; yr < oh; yr++)
      for (let yc = 0; yc < ow; yc++)
        for (let fr = 0; fr < kh; fr++) {
          const r = yr * sh + fr * dh - info.padInfo.top;
          if (r < 0 || r >= h) continue;
          for (let fc = 0; fc < kw; fc++) {
            const col = yc * sw + fc * dw - info.padInfo.left;
            if (col < 0 || col >= w) continue;
            for (let k = 0; k < ch; k++)
              for (let q = 0; q < m; q++) {
                visit(((b * h + r) * w + col) * ch + k, ((fr * kw + fc) * ch + k) * m + q, ((b * oh + yr) * ow + yc) * cm + k * m + q);
              }
          }
        }
}

function naiveFilterGrad(c: Case, x: Float32Array, dy: Float32Array): Float64Array {
  const out = new Float64Array(tf.util.sizeFromShape(c.filterShape));
  forEachTap(c, (xi, wi, yi) => {
    out[wi] = (out[wi] ?? 0) + (x[xi] ?? NaN) * (dy[yi] ?? NaN);
  });
  return out;
}

function naiveInputGrad(c: Case, dy: Float32Array, filter: Float32Array): Float64Array {
  const out = new Float64Array(tf.util.sizeFromShape(c.xShape));
  forEachTap(c, (xi, wi, yi) => {
    out[xi] = (out[xi] ?? 0) + (filter[wi] ?? NaN) * (dy[yi] ?? NaN);
  });
  return out;
}

/** A random valid case; tfjs allows strides > 1 or dilations > 1 but not both. */
function randomCase(rand: () => number, dilate: boolean): Case {
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  for (;;) {
    const [n, h, w, ch] = [int(1, 3), int(1, 12), int(1, 12), int(1, 5)];
    const filterShape: Shape4 = [int(1, 5), int(1, 5), ch, int(1, 3)];
    const strides: [number, number] = dilate ? [1, 1] : [int(1, 3), int(1, 3)];
    const dilations: [number, number] = dilate ? [int(1, 3), int(1, 3)] : [1, 1];
    const padding = randomPadding(int, rand, filterShape[0] === filterShape[1] && strides[0] === strides[1] && dilations[0] === dilations[1], 'NHWC');
    if (padding === undefined) continue;
    const { pad, dimRoundingMode } = padding;
    const c: Case = { xShape: [n, h, w, ch], filterShape, strides, dilations, pad, ...(dimRoundingMode ? { dimRoundingMode } : {}) };
    const info = convInfo(c);
    if (info.outHeight > 0 && info.outWidth > 0) return c;
  }
}

describe('DepthwiseConv2dNativeBackpropFilter / BackpropInput (wasm)', () => {
  it('are registered for wasm after registerWasmTrainingKernels()', () => {
    expect(tf.getKernel(tf.DepthwiseConv2dNativeBackpropFilter, 'wasm')).toBeDefined();
    expect(tf.getKernel(tf.DepthwiseConv2dNativeBackpropInput, 'wasm')).toBeDefined();
  });

  it('match the cpu kernels and float64 loops on 80 random shapes / strides / paddings (rel. error ≤ 1e-4)', async () => {
    const rand = seededUniform(4321);
    const worst = { filterVsCpu: 0, filterVsTruth: 0, inputVsCpu: 0, inputVsTruth: 0 };
    for (let i = 0; i < 80; i++) {
      const c = randomCase(rand, false);
      const x = randomValues(tf.util.sizeFromShape(c.xShape), rand);
      const dy = randomValues(tf.util.sizeFromShape(convInfo(c).outShape), rand);
      const filter = randomValues(tf.util.sizeFromShape(c.filterShape), rand);
      const dW = await filterGradOn('wasm', c, x, dy);
      const dX = await inputGradOn('wasm', c, dy, filter);
      const errors = {
        filterVsCpu: relativeError(dW, await filterGradOn('cpu', c, x, dy)),
        filterVsTruth: relativeError(dW, naiveFilterGrad(c, x, dy)),
        inputVsCpu: relativeError(dX, await inputGradOn('cpu', c, dy, filter)),
        inputVsTruth: relativeError(dX, naiveInputGrad(c, dy, filter)),
      };
      if (Object.values(errors).some((e) => !(e <= 1e-4))) throw new Error(`case ${i} ${JSON.stringify(c)}: ${JSON.stringify(errors)}`);
      for (const key of Object.keys(worst) as Array<keyof typeof worst>) worst[key] = Math.max(worst[key], errors[key]);
    }
    console.info(`depthwise backprops, 80 cases: worst rel. errors ${JSON.stringify(Object.fromEntries(Object.entries(worst).map(([k, v]) => [k, v.toExponential(2)])))}`);
  });

  it('honour dilations (checked against float64 loops)', async () => {
    const rand = seededUniform(77);
    for (let i = 0; i < 40; i++) {
      const c = randomCase(rand, true);
      const x = randomValues(tf.util.sizeFromShape(c.xShape), rand);
      const dy = randomValues(tf.util.sizeFromShape(convInfo(c).outShape), rand);
      const filter = randomValues(tf.util.sizeFromShape(c.filterShape), rand);
      const errors = {
        filter: relativeError(await filterGradOn('wasm', c, x, dy), naiveFilterGrad(c, x, dy)),
        input: relativeError(await inputGradOn('wasm', c, dy, filter), naiveInputGrad(c, dy, filter)),
      };
      if (Object.values(errors).some((e) => !(e <= 1e-4))) throw new Error(`case ${i} ${JSON.stringify(c)}: ${JSON.stringify(errors)}`);
    }
  });

  it('match cpu on the DCGAN discriminator shape (batch 16, 14×14×32, 3×3 stride 2 same, multiplier 2)', async () => {
    const rand = seededUniform(8);
    const c: Case = { xShape: [16, 14, 14, 32], filterShape: [3, 3, 32, 2], strides: [2, 2], dilations: [1, 1], pad: 'same' };
    const x = randomValues(tf.util.sizeFromShape(c.xShape), rand);
    const dy = randomValues(tf.util.sizeFromShape(convInfo(c).outShape), rand);
    const filter = randomValues(tf.util.sizeFromShape(c.filterShape), rand);
    expect(relativeError(await filterGradOn('wasm', c, x, dy), await filterGradOn('cpu', c, x, dy))).toBeLessThanOrEqual(1e-4);
    expect(relativeError(await inputGradOn('wasm', c, dy, filter), await inputGradOn('cpu', c, dy, filter))).toBeLessThanOrEqual(1e-4);
  });

  it('free every intermediate (backend data count unchanged)', async () => {
    await tf.setBackend('wasm');
    const rand = seededUniform(5);
    const x = tf.tensor4d(randomValues(2 * 9 * 9 * 3, rand), [2, 9, 9, 3]);
    const f = tf.tensor4d(randomValues(3 * 3 * 3 * 2, rand), [3, 3, 3, 2]);
    const dy = tf.tensor4d(randomValues(2 * 5 * 5 * 6, rand), [2, 5, 5, 6]);
    const before = tf.engine().backend.numDataIds();
    const common = { strides: [2, 2], dilations: [1, 1], pad: 'same' };
    tf.dispose(tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { ...common, filterShape: [3, 3, 3, 2] }) as tf.Tensor);
    tf.dispose(tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: f }, { ...common, inputShape: [2, 9, 9, 3] }) as tf.Tensor);
    expect(tf.engine().backend.numDataIds()).toBe(before);
    tf.dispose([x, f, dy]);
  });

  it('reject non-float32 inputs and a dy of the wrong shape', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 4, 4, 2], 'int32');
    const dy = tf.zeros([1, 4, 4, 2], 'int32');
    const common = { strides: 1, dilations: 1, pad: 'same', filterShape: [3, 3, 2, 1] };
    expect(() => tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, common)).toThrow(AeotError);
    const xf = tf.zeros([1, 4, 4, 2]);
    const f = tf.zeros([3, 3, 2, 1]);
    const wrong = tf.zeros([1, 3, 4, 2]);
    expect(() => tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x: xf, dy: wrong }, common)).toThrow(RangeError);
    expect(() =>
      tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy: wrong, filter: f }, { ...common, inputShape: [1, 4, 4, 2] }),
    ).toThrow(RangeError);
    tf.dispose([x, dy, xf, f, wrong]);
  });
});
