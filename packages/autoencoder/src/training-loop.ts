// The checkpointed training loop every trainer of aeot runs (the autoencoder's, the GAN
// baselines'): epochs of seeded batches from a Dataset, one caller-supplied step per
// batch, progress reports, stop on an AbortSignal, a non-finite loss caught before its
// update, and after every epoch (and on abort) an atomic checkpoint of the named models'
// weights, the optimisers' state, the position, the random stream and the loss history,
// from which a resumed run reaches bit for bit what an uninterrupted one does (same
// backend, same seed). What a step computes is the caller's; this file knows no model.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createRng, describeValue, expectBoolean, expectInteger, restoreRng, type Rng } from '@aeot/tensor-backend';
import type { Batch, Dataset, PixelScale } from '@aeot/datasets';
import type { TensorAdam } from './adam.js';
import { loadCheckpoint, saveCheckpoint, weightShapes, type CheckpointFormat, type CheckpointSetting, type CheckpointState } from './checkpoint.js';
import { EmptyDatasetError, NonFiniteLossError, TrainingAbortedError } from './errors.js';

/** Where the loop stands, as progress reports and epoch records carry it. */
const POSITION_KEYS = ['epoch', 'batch', 'epochs', 'batchesPerEpoch', 'step', 'seconds', 'epochEnd'] as const;

/** What a step hands the loop: one finite number per loss name. */
export type TrainingLosses<L extends string> = Record<L, number>;

/** One progress report: the position, and the mean of each loss over this epoch's batches so far. */
export type TrainingProgress<L extends string> = {
  /** Epoch (0-based) and batch within it (batches done). */
  epoch: number;
  batch: number;
  epochs: number;
  batchesPerEpoch: number;
  /** Steps so far (over all epochs, including resumed ones). */
  step: number;
  /** Seconds since this call started. */
  seconds: number;
  /** True for the report at an epoch's end. */
  epochEnd: boolean;
} & Record<L, number>;

/** One epoch's record: the mean of each loss over its batches. */
export type TrainingEpochRecord<L extends string> = {
  epoch: number;
  /** Wall seconds of the epoch, as measured when it ran (restored records keep theirs). */
  seconds: number;
} & Record<L, number>;

/** What {@link trainingLoop} returns. */
export interface TrainingLoopResult<L extends string> {
  /** Every epoch's record (restored ones first). */
  history: TrainingEpochRecord<L>[];
  /** Steps in all. */
  steps: number;
  /** Where training resumed from, or undefined when it started fresh. */
  resumedFrom: { epoch: number; batch: number } | undefined;
}

/** What a step may use besides its batch. */
export interface TrainingStepContext {
  /** Epoch and batch of this step, and the steps taken before it. */
  readonly epoch: number;
  readonly batch: number;
  readonly step: number;
  /**
   * The loop's random stream (e.g. GAN noise): seeded from `seed`, independent of the
   * batch order, saved in the checkpoint and restored on resume. Draw from it only in
   * steps, so a resumed run draws the same numbers.
   */
  readonly rng: Rng;
  /**
   * One update of one optimiser: evaluates `loss` under a gradient tape, reads every
   * scalar it returns, and applies Adam to the optimiser's variables — unless `loss` is
   * NaN or ±∞, in which case nothing is applied and a {@link NonFiniteLossError} is thrown.
   * Call it once per optimiser (a GAN step: the discriminator's, then the generator's).
   *
   * @param optimizer the optimiser; gradients are taken with respect to its variables.
   * @param loss computes `{ loss, ...parts }` as scalars (`parts` are reported, not differentiated).
   * @returns the values of `loss` and of each part.
   * @throws {NonFiniteLossError} when `loss` is not finite.
   */
  minimize<P extends { loss: tf.Scalar }>(optimizer: TensorAdam, loss: () => P): Promise<{ [K in keyof P]: number }>;
}

