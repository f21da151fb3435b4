// Checkpoint, abort and resume: a run stopped midway and resumed (from the error's state
// or from the checkpoint file) ends bit for bit where the uninterrupted run ends.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@aeot/tensor-backend';
import { ResumeMismatchError, SemiDiscreteMap, SolveAbortedError, solveSemiDiscrete, type SolveOptions } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const targets = Array.from({ length: 50 }, (_, i) => [Math.cos(0.9 * i) * (1 + (i % 5)), Math.sin(1.3 * i) * 3, (i % 7) - 3]);
const base = (): SolveOptions => ({ targets, seed: 5, samplesPerStep: 2048, maxSteps: 120, checkEvery: 10, tolerance: 1e-4 });

describe('abort and resume', () => {
  for (const preset of ['default', 'authors'] as const) {
    it(`${preset}: resuming an aborted run equals the uninterrupted run`, async () => {
      const full = await solveSemiDiscrete({ ...base(), preset });
      const controller = new AbortController();
      const dir = mkdtempSync(path.join(tmpdir(), 'aeot-resume-'));
      const checkpoint = { target: path.join(dir, 'state.safetensors'), every: 7 };
      const before = tf.memory().numTensors;
      const err = await solveSemiDiscrete({
        ...base(),
        preset,
        signal: controller.signal,
        checkpoint,
        onProgress: (p) => {
          if (p.step === 53) controller.abort();
        },
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SolveAbortedError);
      const state = (err as SolveAbortedError).state;
      expect(state.step).toBe(53);
      expect(tf.memory().numTensors).toBe(before);
      const fromState = await solveSemiDiscrete({ ...base(), preset, resumeFrom: state });
      const fromFile = await solveSemiDiscrete({ ...base(), preset, resumeFrom: checkpoint.target });
      expect(fromState.steps).toBe(full.steps);
      expect(Array.from(fromState.heights)).toEqual(Array.from(full.heights));
      expect(Array.from(fromFile.heights)).toEqual(Array.from(full.heights));
      expect(fromFile.history.gradNorm).toEqual(full.history.gradNorm);
    });
  }

  it('refuses the state of another problem', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = (await solveSemiDiscrete({ ...base(), signal: controller.signal }).catch((e: unknown) => e)) as SolveAbortedError;
    expect(err.state.step).toBe(0);
    await expect(solveSemiDiscrete({ ...base(), seed: 6, resumeFrom: err.state })).rejects.toBeInstanceOf(ResumeMismatchError);
    await expect(solveSemiDiscrete({ ...base(), targets: targets.slice(1), resumeFrom: err.state })).rejects.toBeInstanceOf(ResumeMismatchError);
  });
});

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
