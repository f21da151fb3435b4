// tfjs's WebAssembly backend (XNNPACK, SIMD): the fast CPU path in Node and browsers,
// plus the training kernels it lacks, registered by aeot.
import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedOptions } from '../options.js';
import type { PlatformName } from '../platform.js';
import { registerWasmTrainingKernels } from '../wasm-kernels/register.js';
import { messageOf, setBackendOrThrow, type Provider } from './provider.js';

type WasmModule = typeof import('@tensorflow/tfjs-backend-wasm');

let factory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined;

async function load(options: ResolvedOptions, platform: PlatformName): Promise<WasmModule> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Keep the factory registered on import, to restore it after Backend.dispose().
  factory ??= tf.findBackendFactory('wasm') ?? undefined;
  if (tf.findBackendFactory('wasm') == null && factory !== undefined) tf.registerBackend('wasm', factory, 2);
  if (options.wasm.paths !== undefined) wasm.setWasmPaths(options.wasm.paths as string);
  if (options.threads !== undefined && platform === 'browser') wasm.setThreadsCount(options.threads);
  return wasm;
}

function hasWebAssembly(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';
}

/** Provider of tfjs's `wasm` backend. */
export const wasmProvider: Provider = {
  name: 'wasm',
  async probe(options, platform) {
    if (!hasWebAssembly()) return { available: false, reason: 'WebAssembly is not available in this runtime' };
    try {
      await load(options, platform);
    } catch (err) {
      return { available: false, reason: `@tensorflow/tfjs-backend-wasm failed to load: ${messageOf(err)}` };
    }
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return { available: true, device: { kind: 'cpu', description: `WebAssembly${simd ? ' SIMD' : ''} (tfjs-backend-wasm)`, software: false } };
  },
  async activate(options, platform) {
    if (!hasWebAssembly()) throw new Error('WebAssembly is not available in this runtime');
    const wasm = await load(options, platform);
    await setBackendOrThrow('wasm');
    registerWasmTrainingKernels();
    const threads = wasm.getThreadsCount();
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const where = platform === 'node' ? 'single-threaded in Node' : `${threads} thread${threads === 1 ? '' : 's'}`;
    return { device: { kind: 'cpu', description: `WebAssembly${simd ? ' SIMD' : ''} (tfjs-backend-wasm), ${where}`, software: false }, threads };
  },
};
