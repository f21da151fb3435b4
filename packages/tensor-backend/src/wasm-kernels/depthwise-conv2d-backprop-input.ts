// DepthwiseConv2dNativeBackpropInput for the wasm backend (missing from
// tfjs-backend-wasm 4.22). The input gradient of a convolution is the "transposed"
// convolution: spread dy back over the input positions it came from. Written as an
// ordinary stride-1 XNNPACK depthwise convolution:
//
//   1. zero-insert dy when the forward stride s > 1 (s−1 zeros after every row/column;
//      a reshape → pad → reshape, so one wasm Pad does it),
//   2. flip the filter in both spatial axes and treat each of the C·M output channels
//      as its own channel (multiplier 1),
//   3. pad so the output lands on the input grid: (KH−1)·d − padTop before, whatever
//      is left to reach H after (a negative amount crops instead),
//   4. depthwise conv with the forward dilation, then Σ over the multiplier m.
import * as tf from '@tensorflow/tfjs-core';
import { assertFloat32, assertShape, type KernelArgs, WasmKernelScope } from './kernel-scope.js';
import { transposedConvInput } from './transposed-conv-input.js';

/**
 * Wasm kernel function of `DepthwiseConv2dNativeBackpropInput`: the gradient of a
 * depthwise convolution with respect to its input, as zero insertion (for strides > 1)
 * + one stride-1 XNNPACK depthwise convolution with the flipped filter + a sum over the
 * channel multiplier. Supports strides, dilations and 'same' / 'valid' / numeric /
 * explicit padding (NHWC, the only layout tfjs's depthwise kernels have).
 *
 * @param args.inputs `dy` [N, OH, OW, C·M] and `filter` [KH, KW, C, M], float32.
 * @param args.attrs tfjs's DepthwiseConv2dNativeBackpropInputAttrs (`inputShape` is the forward input's shape).
 * @returns the input gradient with shape `inputShape`.
 * @throws AeotError `ERR_AEOT_UNSUPPORTED_DTYPE` for non-float32 inputs; RangeError
 *   when `dy` does not have the forward conv's output shape.
 */
export function depthwiseConv2dNativeBackpropInputWasm(args: KernelArgs): tf.TensorInfo {
  const owner = tf.DepthwiseConv2dNativeBackpropInput;
  const { dy, filter } = args.inputs as tf.DepthwiseConv2dNativeBackpropInputInputs;
  if (dy === undefined || filter === undefined) throw new TypeError(`${owner} (wasm): inputs "dy" and "filter" are required`);
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  assertFloat32(owner, { dy, filter });
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  assertShape(owner, 'dy', dy.shape, info.outShape);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c } = info;
  const { filterHeight: kh, filterWidth: kw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const cm = info.outChannels;
  const m = cm / c;
  const scope = new WasmKernelScope(args.backend, owner);
  try {
    if (tf.util.sizeFromShape(info.inShape) === 0) return scope.keep(scope.fill(info.inShape, 0));
    // 1 and 3: zero insertion and placement of dy.
    const input = transposedConvInput(scope, dy, info, cm);
    // Everything cropped away: dy only ever touched padding, so dx is zero.
    if (input === undefined) return scope.keep(scope.fill(info.inShape, 0));
    // 2. Flipped filter, one channel per (c, m).
    const flipped = scope.reshape(scope.run(tf.Reverse, { x: filter }, { dims: [0, 1] }), [kh, kw, cm, 1]);
    // 4. Stride-1 depthwise conv with the forward dilation → [N, H, W, C·M].
    const spread = scope.run(
      tf.DepthwiseConv2dNative,
      { x: input.x, filter: flipped },
      { strides: [1, 1], dilations: [dh, dw], pad: input.pad },
    );
    if (m === 1) return scope.keep(spread);
    return scope.keep(scope.run(tf.Sum, { x: scope.reshape(spread, [n, h, w, c, m]) }, { axis: [4], keepDims: false }));
  } finally {
    scope.dispose();
  }
}

/** Kernel config registering {@link depthwiseConv2dNativeBackpropInputWasm} on 'wasm'. */
export const depthwiseConv2dNativeBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInputWasm as unknown as tf.KernelFunc,
};
