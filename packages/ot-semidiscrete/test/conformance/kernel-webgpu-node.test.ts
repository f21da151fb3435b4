// The kernel cases on webgpu in Node through Dawn; on machines without a GPU, SwiftShader
// (Vulkan on the CPU) with VK_ICD_FILENAMES set by vitest.config.ts. Skipped with the
// reason when no adapter is found, unless AEOT_REQUIRE_WEBGPU=1 makes that a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePowerAssignKernelSuite, startPowerAssignBackend } from '../../src/testing/index.js';

definePowerAssignKernelSuite({ describe, it, beforeAll, afterAll, expect }, 'power assignment kernel: webgpu (Node, Dawn)', () =>
  startPowerAssignBackend('webgpu', process.env.AEOT_REQUIRE_WEBGPU === '1'),
);