/**
 * One training step on one batch (the batch's tensors are disposed by the loop after
 * the step): update the models, typically with {@link TrainingStepContext.minimize}, and
 * return each loss named in `losses`.
 */
export type TrainingStep<L extends string> = (batch: Batch, context: TrainingStepContext) => Promise<TrainingLosses<L>> | TrainingLosses<L>;

/** Options of {@link trainingLoop}. */
export interface TrainingLoopOptions<L extends string> {
  /** The models the steps train, by name: every weight of each (batch-norm statistics too) is checkpointed as `<name>.<i>`. */
  models: Readonly<Record<string, tfl.LayersModel>>;
  /** The optimisers the steps use, by name: moments and step count checkpointed as `<name>.<i>`. Names differ from the models'. */
  optimizers: Readonly<Record<string, TensorAdam>>;
  /** Names of the numbers each step returns, averaged per epoch in progress and history; e.g. `['loss', 'mse']`. */
  losses: readonly L[];
  /** The step run on every batch. */
  step: TrainingStep<L>;
  /** Epochs in all (a resumed run continues up to this). Default 10. */
  epochs?: number | undefined;
  /** Examples per step (the last batch of an epoch may be smaller). Default 128. */
  batchSize?: number | undefined;
  /** Seed of the batch order (epoch e visits the data in the order of seed + e) and of the loop's random stream. Default 1. */
  seed?: number | undefined;
  /** Visit the data in a seeded random order each epoch. Default true. */
  shuffle?: boolean | undefined;
  /** Pixel range the batches of a pixel dataset are scaled to (point datasets come as stored). Default the dataset's (`'unit'`). */
  scale?: PixelScale | undefined;
  /** Hyper-parameters a resumed run must share with its checkpoint (batchSize, seed and shuffle are added). */
  settings?: Readonly<Record<string, CheckpointSetting>> | undefined;
  /** Checks the data before training (e.g. its image shape); throw to refuse it. */
  checkData?: ((data: Dataset) => void) | undefined;
  /**
   * Where to keep the training state: a file path (Node) or `indexeddb://key` (browser).
   * Written atomically after every epoch and when aborted, so the last good state is never lost.
   */
  checkpoint?: string | undefined;
  /** With a checkpoint: `'auto'` (default) resumes when the file exists; `true` requires it; `false` starts over. */
  resume?: boolean | 'auto' | undefined;
  /** Identity of this trainer's checkpoints. Default `{ id: 'aeot-training-checkpoint/1', description: 'a training checkpoint' }`. */
  format?: CheckpointFormat | undefined;
  /** What is training, in messages, e.g. `'GAN training'`. Default `'training'`. */
  task?: string | undefined;
  /** Called every `progressEvery` batches and at each epoch's end. */
  onProgress?: ((progress: TrainingProgress<L>) => void) | undefined;
  /** Batches between progress reports. Default 20. */
  progressEvery?: number | undefined;
  /** Stops training before the next step; the state is saved to the checkpoint first. */
  signal?: AbortSignal | undefined;
}

const DEFAULT_FORMAT: CheckpointFormat = { id: 'aeot-training-checkpoint/1', description: 'a training checkpoint' };

