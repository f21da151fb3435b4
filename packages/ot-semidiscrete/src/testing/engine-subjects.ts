// The CPU engines the engine cases run on, each able to say why it cannot run here: the
// WebAssembly kernel in either SIMD flavour, and the native addon with either
// instruction set.
import { CpuPowerAssign } from '../kernels/cpu/cpu-power-assign.js';
import type { CpuPowerAssignEngine } from '../kernels/cpu/cpu-power-assign-engine.js';
import { loadNativePowerAssign, type NativePowerAssignIsa } from '../kernels/cpu/native-addon.js';
import { NativePowerAssign } from '../kernels/cpu/native-power-assign.js';
import { availablePowerAssignVariants, type WasmPowerAssignVariant } from '../kernels/cpu/power-assign-module.js';

/** A CPU power-assignment engine under test. */
export interface EngineSubject {
  /** Its name in test titles, e.g. `'CpuPowerAssign (simd)'`. */
  readonly name: string;
  /**
   * Whether it computes each score as h_j followed by one fused multiply-add per
   * dimension, in order — then its results are bit-identical to the relaxed-SIMD
   * WebAssembly kernel's.
   */
  readonly fusedMultiplyAdd: boolean;
  /**
   * Set when the engine is known to get lists wrong where some heights are NaN (a bug
   * to fix, named here so that its case is skipped with the reason, not deleted).
   */
  readonly nanHeightsBroken?: string;
  /** Why it cannot run here, or undefined when it can. */
  unavailable(): Promise<string | undefined>;
  /** Makes an engine computing with `threads` threads (call only when available). */
  create(threads: number): Promise<CpuPowerAssignEngine>;
}

/**
 * The WebAssembly kernel (`CpuPowerAssign`) in one SIMD flavour. In a browser it
 * computes on one thread whatever `threads` says.
 *
 * @example
 * definePowerAssignEngineSuite({ describe, it, beforeAll, afterAll, expect }, wasmEngineSubject('simd'));
 */
export function wasmEngineSubject(variant: WasmPowerAssignVariant): EngineSubject {
  return {
    name: `CpuPowerAssign (${variant})`,
    fusedMultiplyAdd: variant === 'relaxed-simd',
    nanHeightsBroken:
      'known bug of the WebAssembly kernel (native/power_assign.c): a NaN score in a block of targets can hide a better finite one from the list (the native kernel gets it right)',
    async unavailable() {
      if ((await availablePowerAssignVariants()).includes(variant)) return undefined;
      return `this JavaScript engine does not run WebAssembly ${variant === 'relaxed-simd' ? 'relaxed SIMD' : 'SIMD'}`;
    },
    create: (threads) => CpuPowerAssign.create({ variant, threads }),
  };
}

/**
 * The native addon (`NativePowerAssign`) with one instruction set; unavailable outside
 * Node on linux-x64, or on a CPU that cannot run that kernel.
 *
 * @example
 * definePowerAssignEngineSuite({ describe, it, beforeAll, afterAll, expect }, nativeEngineSubject('avx2'));
 */
export function nativeEngineSubject(isa: NativePowerAssignIsa): EngineSubject {
  return {
    name: `NativePowerAssign (${isa})`,
    fusedMultiplyAdd: true,
    async unavailable() {
      const status = await loadNativePowerAssign();
      if (!status.available) return `native kernel unavailable: ${status.reason}`;
      if (isa === 'avx512' && status.isa !== 'avx512') return `this CPU cannot run the avx512 kernel (best: ${status.isa})`;
      return undefined;
    },
    create: (threads) => NativePowerAssign.create({ isa, threads }),
  };
}
