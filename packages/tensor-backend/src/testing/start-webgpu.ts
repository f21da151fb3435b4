// Test setup for suites that run on webgpu (Node through Dawn, or a browser): start webgpu
// on whatever adapter exists (SwiftShader on machines without a GPU), or say why it
// cannot run. `required` (AEOT_REQUIRE_WEBGPU=1, set by CI) turns "cannot run" into a
// failure, so a missing driver cannot pass as a green run.
import { type Backend } from '../backend.js';
import { availableBackends, initBackend } from '../init-backend.js';

/**
 * Starts the webgpu backend for a test suite, software adapters allowed.
 *
 * @param required throw instead of returning a reason when webgpu cannot run.
 * @returns the running backend, or the reason to skip (a string).
 * @throws {Error} when `required` and webgpu is unavailable.
 * @example
 * const started = await startWebGpu(process.env.AEOT_REQUIRE_WEBGPU === '1');
 * if (typeof started === 'string') ctx.skip(started);
 */
export async function startWebGpu(required: boolean): Promise<Backend | string> {
  const options = { webgpu: { allowSoftwareAdapter: true } } as const;
  const row = (await availableBackends(options)).find((r) => r.name === 'webgpu');
  if (row && !row.available) {
    if (required) throw new Error(`webgpu is required here (AEOT_REQUIRE_WEBGPU=1) but unavailable: ${row.reason}`);
    return `webgpu unavailable: ${row.reason}`;
  }
  return initBackend({ backend: 'webgpu', ...options });
}

/** Filled in by {@link useWebGpu}'s hooks before a suite's tests run. */
export interface WebGpuSuiteState {
  /** The running webgpu backend, when it could start. */
  backend: Backend | undefined;
  /** Why webgpu cannot run here (skip the tests with it), when it could not. */
  unavailable: string | undefined;
}

/**
 * Registers the hooks of a webgpu test suite: `beforeAll` starts webgpu with
 * {@link startWebGpu}, `afterAll` disposes it. Tests skip with `state.unavailable`.
 *
 * @param hooks the test framework's `beforeAll` and `afterAll` (e.g. vitest's).
 * @param required fail instead of skipping when webgpu cannot run (AEOT_REQUIRE_WEBGPU=1).
 * @returns the state the hooks fill in.
 * @example
 * const gpu = useWebGpu({ beforeAll, afterAll }, process.env.AEOT_REQUIRE_WEBGPU === '1');
 * it('runs on webgpu', async (ctx) => {
 *   if (gpu.unavailable !== undefined) ctx.skip(gpu.unavailable);
 * });
 */
export function useWebGpu(hooks: { beforeAll(body: () => Promise<void>): void; afterAll(body: () => void): void }, required: boolean): WebGpuSuiteState {
  const state: WebGpuSuiteState = { backend: undefined, unavailable: undefined };
  hooks.beforeAll(async () => {
    const started = await startWebGpu(required);
    if (typeof started === 'string') state.unavailable = started;
    else state.backend = started;
  });
  hooks.afterAll(() => state.backend?.dispose());
  return state;
}
