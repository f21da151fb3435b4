// The shape of a conformance case for the tfjs kernel POWER_ASSIGN on a backend
// (webgpu's WGSL kernel, or a CPU engine registered for wasm and cpu): tensor-backend's
// ConformanceCase with the test framework's `expect` added, and the reasons a case does
// not apply.
import type { Backend } from '@aeot/tensor-backend';
import type { ConformanceCase, ConformanceContext } from '@aeot/tensor-backend/testing';
import * as tf from '@tensorflow/tfjs-core';
import { POWER_ASSIGN } from '../kernels/power-assign-kernel.js';
import type { Expect } from './expect.js';

/** What a kernel case works with: the running backend, tfjs, a tolerance, and `expect`. */
export interface KernelCaseContext extends ConformanceContext {
  readonly expect: Expect;
}

/** One conformance case of the POWER_ASSIGN kernel. */
export interface KernelCase {
  /** Unique, descriptive name. */
  readonly name: string;
  /** Returns the reason this case does not apply to `backend`, or undefined to run it. */
  readonly skip?: (backend: Backend) => string | undefined;
  /** Runs the case on the active backend; throws (through `ctx.expect`) when the kernel is wrong. */
  run(ctx: KernelCaseContext): Promise<void>;
}

/** Why no case can run on `backend`: no fused kernel is registered for it. */
export function kernelMissing(backend: Backend): string | undefined {
  if (tf.getKernel(POWER_ASSIGN, backend.name) !== undefined) return undefined;
  return `no ${POWER_ASSIGN} kernel is registered for backend "${backend.name}" (preparePowerAssignKernels registers webgpu, wasm and cpu)`;
}

/**
 * Skip for cases about non-finite scores as webgpu reports them: ranked last and listed
 * with score -Infinity. The CPU engines (wasm, cpu) never list a -Infinity or NaN score:
 * they pad the list with index -1 instead, which engine cases check.
 */
export function unlessNonFiniteRankedLast(backend: Backend): string | undefined {
  if (backend.name === 'webgpu') return undefined;
  return `on "${backend.name}" a CPU engine computes the kernel: it pads lists with index -1 instead of listing -Infinity / NaN scores last`;
}

/** Whether the backend's kernel has lanes to force (the webgpu kernel's tuning flag). */
export const hasLanes = (backend: Backend): boolean => backend.name === 'webgpu';

/**
 * Binds kernel cases to `expect`, making them tensor-backend conformance cases (for
 * `runConformance` or `defineConformanceSuite`'s extra cases). Each keeps its own skip,
 * after the check that the backend has the kernel at all.
 */
export function bindKernelCases(cases: readonly KernelCase[], expect: Expect): ConformanceCase[] {
  return cases.map((c) => ({
    name: c.name,
    skip: (backend: Backend) => kernelMissing(backend) ?? c.skip?.(backend),
    run: (ctx: ConformanceContext) => c.run({ ...ctx, expect }),
  }));
}
