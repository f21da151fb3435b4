// The power-diagram assignment as a tfjs op: the fused kernel registered for the active
// backend when there is one, else the generic composite (tiled matMul + topk), which is
// also the oracle the kernels are tested against.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '@aeot/tensor-backend';
import { MAX_TOP_K, POWER_ASSIGN } from './kernels/power-assign-kernel.js';

/** Result of {@link powerAssign}: `[N, k]` cell indices (int32) and scores, best first. */
export interface PowerAssignResult {
  indices: tf.Tensor2D;
  scores: tf.Tensor2D;
}

/** Targets per tile of the generic composite: memory N × TILE floats, never N × M. */
export const COMPOSITE_TILE = 2048;

/**
 * For each row x of `x`, the `k` cells j with the largest score <x, y_j> + h_j: the
 * power-diagram cells of the Brenier potential max_j <x, y_j> + h_j. Uses the fused
 * kernel of the active backend (WGSL on webgpu, WebAssembly SIMD on wasm / cpu) when one
 * is registered, else {@link powerAssignComposite}.
 *
 * @param x `[N, d]` source samples.
 * @param y `[M, d]` targets.
 * @param h `[M]` heights.
 * @param k number of cells per sample, 1 ≤ k ≤ min(M, 32). Default 1.
 * @returns `indices` int32 `[N, k]` and `scores` float32 `[N, k]`, best first; equal
 *   scores keep the lower index first.
 * @throws {RangeError} for mismatched shapes or a bad k.
 * @example
 * const { indices, scores } = powerAssign(x, y, h, 3);
 */
export function powerAssign(x: tf.Tensor2D, y: tf.Tensor2D, h: tf.Tensor1D, k = 1): PowerAssignResult {
  checkShapes(x, y, h, k);
  if (tf.getKernel(POWER_ASSIGN, tf.getBackend()) !== undefined) {
    const [indices, scores] = tf.engine().runKernel(POWER_ASSIGN, { x, y, h } as unknown as tf.NamedTensorMap, { k }) as tf.Tensor2D[];
    return { indices: indices as tf.Tensor2D, scores: scores as tf.Tensor2D };
  }
  return powerAssignComposite(x, y, h, k);
}

/**
 * The generic composite: per tile of {@link COMPOSITE_TILE} targets, `matMul` + `topk`,
 * merged with the running best. Works on every backend; the fused kernels are tested
 * against it. Ties: `topk` keeps the lower index first within a tile, and earlier tiles
 * hold lower indices.
 *
 * @param x `[N, d]`, @param y `[M, d]`, @param h `[M]`, @param k as in {@link powerAssign}.
 */
export function powerAssignComposite(x: tf.Tensor2D, y: tf.Tensor2D, h: tf.Tensor1D, k = 1): PowerAssignResult {
  checkShapes(x, y, h, k);
  const m = y.shape[0];
  return tf.tidy(() => {
    let bestScores: tf.Tensor2D | undefined;
    let bestIndices: tf.Tensor2D | undefined;
    for (let start = 0; start < m; start += COMPOSITE_TILE) {
      const size = Math.min(COMPOSITE_TILE, m - start);
      const tileScores = tf.add(tf.matMul(x, tf.slice(y, [start, 0], [size, -1]), false, true), tf.slice(h, [start], [size])) as tf.Tensor2D;
      const kk = Math.min(k, size);
      const top = tf.topk(tileScores, kk, true);
      const tileIndices = tf.add(top.indices, tf.scalar(start, 'int32')) as tf.Tensor2D;
      if (bestScores === undefined || bestIndices === undefined) {
        bestScores = top.values as tf.Tensor2D;
        bestIndices = tileIndices;
        continue;
      }
      // Earlier tiles first: topk's stable order keeps their (lower) indices ahead on ties.
      const scores = tf.concat([bestScores, top.values], 1) as tf.Tensor2D;
      const indices = tf.concat([bestIndices, tileIndices], 1) as tf.Tensor2D;
      const merged = tf.topk(scores, Math.min(k, scores.shape[1]), true);
      bestScores = merged.values as tf.Tensor2D;
      // Row-wise gather through flat offsets: wasm's batched GatherV2 (batchDims 1) on
      // int32 data reads out of bounds in tfjs 4.22.
      const width = indices.shape[1];
      const rows = tf.reshape(tf.mul(tf.range(0, x.shape[0], 1, 'int32'), tf.scalar(width, 'int32')), [-1, 1]);
      const flat = tf.reshape(tf.add(merged.indices, rows), [-1]);
      bestIndices = tf.reshape(tf.gather(tf.reshape(indices, [-1]), flat), merged.indices.shape) as tf.Tensor2D;
    }
    return { indices: bestIndices as tf.Tensor2D, scores: bestScores as tf.Tensor2D };
  });
}

function checkShapes(x: tf.Tensor2D, y: tf.Tensor2D, h: tf.Tensor1D, k: number): void {
  if (!(x instanceof tf.Tensor) || x.rank !== 2) throw new RangeError(`"x" expected a 2-D tensor [N, d], got ${x instanceof tf.Tensor ? `shape [${x.shape.join(', ')}]` : describeValue(x)}`);
  if (!(y instanceof tf.Tensor) || y.rank !== 2) throw new RangeError(`"y" expected a 2-D tensor [M, d], got ${y instanceof tf.Tensor ? `shape [${y.shape.join(', ')}]` : describeValue(y)}`);
  if (!(h instanceof tf.Tensor) || h.rank !== 1) throw new RangeError(`"h" expected a 1-D tensor [M], got ${h instanceof tf.Tensor ? `shape [${h.shape.join(', ')}]` : describeValue(h)}`);
  if (x.shape[1] !== y.shape[1]) throw new RangeError(`"x" expected dimension d = ${y.shape[1]} (the targets'), got [${x.shape.join(', ')}]`);
  if (h.shape[0] !== y.shape[0]) throw new RangeError(`"h" expected ${y.shape[0]} heights (one per target), got ${h.shape[0]}`);
  const maxK = Math.min(y.shape[0], MAX_TOP_K);
  if (!Number.isInteger(k) || k < 1 || k > maxK) throw new RangeError(`"k" expected an integer in [1, ${maxK}], got ${describeValue(k)}`);
}
