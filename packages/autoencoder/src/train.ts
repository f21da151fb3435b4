// Autoencoder training with the authors' loss (MSE + a small L1 penalty on the codes):
// seeded batches, progress, abort, and a checkpoint after every epoch that resumes to
// exactly the weights an uninterrupted run reaches (same backend, same seed). Bad input
// (wrong image shape, empty data, a NaN loss) stops with a typed error before anything
// good is overwritten.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue, expectBoolean, expectInteger, expectNonNegative, expectPositive, loadTensors, saveTensors, StorageError, type TensorArrayLike } from '@aeot/tensor-backend';
import type { Dataset } from '@aeot/datasets';
import { TensorAdam } from './adam.js';
import { CheckpointMismatchError, EmptyDatasetError, ImageShapeError, NonFiniteLossError, TrainingAbortedError } from './errors.js';
import type { Autoencoder } from './nets.js';

/** Options of {@link trainAutoencoder}. */
export interface TrainOptions {
  /** Epochs in all (a resumed run continues up to this). Default 10. */
  epochs?: number;
  /** Examples per step. Default 128. */
  batchSize?: number;
  /** Adam's step size α. Default 1e−3. */
  learningRate?: number;
  /** Adam's β₁, β₂, ε. Defaults 0.9, 0.999, 1e−8. */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Weight λ of the code penalty: loss = mean (x̂ − x)² + λ · mean over the batch of ‖z‖₁. Default 1e−5 (the authors'). */
  l1Weight?: number;
  /** Seed of the batch order (epoch e visits the data in the order of seed + e). Default 1. */
  seed?: number;
  /** Visit the data in a seeded random order each epoch. Default true. */
  shuffle?: boolean;
  /**
   * Where to keep the training state (weights incl. batch-norm statistics, Adam's moments,
   * epoch, batch, history): a file path (Node) or `indexeddb://key` (browser). Written
   * atomically after every epoch and when aborted, so the last good state is never lost.
   */
  checkpoint?: string;
  /** With a checkpoint: `'auto'` (default) resumes when the file exists; `true` requires it; `false` starts over. */
  resume?: boolean | 'auto';
  /** Called every `progressEvery` batches and at each epoch's end. */
  onProgress?: (progress: TrainProgress) => void;
  /** Batches between progress reports. Default 20. */
  progressEvery?: number;
  /** Stops training after the current step; the state is saved to the checkpoint first. */
  signal?: AbortSignal;
}

/** One progress report. */
export interface TrainProgress {
  /** Epoch (0-based) and batch within it (batches done). */
  epoch: number;
  batch: number;
  epochs: number;
  batchesPerEpoch: number;
  /** Optimiser steps so far (over all epochs, including resumed ones). */
  step: number;
  /** Mean loss, MSE and ‖z‖₁ over this epoch's batches so far. */
  loss: number;
  mse: number;
  codeL1: number;
  /** Seconds since this call started. */
  seconds: number;
  /** True for the report at an epoch's end. */
  epochEnd: boolean;
}

/** One epoch's record. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  mse: number;
  codeL1: number;
  /** Wall seconds of the epoch, as measured when it ran (restored records keep theirs). */
  seconds: number;
}

/** What {@link trainAutoencoder} returns. */
export interface TrainResult {
  /** Every epoch's record (restored ones first). */
  history: EpochRecord[];
  /** Optimiser steps in all. */
  steps: number;
  /** The epoch training resumed from (0 when it started fresh). */
  resumedFrom: { epoch: number; batch: number } | undefined;
}

const FORMAT = 'aeot-autoencoder-checkpoint/1';

interface Settings {
  batchSize: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  l1Weight: number;
  seed: number;
  shuffle: boolean;
}

interface CheckpointState {
  epoch: number;
  batch: number;
  step: number;
  history: EpochRecord[];
  settings: Settings;
  epochSums: [number, number, number, number];
  weights: { encoder: string[]; decoder: string[] };
}

/**
 * Trains an autoencoder on a dataset of images with the loss
 * mean (x̂ − x)² + λ · mean ‖z‖₁ (z the codes, x̂ the reconstructions) and Adam.
 * Pixel bytes are scaled to the net's output range (`'unit'` [0, 1] or `'symmetric'` [−1, 1]);
 * a dataset of float points (e.g. `fromArrays` with a Float32Array) is used as it is.
 *
 * @param autoencoder the nets (trained in place).
 * @param data images of the net's shape.
 * @param options epochs, batch size, Adam settings, λ, seed, checkpoint/resume, progress, signal.
 * @returns the per-epoch history.
 * @throws {ImageShapeError} when the data's examples do not have the net's shape.
 * @throws {EmptyDatasetError} when there is nothing to train on.
 * @throws {NonFiniteLossError} when the loss turns NaN or infinite: the step is not applied and the
 *   checkpoint keeps the last good epoch (the nets in memory may hold the bad batch's batch-norm
 *   statistics: resume from the checkpoint).
 * @throws {TrainingAbortedError} when `signal` aborts (after saving the state).
 * @throws {CheckpointMismatchError} when the checkpoint belongs to another net or other settings.
 * @example
 * const ae = mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 16 });
 * await trainAutoencoder(ae, (await loadMnist()).train, { epochs: 3, checkpoint: 'out/ae.safetensors', onProgress: console.log });
 */
