// MaxPoolGrad for the wasm backend, REPLACING the one tfjs-backend-wasm 4.22 ships. The
// shipped kernel looks for each window's maximum starting from
// std::numeric_limits<float>::min() — the smallest positive float, not the lowest — so
// in any window whose values are all ≤ 1.2e−38 (e.g. max-pooling after a leaky ReLU
// over a dark background) it never finds a maximum and sends the gradient to element 0
// of the whole tensor. It also breaks ties toward the last maximum where cpu and
// TensorFlow take the first. Found by comparing autoencoder gradients with cpu.
//
// Computed from wasm kernels on whole tensors (no per-window or per-tap loops in JS;
// about as fast as the shipped kernel):
//   1. x is padded with −∞ and laid out by stride phase, Φ[sh·sw·N, A, B, C]: phase
//      (rh, rw) holds the rows ≡ rh (mod sh) and columns ≡ rw (mod sw). Window tap
//      (kh, kw) of every output is then the cell block at offset (⌊kh/sh⌋, ⌊kw/sw⌋) of
//      phase (kh mod sh, kw mod sw); taps sharing an offset form one "group", read with
//      one slice (no slice at all when the stride is at least the window).
//   2. hits = (tap == y) for all taps at once, rows reordered into the window's
//      row-major order; a running count along the taps marks each window's FIRST hit
//      (no earlier hit) — that tap gets dy, every other tap 0.
//   3. The per-tap gradients go back into the phase grid (one pad + add per group) and
//      the phases are interleaved into dx, padding cut off.
import * as tf from '@tensorflow/tfjs-core';
import { assertFloat32, assertShape, type KernelArgs, WasmKernelScope } from './kernel-scope.js';

/**
 * Wasm kernel function of `MaxPoolGrad`: routes each output gradient to the first
 * (row-major) maximum of its pooling window, like the cpu backend. Supports strides,
 * 'same' / 'valid' / numeric / explicit padding and any dimRoundingMode (NHWC). One
 * difference: a non-finite dy entry also gives NaN to the other inputs of its window
 * (cpu gives them 0).
 *
 * @param args.inputs `dy` [N, OH, OW, C], `input` x [N, H, W, C] and `output` y = maxPool(x), float32.
 * @param args.attrs tfjs's MaxPoolGradAttrs.
 * @returns dx [N, H, W, C].
 * @throws AeotError `ERR_AEOT_UNSUPPORTED_DTYPE` for non-float32 inputs; RangeError
 *   when `dy` / `output` do not have the pooled shape.
 */
