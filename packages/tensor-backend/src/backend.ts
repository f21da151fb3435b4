// The Backend object initBackend returns: what runs where, memory, and disposal.
import * as tf from '@tensorflow/tfjs-core';
import type { DeviceInfo } from './device.js';
import type { BackendName } from './options.js';
import type { PlatformName } from './platform.js';

/** Memory figures of the tfjs engine (all backends together; GPU bytes where known). */
export interface MemoryInfo {
  /** Live tensors. */
  readonly numTensors: number;
  /** Live data buffers (tensors may share one). */
  readonly numDataBuffers: number;
  /** Bytes held by live tensors. */
  readonly numBytes: number;
  /** Bytes held on the GPU (webgpu only). */
  readonly numBytesInGPU?: number;
  /** True when tfjs cannot account for all memory (e.g. string tensors). */
  readonly unreliable: boolean;
}

/** A running tfjs backend, as returned by {@link initBackend}. Frozen. */
export interface Backend {
  /** tfjs backend name. */
  readonly name: BackendName;
  /** `'node'` or `'browser'`. */
  readonly platform: PlatformName;
  /** What it computes on. */
  readonly device: DeviceInfo;
  /** Bits of float precision of the backend's float32 tensors (32, or 16 on some GPUs). */
  readonly floatPrecision: 16 | 32;
  /** Threads the backend computes with (1 for cpu, webgpu and wasm in Node). */
  readonly threads: number;
  /** The tfjs-core namespace this backend is registered with. */
  readonly tf: typeof tf;
  /** Memory figures now. */
  memory(): MemoryInfo;
  /**
   * Frees the backend: its memory and its device. Dispose (or read) your tensors on it
   * first: afterwards they cannot be read or disposed. tfjs then has no active backend
   * until {@link initBackend} is called again. Idempotent.
   */
  dispose(): void;
}

/** Builds the frozen Backend object for an activated backend. */
export function makeBackend(name: BackendName, platform: PlatformName, device: DeviceInfo, threads: number): Backend {
  const precision = tf.backend().floatPrecision();
  let disposed = false;
  return Object.freeze({
    name,
    platform,
    device: Object.freeze({ ...device }),
    floatPrecision: precision === 16 ? 16 : 32,
    threads,
    tf,
    memory(): MemoryInfo {
      const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
      const info: MemoryInfo = { numTensors: m.numTensors, numDataBuffers: m.numDataBuffers, numBytes: m.numBytes, unreliable: m.unreliable ?? false };
      return m.numBytesInGPU === undefined ? info : { ...info, numBytesInGPU: m.numBytesInGPU };
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      // removeBackend disposes the instance; keep the factory so initBackend can restart it.
      const factory = tf.findBackendFactory(name);
      tf.removeBackend(name);
      if (factory != null) tf.registerBackend(name, factory);
    },
  } satisfies Backend);
}
