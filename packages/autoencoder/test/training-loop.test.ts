// The generic training loop on models that are not autoencoders: a 2-layer regressor
// (with input noise drawn from the loop's random stream, so that exact resume also
// proves the stream is checkpointed) and a pair of models with two optimisers stepping
// on different schedules (the shape of a GAN). A killed run and an aborted run resume
// to the weights and history of an uninterrupted one, bit for bit; a non-finite loss
// stops before its update with the last good checkpoint untouched; bad options and
// foreign checkpoints are refused; no tensor is left behind.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRng, initBackend } from '@aeot/tensor-backend';
import { fromArrays, type Dataset } from '@aeot/datasets';
import {
  adamSettings,
  CheckpointMismatchError,
  EmptyDatasetError,
  NonFiniteLossError,
  TensorAdam,
  trainableVariablesOf,
  TrainingAbortedError,
  trainingLoop,
  type TrainingLoopOptions,
  type TrainingLoopResult,
} from '../src/index.js';

let dir: string;
let points: Dataset;

// 200 points (x₁, x₂, y) with y = sin(2x₁) + x₂/2: a dataset of 3-vectors, the target last.
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  dir = mkdtempSync(join(tmpdir(), 'aeot-loop-'));
  const rng = createRng(11);
  const values = new Float32Array(200 * 3);
  for (let i = 0; i < 200; i++) {
    const x1 = rng.nextFloat64() * 2 - 1;
    const x2 = rng.nextFloat64() * 2 - 1;
    values.set([x1, x2, Math.sin(2 * x1) + x2 / 2], i * 3);
  }
  points = fromArrays({ values, exampleShape: [3], name: 'sine' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const regressor = (seed: number): tfl.Sequential =>
  tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [2], units: 8, activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed }) }),
      tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
const meanSquare = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.mean(tf.square(tf.sub(a, b))) as tf.Scalar;
const weightsOf = (models: tfl.LayersModel[]): Float32Array[] => models.flatMap((m) => m.getWeights()).map((t) => t.dataSync() as Float32Array);
const base = { epochs: 4, batchSize: 32, seed: 5 };
type Loop = Partial<TrainingLoopOptions<'loss' | 'mse'>>;

interface Run {
  result: TrainingLoopResult<'loss' | 'mse'>;
  weights: Float32Array[];
  leaked: number;
}

/** Trains a fresh regressor (initial weights from `seed`) with the loop; returns its weights and the tensors left over. */
async function fit(seed: number, options: Loop = {}, poisonAtStep = -1): Promise<Run> {
  const model = regressor(seed);
  const adam = new TensorAdam(trainableVariablesOf([model]), adamSettings({ learningRate: 0.02 }));
  const before = tf.memory().numTensors;
  try {
    const result = await trainingLoop(points, {
      ...base,
      models: { model },
      optimizers: { adam },
      losses: ['loss', 'mse'],
      settings: { learningRate: 0.02 },
      format: { id: 'aeot-regression-checkpoint/1', description: 'a regression checkpoint' },
      task: 'regression training',
      step: async ({ x }, ctx) => {
        const noise = ctx.rng.normal([x.shape[0] as number, 2], { std: 0.05 });
        try {
          return await ctx.minimize(adam, () => {
            const inputs = tf.add(tf.slice(x, [0, 0], [-1, 2]), noise);
            const target = tf.slice(x, [0, 2], [-1, 1]);
            const mse = meanSquare(model.apply(inputs, { training: true }) as tf.Tensor, target);
            const loss = ctx.step === poisonAtStep ? tf.mul(mse, Number.NaN) : tf.add(mse, 0);
            return { loss: loss as tf.Scalar, mse };
          });
        } finally {
          noise.dispose();
        }
      },
      ...options,
    });
    return { result, weights: weightsOf([model]), leaked: tf.memory().numTensors - before };
  } finally {
    adam.dispose();
    model.dispose();
  }
}

const killAt = (epoch: number, batch: number): Loop => ({
  progressEvery: 1,
  onProgress: (p) => {
    if (p.epoch === epoch && p.batch === batch) throw new Error('killed');
  },
});

