// The solver on webgpu (Dawn + SwiftShader here, so small): the 1-D closed form with
// non-uniform weights, and agreement with the wasm backend on the same problem.
// AEOT_REQUIRE_WEBGPU=1 turns "webgpu unavailable" into a failure instead of a skip.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@aeot/tensor-backend';
import { useWebGpu } from '@aeot/tensor-backend/testing';
import { solveSemiDiscrete, uniformCube } from '../src/index.js';

const gpu = useWebGpu({ beforeAll, afterAll }, process.env.AEOT_REQUIRE_WEBGPU === '1');

describe('solver on webgpu', () => {
  it('1-D closed form: boundaries at Σν; the same run on wasm gives the same cells', async (ctx) => {
    if (gpu.unavailable !== undefined) ctx.skip(gpu.unavailable);
    const y = [0.1, 0.3, 0.35, 0.8, 0.95];
    const nu = [0.1, 0.3, 0.2, 0.25, 0.15];
    const problem = { targets: y.map((v) => [v]), weights: nu, source: uniformCube(1, { low: 0, high: 1 }), seed: 1, samplesPerStep: 8192, maxSteps: 150 };
    expect(tf.getBackend()).toBe('webgpu');
    const onGpu = await solveSemiDiscrete(problem);
    const bounds = (h: Float64Array): number[] => y.slice(0, -1).map((_, j) => ((h[j] as number) - (h[j + 1] as number)) / ((y[j + 1] as number) - (y[j] as number)));
    let c = 0;
    bounds(onGpu.heights).forEach((b, j) => {
      c += nu[j] as number;
      expect(Math.abs(b - c)).toBeLessThan(0.01);
    });
    await initBackend({ backend: 'wasm' });
    const cpu = await solveSemiDiscrete(problem);
    await initBackend({ backend: 'webgpu', webgpu: { allowSoftwareAdapter: true } });
    const diff = bounds(onGpu.heights).map((b, j) => Math.abs(b - (bounds(cpu.heights)[j] as number)));
    expect(Math.max(...diff)).toBeLessThan(2e-3);
  });
});
