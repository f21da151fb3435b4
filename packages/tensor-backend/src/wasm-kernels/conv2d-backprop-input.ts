// Conv2DBackpropInput for the wasm backend, as one XNNPACK Conv2D. tfjs-backend-wasm 4.22
// ships this kernel (the input gradient of conv2d, and the forward pass of
// conv2dTranspose: every decoder layer), but as a plain loop about ten times slower than
// its own Conv2D; in a conv autoencoder's training step it took 40 % of the time. The
// input gradient is the "transposed" convolution: spread dy back over the positions it
// came from. Written as an ordinary stride-1 convolution:
//
//   1. zero-insert dy when the forward stride s > 1 (s−1 zeros after every row/column;
//      a reshape → pad → reshape, so one wasm Pad does it),
//   2. flip the filter in both spatial axes and swap its channel axes: [KH, KW, Co, Ci],
//   3. pad so the output lands on the input grid: KH−1 − padTop before, whatever is left
//      to reach H after (a negative amount crops instead),
//   4. stride-1 conv → [N, H, W, Ci].
// NCHW is handled by transposing in and out (tfjs's own conv kernels are NHWC).
import * as tf from '@tensorflow/tfjs-core';
import { assertFloat32, assertShape, type KernelArgs, WasmKernelScope } from './kernel-scope.js';
import { transposedConvInput } from './transposed-conv-input.js';

/**
 * Wasm kernel function of `Conv2DBackpropInput`: the gradient of a 2-D convolution with
 * respect to its input (= conv2dTranspose), as zero insertion + one stride-1 XNNPACK
 * convolution with the flipped filter. Supports strides, 'same' / 'valid' / numeric /
 * explicit padding, any dimRoundingMode, NHWC and NCHW.
 *
 * @param args.inputs `dy` [N, OH, OW, Co] (or NCHW) and `filter` [KH, KW, Ci, Co], float32.
 * @param args.attrs tfjs's Conv2DBackpropInputAttrs (`inputShape` is the forward input's shape).
 * @returns the input gradient with shape `inputShape`.
 * @throws AeotError `ERR_AEOT_UNSUPPORTED_DTYPE` for non-float32 inputs; RangeError
 *   when `dy` does not have the forward conv's output shape.
 */
export function conv2DBackpropInputWasm(args: KernelArgs): tf.TensorInfo {
  const owner = tf.Conv2DBackpropInput;
  const { dy, filter } = args.inputs as tf.Conv2DBackpropInputInputs;
  if (dy === undefined || filter === undefined) throw new TypeError(`${owner} (wasm): inputs "dy" and "filter" are required`);
  const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  assertFloat32(owner, { dy, filter });
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC'),
  );
  assertShape(owner, 'dy', dy.shape, info.outShape);
  const co = info.outChannels;
  const channelsLast = info.dataFormat === 'channelsLast';
  const scope = new WasmKernelScope(args.backend, owner);
  try {
    if (tf.util.sizeFromShape(info.inShape) === 0) return scope.keep(scope.fill(info.inShape, 0));
    const nhwc = channelsLast ? dy : scope.transpose(dy, [0, 2, 3, 1]);
    // 1 and 3: zero insertion and placement of dy.
    const input = transposedConvInput(scope, nhwc, info, co);
    // Everything cropped away: dy only ever touched padding, so dx is zero.
    if (input === undefined) return scope.keep(scope.fill(info.inShape, 0));
    // 2. Flipped filter with swapped channels: [KH, KW, Co, Ci].
    const flipped = scope.transpose(scope.run(tf.Reverse, { x: filter }, { dims: [0, 1] }), [0, 1, 3, 2]);
    // 4. Stride-1 conv → [N, H, W, Ci].
    const dx = scope.run(tf.Conv2D, { x: input.x, filter: flipped }, { strides: [1, 1], dilations: [1, 1], pad: input.pad, dataFormat: 'NHWC' });
    return scope.keep(channelsLast ? dx : scope.transpose(dx, [0, 3, 1, 2]));
  } finally {
    scope.dispose();
  }
}

/** Kernel config registering {@link conv2DBackpropInputWasm} on 'wasm' (replacing the shipped one). */
export const conv2DBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInputWasm as unknown as tf.KernelFunc,
};
