// Typed errors of training (the generic loop and the autoencoder's) and of feeding
// images to nets: each carries a stable `code` and says where the last good checkpoint
// is, so a caller can branch and resume. A checkpoint of another run is
// tensor-backend's CheckpointMismatchError, shared by every package that resumes.
import { AeotError } from '@aeot/tensor-backend';

/** Images whose shape does not fit the net (e.g. 32×32×3 data for a 28×28×1 net). */
export class ImageShapeError extends AeotError {
  /** `[h, w, c]` the net expects. */
  readonly expected: readonly number[];
  /** Shape of one example as given. */
  readonly actual: readonly number[];

  constructor(what: string, expected: readonly number[], actual: readonly number[]) {
    super('ERR_AEOT_IMAGE_SHAPE', `${what} has examples of shape [${actual.join(', ')}], but the net expects [${expected.join(', ')}]`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** A dataset with no examples (or fewer than one batch with `dropRemainder`). */
export class EmptyDatasetError extends AeotError {
  constructor(what: string) {
    super('ERR_AEOT_EMPTY_DATASET', `${what} has no examples to train on`);
  }
}

/**
 * The loss became NaN or ±∞. Training stops before the bad step is applied; the last
 * good checkpoint (if any) is left as it was, so training can resume from it (e.g. with
 * a lower learning rate).
 */
export class NonFiniteLossError extends AeotError {
  /** Epoch (0-based) and batch within it where the loss was non-finite. */
  readonly epoch: number;
  readonly batch: number;
  /** Optimiser steps taken before it. */
  readonly step: number;
  /** The non-finite value. */
  readonly loss: number;
  /** Where the last good checkpoint is, or undefined when none was written. */
  readonly checkpoint: string | undefined;

  constructor(loss: number, epoch: number, batch: number, step: number, checkpoint: string | undefined) {
    super(
      'ERR_AEOT_NON_FINITE_LOSS',
      `the training loss is ${loss} at epoch ${epoch}, batch ${batch} (step ${step}); the step was not applied. ` +
        (checkpoint === undefined ? 'No checkpoint was written (pass "checkpoint" to keep one).' : `The last good checkpoint is "${checkpoint}": resume from it, e.g. with a lower learning rate.`),
    );
    this.loss = loss;
    this.epoch = epoch;
    this.batch = batch;
    this.step = step;
    this.checkpoint = checkpoint;
  }
}

/** Training was stopped by its `signal`; the work so far is in `checkpoint` (when given). */
export class TrainingAbortedError extends AeotError {
  /** Epoch and batch (next to run) where it stopped. */
  readonly epoch: number;
  readonly batch: number;
  /** Where the state at the stop was saved, or undefined without a checkpoint. */
  readonly checkpoint: string | undefined;

  /**
   * @param task what was training, first in the message. Default `'autoencoder training'`
   *   (the training loop passes its own `task`).
   */
  constructor(epoch: number, batch: number, checkpoint: string | undefined, task = 'autoencoder training') {
    super(
      'ERR_AEOT_ABORTED',
      `${task} aborted at epoch ${epoch}, batch ${batch}` + (checkpoint === undefined ? '' : `; its state is saved in "${checkpoint}" (train again with resume: true to continue)`),
    );
    this.epoch = epoch;
    this.batch = batch;
    this.checkpoint = checkpoint;
  }
}
