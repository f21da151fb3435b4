// webgpu in Node through Dawn; on machines without a GPU, SwiftShader (Vulkan on the
// CPU, from Debian's chromium package) with VK_ICD_FILENAMES set by vitest.config.ts.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { defineConformanceSuite } from '../../src/testing/index.js';
import { startWebGpu } from '../../src/testing/index.js';

defineConformanceSuite({ describe, it, beforeAll, afterAll }, 'conformance: webgpu (Node, Dawn)', () =>
  startWebGpu(process.env.AEOT_REQUIRE_WEBGPU === '1'),
);
