// Declaring the power-assignment conformance suites as tests in any describe/it
// framework: one suite per CPU engine (the engine cases, called directly), one per tfjs
// backend (the kernel cases, through POWER_ASSIGN). A subject that cannot run here skips
// every case with the reason; a case that does not apply skips with its own.
import type { Backend } from '@aeot/tensor-backend';
import { runCase, startWebGpu } from '@aeot/tensor-backend/testing';
import { initBackend } from '@aeot/tensor-backend';
import { CpuPowerAssign } from '../kernels/cpu/cpu-power-assign.js';
import type { CpuPowerAssignEngine } from '../kernels/cpu/cpu-power-assign-engine.js';
import { availablePowerAssignVariants } from '../kernels/cpu/power-assign-module.js';
import { preparePowerAssignKernels } from '../kernels/prepare-kernels.js';
import { registerWebGpuPowerAssignKernel } from '../kernels/webgpu/power-assign-webgpu.js';
import type { EngineCase, EngineCaseContext } from './engine-case.js';
import { ENGINE_EDGE_CASES } from './engine-edge-cases.js';
import { ENGINE_REFERENCE_CASES } from './engine-reference-cases.js';
import type { EngineSubject } from './engine-subjects.js';
import type { PowerAssignTestApi } from './expect.js';
import { bindKernelCases, type KernelCase } from './kernel-case.js';
import { KERNEL_EDGE_CASES } from './kernel-edge-cases.js';
import { KERNEL_REFERENCE_CASES } from './kernel-reference-cases.js';

/** Every engine case: reference checks first, then the edges of the contract. */
export function powerAssignEngineCases(): readonly EngineCase[] {
  return [...ENGINE_REFERENCE_CASES, ...ENGINE_EDGE_CASES];
}

/** Every kernel case: reference checks first, then the edges of the contract. */
export function powerAssignKernelCases(): readonly KernelCase[] {
  return [...KERNEL_REFERENCE_CASES, ...KERNEL_EDGE_CASES];
}

/** The test context's skip with a note (vitest `ctx.skip(note)`), when the framework has one. */
type Skipper = (note: string) => never;

function skipTest(args: unknown[], reason: string): void {
  const ctx = args[0] as { skip?: Skipper } | undefined;
  if (typeof ctx?.skip === 'function') ctx.skip(reason);
}

/**
 * Declares the engine cases for one CPU engine as tests, each run on two instances of
 * it (1 and 2 threads) and, where the engine fuses its multiply-adds, against the
 * relaxed-SIMD WebAssembly kernel bit for bit.
 *
 * @param api - `{ describe, it, beforeAll, afterAll, expect }` of the test framework.
 * @param subject - the engine, e.g. {@link wasmEngineSubject}`('simd')`.
 * @param cases - default {@link powerAssignEngineCases}.
 * @example
 * import { afterAll, beforeAll, describe, expect, it } from 'vitest';
 * definePowerAssignEngineSuite({ describe, it, beforeAll, afterAll, expect }, nativeEngineSubject('avx2'));
 */
export function definePowerAssignEngineSuite(api: PowerAssignTestApi, subject: EngineSubject, cases: readonly EngineCase[] = powerAssignEngineCases()): void {
  api.describe(`power assignment engine: ${subject.name}`, () => {
    let unavailable: string | undefined = 'the suite did not start';
    const engines = new Map<number, CpuPowerAssignEngine>();
    let bitReference: CpuPowerAssignEngine | undefined;
    let bitReferenceAbsent: string | undefined;
    api.beforeAll(async () => {
      unavailable = await subject.unavailable();
      if (unavailable !== undefined) return;
      for (const threads of [1, 2]) engines.set(threads, await subject.create(threads));
      if (!subject.fusedMultiplyAdd) {
        bitReferenceAbsent = `${subject.name} rounds each product before adding it (no fused multiply-add): its bits differ from the relaxed-SIMD kernel's by design`;
      } else if (!(await availablePowerAssignVariants()).includes('relaxed-simd')) {
        bitReferenceAbsent = 'this JavaScript engine has no WebAssembly relaxed SIMD to compare with';
      } else {
        bitReference = await CpuPowerAssign.create({ variant: 'relaxed-simd', threads: 1 });
      }
    });
    api.afterAll(() => {
      for (const engine of engines.values()) engine.dispose();
      bitReference?.dispose();
    });
    const context = (): EngineCaseContext => ({
      expect: api.expect,
      subject,
      engine: (threads) => {
        const engine = engines.get(threads);
        if (engine === undefined) throw new Error(`${subject.name}: no engine with ${threads} thread(s)`);
        return engine;
      },
      bitReference,
      bitReferenceAbsent,
    });
    for (const c of cases) {
      api.it(c.name, async (...args: unknown[]) => {
        const reason = unavailable ?? c.skip?.(context());
        if (reason !== undefined) return skipTest(args, reason);
        await c.run(context());
      });
    }
  });
}

/**
 * Declares the kernel cases as tests on one tfjs backend. `setup` starts the backend
 * with the kernels registered (e.g. {@link startPowerAssignBackend}), or returns why it
 * cannot run here; every case is then skipped with that reason.
 *
 * @param api - `{ describe, it, beforeAll, afterAll, expect }` of the test framework.
 * @param title - suite title, e.g. `'power assignment kernel: wasm'`.
 * @param setup - starts the backend to test (it must stay active through the suite).
 * @param cases - default {@link powerAssignKernelCases}.
 * @example
 * definePowerAssignKernelSuite({ describe, it, beforeAll, afterAll, expect }, 'power assignment kernel: wasm', () => startPowerAssignBackend('wasm'));
 */
export function definePowerAssignKernelSuite(
  api: PowerAssignTestApi,
  title: string,
  setup: () => Promise<Backend | string>,
  cases: readonly KernelCase[] = powerAssignKernelCases(),
): void {
  api.describe(title, () => {
    let backend: Backend | undefined;
    let unavailable: string | undefined;
    api.beforeAll(async () => {
      const started = await setup();
      if (typeof started === 'string') unavailable = started;
      else backend = started;
    });
    api.afterAll(() => backend?.dispose());
    for (const c of bindKernelCases(cases, api.expect)) {
      api.it(c.name, async (...args: unknown[]) => {
        const reason = unavailable ?? (backend ? c.skip?.(backend) : 'backend did not start');
        if (reason !== undefined) return skipTest(args, reason);
        await runCase(c, backend!);
      });
    }
  });
}

/**
 * Starts a backend with the fused kernels registered. webgpu takes any adapter
 * (SwiftShader on machines without a GPU) and, unless `required`, returns the reason it
 * cannot run instead of throwing; wasm and cpu always start.
 *
 * @param name - `'webgpu'`, `'wasm'` or `'cpu'`.
 * @param required - for webgpu: throw instead of returning a reason (CI sets AEOT_REQUIRE_WEBGPU=1).
 * @returns the running backend, or why it cannot run.
 * @example
 * const started = await startPowerAssignBackend('webgpu', process.env.AEOT_REQUIRE_WEBGPU === '1');
 */
export async function startPowerAssignBackend(name: 'webgpu' | 'wasm' | 'cpu', required = false): Promise<Backend | string> {
  if (name === 'webgpu') {
    registerWebGpuPowerAssignKernel();
    return startWebGpu(required);
  }
  const backend = await initBackend({ backend: name });
  await preparePowerAssignKernels();
  return backend;
}
