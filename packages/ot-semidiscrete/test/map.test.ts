// Saving and loading a solved map: the loaded map assigns exactly like the saved one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@aeot/tensor-backend';
import { SemiDiscreteMap, solveSemiDiscrete, type SolveOptions } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const targets = Array.from({ length: 50 }, (_, i) => [Math.cos(0.9 * i) * (1 + (i % 5)), Math.sin(1.3 * i) * 3, (i % 7) - 3]);
const base = (): SolveOptions => ({ targets, seed: 5, samplesPerStep: 2048, maxSteps: 120, checkEvery: 10, tolerance: 1e-4 });

describe('save and load', () => {
  it('a loaded map assigns exactly like the saved one', async () => {
    const ot = await solveSemiDiscrete({ ...base(), maxSteps: 30 });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'aeot-map-')), 'map.safetensors');
    await ot.save(file);
    const loaded = await SemiDiscreteMap.load(file);
    expect(Array.from(loaded.heights)).toEqual(Array.from(ot.heights));
    expect(Array.from(loaded.targets)).toEqual(Array.from(ot.targets));
    expect(loaded.history.gradNorm).toEqual(ot.history.gradNorm);
    expect(loaded.source.kind).toBe('uniform-cube');
    const x = tf.randomUniform([500, 3], -0.5, 0.5, 'float32', 3) as tf.Tensor2D;
    const a = ot.assign(x);
    const b = loaded.assign(x);
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.dispose([x, a, b]);
    ot.dispose();
    loaded.dispose();
  });
});
