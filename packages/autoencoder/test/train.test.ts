// Autoencoder training (the generic loop with the reconstruction loss): exact resume
// after a killed run and after an abort (bit-identical weights to an uninterrupted run);
// typed errors for a wrong image shape, an empty dataset and a NaN loss, with the last
// good checkpoint left untouched; no tensor left behind. Adam itself: adam.test.ts; the
// loop on other models: training-loop.test.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, loadTensors } from '@aeot/tensor-backend';
import { fromArrays, loadMnist, type Dataset } from '@aeot/datasets';
import {
  CheckpointMismatchError,
  convAutoencoder,
  EmptyDatasetError,
  ImageShapeError,
  mlpAutoencoder,
  NonFiniteLossError,
  TrainingAbortedError,
  trainAutoencoder,
  type Autoencoder,
} from '../src/index.js';

let dir: string;
let mnist: Dataset;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  dir = mkdtempSync(join(tmpdir(), 'aeot-train-'));
  mnist = (await loadMnist()).train.subset({ end: 640 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = (seed = 3): Autoencoder => mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 4, hidden: [32], seed });
const weightsOf = (ae: Autoencoder): Float32Array[] => [...ae.encoder.getWeights(), ...ae.decoder.getWeights()].map((t) => t.dataSync() as Float32Array);
const options = { epochs: 3, batchSize: 128, seed: 7, learningRate: 2e-3 };

