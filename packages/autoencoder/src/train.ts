// Autoencoder training with the authors' loss (MSE + a small L1 penalty on the codes):
// the generic checkpointed loop (training-loop.ts) with this loss and one Adam over the
// encoder and decoder — seeded batches, progress, abort, and a checkpoint after every
// epoch that resumes to exactly the weights an uninterrupted run reaches (same backend,
// same seed). Bad input (wrong image shape, empty data, a NaN loss) stops with a typed
// error before anything good is overwritten.
import * as tf from '@tensorflow/tfjs-core';
import { expectNonNegative } from '@aeot/tensor-backend';
import type { Dataset } from '@aeot/datasets';
import { adamSettings, TensorAdam, trainableVariablesOf } from './adam.js';
import type { CheckpointFormat } from './checkpoint.js';
import { checkImageShape } from './image-shape.js';
import type { Autoencoder } from './nets.js';
import { trainingLoop } from './training-loop.js';

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

// The file format of the first autoencoder trainer, kept: its checkpoints still resume.
const FORMAT: CheckpointFormat = { id: 'aeot-autoencoder-checkpoint/1', description: 'an autoencoder checkpoint' };

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
  const adam = adamSettings(options);
  const l1Weight = expectNonNegative('l1Weight', options.l1Weight ?? 1e-5);
  const { encoder, decoder } = autoencoder;
  const optimizer = new TensorAdam(trainableVariables(autoencoder), adam);
  try {
    return await trainingLoop(data, {
      models: { encoder, decoder },
      optimizers: { adam: optimizer },
      losses: ['loss', 'mse', 'codeL1'],
      step: ({ x }, context) =>
        context.minimize(optimizer, () => {
          const z = encoder.apply(x, { training: true }) as tf.Tensor;
          const xr = decoder.apply(z, { training: true }) as tf.Tensor;
          const mse = tf.mean(tf.square(tf.sub(xr, x))) as tf.Scalar;
          const codeL1 = tf.mean(tf.sum(tf.abs(z), 1)) as tf.Scalar;
          return { loss: tf.add(mse, tf.mul(codeL1, l1Weight)) as tf.Scalar, mse, codeL1 };
        }),
      epochs: options.epochs,
      batchSize: options.batchSize,
      seed: options.seed,
      shuffle: options.shuffle,
      scale: autoencoder.outputRange,
      settings: { ...adam, l1Weight },
      checkData: (d) => checkImageShape(autoencoder, d, d.name),
      checkpoint: options.checkpoint,
      resume: options.resume,
      format: FORMAT,
      task: 'autoencoder training',
      onProgress: options.onProgress,
      progressEvery: options.progressEvery,
      signal: options.signal,
    });
  } finally {
    optimizer.dispose();
  }
}

/**
 * The trainable variables of encoder then decoder, in layer order: what the trainer's
 * Adam updates.
 *
 * @param autoencoder the nets.
 * @returns the variables (owned by the models; do not dispose).
 * @example
 * const adam = new TensorAdam(trainableVariables(ae), adamSettings());
 */
export function trainableVariables(autoencoder: Autoencoder): tf.Variable[] {
  return trainableVariablesOf([autoencoder.encoder, autoencoder.decoder]);
}
