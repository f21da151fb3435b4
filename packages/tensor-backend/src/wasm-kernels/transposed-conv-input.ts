// The shared first half of the two input-gradient kernels (Conv2DBackpropInput,
// DepthwiseConv2dNativeBackpropInput): turn dy into the input of an ordinary stride-1
// convolution with the flipped filter whose output lands exactly on the forward input
// grid. Zero insertion for strides > 1 (a reshape → pad → reshape, one wasm Pad), then
// the placement: (KH−1)·d − padTop rows before and whatever is left to reach H after; a
// negative amount crops here, a positive one becomes the conv's own (free) padding.
import * as tf from '@tensorflow/tfjs-core';
import { explicitPadding, type WasmKernelScope } from './kernel-scope.js';

/** What the stride-1 convolution runs on: its input and its explicit padding. */
export interface TransposedConvInput {
  readonly x: tf.TensorInfo;
  readonly pad: tf.backend_util.ExplicitPadding;
}

/**
 * Prepares dy (NHWC, [N, OH, OW, C]) for the stride-1 convolution of a transposed conv.
 *
 * @param info the forward convolution's geometry.
 * @param channels C, the channel count of dy.
 * @returns the conv's input and padding, or undefined when dy only ever touched padding
 *   (the gradient is then zero).
 */
export function transposedConvInput(scope: WasmKernelScope, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo, channels: number): TransposedConvInput | undefined {
  const { batchSize: n, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  let up = dy;
  if (sh > 1 || sw > 1) {
    const spread = scope.padOrCrop(scope.reshape(dy, [n, oh, 1, ow, 1, channels]), [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]);
    up = scope.reshape(spread, [n, oh * sh, ow * sw, channels]);
  }
  const top = (kh - 1) * dh - info.padInfo.top;
  const left = (kw - 1) * dw - info.padInfo.left;
  const bottom = h + info.padInfo.top - oh * sh;
  const right = w + info.padInfo.left - ow * sw;
  const rows = oh * sh - Math.max(0, -top) - Math.max(0, -bottom);
  const cols = ow * sw - Math.max(0, -left) - Math.max(0, -right);
  if (rows <= 0 || cols <= 0) return undefined;
  const x = scope.padOrCrop(up, [
    [0, 0],
    [Math.min(0, top), Math.min(0, bottom)],
    [Math.min(0, left), Math.min(0, right)],
    [0, 0],
  ]);
  return { x, pad: explicitPadding(Math.max(0, top), Math.max(0, bottom), Math.max(0, left), Math.max(0, right)) };
}