describe('trainingLoop on a regressor', () => {
  let straight: Run;

  it('trains a 2-layer regressor: the loss falls, every epoch is reported, no tensor is left behind', async () => {
    const ends: number[] = [];
    straight = await fit(1, { onProgress: (p) => p.epochEnd && ends.push(p.epoch) });
    const { history, steps, resumedFrom } = straight.result;
    expect(ends).toEqual([0, 1, 2, 3]);
    expect(steps).toBe(4 * 7); // ⌈200 / 32⌉ batches per epoch
    expect(resumedFrom).toBeUndefined();
    expect(history.map((h) => h.epoch)).toEqual([0, 1, 2, 3]);
    expect(history[3]!.mse).toBeLessThan(history[0]!.mse / 2);
    history.forEach((h) => expect(h.loss).toBeCloseTo(h.mse, 6));
    expect(straight.leaked).toBe(0);
  });

  it('resumes a killed run from its last epoch checkpoint to the same weights and history (bit for bit)', async () => {
    const checkpoint = join(dir, 'killed.safetensors');
    await expect(fit(1, { checkpoint, ...killAt(2, 3) })).rejects.toThrow('killed');
    const resumed = await fit(99, { checkpoint }); // other initial weights, overwritten by the checkpoint
    expect(resumed.result.resumedFrom).toEqual({ epoch: 2, batch: 0 });
    expect(resumed.result.steps).toBe(straight.result.steps);
    expect(resumed.result.history.map((h) => h.loss)).toEqual(straight.result.history.map((h) => h.loss));
    resumed.weights.forEach((w, i) => expect(w).toEqual(straight.weights[i]));
    expect(resumed.leaked).toBe(0);
  });

  it('saves on abort, says what was training, and resumes mid-epoch to the same weights', async () => {
    const checkpoint = join(dir, 'aborted.safetensors');
    const controller = new AbortController();
    const err = await fit(1, { checkpoint, signal: controller.signal, progressEvery: 1, onProgress: (p) => p.epoch === 1 && p.batch === 4 && controller.abort() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingAbortedError);
    const e = err as TrainingAbortedError;
    expect([e.epoch, e.batch, e.checkpoint]).toEqual([1, 4, checkpoint]);
    expect(e.message).toMatch(/^regression training aborted at epoch 1, batch 4; its state is saved in/);
    const resumed = await fit(7, { checkpoint });
    expect(resumed.result.resumedFrom).toEqual({ epoch: 1, batch: 4 });
    expect(resumed.result.history.map((h) => h.mse)).toEqual(straight.result.history.map((h) => h.mse));
    resumed.weights.forEach((w, i) => expect(w).toEqual(straight.weights[i]));
  });

  it('stops on a non-finite loss before its update, naming the last good checkpoint, which is left as it was', async () => {
    const checkpoint = join(dir, 'nan.safetensors');
    const good = await fit(1, { checkpoint, epochs: 2 });
    const bytes = readFileSync(checkpoint);
    let seen: Float32Array[] = [];
    const err = await fit(1, { checkpoint, epochs: 3, progressEvery: 1, onProgress: () => (seen = []) }, 16).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    const e = err as NonFiniteLossError;
    expect([e.code, e.epoch, e.batch, e.step, e.checkpoint]).toEqual(['ERR_AEOT_NON_FINITE_LOSS', 2, 2, 16, checkpoint]);
    expect(Number.isNaN(e.loss)).toBe(true);
    expect(readFileSync(checkpoint).equals(bytes)).toBe(true);
    expect(seen).toEqual([]);
    expect(good.leaked).toBe(0);
    // Without a checkpoint the error says none was written; the step is still not applied.
    const bare = await fit(1, { epochs: 1 }, 3).catch((x: unknown) => x);
    expect((bare as NonFiniteLossError).checkpoint).toBeUndefined();
    expect((bare as Error).message).toMatch(/No checkpoint was written/);
  });

  it('refuses bad options, data it is told to refuse, empty data and a checkpoint of other settings or losses', async () => {
    const model = regressor(1);
    const adam = new TensorAdam(trainableVariablesOf([model]), adamSettings());
    const ok = { models: { model }, optimizers: { adam }, losses: ['loss'] as const, step: () => ({ loss: 0 }) };
    await expect(trainingLoop(points, { ...ok, losses: [] })).rejects.toThrow(TypeError);
    await expect(trainingLoop(points, { ...ok, losses: ['loss', 'step'] as never })).rejects.toThrow(/"losses" expected distinct names other than epoch, batch/);
    await expect(trainingLoop(points, { ...ok, optimizers: { model: adam } })).rejects.toThrow(/"optimizers" expected distinct names without dots, got "model"/);
    await expect(trainingLoop(points, { ...ok, models: { 'a.b': model } })).rejects.toThrow(RangeError);
    await expect(trainingLoop(points, { ...ok, models: { model: {} as never } })).rejects.toThrow(/"models\.model" expected a tfjs-layers model/);
    await expect(trainingLoop(points, { ...ok, settings: { seed: 2 } })).rejects.toThrow(/got "seed" \(the loop adds it\)/);
    await expect(trainingLoop(points, { ...ok, step: undefined as never })).rejects.toThrow(/"step" expected a function/);
    await expect(trainingLoop(points, { ...ok, epochs: -1 })).rejects.toThrow(/"epochs"/);
    await expect(trainingLoop(null as never, ok)).rejects.toThrow(/"data" expected an @aeot\/datasets Dataset/);
    await expect(trainingLoop(points, { ...ok, checkData: () => { throw new RangeError('not mine'); } })).rejects.toThrow('not mine');
    await expect(trainingLoop(points.subset({ end: 0 }), ok)).rejects.toThrow(EmptyDatasetError);
    await expect(trainingLoop(points, { ...ok, step: () => ({ lost: 1 }) as never, epochs: 1 })).rejects.toThrow(/expected to return a number "loss"/);
    adam.dispose();
    model.dispose();
    const checkpoint = join(dir, 'killed.safetensors');
    await expect(fit(1, { checkpoint, settings: { learningRate: 0.01 } })).rejects.toThrow(/trained with learningRate = 0\.02, not 0\.01/);
    await expect(fit(1, { checkpoint, batchSize: 16 })).rejects.toThrow(CheckpointMismatchError);
    await expect(fit(1, { checkpoint, losses: ['loss'] as never })).rejects.toThrow(/it keeps 3 loss sums, this training 2/);
    await expect(fit(1, { checkpoint, format: { id: 'aeot-autoencoder-checkpoint/1', description: 'an autoencoder checkpoint' } })).rejects.toThrow(/it is not an autoencoder checkpoint/);
    await expect(fit(1, { checkpoint: join(dir, 'none.safetensors'), resume: true })).rejects.toThrow(/none\.safetensors/);
  });
});

describe('trainingLoop with two models and two optimisers (the shape of a GAN)', () => {
  // Model a fits the target; model b fits a's prediction, updated only on even steps, so
  // the two optimisers' step counts differ and both must be restored.
  async function pair(seed: number, options: Loop = {}): Promise<{ weights: Float32Array[]; steps: number[]; result: TrainingLoopResult<'fit' | 'follow'> }> {
    const a = regressor(seed);
    const b = regressor(seed + 10);
    const adamA = new TensorAdam(trainableVariablesOf([a]), adamSettings({ learningRate: 0.02 }));
    const adamB = new TensorAdam(trainableVariablesOf([b]), adamSettings({ learningRate: 0.01, beta1: 0.5 }));
    try {
      const result = await trainingLoop(points, {
        ...base,
        models: { a, b },
        optimizers: { adamA, adamB },
        losses: ['fit', 'follow'],
        step: async ({ x }, ctx) => {
          const inputs = tf.slice(x, [0, 0], [-1, 2]);
          const target = tf.slice(x, [0, 2], [-1, 1]);
          try {
            const fitted = await ctx.minimize(adamA, () => ({ loss: meanSquare(a.apply(inputs, { training: true }) as tf.Tensor, target) }));
            if (ctx.step % 2 === 1) return { fit: fitted.loss, follow: 0 };
            const guide = tf.tidy(() => a.predict(inputs) as tf.Tensor);
            const followed = await ctx.minimize(adamB, () => ({ loss: meanSquare(b.apply(inputs, { training: true }) as tf.Tensor, guide) }));
            guide.dispose();
            return { fit: fitted.loss, follow: followed.loss };
          } finally {
            tf.dispose([inputs, target]);
          }
        },
        ...(options as unknown as Partial<TrainingLoopOptions<'fit' | 'follow'>>),
      });
      return { weights: weightsOf([a, b]), steps: [adamA.step, adamB.step], result };
    } finally {
      adamA.dispose();
      adamB.dispose();
      a.dispose();
      b.dispose();
    }
  }

  it('resumes a run killed mid-epoch to the weights of both models (bit for bit)', async () => {
    const before = tf.memory().numTensors;
    const straight = await pair(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(straight.steps).toEqual([28, 14]);
    const checkpoint = join(dir, 'pair.safetensors');
    const controller = new AbortController();
    await expect(pair(1, { checkpoint, signal: controller.signal, progressEvery: 1, onProgress: (p) => p.epoch === 2 && p.batch === 3 && controller.abort() })).rejects.toThrow(TrainingAbortedError);
    const resumed = await pair(50, { checkpoint });
    expect(resumed.result.resumedFrom).toEqual({ epoch: 2, batch: 3 });
    expect(resumed.steps).toEqual([28, 14]);
    expect(resumed.result.history).toHaveLength(4);
    resumed.weights.forEach((w, i) => expect(w).toEqual(straight.weights[i]));
    expect(tf.memory().numTensors).toBe(before);
  });
});
