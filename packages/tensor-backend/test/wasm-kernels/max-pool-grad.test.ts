// MaxPoolGrad on wasm: the shipped tfjs-backend-wasm 4.22 kernel is wrong for windows
// whose values are all ≤ 0 and breaks ties toward the last maximum; the replacement must
// match the cpu kernel (first maximum wins) and a plain loop on random shapes, strides
// and paddings — with all-negative inputs and with heavy ties.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureGradients } from '../../src/gradients/index.js';
import { maxPoolGradWasm } from '../../src/wasm-kernels/max-pool-grad.js';
import { registerWasmTrainingKernels, WASM_REPLACED_KERNEL_NAMES } from '../../src/wasm-kernels/register.js';
import { seededUniform } from '../../src/testing/training-nets/seeded-data.js';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

interface Case {
  readonly xShape: Shape4;
  readonly filterSize: [number, number];
  readonly strides: [number, number];
  readonly pad: Pad;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

// The kernel tfjs-backend-wasm ships, captured before it is replaced (after the wasm
// backend is initialised, so its setup has run).
let shipped: tf.KernelConfig | undefined;

beforeAll(async () => {
  await ensureGradients();
  expect(await tf.setBackend('wasm')).toBe(true);
  shipped = tf.getKernel(tf.MaxPoolGrad, 'wasm');
  registerWasmTrainingKernels();
  expect(await tf.setBackend('cpu')).toBe(true);
});

function poolInfo(c: Case): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computePool2DInfo(c.xShape, c.filterSize, c.strides, 1, c.pad, c.dimRoundingMode);
}

function attrsOf(c: Case): tf.NamedAttrMap {
  return {
    filterSize: c.filterSize,
    strides: c.strides,
    pad: c.pad,
    ...(c.dimRoundingMode === undefined ? {} : { dimRoundingMode: c.dimRoundingMode }),
  } as unknown as tf.NamedAttrMap;
}

/** Forward max pool then MaxPoolGrad on `backend`, both with the backend's own kernels. */
async function gradOn(backend: string, c: Case, x: Float32Array, dy: Float32Array): Promise<Float32Array> {
  await tf.setBackend(backend);
  const xt = tf.tensor4d(x, c.xShape);
  const dyt = tf.tensor4d(dy, poolInfo(c).outShape);
  const y = tf.engine().runKernel(tf.MaxPool, { x: xt }, attrsOf(c)) as tf.Tensor;
  const dx = tf.engine().runKernel(tf.MaxPoolGrad, { dy: dyt, input: xt, output: y }, attrsOf(c)) as tf.Tensor;
  expect(dx.shape).toEqual(c.xShape);
  const values = (await dx.data()) as Float32Array;
  tf.dispose([xt, dyt, y, dx]);
  return values;
}

/** Plain loop: each output's gradient goes to the first (row-major) maximum of its window. */
function naiveGrad(c: Case, x: Float32Array, dy: Float32Array): Float64Array {
  const info = poolInfo(c);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ch, outHeight: oh, outWidth: ow } = info;
  const out = new Float64Array(x.length);
  for (let b = 0; b < n; b++)
    for (let yr = 0; yr < oh; yr++)
      for (let yc = 0; yc < ow; yc++)
        for (let k = 0; k < ch; k++) {
          let best = -Infinity;
          let at = -1;
          for (let fr = 0; fr < info.filterHeight; fr++) {
            const r = yr * info.strideHeight + fr - info.padInfo.top;
            if (r < 0 || r >= h) continue;
            for (let fc = 0; fc < info.filterWidth; fc++) {
              const col = yc * info.strideWidth + fc - info.padInfo.left;
              if (col < 0 || col >= w) continue;
              const i = ((b * h + r) * w + col) * ch + k;
              if ((x[i] ?? NaN) > best) {
                best = x[i] ?? NaN;
                at = i;
              }
            }
          }
          if (at >= 0) out[at] = (out[at] ?? 0) + (dy[((b * oh + yr) * ow + yc) * ch + k] ?? NaN);
        }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return worst;
}

function randomCase(rand: () => number): Case {
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  for (;;) {
    const xShape: Shape4 = [int(1, 3), int(1, 12), int(1, 12), int(1, 4)];
    const filterSize: [number, number] = [int(1, 4), int(1, 4)];
    // Strides up to 4: overlapping windows, tiling windows, and gaps between windows.
    const strides: [number, number] = [int(1, 4), int(1, 4)];
    const kind = rand();
    let pad: Pad;
    let dimRoundingMode: Case['dimRoundingMode'];
    if (kind < 0.4) pad = 'same';
    else if (kind < 0.7) pad = 'valid';
    else if (kind < 0.85) {
      // tfjs sizes numeric padding from the filter height and stride height for both
      // axes (and the wasm forward kernels then overrun), so only square cases make sense.
      if (filterSize[0] !== filterSize[1] || strides[0] !== strides[1]) continue;
      pad = int(0, 1);
      dimRoundingMode = (['floor', 'round', 'ceil'] as const)[int(0, 2)];
    } else {
      const [t, b, l, r] = [int(0, filterSize[0] - 1), int(0, filterSize[0] - 1), int(0, filterSize[1] - 1), int(0, filterSize[1] - 1)];
      pad = [[0, 0], [t, b], [l, r], [0, 0]];
    }
    const c: Case = { xShape, filterSize, strides, pad, ...(dimRoundingMode ? { dimRoundingMode } : {}) };
    let info: tf.backend_util.Conv2DInfo;
    try {
      info = poolInfo(c);
    } catch {
      continue;
    }
    // Every window must hold at least one real element (tfjs leaves all-padding windows undefined).
    const fits =
      info.outHeight > 0 &&
      info.outWidth > 0 &&
      (info.outHeight - 1) * info.strideHeight - info.padInfo.top < info.inHeight &&
      (info.outWidth - 1) * info.strideWidth - info.padInfo.left < info.inWidth &&
      info.padInfo.top < info.filterHeight &&
      info.padInfo.left < info.filterWidth;
    if (fits) return c;
  }
}