export async function trainAutoencoder(autoencoder: Autoencoder, data: Dataset, options: TrainOptions = {}): Promise<TrainResult> {
  const epochs = expectInteger('epochs', options.epochs ?? 10, 0);
  const settings: Settings = {
    batchSize: expectInteger('batchSize', options.batchSize ?? 128, 1),
    learningRate: expectPositive('learningRate', options.learningRate ?? 1e-3),
    beta1: expectFraction('beta1', options.beta1 ?? 0.9),
    beta2: expectFraction('beta2', options.beta2 ?? 0.999),
    epsilon: expectPositive('epsilon', options.epsilon ?? 1e-8),
    l1Weight: expectNonNegative('l1Weight', options.l1Weight ?? 1e-5),
    seed: expectInteger('seed', options.seed ?? 1, 0, 2 ** 31 - 1),
    shuffle: expectBoolean('shuffle', options.shuffle ?? true),
  };
  const progressEvery = expectInteger('progressEvery', options.progressEvery ?? 20, 1);
  const resume = options.resume ?? 'auto';
  if (resume !== 'auto' && typeof resume !== 'boolean') throw new TypeError(`"resume" expected true, false or 'auto', got ${describeValue(resume)}`);
  const checkpoint = options.checkpoint;
  if (checkpoint !== undefined && (typeof checkpoint !== 'string' || checkpoint === '')) throw new TypeError(`"checkpoint" expected a path or indexeddb:// key, got ${describeValue(checkpoint)}`);
  if (data === null || typeof data !== 'object' || typeof (data as Dataset).batches !== 'function') throw new TypeError(`"data" expected an @aeot/datasets Dataset, got ${describeValue(data)}`);
  checkImageShape(autoencoder, data, data.name);
  if (data.size === 0) throw new EmptyDatasetError(`dataset "${data.name}"`);
  const batchesPerEpoch = Math.ceil(data.size / settings.batchSize);

  const { encoder, decoder } = autoencoder;
  const vars = trainableVariables(autoencoder);
  const adam = new TensorAdam(vars, settings);
  const history: EpochRecord[] = [];
  let startEpoch = 0;
  let startBatch = 0;
  let sums: [number, number, number, number] = [0, 0, 0, 0]; // loss, mse, l1, batches of the running epoch
  let resumedFrom: TrainResult['resumedFrom'];
  let saved: string | undefined;
  try {
    if (checkpoint !== undefined && resume !== false) {
      const state = await readCheckpoint(checkpoint, autoencoder, adam, settings, resume === true);
      if (state !== undefined) {
        startEpoch = state.epoch;
        startBatch = state.batch;
        sums = [...state.epochSums];
        history.push(...state.history);
        resumedFrom = { epoch: state.epoch, batch: state.batch };
        saved = checkpoint;
      }
    }
    const save = async (epoch: number, batch: number): Promise<void> => {
      if (checkpoint === undefined) return;
      await writeCheckpoint(checkpoint, autoencoder, adam, { epoch, batch, step: adam.step, history, settings, epochSums: sums, weights: weightNames(autoencoder) });
      saved = checkpoint;
    };
    const t0 = performance.now();
    const lambda = settings.l1Weight;
    const lossOf = (x: tf.Tensor, parts: tf.Scalar[]): tf.Scalar => {
      const z = encoder.apply(x, { training: true }) as tf.Tensor;
      const xr = decoder.apply(z, { training: true }) as tf.Tensor;
      const mse = tf.mean(tf.square(tf.sub(xr, x))) as tf.Scalar;
      const l1 = tf.mean(tf.sum(tf.abs(z), 1)) as tf.Scalar;
      parts.push(tf.keep(mse), tf.keep(l1));
      return tf.add(mse, tf.mul(l1, lambda));
    };
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      const epochStart = performance.now();
      const skip = epoch === startEpoch ? startBatch : 0;
      if (epoch !== startEpoch) sums = [0, 0, 0, 0];
      let batch = 0;
      for await (const { x } of data.batches(settings.batchSize, { shuffle: settings.shuffle, seed: settings.seed + epoch, autoDispose: true, ...(data.kind === 'pixels' ? { scale: autoencoder.outputRange } : {}) })) {
        if (batch < skip) {
          batch++;
          continue;
        }
        if (options.signal?.aborted === true) {
          await save(epoch, batch);
          throw new TrainingAbortedError(epoch, batch, saved);
        }
        const parts: tf.Scalar[] = [];
        const { value, grads } = tf.variableGrads(() => lossOf(x, parts), vars);
        const [loss, mse, l1] = await Promise.all([value, ...parts].map(async (t) => (await t.data())[0] as number));
        tf.dispose([value, ...parts]);
        if (!Number.isFinite(loss)) {
          tf.dispose(Object.values(grads));
          throw new NonFiniteLossError(loss as number, epoch, batch, adam.step, saved);
        }
        adam.apply(vars.map((v) => grads[v.name] as tf.Tensor));
        tf.dispose(Object.values(grads));
        sums = [sums[0] + (loss as number), sums[1] + (mse as number), sums[2] + (l1 as number), sums[3] + 1];
        batch++;
        if (options.onProgress !== undefined && batch % progressEvery === 0 && batch < batchesPerEpoch) {
          options.onProgress(report(epoch, batch, false));
        }
      }
      const record: EpochRecord = { epoch, loss: sums[0] / sums[3], mse: sums[1] / sums[3], codeL1: sums[2] / sums[3], seconds: (performance.now() - epochStart) / 1000 };
      history.push(record);
      sums = [0, 0, 0, 0];
      await save(epoch + 1, 0);
      options.onProgress?.({ ...report(epoch, batch, true), loss: record.loss, mse: record.mse, codeL1: record.codeL1 });
    }
    return { history, steps: adam.step, resumedFrom };

    function report(epoch: number, batch: number, epochEnd: boolean): TrainProgress {
      const n = Math.max(1, sums[3]);
      return { epoch, batch, epochs, batchesPerEpoch, step: adam.step, loss: sums[0] / n, mse: sums[1] / n, codeL1: sums[2] / n, seconds: (performance.now() - t0) / 1000, epochEnd };
    }
  } finally {
    adam.dispose();
  }
}

