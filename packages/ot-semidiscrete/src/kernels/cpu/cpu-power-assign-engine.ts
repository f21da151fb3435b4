// The contract every CPU power-assignment engine fulfils (the WebAssembly kernel
// CpuPowerAssign and the native addon NativePowerAssign), with the options they share
// and the one default thread count, so the registration, the solver and the tests can
// take either engine.
import { currentPlatform } from '@aeot/tensor-backend';
import { importNode, type CpuPowerAssignVariant } from './power-assign-module.js';

/** Most threads a CPU engine computes with (the calling one included). */
export const MAX_CPU_THREADS = 64;

/** Options of `CpuPowerAssign.create` and `createCpuPowerAssign`. */
export interface CpuPowerAssignOptions {
  /**
   * Threads computing each call, the calling one included; integer in [1, 64]. Default:
   * `os.availableParallelism()` in Node, 1 in the browser (whose main thread cannot
   * block on the workers; a value > 1 there is reduced to 1).
   */
  readonly threads?: number;
  /**
   * Engine / SIMD flavour. `createCpuPowerAssign` defaults to `'native'` (the AVX-512 /
   * AVX2 addon) where it loads; otherwise, and always in `CpuPowerAssign.create`
   * (which runs only the WebAssembly kernel and rejects `'native'`), the default is
   * `'relaxed-simd'` (fused multiply-add) where the engine runs it — in Node 20 this
   * switches on V8's `--experimental-wasm-relaxed-simd` for the process — else `'simd'`.
   */
  readonly variant?: CpuPowerAssignVariant;
}

/**
 * What the CPU power-assignment engines share (`CpuPowerAssign`, WebAssembly, and
 * `NativePowerAssign`, the AVX-512 / AVX2 addon): what `registerCpuPowerAssignKernels`
 * and the solver need. See `CpuPowerAssign` for the contract of each member.
 */
export interface CpuPowerAssignEngine {
  /** Threads computing each call, the calling one included. */
  readonly threads: number;
  /** Which engine / SIMD flavour computes. */
  readonly variant: CpuPowerAssignVariant;
  /** Number of targets of the current target set (0 before setTargets). */
  readonly targetCount: number;
  /** Dimension of the current target set (0 before setTargets). */
  readonly dimension: number;
  /** Incremented by every setTargets. */
  readonly targetsVersion: number;
  /** Packs the targets, row-major `m × d` float32. */
  setTargets(y: Float32Array, m: number, d: number): void;
  /** Top-1 assignment of n samples. */
  assign(x: Float32Array, n: number, h: Float32Array, outIndex: Int32Array, outScore?: Float32Array): void;
  /** Top-k assignment of n samples (k in [1, min(m, 32)]). */
  topK(x: Float32Array, n: number, h: Float32Array, k: number, outIndex: Int32Array, outScore?: Float32Array): void;
  /** Frees the engine's resources; idempotent. */
  dispose(): void;
}

/**
 * The default thread count of a CPU engine: every core in Node (at most
 * {@link MAX_CPU_THREADS}), 1 in a browser, whose main thread cannot block on workers.
 *
 * @returns an integer in [1, 64].
 */
export async function defaultCpuThreads(): Promise<number> {
  if (currentPlatform() !== 'node') return 1;
  const { availableParallelism } = await importNode<typeof import('node:os')>('node:os');
  return Math.min(MAX_CPU_THREADS, availableParallelism());
}
