// The committed MNIST classifier: a small CNN trained in this repository
// (scripts/train-mnist-classifier.ts), its weights in models/mnist-classifier.safetensors.
// It supplies the 128-d features of "MNIST-FID" and the digit labels for mode counting.
import * as tf from '@tensorflow/tfjs-core';
import { AeotError, decodeSafetensors, describeValue, readRawBytes, sourceLabel } from '@aeot/tensor-backend';
import type { Classifier } from './feature-extractor.js';
import {
  expectMnistCnnParameters,
  MNIST_CNN_CLASSES,
  MNIST_CNN_FEATURE_DIM,
  MNIST_CNN_INPUT_SHAPE,
  MNIST_CNN_PARAMETERS,
  mnistCnnForward,
  type MnistCnnParameters,
} from './mnist-classifier-net.js';

/** Name reported with every metric computed from this network's features. */
export const MNIST_CLASSIFIER_NAME = 'aeot-mnist-cnn/1 (128-d penultimate features)';

/** Where the committed weights live, relative to this module (src/ and dist/ alike). */
export const DEFAULT_MNIST_CLASSIFIER_WEIGHTS: URL = new URL('../models/mnist-classifier.safetensors', import.meta.url);

/** How the weights were trained, read from the safetensors metadata. */
export interface MnistClassifierInfo {
  /** Seed of the initialisation, shuffling and augmentation. */
  readonly seed: number;
  /** Training epochs. */
  readonly epochs: number;
  /** Accuracy on the full 10,000-image MNIST test set, in [0, 1] (NaN if not recorded). */
  readonly testAccuracy: number;
  /** The command that reproduces the weights. */
  readonly script: string;
  /** Every metadata entry of the file, as stored (architecture, optimizer, backend, …). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Options of {@link loadMnistClassifier}. */
export interface LoadMnistClassifierOptions {
  /**
   * The weights: a file path or `file://` URL (Node), an http(s) / relative URL (fetched),
   * or the safetensors bytes. Default: the committed file
   * {@link DEFAULT_MNIST_CLASSIFIER_WEIGHTS}.
   */
  source?: string | URL | Uint8Array;
}

const INPUT_SHAPE_TEXT = `[n, ${MNIST_CNN_INPUT_SHAPE.join(', ')}]`;

function expectBatch(batch: unknown): tf.Tensor4D {
  if (!(batch instanceof tf.Tensor)) throw new TypeError(`"batch" expected a tensor of shape ${INPUT_SHAPE_TEXT}, got ${describeValue(batch)}`);
  const s = batch.shape;
  if (s.length !== 4 || !(s[0]! >= 1) || s[1] !== 28 || s[2] !== 28 || s[3] !== 1) {
    throw new RangeError(`"batch" expected a tensor of shape ${INPUT_SHAPE_TEXT}, got [${s.join(', ')}]`);
  }
  if (batch.dtype !== 'float32') throw new TypeError(`"batch" expected a float32 tensor, got ${batch.dtype}`);
  return batch as tf.Tensor4D;
}

/**
 * The committed MNIST CNN as a {@link Classifier}: 128-d penultimate-layer features
 * for FID/KID/precision-recall on MNIST-like data, and softmax class probabilities.
 * Create it with {@link loadMnistClassifier}; it holds its weights on the current
 * tfjs backend until {@link MnistClassifier.dispose}.
 *
 * Input: `[n, 28, 28, 1]` float32 pixel intensities in [0, 1] (white digit on black,
 * datasets' `'unit'` scale). Gotcha: generators trained on [−1, 1] data must be
 * rescaled with `(x + 1) / 2` first, or the features are meaningless.
 */
export class MnistClassifier implements Classifier {
  readonly name = MNIST_CLASSIFIER_NAME;
  readonly dim = MNIST_CNN_FEATURE_DIM;
  readonly inputShape: readonly number[] = MNIST_CNN_INPUT_SHAPE;
  readonly numClasses = MNIST_CNN_CLASSES;
  /** How the weights were trained (seed, epochs, test accuracy, script). */
  readonly info: MnistClassifierInfo;
  private params: MnistCnnParameters | undefined;

  /** @internal use {@link loadMnistClassifier}. */
  constructor(params: MnistCnnParameters, info: MnistClassifierInfo) {
    this.params = params;
    this.info = info;
  }

  private weights(): MnistCnnParameters {
    if (this.params === undefined) throw new AeotError('ERR_AEOT_DISPOSED', `${MNIST_CLASSIFIER_NAME} was disposed; load it again with loadMnistClassifier()`);
    return this.params;
  }

