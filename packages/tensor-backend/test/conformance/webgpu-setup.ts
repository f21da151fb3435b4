// Shared setup of the webgpu conformance runs (Node and browser): start webgpu on
// whatever adapter exists (SwiftShader on CI machines), or say why it cannot run.
// AEOT_REQUIRE_WEBGPU=1 (set by .ci/run) turns "cannot run" into a failure, so a
// missing driver cannot pass as a green run.
import { availableBackends, initBackend, type Backend } from '../../src/index.js';

export async function startWebGpu(required: boolean): Promise<Backend | string> {
  const options = { webgpu: { allowSoftwareAdapter: true } } as const;
  const row = (await availableBackends(options)).find((r) => r.name === 'webgpu');
  if (row && !row.available) {
    if (required) throw new Error(`webgpu is required here (AEOT_REQUIRE_WEBGPU=1) but unavailable: ${row.reason}`);
    return `webgpu unavailable: ${row.reason}`;
  }
  return initBackend({ backend: 'webgpu', ...options });
}