/**
 * Runs a checkpointed training loop: for each epoch, the dataset's batches in a seeded
 * order, one `step` per batch; a record of each loss's epoch mean; a checkpoint after
 * every epoch. With the same seed and backend, a run that is killed or aborted and
 * resumed from its checkpoint ends with exactly the weights of an uninterrupted run.
 *
 * Gotchas: a step must draw randomness only from `context.rng` (or from seeds derived
 * from `context.step`), and must update models only through `context.minimize` or
 * otherwise deterministically, or resuming cannot be exact. Weights are restored from a
 * checkpoint into the given models, so build them with the same shapes; their initial
 * weights do not matter then.
 *
 * @param data the examples (a `@aeot/datasets` Dataset).
 * @param options models, optimisers, loss names, step, and epochs, batch size, seed, checkpoint/resume, progress, signal.
 * @returns the per-epoch history, the steps taken, and where training resumed from.
 * @throws {TypeError} or {RangeError} for a bad option.
 * @throws {EmptyDatasetError} when there is nothing to train on.
 * @throws {NonFiniteLossError} when a loss given to `minimize` turns NaN or infinite: that update is
 *   not applied and the checkpoint keeps the last good epoch (the models in memory may hold the bad
 *   batch's batch-norm statistics, and a GAN's other half may have taken its update: resume from the checkpoint).
 * @throws {TrainingAbortedError} when `signal` aborts (after saving the state).
 * @throws {CheckpointMismatchError} when the checkpoint belongs to other models, losses or settings.
 * @example
 * // A regressor: any tfjs-layers model, any loss.
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 8, inputShape: [2], activation: 'tanh' }), tfl.layers.dense({ units: 1 })] });
 * const adam = new TensorAdam(trainableVariablesOf([model]), adamSettings({ learningRate: 1e-2 }));
 * try {
 *   await trainingLoop(points, {
 *     models: { model }, optimizers: { adam }, losses: ['loss'], epochs: 5, checkpoint: 'out/fit.safetensors',
 *     step: ({ x, labels }, ctx) => ctx.minimize(adam, () => ({ loss: tf.losses.meanSquaredError(labels!, model.apply(x) as tf.Tensor) as tf.Scalar })),
 *   });
 * } finally {
 *   adam.dispose();
 * }
 */
