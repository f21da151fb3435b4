// Conv2DBackpropFilter for the wasm backend (tfjs-backend-wasm 4.22 ships none, so the
// gradient of every conv2d and conv2dTranspose weight fails there). The filter gradient
// of a convolution is itself a convolution, so it runs on the backend's XNNPACK Conv2D:
//
//   dW[kh, kw, ci, co] = Σ_{n, oh, ow} xpad[n, oh·sh + kh·dh, ow·sw + kw·dw, ci] · dy[n, oh, ow, co]
//
// Read it as a conv whose batch is ci, whose input channels are n, and whose filter is
// dy (spatial extent OH×OW): input xᵀ[ci, h, w, n], filter dyᵀ[oh, ow, n, co], stride
// (dh, dw) and dilation (sh, sw) — the forward conv's stride and dilation swap roles.
// Its output [ci, kh, kw, co] is one transpose away from the filter layout.
import * as tf from '@tensorflow/tfjs-core';
import { assertFloat32, assertShape, explicitPadding, type KernelArgs, WasmKernelScope } from './kernel-scope.js';

/**
 * Attributes of Conv2DBackpropFilter. tfjs passes no dilations (its conv2d gradient
 * rejects dilated convs); an optional `dilations` is honoured for direct callers.
 */
export type Conv2DBackpropFilterWasmAttrs = tf.Conv2DBackpropFilterAttrs & {
  readonly dilations?: [number, number] | number;
};

/**
 * Wasm kernel function of `Conv2DBackpropFilter`: the gradient of a 2-D convolution
 * with respect to its filter, computed as one XNNPACK convolution between transposed
 * copies of `x` and `dy` (plus a transpose of the small result). Supports strides,
 * dilations, 'same' / 'valid' / numeric / explicit padding, any dimRoundingMode, and
 * both NHWC and NCHW inputs (NCHW costs nothing extra: only the transposes differ).
 *
 * @param args.inputs `x` [N, H, W, Ci] (or NCHW) and `dy` [N, OH, OW, Co] (or NCHW), float32.
 * @param args.attrs {@link Conv2DBackpropFilterWasmAttrs}.
 * @returns the filter gradient [KH, KW, Ci, Co].
 * @throws AeotError `ERR_AEOT_UNSUPPORTED_DTYPE` for non-float32 inputs; RangeError
 *   when `dy` does not have the forward conv's output shape.
 */
export function conv2DBackpropFilterWasm(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as tf.Conv2DBackpropFilterInputs;
  if (x === undefined || dy === undefined) throw new TypeError('Conv2DBackpropFilter (wasm): inputs "x" and "dy" are required');
  const attrs = args.attrs as unknown as Conv2DBackpropFilterWasmAttrs;
  assertFloat32(tf.Conv2DBackpropFilter, { x, dy });
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC'),
  );
  assertShape(tf.Conv2DBackpropFilter, 'dy', dy.shape, info.outShape);
  const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co } = info;
  const scope = new WasmKernelScope(args.backend, tf.Conv2DBackpropFilter);
  try {
    if (tf.util.sizeFromShape(x.shape) === 0 || tf.util.sizeFromShape(dy.shape) === 0) {
      return scope.keep(scope.fill([kh, kw, ci, co], 0));
    }
    const channelsLast = info.dataFormat === 'channelsLast';
    // xᵀ: [ci, H, W, n]; dyᵀ: [OH, OW, n, co].
    const xT = scope.transpose(x, channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0]);
    const dyT = scope.transpose(dy, channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1]);
    // Rows the sum touches, in padded coordinates: up to (KH−1)·dh + (OH−1)·sh. The
    // top padding is the forward one; the bottom padding only has to reach that far
    // (rows past it never contribute, and any extra output row is cut off below).
    const { top, left } = info.padInfo;
    const bottom = Math.max(0, (kh - 1) * info.dilationHeight + (info.outHeight - 1) * info.strideHeight + 1 - top - info.inHeight);
    const right = Math.max(0, (kw - 1) * info.dilationWidth + (info.outWidth - 1) * info.strideWidth + 1 - left - info.inWidth);
    const grad = scope.run(
      tf.Conv2D,
      { x: xT, filter: dyT },
      {
        strides: [info.dilationHeight, info.dilationWidth],
        dilations: [info.strideHeight, info.strideWidth],
        pad: explicitPadding(top, bottom, left, right),
        dataFormat: 'NHWC',
      },
    );
    const cut = grad.shape[1] === kh && grad.shape[2] === kw ? grad : scope.slice(grad, [0, 0, 0, 0], [ci, kh, kw, co]);
    // [ci, kh, kw, co] → [kh, kw, ci, co]; with a single input channel that is a reshape.
    return scope.keep(ci === 1 ? scope.reshape(cut, [kh, kw, ci, co]) : scope.transpose(cut, [1, 2, 0, 3]));
  } finally {
    scope.dispose();
  }
}

/** Kernel config registering {@link conv2DBackpropFilterWasm} as `Conv2DBackpropFilter` on 'wasm'. */
export const conv2DBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm as unknown as tf.KernelFunc,
};
