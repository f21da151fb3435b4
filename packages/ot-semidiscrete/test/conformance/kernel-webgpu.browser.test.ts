// The kernel cases on webgpu in headless Chromium (navigator.gpu; SwiftShader on
// machines without a GPU). Skipped with the reason when no adapter is found, unless
// AEOT_REQUIRE_WEBGPU=1 makes that a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePowerAssignKernelSuite, startPowerAssignBackend } from '../../src/testing/index.js';

definePowerAssignKernelSuite({ describe, it, beforeAll, afterAll, expect }, 'power assignment kernel: webgpu (Chromium)', () =>
  startPowerAssignBackend('webgpu', import.meta.env.AEOT_REQUIRE_WEBGPU === '1'),
);