export function maxPoolGradWasm(args: KernelArgs): tf.TensorInfo {
  const owner = tf.MaxPoolGrad;
  const { dy, input: x, output: y } = args.inputs as tf.MaxPoolGradInputs;
  if (dy === undefined || x === undefined || y === undefined) throw new TypeError(`${owner} (wasm): inputs "dy", "input" and "output" are required`);
  const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
  assertFloat32(owner, { dy, input: x, output: y });
  const info = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  assertShape(owner, 'dy', dy.shape, info.outShape);
  assertShape(owner, 'output', y.shape, info.outShape);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  const scope = new WasmKernelScope(args.backend, owner);
  try {
    if (tf.util.sizeFromShape(x.shape) === 0 || tf.util.sizeFromShape(dy.shape) === 0) return scope.keep(scope.fill(x.shape, 0));
    const groupsH = Math.ceil(kh / sh);
    const groupsW = Math.ceil(kw / sw);
    const groups = groupsH * groupsW;
    const phaseCount = sh * sw;
    // Phase grid: A×B cells per phase cover every window.
    const a = oh + groupsH - 1;
    const b = ow + groupsW - 1;
    const ph = a * sh;
    const pw = b * sw;
    const m = n * oh * ow * c;

    // 1. −∞ padding never wins a window; rows / columns past the last window are cropped.
    const xp = scope.padOrCrop(
      x,
      [
        [0, 0],
        [top, ph - h - top],
        [left, pw - w - left],
        [0, 0],
      ],
      -Infinity,
    );
    // [n·a, sh, b, sw, c] → [sh, sw, n·a, b, c], as two transposes of rank ≤ 4: the wasm
    // Transpose falls back to a per-element index loop (~100× slower) above rank 4.
    let phases = xp;
    if (phaseCount > 1) {
      const rowsFirst = scope.transpose(scope.reshape(xp, [n * a * sh, b, sw, c]), [0, 2, 1, 3]); // [n·a, sh, sw, b, c]
      scope.free(xp);
      phases = scope.reshape(scope.transpose(scope.reshape(rowsFirst, [n * a, phaseCount, b * c]), [1, 0, 2]), [phaseCount * n, a, b, c]);
      scope.free(rowsFirst);
    }

    // 2. Hits of every (group, phase) row at once. Copies of y are stacked with Concat
    //    rather than broadcast: the wasm Equal (like Tile) broadcasts through a
    //    per-element index path that is far slower than these copies.
    const yRow = scope.reshape(y, [1, m]);
    const yRows = phaseCount === 1 ? yRow : scope.run(tf.Concat, new Array<tf.TensorInfo>(phaseCount).fill(yRow) as unknown as tf.NamedTensorInfoMap, { axis: 0 });
    const hitBlocks: tf.TensorInfo[] = [];
    for (let gh = 0; gh < groupsH; gh++) {
      for (let gw = 0; gw < groupsW; gw++) {
        const cells = groups === 1 ? phases : scope.slice(phases, [0, gh, gw, 0], [phaseCount * n, oh, ow, c]);
        hitBlocks.push(scope.run(tf.Equal, { a: scope.reshape(cells, [phaseCount, m]), b: yRows }));
        if (cells !== phases) scope.free(cells);
      }
    }
    scope.free(phases, yRows);
    const hitRows = hitBlocks.length === 1 ? (hitBlocks[0] as tf.TensorInfo) : scope.run(tf.Concat, hitBlocks as unknown as tf.NamedTensorInfoMap, { axis: 0 });
    // Row of tap (r, s) in (group, phase) order; taps are listed in row-major window order.
    const rowOfTap: number[] = [];
    for (let r = 0; r < kh; r++) {
      for (let s = 0; s < kw; s++) {
        rowOfTap.push((Math.floor(r / sh) * groupsW + Math.floor(s / sw)) * phaseCount + (r % sh) * sw + (s % sw));
      }
    }
    const taps = rowOfTap.length;
    const rowCount = groups * phaseCount;
    const inOrder = taps === rowCount && rowOfTap.every((row, i) => row === i);
    const hitsF = scope.run(tf.Cast, { x: hitRows }, { dtype: 'float32' });
    const hits = inOrder ? hitsF : scope.run(tf.GatherV2, { x: hitsF, indices: scope.int32(rowOfTap) }, { axis: 0, batchDims: 0 });
    // First hit of each window: a hit with no earlier hit, i.e. relu(hit − earlier hits)
    // = 1 (both are small integers in float32, so this is exact); every other tap 0.
    const earlier = scope.run(tf.Cumsum, { x: hits }, { axis: 0, exclusive: true, reverse: false });
    const first = scope.run(tf.Relu, { x: scope.run(tf.Sub, { a: hits, b: earlier }) });
    // dy times the 0/1 mask (XNNPACK's broadcasting multiply; a compare + select costs
    // ~10× more here). Exact for finite dy; a non-finite dy also turns the window's
    // other inputs' gradients into NaN (0 · ∞), where cpu leaves them 0.
    const tapGrads = scope.run(tf.Multiply, { a: first, b: scope.reshape(dy, [1, m]) });

    // 3. Back to (group, phase) rows (phantom taps of a partial group get a zero row),
    //    into the phase grid, summed per group.
    let rows = tapGrads;
    if (!inOrder) {
      const tapOfRow = new Array<number>(rowCount).fill(taps);
      rowOfTap.forEach((row, tap) => {
        tapOfRow[row] = tap;
      });
      const padded = scope.run(tf.Concat, [tapGrads, scope.fill([1, m], 0)] as unknown as tf.NamedTensorInfoMap, { axis: 0 });
      rows = scope.run(tf.GatherV2, { x: padded, indices: scope.int32(tapOfRow) }, { axis: 0, batchDims: 0 });
    }
    let stacked: tf.TensorInfo | undefined;
    for (let gh = 0; gh < groupsH; gh++) {
      for (let gw = 0; gw < groupsW; gw++) {
        const g = gh * groupsW + gw;
        const block = groups === 1 ? rows : scope.slice(rows, [g * phaseCount, 0], [phaseCount, m]);
        const placed = scope.padOrCrop(scope.reshape(block, [phaseCount * n, oh, ow, c]), [
          [0, 0],
          [gh, a - oh - gh],
          [gw, b - ow - gw],
          [0, 0],
        ]);
        const previous = stacked;
        stacked = previous === undefined ? placed : scope.run(tf.Add, { a: previous, b: placed });
        if (previous !== undefined) scope.free(previous, placed);
      }
    }
    if (stacked === undefined) throw new Error(`${owner} (wasm): empty window`);
    // [sh, sw, n·a, b, c] → [n·a, sh, b, sw, c] = [n, ph, pw, c], again at rank ≤ 4.
    let dxp = stacked;
    if (phaseCount > 1) {
      const batchFirst = scope.transpose(scope.reshape(stacked, [phaseCount, n * a, b * c]), [1, 0, 2]); // [n·a, sh, sw, b, c]
      scope.free(stacked);
      dxp = scope.reshape(scope.transpose(scope.reshape(batchFirst, [n * a * sh, sw, b, c]), [0, 2, 1, 3]), [n, ph, pw, c]);
      scope.free(batchFirst);
    }
    return scope.keep(
      scope.padOrCrop(dxp, [
        [0, 0],
        [-top, h + top - ph],
        [-left, w + left - pw],
        [0, 0],
      ]),
    );
  } finally {
    scope.dispose();
  }
}

/** Kernel config registering {@link maxPoolGradWasm} as `MaxPoolGrad` on 'wasm' (a replacement). */
export const maxPoolGradWasmConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGradWasm as unknown as tf.KernelFunc,
};
