// tfjs-backend-wasm 4.22 multiplies transposed operands (matMul(a, b, transposeA,
// transposeB), and _FusedMatMul likewise) about ten times slower than plain ones: a
// 128×512 · (784×512)ᵀ product took 68 ms against 8 ms for an explicit transpose and a
// plain product. Every matMul gradient is such a product (dA = dy·bᵀ, dB = aᵀ·dy), so
// dense layers trained on wasm spend most of their time there. These wrappers transpose
// the flagged operands with the backend's Transpose kernel and call the shipped kernel
// without the flags.
import * as tf from '@tensorflow/tfjs-core';
import { type KernelArgs, WasmKernelScope } from './kernel-scope.js';

const WRAPPERS = new WeakSet<tf.KernelFunc>();

/** Whether `kernelFunc` is one made by {@link untransposedMatMul}. */
export function isUntransposedMatMul(kernelFunc: tf.KernelFunc): boolean {
  return WRAPPERS.has(kernelFunc);
}

/**
 * Wraps a shipped matMul-like kernel (`BatchMatMul`, `_FusedMatMul`: inputs `a`, `b`,
 * attributes `transposeA`, `transposeB`) so that transposed operands are transposed
 * explicitly first. Results are those of the shipped kernel on the transposed copies.
 *
 * @param kernelName the kernel's name, for error messages.
 * @param shipped the kernel function tfjs-backend-wasm registered.
 * @returns the wrapping kernel function.
 */
export function untransposedMatMul(kernelName: string, shipped: tf.KernelFunc): tf.KernelFunc {
  const wrapped = ((args: KernelArgs) => {
    const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    if (attrs.transposeA !== true && attrs.transposeB !== true) return shipped(args as unknown as Parameters<tf.KernelFunc>[0]);
    const scope = new WasmKernelScope(args.backend, kernelName);
    try {
      const swap = (x: tf.TensorInfo): tf.TensorInfo => {
        const r = x.shape.length;
        return scope.transpose(x, [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2]);
      };
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const inputs = { ...args.inputs, a: attrs.transposeA === true ? swap(a) : a, b: attrs.transposeB === true ? swap(b) : b };
      // The shipped kernel's output goes to the engine; only the transposes are freed here.
      return shipped({ inputs, backend: args.backend as tf.KernelBackend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      scope.dispose();
    }
  }) as unknown as tf.KernelFunc;
  WRAPPERS.add(wrapped);
  return wrapped;
}

/** The matMul-like wasm kernels wrapped by {@link untransposedMatMul}. */
export const UNTRANSPOSED_MAT_MUL_KERNELS: readonly string[] = Object.freeze([tf.BatchMatMul, tf._FusedMatMul]);
