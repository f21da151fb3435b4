// The extended map on webgpu (Dawn + SwiftShader here, so small): on the same solved
// ring-8 map, sample() on webgpu gives the wasm backend's codes (fused top-k kernel,
// gathers, angles, weights all on the device). AEOT_REQUIRE_WEBGPU=1 turns "webgpu
// unavailable" into a failure instead of a skip.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@aeot/tensor-backend';
import { useWebGpu } from '@aeot/tensor-backend/testing';
import { extendMap, preparePowerAssignKernels, solveSemiDiscrete, type ExtensionRule } from '../src/index.js';
import { ring8 } from './ring-8.js';

const gpu = useWebGpu({ beforeAll, afterAll }, process.env.AEOT_REQUIRE_WEBGPU === '1');

describe('extended map on webgpu', () => {
  it('barycentric, pairwise and naive codes equal the wasm ones on the same map', async (ctx) => {
    if (gpu.unavailable !== undefined) ctx.skip(gpu.unavailable);
    // Solve and prepare on wasm (fast), then generate on both backends.
    await initBackend({ backend: 'wasm' });
    await preparePowerAssignKernels();
    const { points } = ring8(200, 5);
    const map = await solveSemiDiscrete({ targets: points, dim: 2, seed: 1 });
    const generator = await extendMap(map, { threshold: 0.1, barycentreSamples: 100_000 });
    const run = async (rule: ExtensionRule) => {
      const out = await generator.sample(300, { rule, seed: 2 });
      const codes = (await out.codes.data()) as Float32Array;
      out.codes.dispose();
      // The first 3 cells of each row: deeper in a top-20 list, near-equal scores may
      // swap between backends (float32 sums in another order).
      const head = Int32Array.from({ length: 300 * 3 }, (_, t) => out.cells[Math.floor(t / 3) * out.neighbours + (t % 3)]!);
      return { codes, fallback: out.fallback, cells: head };
    };
    const rules = ['barycentric', 'pairwise', 'naive'] as const;
    const onWasm = await Promise.all(rules.map(async (r) => run(r)));
    generator.dispose();
    map.dispose();
    await initBackend({ backend: 'webgpu', webgpu: { allowSoftwareAdapter: true } });
    expect(tf.getBackend()).toBe('webgpu');
    for (const [i, rule] of rules.entries()) {
      const onGpu = await run(rule);
      const cpu = onWasm[i]!;
      expect(onGpu.fallback, rule).toBe(cpu.fallback);
      expect(Array.from(onGpu.cells), rule).toEqual(Array.from(cpu.cells));
      let worst = 0;
      for (let j = 0; j < cpu.codes.length; j++) worst = Math.max(worst, Math.abs(onGpu.codes[j]! - cpu.codes[j]!));
      expect(worst, rule).toBeLessThan(1e-4);
    }
  });
});