describe('trainAutoencoder', () => {
  let straight: Float32Array[];
  let straightHistory: number[];

  it('lowers the reconstruction error and reports every epoch', async () => {
    const ae = small();
    const epochs: number[] = [];
    const r = await trainAutoencoder(ae, mnist, { ...options, onProgress: (p) => p.epochEnd && epochs.push(p.epoch) });
    expect(epochs).toEqual([0, 1, 2]);
    expect(r.steps).toBe(15);
    expect(r.history).toHaveLength(3);
    expect(r.history[2]!.mse).toBeLessThan(r.history[0]!.mse);
    straight = weightsOf(ae);
    straightHistory = r.history.map((h) => h.loss);
  });

  it('resumes a killed run from its last epoch checkpoint to the same weights (bit for bit)', async () => {
    const ckpt = join(dir, 'killed.safetensors');
    const ae = small();
    // "Kill" the run in epoch 2, batch 3: the process dies between steps.
    await expect(
      trainAutoencoder(ae, mnist, {
        ...options,
        checkpoint: ckpt,
        progressEvery: 1,
        onProgress: (p) => {
          if (p.epoch === 1 && p.batch === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const fresh = small(99); // another process: other initial weights, overwritten by the checkpoint
    const r = await trainAutoencoder(fresh, mnist, { ...options, checkpoint: ckpt });
    expect(r.resumedFrom).toEqual({ epoch: 1, batch: 0 });
    expect(r.history.map((h) => h.loss)).toEqual(straightHistory);
    const resumed = weightsOf(fresh);
    resumed.forEach((w, i) => expect(w).toEqual(straight[i]));
  });

  it('saves on abort and resumes mid-epoch to the same weights', async () => {
    const ckpt = join(dir, 'aborted.safetensors');
    const controller = new AbortController();
    const ae = small();
    const err = await trainAutoencoder(ae, mnist, {
      ...options,
      checkpoint: ckpt,
      signal: controller.signal,
      progressEvery: 1,
      onProgress: (p) => {
        if (p.epoch === 1 && p.batch === 2) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingAbortedError);
    expect((err as TrainingAbortedError).code).toBe('ERR_AEOT_ABORTED');
    expect((err as TrainingAbortedError).checkpoint).toBe(ckpt);
    const fresh = small(5);
    const r = await trainAutoencoder(fresh, mnist, { ...options, checkpoint: ckpt });
    expect(r.resumedFrom).toEqual({ epoch: 1, batch: 2 });
    expect(r.history.map((h) => h.loss)).toEqual(straightHistory);
    weightsOf(fresh).forEach((w, i) => expect(w).toEqual(straight[i]));
  });

  it('resumes a conv net with batch norm exactly too (moving statistics in the checkpoint)', async () => {
    const conv = (seed: number): Autoencoder => convAutoencoder({ imageShape: [28, 28, 1], width: 4, latentDim: 4, seed });
    const data = mnist.subset({ end: 256 });
    const opts = { epochs: 2, batchSize: 64, seed: 3 };
    const a = conv(1);
    await trainAutoencoder(a, data, opts);
    const ckpt = join(dir, 'conv.safetensors');
    await expect(
      trainAutoencoder(conv(1), data, { ...opts, checkpoint: ckpt, progressEvery: 1, onProgress: (p) => { if (p.epoch === 1 && p.batch === 1) throw new Error('killed'); } }),
    ).rejects.toThrow('killed');
    const b = conv(2);
    await trainAutoencoder(b, data, { ...opts, checkpoint: ckpt });
    const wa = weightsOf(a);
    const wb = weightsOf(b);
    expect(wb.length).toBe(wa.length);
    wa.forEach((w, i) => expect(wb[i]).toEqual(w));
  });

  it('refuses a checkpoint made with other settings or another net', async () => {
    const ckpt = join(dir, 'killed.safetensors');
    await expect(trainAutoencoder(small(), mnist, { ...options, learningRate: 1e-3, checkpoint: ckpt })).rejects.toThrow(CheckpointMismatchError);
    const other = mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 5, hidden: [32] });
    await expect(trainAutoencoder(other, mnist, { ...options, checkpoint: ckpt })).rejects.toThrow(/shapes/);
    await expect(trainAutoencoder(small(), mnist, { ...options, checkpoint: join(dir, 'none.safetensors'), resume: true })).rejects.toThrow(/none\.safetensors/);
  });

  it('stops with typed errors for a wrong image shape and an empty dataset', async () => {
    const rgb = fromArrays({ values: new Uint8Array(4 * 32 * 32 * 3), exampleShape: [32, 32, 3], name: 'rgb' });
    const err = await trainAutoencoder(small(), rgb).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageShapeError);
    expect((err as ImageShapeError).code).toBe('ERR_AEOT_IMAGE_SHAPE');
    expect((err as Error).message).toMatch(/\[32, 32, 3\].*\[28, 28, 1\]/);
    const empty = mnist.subset({ end: 0 });
    await expect(trainAutoencoder(small(), empty)).rejects.toThrow(EmptyDatasetError);
  });

  it('stops on a NaN loss before applying the step and keeps the last good checkpoint', async () => {
    const ckpt = join(dir, 'nan.safetensors');
    const ae = small();
    await trainAutoencoder(ae, mnist, { ...options, epochs: 1, checkpoint: ckpt });
    const good = readFileSync(ckpt);
    const before = weightsOf(ae);
    // The same images as float points with one huge pixel in example 300: its squared
    // error overflows float32, so the loss is infinite in the batch that holds it.
    const values = await mnist.readScaled(Array.from({ length: mnist.size }, (_, i) => i));
    values[300 * 784 + 400] = 3e38;
    const poisoned = fromArrays({ values, exampleShape: [28, 28, 1], name: 'poisoned' });
    const err = await trainAutoencoder(ae, poisoned, { ...options, epochs: 2, checkpoint: ckpt }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    const e = err as NonFiniteLossError;
    expect(e.code).toBe('ERR_AEOT_NON_FINITE_LOSS');
    expect(e.epoch).toBe(1);
    expect(Number.isFinite(e.loss)).toBe(false);
    expect(e.checkpoint).toBe(ckpt);
    expect(readFileSync(ckpt).equals(good)).toBe(true);
    // The checkpoint holds the finite weights of epoch 1.
    const { tensors } = await loadTensors(ckpt, { as: 'arrays' });
    const saved = Object.keys(tensors).filter((k) => k.startsWith('encoder.') || k.startsWith('decoder.'));
    expect(saved).toHaveLength(before.length);
    for (const k of saved) expect(Array.from(tensors[k]!.data as Float32Array).every(Number.isFinite)).toBe(true);
    expect((tensors['encoder.0']!.data as Float32Array).slice(0, 8)).toEqual(before[0]!.slice(0, 8));
  });

  it('leaves no tensor behind: batches, gradients and the Adam moments are freed, also when it stops with an error', async () => {
    const ae = small();
    const before = tf.memory().numTensors;
    await trainAutoencoder(ae, mnist, { ...options, epochs: 1, checkpoint: join(dir, 'memory.safetensors') });
    expect(tf.memory().numTensors).toBe(before);
    await trainAutoencoder(ae, mnist, { ...options, epochs: 2, checkpoint: join(dir, 'memory.safetensors') }); // resumed
    expect(tf.memory().numTensors).toBe(before);
    await expect(trainAutoencoder(ae, mnist, { ...options, learningRate: 1e-3, checkpoint: join(dir, 'memory.safetensors') })).rejects.toThrow(CheckpointMismatchError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
