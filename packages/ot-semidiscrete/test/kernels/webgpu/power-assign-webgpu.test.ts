// registerWebGpuPowerAssignKernel: registers once, then is a no-op. Needs no adapter
// (registration only); the kernel's results are checked by the kernel conformance cases
// (test/conformance/kernel-webgpu-node.test.ts, kernel-webgpu.browser.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { POWER_ASSIGN } from '../../../src/kernels/power-assign-kernel.js';
import { powerAssignWebGpuConfig, registerWebGpuPowerAssignKernel } from '../../../src/kernels/webgpu/power-assign-webgpu.js';

describe('power assignment on webgpu: registration', () => {
  it('registers once: a second call is a no-op', () => {
    registerWebGpuPowerAssignKernel();
    expect(registerWebGpuPowerAssignKernel()).toBe(false);
    expect(tf.getKernel(POWER_ASSIGN, 'webgpu')).toBe(powerAssignWebGpuConfig);
  });
});