export async function trainingLoop<L extends string>(data: Dataset, options: TrainingLoopOptions<L>): Promise<TrainingLoopResult<L>> {
  if (options === null || typeof options !== 'object') throw new TypeError(`"options" expected { models, optimizers, losses, step }, got ${describeValue(options)}`);
  const epochs = expectInteger('epochs', options.epochs ?? 10, 0);
  const batchSize = expectInteger('batchSize', options.batchSize ?? 128, 1);
  const seed = expectInteger('seed', options.seed ?? 1, 0, 2 ** 31 - 1);
  const shuffle = expectBoolean('shuffle', options.shuffle ?? true);
  const progressEvery = expectInteger('progressEvery', options.progressEvery ?? 20, 1);
  const resume = options.resume ?? 'auto';
  if (resume !== 'auto' && typeof resume !== 'boolean') throw new TypeError(`"resume" expected true, false or 'auto', got ${describeValue(resume)}`);
  const checkpoint = options.checkpoint;
  if (checkpoint !== undefined && (typeof checkpoint !== 'string' || checkpoint === '')) throw new TypeError(`"checkpoint" expected a path or indexeddb:// key, got ${describeValue(checkpoint)}`);
  const lossNames = expectLossNames(options.losses);
  const { models, optimizers } = expectParts(options.models, options.optimizers);
  if (typeof options.step !== 'function') throw new TypeError(`"step" expected a function (batch, context) => losses, got ${describeValue(options.step)}`);
  const settings = resumeSettings(batchSize, seed, shuffle, options.settings ?? {});
  const format = options.format ?? DEFAULT_FORMAT;
  const task = options.task ?? 'training';
  if (data === null || typeof data !== 'object' || typeof (data as Dataset).batches !== 'function') throw new TypeError(`"data" expected an @aeot/datasets Dataset, got ${describeValue(data)}`);
  options.checkData?.(data);
  if (data.size === 0) throw new EmptyDatasetError(`dataset "${data.name}"`);
  const batchesPerEpoch = Math.ceil(data.size / batchSize);
  const batchOptions = { shuffle, autoDispose: true, ...(data.kind === 'pixels' && options.scale !== undefined ? { scale: options.scale } : {}) };

  const parts = { models, optimizers };
  const history: TrainingEpochRecord<L>[] = [];
  const zeroSums = (): number[] => new Array<number>(lossNames.length + 1).fill(0); // each loss, then the batch count
  let startEpoch = 0;
  let startBatch = 0;
  let step = 0;
  let sums = zeroSums();
  let rng = createRng(seed).fork(1); // fork: not the stream that shuffles epoch 0 (createRng(seed))
  let resumedFrom: TrainingLoopResult<L>['resumedFrom'];
  let saved: string | undefined;
  if (checkpoint !== undefined && resume !== false) {
    const state = await loadCheckpoint(checkpoint, format, parts, { settings, sums: sums.length, required: resume === true });
    if (state !== undefined) {
      startEpoch = state.epoch;
      startBatch = state.batch;
      step = state.step;
      sums = [...state.epochSums];
      history.push(...(state.history as TrainingEpochRecord<L>[]));
      if (state.rng !== undefined) rng = restoreRng(state.rng);
      resumedFrom = { epoch: state.epoch, batch: state.batch };
      saved = checkpoint;
    }
  }
  const save = async (epoch: number, batch: number): Promise<void> => {
    if (checkpoint === undefined) return;
    const optimizerSteps = Object.fromEntries(Object.entries(optimizers).map(([name, adam]) => [name, adam.step]));
    const state: CheckpointState = { epoch, batch, step, history, settings, epochSums: sums, weights: weightShapes(models), optimizerSteps, rng: rng.getState() };
    await saveCheckpoint(checkpoint, format, parts, state);
    saved = checkpoint;
  };
  const means = (count: number): TrainingLosses<L> => Object.fromEntries(lossNames.map((name, i) => [name, (sums[i] as number) / count])) as TrainingLosses<L>;
  const t0 = performance.now();
  const report = (epoch: number, batch: number, epochEnd: boolean): TrainingProgress<L> =>
    ({ epoch, batch, epochs, batchesPerEpoch, step, ...means(Math.max(1, sums[lossNames.length] as number)), seconds: (performance.now() - t0) / 1000, epochEnd }) as TrainingProgress<L>;

  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    const epochStart = performance.now();
    const skip = epoch === startEpoch ? startBatch : 0;
    if (epoch !== startEpoch) sums = zeroSums();
    let batch = 0;
    for await (const b of data.batches(batchSize, { ...batchOptions, seed: seed + epoch })) {
      if (batch < skip) {
        batch++;
        continue;
      }
      if (options.signal?.aborted === true) {
        await save(epoch, batch);
        throw new TrainingAbortedError(epoch, batch, saved, task);
      }
      const context = stepContext(epoch, batch, step, rng, () => saved);
      const losses = await options.step(b, context);
      sums = sums.map((s, i) => s + (i < lossNames.length ? lossValue(losses, lossNames[i] as L) : 1));
      step++;
      batch++;
      if (options.onProgress !== undefined && batch % progressEvery === 0 && batch < batchesPerEpoch) options.onProgress(report(epoch, batch, false));
    }
    const record = { epoch, ...means(sums[lossNames.length] as number), seconds: (performance.now() - epochStart) / 1000 } as TrainingEpochRecord<L>;
    history.push(record);
    sums = zeroSums();
    await save(epoch + 1, 0);
    options.onProgress?.({ ...report(epoch, batch, true), ...pick(record, lossNames) });
  }
  return { history, steps: step, resumedFrom };
}

