// webgpu in headless Chromium (navigator.gpu; SwiftShader on machines without a GPU).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { defineConformanceSuite } from '../../src/testing/index.js';
import { startWebGpu } from '../../src/testing/index.js';

defineConformanceSuite({ describe, it, beforeAll, afterAll }, 'conformance: webgpu (Chromium)', () =>
  startWebGpu(import.meta.env.AEOT_REQUIRE_WEBGPU === '1'),
);
