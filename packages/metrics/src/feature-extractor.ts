// What turns images into feature vectors for FID, KID, precision/recall: any object that
// maps a batch tensor to a [batch, dim] tensor and says what it is, so every number can
// name the network it was computed with.
import type * as tf from '@tensorflow/tfjs-core';

/**
 * A feature network. `name` goes into every report (e.g. `"aeot-mnist-lenet/1 (128-d)"`)
 * so nobody mistakes an MNIST-FID for a published Inception FID.
 */
export interface FeatureExtractor {
  /** Names the network and its version; reported with every metric computed from it. */
  readonly name: string;
  /** Length of one feature vector. */
  readonly dim: number;
  /** Shape of one input example, e.g. `[28, 28, 1]`; the batch dimension is not included. */
  readonly inputShape: readonly number[];
  /**
   * Features of a batch `[n, ...inputShape]` (values as the network expects them, see the
   * extractor's docs): a new `[n, dim]` tensor the caller disposes. Must not keep the input.
   */
  extract(batch: tf.Tensor): tf.Tensor2D;
}

/** A classifier usable by the Inception-style score and by mode counting. */
export interface Classifier extends FeatureExtractor {
  /** Number of classes. */
  readonly numClasses: number;
  /** Class probabilities `[n, numClasses]` (rows sum to 1) of a batch; the caller disposes. */
  classify(batch: tf.Tensor): tf.Tensor2D;
  /**
   * The most probable class of each image of a batch, when the network has a cheaper or
   * exact way than the arg-max of {@link Classifier.classify} (e.g. the arg-max of the
   * logits). Optional; consumers fall back to `classify`.
   */
  predictLabels?(batch: tf.Tensor): Promise<Int32Array>;
}
