// Registers the kernels that training needs and tfjs-backend-wasm 4.22 lacks, and
// replaces the one it ships wrong. The missing ones were found by profiling training
// steps (conv autoencoder, DCGAN with a depthwise-separable block, a gather from a
// variable) on the cpu backend and comparing the kernel names they run — gradient
// kernels included — with tf.getKernelsForBackend('wasm'); the wrong one by comparing
// every variable's gradient with cpu.
import * as tf from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputWasmConfig } from './conv2d-backprop-input.js';
import { depthwiseConv2dNativeBackpropFilterWasmConfig } from './depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputWasmConfig } from './depthwise-conv2d-backprop-input.js';
import { maxPoolGradWasmConfig } from './max-pool-grad.js';
import { unsortedSegmentSumWasmConfig } from './unsorted-segment-sum.js';
import { isUntransposedMatMul, UNTRANSPOSED_MAT_MUL_KERNELS, untransposedMatMul } from './untransposed-mat-mul.js';

const CONFIGS: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropInputWasmConfig,
  unsortedSegmentSumWasmConfig,
];

/**
 * Names of the kernels {@link registerWasmTrainingKernels} adds to the 'wasm' backend:
 * `Conv2DBackpropFilter` (gradient of conv2d / conv2dTranspose weights),
 * `DepthwiseConv2dNativeBackpropFilter` and `DepthwiseConv2dNativeBackpropInput`
 * (gradients of depthwise / separable convs) and `UnsortedSegmentSum` (gradient of gather).
 */
export const WASM_TRAINING_KERNEL_NAMES: readonly string[] = Object.freeze(CONFIGS.map((c) => c.kernelName));

// Shipped wasm kernels that are wrong or slow, and are replaced.
const REPLACEMENTS: readonly tf.KernelConfig[] = [maxPoolGradWasmConfig, conv2DBackpropInputWasmConfig];

/**
 * Names of the shipped wasm kernels {@link registerWasmTrainingKernels} replaces:
 * `MaxPoolGrad`, because it computes wrong results (tfjs-backend-wasm 4.22 sends the
 * gradient of any window whose values are all ≤ 1.2e−38 — all negative, say — to
 * element 0 of the tensor, and breaks ties toward the last maximum instead of the
 * first); `Conv2DBackpropInput` (conv2d's input gradient and conv2dTranspose), because
 * the shipped loop is about ten times slower than one XNNPACK convolution.
 */
export const WASM_REPLACED_KERNEL_NAMES: readonly string[] = Object.freeze(REPLACEMENTS.map((c) => c.kernelName));

/**
 * Names of the shipped wasm kernels {@link registerWasmTrainingKernels} wraps:
 * `BatchMatMul` and `_FusedMatMul`, whose transposed-operand paths are about ten times
 * slower than an explicit transpose plus the plain product (every matMul gradient takes
 * them); the wrapper transposes first and calls the shipped kernel.
 */
export const WASM_WRAPPED_KERNEL_NAMES: readonly string[] = UNTRANSPOSED_MAT_MUL_KERNELS;

/**
 * Makes conv nets trainable on tfjs's wasm backend: registers the gradient kernels it
 * does not ship ({@link WASM_TRAINING_KERNEL_NAMES}) and replaces the shipped ones that
 * are wrong ({@link WASM_REPLACED_KERNEL_NAMES}), each composed from the backend's own
 * kernels (XNNPACK convolutions, transposes, pads…). Idempotent: a missing-kernel name
 * the wasm backend already has (a later tfjs version, or an earlier call) is left
 * alone, and a replacement already in place is not registered again. Works before or
 * after the wasm backend is initialised, but import `@tensorflow/tfjs-backend-wasm`
 * first: importing it afterwards would put its own MaxPoolGrad back.
 *
 * @example
 * import '@tensorflow/tfjs-backend-wasm';
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm');
 */
export function registerWasmTrainingKernels(): void {
  for (const config of CONFIGS) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
  for (const config of REPLACEMENTS) {
    const current = tf.getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc) continue;
    // Unregister first: registerKernel over an existing name works but logs a warning.
    if (current !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
  for (const name of UNTRANSPOSED_MAT_MUL_KERNELS) {
    const current = tf.getKernel(name, 'wasm');
    // Nothing to wrap before tfjs-backend-wasm is imported; already wrapped: done.
    if (current === undefined || isUntransposedMatMul(current.kernelFunc)) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...current, kernelFunc: untransposedMatMul(name, current.kernelFunc) });
  }
}
