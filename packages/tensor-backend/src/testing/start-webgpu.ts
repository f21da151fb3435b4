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
