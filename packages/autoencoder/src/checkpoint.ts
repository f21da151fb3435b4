// The training checkpoint format: one safetensors file (a path in Node, an indexeddb://
// key in a browser) holding every weight of some named models (batch-norm statistics
// included) as `<model>.<i>`, every moment of some named Adam optimisers as
// `<optimiser>.<i>`, and in its metadata the format id and the loop's state as JSON
// (position, loss sums, history, settings, weight shapes, optimiser steps, RNG). Saved
// atomically by tensor-backend; on load it is verified against the running models and
// settings before anything is overwritten, so a wrong file cannot mix two runs.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CheckpointMismatchError, loadTensors, saveTensors, StorageError, type RngState, type TensorArrayLike } from '@aeot/tensor-backend';
import type { TensorAdam } from './adam.js';

/** Which checkpoints a training reads and writes. */
export interface CheckpointFormat {
  /** Stored in the file and compared on load, e.g. `'aeot-autoencoder-checkpoint/1'`. */
  readonly id: string;
  /** What such a file is, for the mismatch message, e.g. `'an autoencoder checkpoint'`. */
  readonly description: string;
}

/** A setting that must be equal to resume (a hyper-parameter, a seed, a flag). */
export type CheckpointSetting = number | string | boolean;

/** The models and optimisers whose tensors a checkpoint holds, by name (names are tensor-key prefixes). */
export interface CheckpointTensors {
  readonly models: Readonly<Record<string, tfl.LayersModel>>;
  readonly optimizers: Readonly<Record<string, TensorAdam>>;
}

/** The JSON part of a checkpoint: where the loop stands and what it was run with. */
export interface CheckpointState {
  /** Next epoch and batch to run. */
  epoch: number;
  batch: number;
  /** Loop steps taken. */
  step: number;
  /** Records of the finished epochs. */
  history: Record<string, number>[];
  /** What a resumed run must share. */
  settings: Record<string, CheckpointSetting>;
  /** Sums of each loss over the running epoch's batches, then the batch count. */
  epochSums: number[];
  /** Shapes of every model's weights, `'784x32'` per weight. */
  weights: Record<string, string[]>;
  /** Steps of each optimiser (absent in files of the first autoencoder trainer: there it is `step`). */
  optimizerSteps?: Record<string, number>;
  /** The loop's random stream (absent in files of the first autoencoder trainer). */
  rng?: RngState;
}

/** What a checkpoint is checked against on load. */
export interface CheckpointExpectation {
  readonly settings: Readonly<Record<string, CheckpointSetting>>;
  /** Loss sums kept per epoch, the batch count included. */
  readonly sums: number;
  /** Fail when there is no file instead of starting fresh. */
  readonly required: boolean;
}

/**
 * The shapes of every model's weights, the fingerprint a checkpoint must match.
 *
 * @param models the models by name.
 * @returns per model, one `'AxB…'` string per weight, in weight order.
 */
export function weightShapes(models: Readonly<Record<string, tfl.LayersModel>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(models).map(([name, model]) => [name, model.weights.map((w) => w.shape.join('x'))]));
}

/**
 * Writes a checkpoint atomically (a crash mid-write leaves the previous file whole).
 *
 * @param target a file path (Node) or `indexeddb://key` (browser).
 * @param format the format id written in the metadata.
 * @param parts the models and optimisers whose tensors are saved.
 * @param state the loop's state.
 * @throws {StorageError} when the file cannot be written.
 */
export async function saveCheckpoint(target: string, format: CheckpointFormat, parts: CheckpointTensors, state: CheckpointState): Promise<void> {
  const tensors: Record<string, tf.Tensor | TensorArrayLike> = {};
  for (const [name, model] of Object.entries(parts.models)) model.getWeights().forEach((t, i) => (tensors[`${name}.${i}`] = t));
  for (const [name, adam] of Object.entries(parts.optimizers)) adam.moments().forEach((t, i) => (tensors[`${name}.${i}`] = t));
  await saveTensors(target, tensors, { metadata: { format: format.id, state: JSON.stringify(state) } });
}

/**
 * Reads a checkpoint, verifies it belongs to these models and settings, and only then
 * sets the models' weights and the optimisers' moments and steps from it.
 *
 * @param source a file path (Node) or `indexeddb://key` (browser).
 * @param format the format id the file must have.
 * @param parts the models and optimisers to restore.
 * @param expected the settings to match, the loss-sum count, and whether the file must exist.
 * @returns the loop's state, or `undefined` when there is no file and none is required.
 * @throws {CheckpointMismatchError} for another format, other weight shapes, other settings or missing tensors.
 * @throws {StorageError} when the file cannot be read (or is missing and required).
 */
export async function loadCheckpoint(source: string, format: CheckpointFormat, parts: CheckpointTensors, expected: CheckpointExpectation): Promise<CheckpointState | undefined> {
  let loaded: Awaited<ReturnType<typeof loadTensors>>;
  try {
    loaded = await loadTensors(source);
  } catch (e) {
    if (!expected.required && e instanceof StorageError && isMissing(e)) return undefined;
    throw e;
  }
  const { tensors, metadata } = loaded;
  try {
    if (metadata.format !== format.id || metadata.state === undefined) throw new CheckpointMismatchError(source, `it is not ${format.description} (format ${String(metadata.format)})`);
    const state = JSON.parse(metadata.state) as CheckpointState;
    const names = weightShapes(parts.models);
    if (JSON.stringify(state.weights) !== JSON.stringify(names)) {
      throw new CheckpointMismatchError(source, `its weights have shapes ${JSON.stringify(state.weights)}, the nets ${JSON.stringify(names)}`);
    }
    for (const [key, value] of Object.entries(expected.settings)) {
      if (state.settings[key] !== value) {
        throw new CheckpointMismatchError(source, `it was trained with ${key} = ${String(state.settings[key])}, not ${String(value)} (pass resume: false to start over)`);
      }
    }
    if (!Array.isArray(state.epochSums) || state.epochSums.length !== expected.sums) {
      throw new CheckpointMismatchError(source, `it keeps ${String(state.epochSums?.length)} loss sums, this training ${expected.sums}`);
    }
    const pick = (prefix: string, count: number): tf.Tensor[] =>
      Array.from({ length: count }, (_, i) => {
        const t = tensors[`${prefix}.${i}`];
        if (t === undefined) throw new CheckpointMismatchError(source, `it has no tensor "${prefix}.${i}"`);
        return t as tf.Tensor;
      });
    const weights = Object.entries(parts.models).map(([name, model]) => [model, pick(name, model.weights.length)] as const);
    const moments = Object.entries(parts.optimizers).map(([name, adam]) => [name, adam, pick(name, adam.moments().length)] as const);
    for (const [model, values] of weights) model.setWeights(values);
    for (const [name, adam, values] of moments) adam.restore(state.optimizerSteps?.[name] ?? state.step, values);
    return state;
  } finally {
    tf.dispose(Object.values(tensors) as tf.Tensor[]);
  }
}

// A missing file (Node) or key (browser) means "start fresh" unless resuming is required.
function isMissing(e: StorageError): boolean {
  const code = (e.cause as { code?: unknown } | undefined)?.code;
  return code === 'ENOENT' || /nothing is stored/.test(e.message);
}
