// The engine cases on the WebAssembly kernel, CpuPowerAssign, in headless Chromium: the
// browser build (one thread, since a page's main thread cannot block on workers, and a
// plain memory without cross-origin isolation), in both SIMD flavours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePowerAssignEngineSuite, wasmEngineSubject } from '../../src/testing/index.js';

for (const variant of ['relaxed-simd', 'simd'] as const) {
  definePowerAssignEngineSuite({ describe, it, beforeAll, afterAll, expect }, wasmEngineSubject(variant));
}
