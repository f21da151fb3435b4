// Stacked-MNIST mode of each generated image: its three channels are read as three
// digits by an MNIST classifier, and the mode is 100·d0 + 10·d1 + d2 (the labelling of
// datasets' stackedMnist), so mode counts and KL to uniform come from these codes.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue, expectInteger } from '@aeot/tensor-backend';
import type { Classifier } from './feature-extractor.js';

/** Options of {@link stackedMnistModes}. */
export interface StackedMnistModesOptions {
  /** Stacked images classified per step (3× as many classifier inputs). Default 256. */
  batchSize?: number;
}

/**
 * Classifies each channel of stacked-MNIST images separately and returns their modes.
 * Channels must be on the classifier's scale ([0, 1] for the committed MNIST classifier).
 *
 * @param classifier a 10-class digit classifier with input shape `[H, W, 1]`, e.g. from
 *   `loadMnistClassifier()`.
 * @param images `[n, H, W, 3]` float32 tensor; channel c holds digit c. Not disposed.
 * @param options batchSize (default 256).
 * @returns n modes in [0, 1000): 100·d0 + 10·d1 + d2 with d_c the most probable digit of
 *   channel c (ties to the lower digit).
 * @throws {TypeError} when `images` is not a tensor.
 * @throws {RangeError} when `images` is not `[n, H, W, 3]` for the classifier's `[H, W, 1]`,
 *   or the classifier does not have 10 classes.
 * @example
 * const classifier = await loadMnistClassifier();
 * const modes = await stackedMnistModes(classifier, generated); // Int32Array(n)
 * const covered = new Set(modes).size; // of 1,000
 */
export async function stackedMnistModes(classifier: Classifier, images: tf.Tensor4D, options: StackedMnistModesOptions = {}): Promise<Int32Array> {
  if (classifier.numClasses !== 10) throw new RangeError(`"classifier" expected a 10-class digit classifier, got ${describeValue(classifier.numClasses)} classes`);
  const [h, w, c] = classifier.inputShape;
  if (classifier.inputShape.length !== 3 || c !== 1) {
    throw new RangeError(`"classifier" expected single-channel inputs [H, W, 1], got [${classifier.inputShape.join(', ')}]`);
  }
  const expected = `[n, ${h}, ${w}, 3]`;
  if (!(images instanceof tf.Tensor)) throw new TypeError(`"images" expected a tensor of shape ${expected}, got ${describeValue(images)}`);
  const s = images.shape;
  if (s.length !== 4 || s[1] !== h || s[2] !== w || s[3] !== 3) throw new RangeError(`"images" expected a tensor of shape ${expected}, got [${s.join(', ')}]`);
  const batchSize = expectInteger('batchSize', options.batchSize ?? 256, 1);

  const n = s[0] as number;
  const modes = new Int32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const b = Math.min(batchSize, n - start);
    const codes = tf.tidy(() => {
      const chunk = tf.slice(images, [start, 0, 0, 0], [b, h as number, w as number, 3]);
      // [b, H, W, 3] → [3, b, H, W] → [3b, H, W, 1]: channel-major, so rows 0..b−1 are
      // every image's channel 0, and one classifier call reads all three digits.
      const planes = tf.reshape(tf.transpose(chunk, [3, 0, 1, 2]), [3 * b, h as number, w as number, 1]);
      const digits = tf.reshape(tf.argMax(classifier.classify(planes), 1), [3, b]);
      return tf.sum(tf.mul(digits, tf.tensor2d([[100], [10], [1]], [3, 1], 'int32')), 0);
    });
    try {
      modes.set(await codes.data(), start);
    } finally {
      codes.dispose();
    }
  }
  return modes;
}