  /**
   * Penultimate-layer features (after the ReLU) of a batch.
   *
   * @param batch `[n, 28, 28, 1]` float32 in [0, 1]; not disposed.
   * @returns a new `[n, 128]` tensor; the caller disposes it.
   * @throws {TypeError} for something that is not a float32 tensor.
   * @throws {RangeError} for a shape other than `[n, 28, 28, 1]` with n ≥ 1.
   * @throws {AeotError} `ERR_AEOT_DISPOSED` after {@link MnistClassifier.dispose}.
   * @example
   * const features = classifier.extract(images); // [n, 128]
   */
  extract(batch: tf.Tensor): tf.Tensor2D {
    const images = expectBatch(batch);
    const params = this.weights();
    return tf.tidy(() => mnistCnnForward(params, images).features);
  }

  /**
   * Class probabilities (softmax of the logits) of a batch.
   *
   * @param batch `[n, 28, 28, 1]` float32 in [0, 1]; not disposed.
   * @returns a new `[n, 10]` tensor whose rows sum to 1; the caller disposes it.
   * @throws as {@link MnistClassifier.extract}.
   * @example
   * const probs = classifier.classify(images); // [n, 10]
   */
  classify(batch: tf.Tensor): tf.Tensor2D {
    const images = expectBatch(batch);
    const params = this.weights();
    return tf.tidy(() => tf.softmax(mnistCnnForward(params, images).logits));
  }

  /**
   * The most probable digit of each image (ties to the lower digit).
   *
   * @param batch `[n, 28, 28, 1]` float32 in [0, 1]; not disposed.
   * @returns the n predicted labels, 0–9 (read asynchronously, safe on WebGPU).
   * @throws as {@link MnistClassifier.extract}.
   * @example
   * const labels = await classifier.predictLabels(images); // Int32Array(n)
   */
  async predictLabels(batch: tf.Tensor): Promise<Int32Array> {
    const images = expectBatch(batch);
    const params = this.weights();
    const labels = tf.tidy(() => tf.argMax(mnistCnnForward(params, images).logits, 1));
    try {
      return Int32Array.from(await labels.data());
    } finally {
      labels.dispose();
    }
  }

  /**
   * Frees the weights; later calls throw. Idempotent.
   *
   * @example
   * classifier.dispose();
   */
  dispose(): void {
    if (this.params !== undefined) tf.dispose(Object.values(this.params));
    this.params = undefined;
  }
}

function numberEntry(metadata: Readonly<Record<string, string>>, key: string): number {
  const v = metadata[key];
  return v === undefined ? Number.NaN : Number(v);
}

/**
 * Loads the MNIST classifier (by default the committed weights, ≈ 0.9 MB) onto the
 * current tfjs backend. Start a backend first (`initBackend`). Features and
 * probabilities agree across backends to float32 precision (1e−5 relative), not bit
 * for bit.
 *
 * @param options `source`: other weights (path, URL or bytes) in the same format.
 * @returns the classifier; call `dispose()` when done.
 * @throws {TypeError} for a source that is not a string, URL or Uint8Array.
 * @throws {StorageError} when the file cannot be read or fetched.
 * @throws {CorruptFileError} when the bytes are not valid safetensors.
 * @throws {RangeError} when a parameter is missing or has the wrong shape or dtype.
 * @example
 * await initBackend({ backend: 'wasm' });
 * const classifier = await loadMnistClassifier();
 * const probs = classifier.classify(images); // [n, 10]
 * console.log(classifier.name, classifier.info.testAccuracy);
 */
export async function loadMnistClassifier(options: LoadMnistClassifierOptions = {}): Promise<MnistClassifier> {
  if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected an object, got ${describeValue(options)}`);
  const source = options.source ?? DEFAULT_MNIST_CLASSIFIER_WEIGHTS;
  if (!(typeof source === 'string' || source instanceof URL || source instanceof Uint8Array)) {
    throw new TypeError(`"source" expected a path, URL or Uint8Array, got ${describeValue(source)}`);
  }
  // A path or file:// URL is read as a file (Node), anything else fetched; bytes as given.
  const bytes = await readRawBytes(source);
  const label = source instanceof Uint8Array ? 'bytes' : sourceLabel(source);
  const { tensors, metadata } = decodeSafetensors(bytes, { source: label });
  try {
    expectMnistCnnParameters(tensors, label);
  } catch (e) {
    tf.dispose(Object.values(tensors));
    throw e;
  }
  // Keep only the network's tensors; anything else in the file is dropped.
  const params: Record<string, tf.Tensor> = {};
  for (const spec of MNIST_CNN_PARAMETERS) params[spec.name] = tensors[spec.name] as tf.Tensor;
  tf.dispose(Object.entries(tensors).filter(([name]) => !(name in params)).map(([, t]) => t));
  const info: MnistClassifierInfo = Object.freeze({
    seed: numberEntry(metadata, 'seed'),
    epochs: numberEntry(metadata, 'epochs'),
    testAccuracy: numberEntry(metadata, 'testAccuracy'),
    script: metadata.script ?? '',
    metadata: Object.freeze({ ...metadata }),
  });
  return new MnistClassifier(Object.freeze(params), info);
}
