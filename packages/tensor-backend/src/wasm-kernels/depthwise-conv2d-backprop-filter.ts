// DepthwiseConv2dNativeBackpropFilter for the wasm backend (missing from
// tfjs-backend-wasm 4.22). Same idea as the dense filter gradient — the gradient is a
// convolution with dy as the filter — but every input channel c has its own filter, so
// the contraction over the batch cannot be the conv's channel sum. Instead, batch and
// channel are merged into the channels of one XNNPACK depthwise convolution:
//
//   input  xᵀ [1, H, W, C·N]    (channel c·N + n holds x[n, :, :, c])
//   filter dyᵀ[OH, OW, C·N, M]  (dy[n, oh, ow, c·M + m])
//   out       [1, KH, KW, C·N·M] = Σ_{oh, ow} per (c, n, m); then Σ over n.
//
// Stride and dilation swap roles as in the dense case.
import * as tf from '@tensorflow/tfjs-core';
import { assertFloat32, assertShape, explicitPadding, type KernelArgs, WasmKernelScope } from './kernel-scope.js';

/**
 * Wasm kernel function of `DepthwiseConv2dNativeBackpropFilter`: the gradient of a
 * depthwise convolution with respect to its filter, as one XNNPACK depthwise
 * convolution (channels = batch × input channels) followed by a sum over the batch.
 * Supports strides, dilations and 'same' / 'valid' / numeric / explicit padding (NHWC,
 * the only layout tfjs's depthwise kernels have).
 *
 * @param args.inputs `x` [N, H, W, C] and `dy` [N, OH, OW, C·M], float32.
 * @param args.attrs tfjs's DepthwiseConv2dNativeBackpropFilterAttrs.
 * @returns the filter gradient [KH, KW, C, M].
 * @throws AeotError `ERR_AEOT_UNSUPPORTED_DTYPE` for non-float32 inputs; RangeError
 *   when `dy` does not have the forward conv's output shape.
 */
export function depthwiseConv2dNativeBackpropFilterWasm(args: KernelArgs): tf.TensorInfo {
  const owner = tf.DepthwiseConv2dNativeBackpropFilter;
  const { x, dy } = args.inputs as tf.DepthwiseConv2dNativeBackpropFilterInputs;
  if (x === undefined || dy === undefined) throw new TypeError(`${owner} (wasm): inputs "x" and "dy" are required`);
  const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  assertFloat32(owner, { x, dy });
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  assertShape(owner, 'dy', dy.shape, info.outShape);
  const { batchSize: n, filterHeight: kh, filterWidth: kw, inChannels: c } = info;
  const m = info.outChannels / c;
  const scope = new WasmKernelScope(args.backend, owner);
  try {
    if (tf.util.sizeFromShape(x.shape) === 0 || tf.util.sizeFromShape(dy.shape) === 0) {
      return scope.keep(scope.fill([kh, kw, c, m], 0));
    }
    const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = info;
    // Transposes are written at rank ≤ 4 (adjacent axes merged): above rank 4 the wasm
    // Transpose falls back to a per-element index loop.
    const xT = scope.reshape(scope.transpose(scope.reshape(x, [n, h * w, c]), [1, 2, 0]), [1, h, w, c * n]);
    const dyT = scope.reshape(scope.transpose(scope.reshape(dy, [n, oh * ow, c, m]), [1, 2, 0, 3]), [oh, ow, c * n, m]);
    // Padding as in the dense filter gradient: the forward top/left padding, and just
    // enough bottom/right padding to reach the last row / column the sum touches.
    const { top, left } = info.padInfo;
    const bottom = Math.max(0, (kh - 1) * info.dilationHeight + (oh - 1) * info.strideHeight + 1 - top - h);
    const right = Math.max(0, (kw - 1) * info.dilationWidth + (ow - 1) * info.strideWidth + 1 - left - w);
    const grad = scope.run(
      tf.DepthwiseConv2dNative,
      { x: xT, filter: dyT },
      {
        strides: [info.dilationHeight, info.dilationWidth],
        dilations: [info.strideHeight, info.strideWidth],
        pad: explicitPadding(top, bottom, left, right),
      },
    );
    const cut = grad.shape[1] === kh && grad.shape[2] === kw ? grad : scope.slice(grad, [0, 0, 0, 0], [1, kh, kw, c * n * m]);
    if (n === 1) return scope.keep(scope.reshape(cut, [kh, kw, c, m]));
    const perBatch = scope.reshape(cut, [kh * kw * c, n, m]);
    const summed = scope.run(tf.Sum, { x: perBatch }, { axis: [1], keepDims: false });
    return scope.keep(scope.reshape(summed, [kh, kw, c, m]));
  } finally {
    scope.dispose();
  }
}

/** Kernel config registering {@link depthwiseConv2dNativeBackpropFilterWasm} on 'wasm'. */
export const depthwiseConv2dNativeBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilterWasm as unknown as tf.KernelFunc,
};
