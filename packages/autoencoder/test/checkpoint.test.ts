// The training checkpoint format: a round trip restores every model weight, Adam's
// moments and step count and the loop's JSON state exactly; files of the first
// autoencoder trainer (no per-optimiser steps) still load; a file of another format,
// other shapes, other settings, another loss count or with a tensor missing is refused
// before anything is overwritten; a missing file is "start fresh" unless required.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointMismatchError, createRng, initBackend, saveTensors, StorageError } from '@aeot/tensor-backend';
import { TensorAdam, trainableVariablesOf } from '../src/index.js';
import { loadCheckpoint, saveCheckpoint, weightShapes, type CheckpointState } from '../src/checkpoint.js';

let dir: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  dir = mkdtempSync(join(tmpdir(), 'aeot-checkpoint-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FORMAT = { id: 'aeot-test-checkpoint/1', description: 'a test checkpoint' };
const SETTINGS = { batchSize: 4, learningRate: 0.01, seed: 3, shuffle: true };
const adamSettings = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

// Two small models (one with batch-norm statistics) and an Adam over both, each from its own seed.
function parts(seed: number, width = 3): { models: { body: tfl.LayersModel; head: tfl.LayersModel }; optimizers: { adam: TensorAdam } } {
  const init = (s: number) => tfl.initializers.glorotUniform({ seed: s });
  const body = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: width, kernelInitializer: init(seed) }), tfl.layers.batchNormalization()] });
  const head = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [width], units: 1, kernelInitializer: init(seed + 100) })] });
  return { models: { body, head }, optimizers: { adam: new TensorAdam(trainableVariablesOf([body, head]), adamSettings) } };
}
const dispose = (p: ReturnType<typeof parts>): void => {
  p.models.body.dispose();
  p.models.head.dispose();
  p.optimizers.adam.dispose();
};
const values = (p: ReturnType<typeof parts>): Float32Array[] =>
  [...p.models.body.getWeights(), ...p.models.head.getWeights(), ...p.optimizers.adam.moments()].map((t) => t.dataSync() as Float32Array);

// A few Adam steps on a fixed batch, so the moments are not zero.
function train(p: ReturnType<typeof parts>, steps: number): void {
  const x = tf.tensor2d([[1, 2], [-1, 0.5], [0.3, -2]]);
  const y = tf.tensor2d([[1], [0], [2]]);
  for (let i = 0; i < steps; i++) {
    const { grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, p.models.head.apply(p.models.body.apply(x, { training: true })) as tf.Tensor) as tf.Scalar, [...p.optimizers.adam.variables]);
    p.optimizers.adam.apply(p.optimizers.adam.variables.map((v) => grads[v.name] as tf.Tensor));
    tf.dispose(Object.values(grads));
  }
  tf.dispose([x, y]);
}

function stateOf(p: ReturnType<typeof parts>): CheckpointState {
  return {
    epoch: 2,
    batch: 1,
    step: 7,
    history: [{ epoch: 0, loss: 1.5, seconds: 0.1 }, { epoch: 1, loss: 0.75, seconds: 0.1 }],
    settings: SETTINGS,
    epochSums: [0.5, 1],
    weights: weightShapes(p.models),
    optimizerSteps: { adam: p.optimizers.adam.step },
    rng: createRng(5).fork(1).getState(),
  };
}

describe('saveCheckpoint / loadCheckpoint', () => {
  it('restore weights (batch-norm statistics included), moments, step count and state exactly', async () => {
    const a = parts(1);
    train(a, 5);
    const file = join(dir, 'round-trip.safetensors');
    const state = stateOf(a);
    const before = tf.memory().numTensors;
    await saveCheckpoint(file, FORMAT, a, state);
    expect(tf.memory().numTensors).toBe(before);
    const b = parts(2);
    const beforeLoad = tf.memory().numTensors;
    const loaded = await loadCheckpoint(file, FORMAT, b, { settings: SETTINGS, sums: 2, required: true });
    expect(tf.memory().numTensors).toBe(beforeLoad);
    expect(loaded).toEqual(state);
    expect(b.optimizers.adam.step).toBe(5);
    const va = values(a);
    values(b).forEach((v, i) => expect(v).toEqual(va[i]));
    expect(weightShapes(a.models)).toEqual({ body: ['2x3', '3', '3', '3', '3', '3'], head: ['3x1', '1'] });
    dispose(a);
    dispose(b);
  });

  it('take the step count of a file without per-optimiser steps (the first autoencoder trainer) from the loop step', async () => {
    const a = parts(1);
    train(a, 2);
    const file = join(dir, 'first-format.safetensors');
    const { optimizerSteps: _, rng: __, ...old } = stateOf(a);
    await saveCheckpoint(file, FORMAT, a, old);
    const b = parts(2);
    const loaded = await loadCheckpoint(file, FORMAT, b, { settings: SETTINGS, sums: 2, required: true });
    expect(loaded?.rng).toBeUndefined();
    expect(b.optimizers.adam.step).toBe(7);
    dispose(a);
    dispose(b);
  });

  it('refuse a file of another format, other shapes, other settings, another loss count, or a missing tensor, and change nothing', async () => {
    const a = parts(1);
    const file = join(dir, 'refused.safetensors');
    await saveCheckpoint(file, FORMAT, a, stateOf(a));
    const b = parts(2);
    const untouched = values(b);
    const load = (format = FORMAT, p = b, expected = { settings: SETTINGS, sums: 2, required: true }, source = file) => loadCheckpoint(source, format, p, expected);
    await expect(load({ id: 'aeot-other/1', description: 'an other checkpoint' })).rejects.toThrow(
      new CheckpointMismatchError(file, 'it is not an other checkpoint (format aeot-test-checkpoint/1)'),
    );
    const wide = parts(2, 4);
    await expect(load(FORMAT, wide)).rejects.toThrow(/its weights have shapes .*"2x3".*, the nets .*"2x4"/);
    await expect(load(FORMAT, b, { settings: { ...SETTINGS, learningRate: 0.02 }, sums: 2, required: true })).rejects.toThrow(
      `checkpoint "${file}" cannot resume this training: it was trained with learningRate = 0.01, not 0.02 (pass resume: false to start over)`,
    );
    await expect(load(FORMAT, b, { settings: SETTINGS, sums: 4, required: true })).rejects.toThrow(/it keeps 2 loss sums, this training 4/);
    const partial = join(dir, 'partial.safetensors');
    const tensors = Object.fromEntries(b.models.body.getWeights().map((t, i) => [`body.${i}`, t]));
    await saveTensors(partial, tensors, { metadata: { format: FORMAT.id, state: JSON.stringify(stateOf(b)) } });
    const err = await load(FORMAT, b, undefined, partial).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointMismatchError);
    expect((err as CheckpointMismatchError).code).toBe('ERR_AEOT_CHECKPOINT_MISMATCH');
    expect((err as Error).message).toMatch(/it has no tensor "head\.0"/);
    values(b).forEach((v, i) => expect(v).toEqual(untouched[i]));
    expect(b.optimizers.adam.step).toBe(0);
    [a, b, wide].forEach(dispose);
  });

  it('read a missing file as "start fresh", unless required', async () => {
    const a = parts(1);
    const none = join(dir, 'none.safetensors');
    await expect(loadCheckpoint(none, FORMAT, a, { settings: SETTINGS, sums: 2, required: false })).resolves.toBeUndefined();
    await expect(loadCheckpoint(none, FORMAT, a, { settings: SETTINGS, sums: 2, required: true })).rejects.toThrow(StorageError);
    dispose(a);
  });
});