// The context of one step; `saved` is read when a loss turns out non-finite, to name the last good checkpoint.
function stepContext(epoch: number, batch: number, step: number, rng: Rng, saved: () => string | undefined): TrainingStepContext {
  return {
    epoch,
    batch,
    step,
    rng,
    async minimize<P extends { loss: tf.Scalar }>(optimizer: TensorAdam, loss: () => P): Promise<{ [K in keyof P]: number }> {
      const vars = optimizer.variables;
      const names: string[] = [];
      const parts: tf.Scalar[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const out = loss();
        for (const [name, t] of Object.entries(out)) {
          if (name === 'loss') continue;
          names.push(name);
          parts.push(tf.keep(t as tf.Scalar));
        }
        return out.loss;
      }, [...vars]);
      const values = await Promise.all([value, ...parts].map(async (t) => (await t.data())[0] as number));
      tf.dispose([value, ...parts]);
      const total = values[0] as number;
      if (!Number.isFinite(total)) {
        tf.dispose(Object.values(grads));
        throw new NonFiniteLossError(total, epoch, batch, step, saved());
      }
      optimizer.apply(vars.map((v) => grads[v.name] as tf.Tensor));
      tf.dispose(Object.values(grads));
      return Object.fromEntries([['loss', total], ...names.map((name, i) => [name, values[i + 1] as number])]) as { [K in keyof P]: number };
    },
  };
}

function lossValue<L extends string>(losses: TrainingLosses<L>, name: L): number {
  const v = (losses as Record<string, unknown> | undefined)?.[name];
  if (typeof v !== 'number') throw new TypeError(`the training step expected to return a number "${name}", got ${describeValue(v)}`);
  return v;
}

function pick<L extends string>(record: TrainingEpochRecord<L>, names: readonly L[]): TrainingLosses<L> {
  return Object.fromEntries(names.map((name) => [name, (record as Record<string, number>)[name]])) as TrainingLosses<L>;
}

// The order in which a resumed run's settings are compared (and a mismatch reported):
// the batch size, then the caller's hyper-parameters, then the data order.
function resumeSettings(batchSize: number, seed: number, shuffle: boolean, extra: Readonly<Record<string, CheckpointSetting>>): Record<string, CheckpointSetting> {
  for (const key of ['batchSize', 'seed', 'shuffle']) {
    if (key in extra) throw new RangeError(`"settings" expected the caller's hyper-parameters only, got "${key}" (the loop adds it)`);
  }
  return { batchSize, ...extra, seed, shuffle };
}

function expectLossNames<L extends string>(losses: readonly L[] | undefined): readonly L[] {
  if (!Array.isArray(losses) || losses.length === 0 || losses.some((n) => typeof n !== 'string' || n === '')) {
    throw new TypeError(`"losses" expected a non-empty array of loss names, got ${describeValue(losses)}`);
  }
  const taken = new Set<string>(POSITION_KEYS);
  for (const name of losses) {
    if (taken.has(name)) throw new RangeError(`"losses" expected distinct names other than ${POSITION_KEYS.join(', ')}, got "${name}" twice or reserved`);
    taken.add(name);
  }
  return [...losses];
}

// Names are tensor-key prefixes in the checkpoint, so they must be distinct and dot-free.
function expectParts(
  models: TrainingLoopOptions<string>['models'] | undefined,
  optimizers: TrainingLoopOptions<string>['optimizers'] | undefined,
): Pick<TrainingLoopOptions<string>, 'models' | 'optimizers'> {
  if (models === null || typeof models !== 'object' || Object.keys(models).length === 0) throw new TypeError(`"models" expected { name: LayersModel, … }, got ${describeValue(models)}`);
  if (optimizers === null || typeof optimizers !== 'object') throw new TypeError(`"optimizers" expected { name: TensorAdam, … }, got ${describeValue(optimizers)}`);
  const names = new Set<string>();
  for (const [kind, record, method] of [['models', models, 'getWeights'], ['optimizers', optimizers, 'moments']] as const) {
    for (const [name, part] of Object.entries(record)) {
      if (name === '' || name.includes('.') || names.has(name)) throw new RangeError(`"${kind}" expected distinct names without dots, got "${name}"`);
      if (typeof (part as unknown as Record<string, unknown>)?.[method] !== 'function') throw new TypeError(`"${kind}.${name}" expected a ${kind === 'models' ? 'tfjs-layers model' : 'TensorAdam'}, got ${describeValue(part)}`);
      names.add(name);
    }
  }
  return { models, optimizers };
}
