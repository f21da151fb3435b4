// The checks every implementation of the POWER_ASSIGN kernel runs on its tfjs inputs
// (webgpu, and the CPU engines on wasm and cpu), so a bad call fails the same way, with
// the same message, whichever backend is active.
import type * as tf from '@tensorflow/tfjs-core';
import { MAX_TOP_K, POWER_ASSIGN } from './power-assign-kernel.js';

/** A checked call of the kernel. */
export interface PowerAssignCall {
  readonly x: tf.TensorInfo;
  readonly y: tf.TensorInfo;
  readonly h: tf.TensorInfo;
  readonly n: number;
  readonly m: number;
  readonly d: number;
  readonly k: number;
}

const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/**
 * Checks the kernel's inputs and its `k` attribute.
 *
 * @returns the three inputs, N, M, d and k.
 * @throws TypeError for a missing input or one that is not float32; RangeError for
 *   shapes other than x [N, d], y [M, d], h [M], or `k` outside [1, min(M, 32)].
 */
export function checkPowerAssignInputs(inputs: tf.NamedTensorInfoMap, k: unknown): PowerAssignCall {
  const { x, y, h } = inputs;
  if (x === undefined || y === undefined || h === undefined) throw new TypeError(`"${POWER_ASSIGN}" expected inputs x, y and h`);
  for (const [name, t] of [['x', x], ['y', y], ['h', h]] as const) {
    if (t.dtype !== 'float32') throw new TypeError(`"${name}" expected a float32 tensor, got ${t.dtype}`);
  }
  const [n, d] = x.shape;
  if (x.shape.length !== 2 || n === undefined || d === undefined) {
    throw new RangeError(`"x" expected a 2-D tensor of shape [N, d], got ${shapeText(x.shape)}`);
  }
  const [m, dy] = y.shape;
  if (y.shape.length !== 2 || m === undefined || dy !== d) {
    throw new RangeError(`"y" expected a 2-D tensor of shape [M, ${d}], got ${shapeText(y.shape)}`);
  }
  if (h.shape.length !== 1 || h.shape[0] !== m) {
    throw new RangeError(`"h" expected a 1-D tensor of shape [${m}], got ${shapeText(h.shape)}`);
  }
  const kMax = Math.min(m, MAX_TOP_K);
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > kMax) {
    throw new RangeError(`"k" expected an integer in [1, ${kMax}] (min(M, ${MAX_TOP_K})), got ${String(k)}`);
  }
  return { x, y, h, n, m, d, k };
}
