// registerWasmTrainingKernels(): which kernels it adds and replaces, idempotence, and
// that it never clobbers a kernel the wasm backend already has.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  registerWasmTrainingKernels,
  WASM_REPLACED_KERNEL_NAMES,
  WASM_WRAPPED_KERNEL_NAMES,
  WASM_TRAINING_KERNEL_NAMES,
} from '../../src/wasm-kernels/register.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('registerWasmTrainingKernels', () => {
  it('adds exactly the training kernels tfjs-backend-wasm 4.22 lacks, and replaces MaxPoolGrad and Conv2DBackpropInput', async () => {
    // This file's process has not registered anything yet.
    const before = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    const shippedMaxPoolGrad = tf.getKernel(tf.MaxPoolGrad, 'wasm');
    const shippedBackpropInput = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
    expect([...WASM_TRAINING_KERNEL_NAMES].sort()).toEqual(
      [tf.Conv2DBackpropFilter, tf.DepthwiseConv2dNativeBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput, tf.UnsortedSegmentSum].sort(),
    );
    for (const name of WASM_TRAINING_KERNEL_NAMES) {
      expect(before.has(name), name).toBe(false);
      // …while cpu has every one of them.
      expect(tf.getKernel(name, 'cpu'), name).toBeDefined();
    }
    expect(WASM_REPLACED_KERNEL_NAMES).toEqual([tf.MaxPoolGrad, tf.Conv2DBackpropInput]);
    expect(shippedMaxPoolGrad).toBeDefined();
    expect(shippedBackpropInput).toBeDefined();

    registerWasmTrainingKernels();
    for (const name of WASM_TRAINING_KERNEL_NAMES) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    expect(tf.getKernel(tf.MaxPoolGrad, 'wasm')).not.toBe(shippedMaxPoolGrad);
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')).not.toBe(shippedBackpropInput);
    // The wasm backend still initialises with the new kernels in place.
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  it('is idempotent: a second call changes nothing and logs nothing', () => {
    registerWasmTrainingKernels();
    const names = [...WASM_TRAINING_KERNEL_NAMES, ...WASM_REPLACED_KERNEL_NAMES, ...WASM_WRAPPED_KERNEL_NAMES];
    const configs = names.map((n) => tf.getKernel(n, 'wasm'));
    const warn = vi.spyOn(console, 'warn');
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(names.map((n) => tf.getKernel(n, 'wasm'))).toEqual(configs);
    expect(warn).not.toHaveBeenCalled();
  });

  it('leaves a missing-kernel name alone when the wasm backend already has it', () => {
    const ours = tf.getKernel(tf.UnsortedSegmentSum, 'wasm');
    expect(ours).toBeDefined();
    tf.unregisterKernel(tf.UnsortedSegmentSum, 'wasm');
    const theirs: tf.KernelConfig = { kernelName: tf.UnsortedSegmentSum, backendName: 'wasm', kernelFunc: () => ({ dataId: {}, shape: [], dtype: 'float32' }) };
    tf.registerKernel(theirs);
    registerWasmTrainingKernels();
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'wasm')).toBe(theirs);
    tf.unregisterKernel(tf.UnsortedSegmentSum, 'wasm');
    if (ours) tf.registerKernel(ours);
  });

  it('exports frozen name lists', () => {
    expect(Object.isFrozen(WASM_TRAINING_KERNEL_NAMES)).toBe(true);
    expect(Object.isFrozen(WASM_REPLACED_KERNEL_NAMES)).toBe(true);
  });
});
