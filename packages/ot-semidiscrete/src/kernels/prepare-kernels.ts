// One call that makes the fused assignment kernels available to tfjs: the WGSL kernel
// for webgpu (registered at once) and the CPU kernel for wasm and cpu — the native
// AVX-512 / AVX2 addon in Node on linux-x64 where it loads, else WebAssembly SIMD —
// created, with its threads, once per process. The solver calls it; users of
// `powerAssign` on their own call it once before.
import type { CpuPowerAssignEngine, CpuPowerAssignOptions } from './cpu/cpu-power-assign-engine.js';
import { createCpuPowerAssign } from './cpu/create-cpu-power-assign.js';
import type { CpuPowerAssignVariant } from './cpu/power-assign-module.js';
import { registerCpuPowerAssignKernels } from './cpu/register-cpu-power-assign.js';
import { registerWebGpuPowerAssignKernel } from './webgpu/power-assign-webgpu.js';

/** What {@link preparePowerAssignKernels} made available. */
export interface PreparedKernels {
  /** The CPU kernel on 'wasm' and 'cpu': its threads and engine (`'native'`) or SIMD flavour. */
  cpu: { threads: number; variant: CpuPowerAssignVariant };
}

let cpuKernel: Promise<CpuPowerAssignEngine> | undefined;

/**
 * Registers the fused `AeotPowerAssign` kernels (idempotent; the CPU kernel and its
 * worker threads are created on the first call only, with the first call's options).
 *
 * @param options `threads` (default: every core in Node, 1 in browsers) and `variant`
 *   of the CPU kernel (default: `'native'` where the addon loads, else the best
 *   WebAssembly flavour; see `createCpuPowerAssign`).
 * @returns what is in use.
 * @example
 * await preparePowerAssignKernels();
 * const { indices } = powerAssign(x, y, h, 1); // fused on wasm, cpu and webgpu
 */
export async function preparePowerAssignKernels(options: CpuPowerAssignOptions = {}): Promise<PreparedKernels> {
  registerWebGpuPowerAssignKernel();
  if (cpuKernel === undefined) {
    cpuKernel = createCpuPowerAssign(options).then((kernel) => {
      registerCpuPowerAssignKernels(kernel);
      return kernel;
    });
    cpuKernel.catch(() => {
      cpuKernel = undefined;
    });
  }
  const kernel = await cpuKernel;
  return { cpu: { threads: kernel.threads, variant: kernel.variant } };
}