describe('MaxPoolGrad (wasm replacement)', () => {
  it('replaces the shipped kernel, idempotently', () => {
    expect(WASM_REPLACED_KERNEL_NAMES).toContain(tf.MaxPoolGrad);
    expect(tf.getKernel(tf.MaxPoolGrad, 'wasm')?.kernelFunc).toBe(maxPoolGradWasm);
    registerWasmTrainingKernels();
    expect(tf.getKernel(tf.MaxPoolGrad, 'wasm')?.kernelFunc).toBe(maxPoolGradWasm);
  });

  it('is needed: the shipped kernel misroutes the gradient of all-negative windows', async () => {
    await tf.setBackend('wasm');
    expect(shipped).toBeDefined();
    expect(shipped?.kernelFunc).not.toBe(maxPoolGradWasm);
    // 2×2 max pool over one all-negative 2×2 image: the maximum is −1 at index 3.
    const x = tf.tensor4d([-4, -3, -2, -1], [1, 2, 2, 1]);
    const y = tf.tensor4d([-1], [1, 1, 1, 1]);
    const dy = tf.tensor4d([1], [1, 1, 1, 1]);
    const attrs = { filterSize: [2, 2], strides: [2, 2], pad: 'valid' } as unknown as tf.NamedAttrMap;
    const backend = tf.engine().backend;
    const wrong = shipped?.kernelFunc({ inputs: { dy, input: x, output: y }, backend, attrs }) as tf.TensorInfo;
    expect(Array.from(backend.readSync(wrong.dataId) as Float32Array)).toEqual([1, 0, 0, 0]);
    backend.disposeData(wrong.dataId);
    const right = tf.engine().runKernel(tf.MaxPoolGrad, { dy, input: x, output: y }, attrs) as tf.Tensor;
    expect(Array.from(await right.data())).toEqual([0, 0, 0, 1]);
    tf.dispose([x, y, dy, right]);
  });

  it('matches cpu and a plain loop on 120 random cases: mixed-sign, all-negative and tie-heavy inputs', async () => {
    const rand = seededUniform(555);
    const fills: Record<string, () => number> = {
      mixed: () => 2 * rand() - 1,
      // The shipped kernel's failure mode: windows with no value above 1.2e−38.
      negative: () => -rand() - 1e-3,
      // Many exact ties: the first maximum (row-major) must win, as on cpu.
      ties: () => Math.floor(rand() * 3) - 1,
    };
    for (let i = 0; i < 120; i++) {
      const c = randomCase(rand);
      const kind = Object.keys(fills)[i % 3] ?? 'mixed';
      const fill = fills[kind] ?? fills['mixed']!;
      const x = Float32Array.from({ length: tf.util.sizeFromShape(c.xShape) }, fill);
      const dy = Float32Array.from({ length: tf.util.sizeFromShape(poolInfo(c).outShape) }, () => 2 * rand() - 1);
      const wasm = await gradOn('wasm', c, x, dy);
      const errors = { cpu: maxAbsDiff(wasm, await gradOn('cpu', c, x, dy)), loop: maxAbsDiff(wasm, naiveGrad(c, x, dy)) };
      if (!(errors.cpu <= 1e-6 && errors.loop <= 1e-6)) throw new Error(`case ${i} (${kind}) ${JSON.stringify(c)}: ${JSON.stringify(errors)}`);
    }
  });

  it('gives cpu’s gradient for maxPool after a leaky ReLU over a flat background (the autoencoder pattern)', async () => {
    const values = Float32Array.from({ length: 2 * 14 * 14 * 3 }, (_, i) => (i % 97 === 0 ? 0.5 : -0.01 * ((i * 7919) % 13)));
    const gradOnBackend = async (backend: string): Promise<Float32Array> => {
      await tf.setBackend(backend);
      const x = tf.tensor4d(values, [2, 14, 14, 3]);
      const weights = tf.reshape(tf.range(1, 2 * 4 * 4 * 3 + 1), [2, 4, 4, 3]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 4, 4, 'same'), weights)))(x);
      const out = (await g.data()) as Float32Array;
      tf.dispose([x, weights, g]);
      return out;
    };
    expect(maxAbsDiff(await gradOnBackend('wasm'), await gradOnBackend('cpu'))).toBe(0);
  });

  it('frees every intermediate (backend data count unchanged)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(Float32Array.from({ length: 2 * 9 * 9 * 3 }, (_, i) => Math.sin(i)), [2, 9, 9, 3]);
    const attrs = { filterSize: [3, 3], strides: [2, 2], pad: 'same' };
    const y = tf.engine().runKernel(tf.MaxPool, { x }, attrs) as tf.Tensor;
    const dy = tf.onesLike(y);
    const before = tf.engine().backend.numDataIds();
    tf.dispose(tf.engine().runKernel(tf.MaxPoolGrad, { dy, input: x, output: y }, attrs) as tf.Tensor);
    expect(tf.engine().backend.numDataIds()).toBe(before);
    tf.dispose([x, y, dy]);
  });
});
