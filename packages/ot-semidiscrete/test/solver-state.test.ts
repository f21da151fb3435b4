// Checkpoint, abort and resume: a run stopped midway and resumed (from the error's state
// or from the checkpoint file, group moments included) ends bit for bit where the
// uninterrupted run ends; the state of another problem is refused.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@aeot/tensor-backend';
import { ResumeMismatchError, SolveAbortedError, solveSemiDiscrete, type SolveOptions } from '../src/index.js';
import { ring8 } from './ring-8.js';

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

describe('ring-8 targets', () => {
  const { points } = ring8(256, 1);
  const base = (): SolveOptions => ({ targets: points, dim: 2, seed: 1 });

  it('an aborted run resumes (group moments included) to the uninterrupted result', async () => {
    const opts = (): SolveOptions => ({ ...base(), samplesPerStep: 2048, maxSteps: 60, checkEvery: 10, tolerance: 1e-4 });
    const full = await solveSemiDiscrete(opts());
    const dir = mkdtempSync(path.join(tmpdir(), 'aeot-groups-'));
    const checkpoint = { target: path.join(dir, 'state.safetensors'), every: 1000 };
    const controller = new AbortController();
    const err = await solveSemiDiscrete({
      ...opts(),
      signal: controller.signal,
      checkpoint,
      onProgress: (p) => {
        if (p.step === 25) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SolveAbortedError);
    expect((err as SolveAbortedError).state.groupAdam.m.length).toBe(8);
    const resumed = await solveSemiDiscrete({ ...opts(), resumeFrom: checkpoint.target });
    expect(Array.from(resumed.heights)).toEqual(Array.from(full.heights));
    full.dispose();
    resumed.dispose();
  });
});
