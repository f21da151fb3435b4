// The metrics in headless Chromium on WebGPU (SwiftShader on machines without a GPU):
// KID and precision/recall/density/coverage with float32 inner products on the device
// agree with the numpy fixtures; FID (pure float64 JavaScript) matches too.
// AEOT_REQUIRE_WEBGPU=1 turns "unavailable" into a failure.
import { useWebGpu } from '@aeot/tensor-backend/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fid, kid, prdc } from '../src/index.js';
import fidFixture from './fixtures/fid-kid.json';
import prdcFixture from './fixtures/prdc.json';

const gpu = useWebGpu({ beforeAll, afterAll }, import.meta.env.AEOT_REQUIRE_WEBGPU === '1');

beforeAll(async () => {
  if (gpu.unavailable !== undefined) return;
  expect(tf.getBackend()).toBe('webgpu');
});

describe('metrics on webgpu (Chromium)', () => {
  it('prdc with float32 distances on the device matches numpy within 2/n', async (ctx) => {
    if (gpu.unavailable !== undefined) ctx.skip(gpu.unavailable);
    const c = prdcFixture.cases[0]!;
    const before = tf.memory().numTensors;
    const r = await prdc(c.real, c.fake);
    expect(tf.memory().numTensors).toBe(before);
    const tol = 2 / Math.min(c.real.length, c.fake.length) + 1e-12;
    for (const key of ['precision', 'recall', 'density', 'coverage'] as const) expect(Math.abs(r[key] - c[key])).toBeLessThanOrEqual(tol);
  });

  it('KID of one whole-set subset matches numpy to 1e-5; FID to 1e-9', async (ctx) => {
    if (gpu.unavailable !== undefined) ctx.skip(gpu.unavailable);
    const c = fidFixture.cases.find((x) => x.name === 'd16-equal-sizes')!;
    const r = await kid(c.real, c.fake, { subsets: 1, subsetSize: c.real.length });
    expect(Math.abs(r.mean - c.kidFullSet!) / Math.abs(c.kidFullSet!)).toBeLessThan(1e-5);
    expect(Math.abs(fid(c.real, c.fake, { warn: false }).value - c.fid) / c.fid).toBeLessThan(1e-9);
  });
});
