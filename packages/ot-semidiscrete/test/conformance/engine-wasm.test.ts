// The engine cases on the WebAssembly kernel, CpuPowerAssign, in both SIMD flavours
// (Node: worker threads on a shared memory). Relaxed SIMD is skipped, with the reason,
// where the JavaScript engine does not run it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePowerAssignEngineSuite, wasmEngineSubject } from '../../src/testing/index.js';

for (const variant of ['relaxed-simd', 'simd'] as const) {
  definePowerAssignEngineSuite({ describe, it, beforeAll, afterAll, expect }, wasmEngineSubject(variant));
}
