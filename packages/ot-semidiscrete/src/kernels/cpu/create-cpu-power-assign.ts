// The one call that picks a CPU power-assignment engine: the native addon where it
// loads (fastest, and bit-identical to the WebAssembly relaxed-SIMD kernel), else the
// WebAssembly kernel; a forced variant insists on one.
import { expectOptions } from '@aeot/tensor-backend';
import { CpuPowerAssign } from './cpu-power-assign.js';
import type { CpuPowerAssignEngine, CpuPowerAssignOptions } from './cpu-power-assign-engine.js';
import { NativePowerAssign, type NativePowerAssignOptions } from './native-power-assign.js';

/**
 * Makes the fastest CPU power-assignment engine available here: the native AVX-512 /
 * AVX2 addon ({@link NativePowerAssign}) in Node on linux-x64 when it loads, else the
 * WebAssembly kernel ({@link CpuPowerAssign}, relaxed SIMD where the engine runs it).
 * Both give bit-identical results on a CPU with FMA.
 *
 * @param options - `threads`, and `variant` to force one engine: `'native'` (Error where
 *   the addon is unavailable, with the reason), `'relaxed-simd'` or `'simd'`
 *   (WebAssembly).
 * @returns a ready engine; call `setTargets` before assigning.
 * @throws TypeError / RangeError for bad options; Error when a forced variant does not run here.
 * @example
 * const pa = await createCpuPowerAssign();
 * console.log(pa.variant); // 'native' on linux-x64, else 'relaxed-simd' or 'simd'
 */
export async function createCpuPowerAssign(options: CpuPowerAssignOptions = {}): Promise<CpuPowerAssignEngine> {
  expectOptions('options', options);
  const { variant } = options;
  if (variant !== undefined && variant !== 'native' && variant !== 'relaxed-simd' && variant !== 'simd') {
    throw new RangeError(`"variant" expected 'native', 'relaxed-simd' or 'simd', got ${String(variant)}`);
  }
  const nativeOptions: NativePowerAssignOptions = options.threads === undefined ? {} : { threads: options.threads };
  if (variant === 'native') return NativePowerAssign.create(nativeOptions);
  if (variant === undefined) {
    const native = await NativePowerAssign.tryCreate(nativeOptions);
    if (native !== null) return native;
  }
  return CpuPowerAssign.create(options);
}
