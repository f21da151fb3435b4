// UnsortedSegmentSum for the wasm backend (missing from tfjs-backend-wasm 4.22). It is
// what the gradient of tf.gather runs (scatter-add of dy back onto the gathered rows),
// so without it no model that gathers from a variable trains on wasm. Built on the wasm
// ScatterNd kernel, which accumulates duplicate indices: O(size of x), no per-segment
// passes (the cpu kernel makes one masked pass per segment).
import * as tf from '@tensorflow/tfjs-core';
import { AeotError } from '../errors.js';
import { assertShape, type KernelArgs, WasmKernelScope } from './kernel-scope.js';

/**
 * Wasm kernel function of `UnsortedSegmentSum`: out[s, …] = Σ over ids[i] = s of x[i, …].
 * `segmentIds` may have any rank r; it must match the first r axes of `x`. Ids outside
 * [0, numSegments) are dropped, as on the cpu backend: they are routed to one scratch
 * row past the end, which is cut off.
 *
 * @param args.inputs `x` (float32 or int32) and `segmentIds` (int32).
 * @param args.attrs `{ numSegments }`.
 * @returns [numSegments, ...x.shape.slice(r)] with x's dtype.
 * @throws AeotError `ERR_AEOT_UNSUPPORTED_DTYPE` for other dtypes; RangeError when the
 *   shapes do not line up.
 */
export function unsortedSegmentSumWasm(args: KernelArgs): tf.TensorInfo {
  const owner = tf.UnsortedSegmentSum;
  const { x, segmentIds } = args.inputs as tf.UnsortedSegmentSumInputs;
  if (x === undefined || segmentIds === undefined) throw new TypeError(`${owner} (wasm): inputs "x" and "segmentIds" are required`);
  const { numSegments } = args.attrs as unknown as tf.UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new AeotError('ERR_AEOT_UNSUPPORTED_DTYPE', `${owner} (wasm): "x" must be float32 or int32, got ${x.dtype}`);
  }
  if (segmentIds.dtype !== 'int32') {
    throw new AeotError('ERR_AEOT_UNSUPPORTED_DTYPE', `${owner} (wasm): "segmentIds" must be int32, got ${segmentIds.dtype}`);
  }
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new RangeError(`${owner} (wasm): "numSegments" expected an integer ≥ 0, got ${String(numSegments)}`);
  }
  const idRank = segmentIds.shape.length;
  assertShape(owner, 'x (leading axes)', x.shape.slice(0, idRank), segmentIds.shape);
  const rest = x.shape.slice(idRank);
  const count = tf.util.sizeFromShape(segmentIds.shape);
  const inner = tf.util.sizeFromShape(rest);
  const dtype = x.dtype;
  const scope = new WasmKernelScope(args.backend, owner);
  try {
    if (count === 0 || inner === 0 || numSegments === 0) return scope.keep(scope.fill([numSegments, ...rest], 0, dtype));
    const ids = scope.reshape(segmentIds, [count]);
    const scratch = scope.fill([count], numSegments, 'int32');
    const zero = scope.fill([count], 0, 'int32');
    const inRange = scope.run(tf.LogicalAnd, {
      a: scope.run(tf.GreaterEqual, { a: ids, b: zero }),
      b: scope.run(tf.Less, { a: ids, b: scratch }),
    });
    const safeIds = scope.run(tf.Select, { condition: inRange, t: ids, e: scratch });
    const summed = scope.run(
      tf.ScatterNd,
      { indices: scope.reshape(safeIds, [count, 1]), updates: scope.reshape(x, [count, inner]) },
      { shape: [numSegments + 1, inner] },
    );
    const kept = scope.slice(summed, [0, 0], [numSegments, inner]);
    return scope.keep(scope.reshape(kept, [numSegments, ...rest]));
  } finally {
    scope.dispose();
  }
}

/** Kernel config registering {@link unsortedSegmentSumWasm} as `UnsortedSegmentSum` on 'wasm'. */
export const unsortedSegmentSumWasmConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSumWasm as unknown as tf.KernelFunc,
};