/** The trainable variables of encoder then decoder, in layer order. */
export function trainableVariables(autoencoder: Autoencoder): tf.Variable[] {
  return [...autoencoder.encoder.trainableWeights, ...autoencoder.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
}

/**
 * Checks that a dataset's examples have the net's image shape.
 *
 * @throws {ImageShapeError} otherwise.
 */
export function checkImageShape(autoencoder: Autoencoder, data: { exampleShape: readonly number[] }, what: string): void {
  const shape = data.exampleShape;
  const expected = autoencoder.imageShape;
  if (shape.length !== 3 || shape.some((v, i) => v !== expected[i])) throw new ImageShapeError(`"${what}"`, expected, shape);
}

function weightNames(ae: Autoencoder): { encoder: string[]; decoder: string[] } {
  const describe = (w: { name: string; shape: readonly (number | null)[] }): string => `${w.shape.join('x')}`;
  return { encoder: ae.encoder.weights.map(describe), decoder: ae.decoder.weights.map(describe) };
}

async function writeCheckpoint(target: string, ae: Autoencoder, adam: TensorAdam, state: CheckpointState): Promise<void> {
  const tensors: Record<string, tf.Tensor | TensorArrayLike> = {};
  const enc = ae.encoder.getWeights();
  const dec = ae.decoder.getWeights();
  enc.forEach((t, i) => (tensors[`encoder.${i}`] = t));
  dec.forEach((t, i) => (tensors[`decoder.${i}`] = t));
  adam.moments().forEach((t, i) => (tensors[`adam.${i}`] = t));
  await saveTensors(target, tensors, { metadata: { format: FORMAT, state: JSON.stringify(state) } });
}

async function readCheckpoint(source: string, ae: Autoencoder, adam: TensorAdam, settings: Settings, required: boolean): Promise<CheckpointState | undefined> {
  let loaded: Awaited<ReturnType<typeof loadTensors>>;
  try {
    loaded = await loadTensors(source);
  } catch (e) {
    if (!required && e instanceof StorageError && isMissing(e)) return undefined;
    throw e;
  }
  const { tensors, metadata } = loaded;
  try {
    if (metadata.format !== FORMAT || metadata.state === undefined) throw new CheckpointMismatchError(source, `it is not an autoencoder checkpoint (format ${String(metadata.format)})`);
    const state = JSON.parse(metadata.state) as CheckpointState;
    const names = weightNames(ae);
    if (JSON.stringify(state.weights) !== JSON.stringify(names)) {
      throw new CheckpointMismatchError(source, `its weights have shapes ${JSON.stringify(state.weights)}, the nets ${JSON.stringify(names)}`);
    }
    for (const key of Object.keys(settings) as (keyof Settings)[]) {
      if (state.settings[key] !== settings[key]) {
        throw new CheckpointMismatchError(source, `it was trained with ${key} = ${String(state.settings[key])}, not ${String(settings[key])} (pass resume: false to start over)`);
      }
    }
    const pick = (prefix: string, count: number): tf.Tensor[] => Array.from({ length: count }, (_, i) => tensors[`${prefix}.${i}`] as tf.Tensor);
    ae.encoder.setWeights(pick('encoder', names.encoder.length));
    ae.decoder.setWeights(pick('decoder', names.decoder.length));
    adam.restore(state.step, pick('adam', adam.moments().length));
    return state;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

function isMissing(e: StorageError): boolean {
  const code = (e.cause as { code?: unknown } | undefined)?.code;
  return code === 'ENOENT' || /nothing is stored/.test(e.message);
}

function expectFraction(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new RangeError(`"${name}" expected a number in [0, 1), got ${describeValue(v)}`);
  return v;
}
