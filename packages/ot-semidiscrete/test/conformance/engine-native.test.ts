// The engine cases on the native addon, NativePowerAssign, with each instruction set:
// bit-identical to the relaxed-SIMD WebAssembly kernel. Skipped, with the reason, where
// the addon does not load (not linux-x64, no AVX2 + FMA) or the CPU lacks AVX-512.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePowerAssignEngineSuite, nativeEngineSubject } from '../../src/testing/index.js';

for (const isa of ['avx512', 'avx2'] as const) {
  definePowerAssignEngineSuite({ describe, it, beforeAll, afterAll, expect }, nativeEngineSubject(isa));
}
