// Scores generated images against a reference set with one feature network: FID,
// improved precision/recall and, when the network is a classifier, the share of each
// predicted class. The one scoring path of the main job and of the GAN comparison; the
// reference may be passed as images or as features extracted once beforehand, so several
// generators can be scored against one test set without reading it again.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue, expectBoolean, expectInteger, expectOptions } from '@aeot/tensor-backend';
import { Dataset } from '@aeot/datasets';
import { extractFeatures, type ExtractedFeatures, type ExtractOptions, type ImageSource } from './extract-features.js';
import type { Classifier, FeatureExtractor } from './feature-extractor.js';
import { FeatureStatistics } from './feature-statistics.js';
import type { FeatureMatrix } from './features.js';
import { fid, type FidResult } from './fid.js';
import { precisionRecall } from './manifold-metrics.js';
import { labelCoverage, type ModeDistribution } from './mode-coverage.js';

/**
 * The reference set: images (read through the network here), the result of
 * {@link extractFeatures} with the same network, or only its {@link FeatureStatistics}
 * (enough for FID; precision/recall need the feature vectors).
 */
export type ImageReference = ImageSource | ExtractedFeatures | FeatureStatistics;

/** Options of {@link evaluateImages}. */
export interface EvaluateImagesOptions {
  /** Neighbours of the precision/recall k-NN radii. Default 3 (Kynkäänniemi et al.). */
  k?: number;
  /** Compute precision and recall; they need the reference's feature vectors. Default true. */
  precisionRecall?: boolean;
  /** Count the network's predicted classes. Default: true when the network is a {@link Classifier}. */
  classShares?: boolean;
  /** Images per batch when a dataset or a tensor is read. Default 256. */
  batchSize?: number;
  /** Dispose the tensors an iterable of batches yields once they are read. Default true. */
  disposeBatches?: boolean;
  /** Called with each FID warning (default `console.warn`); `false` to stay silent. They are in `fid.warnings` either way. */
  warn?: ((message: string) => void) | false;
  /** Aborts between batches (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** Predicted classes of the generated images. */
export interface ClassShares extends ModeDistribution {
  /** counts / images, per class: 1 / numClasses each for an even spread. */
  shares: Float64Array;
}

/** What {@link evaluateImages} measured. */
export interface ImageEvaluation {
  /** The feature network's name; report it with every number (none of these is an Inception FID). */
  network: string;
  /** Generated images scored. FID is biased by this N: compare only at equal N. */
  count: number;
  /** Feature vectors of the reference set. */
  referenceCount: number;
  /** FID of the generated images' features against the reference's, with its terms and warnings. */
  fid: FidResult;
  /** Improved precision (generated images on the reference manifold) and recall (the converse); undefined when not asked for. */
  precisionRecall: { precision: number; recall: number; k: number } | undefined;
  /** Predicted classes; undefined when the network is not a classifier or `classShares: false`. */
  classes: ClassShares | undefined;
}

interface Reference {
  statistics: FeatureStatistics;
  features: FeatureMatrix | undefined;
}

function isClassifier(network: FeatureExtractor): network is Classifier {
  const c = network as Partial<Classifier>;
  return typeof c.classify === 'function' && Number.isInteger(c.numClasses) && (c.numClasses as number) >= 1;
}

function isImageSource(value: unknown): value is ImageSource {
  return value instanceof Dataset || value instanceof tf.Tensor || (value !== null && typeof value === 'object' && (Symbol.asyncIterator in value || Symbol.iterator in value));
}

function isExtracted(value: unknown): value is ExtractedFeatures {
  return value !== null && typeof value === 'object' && (value as ExtractedFeatures).statistics instanceof FeatureStatistics;
}

// Precomputed features must come from this very network: the same dimension, and the
// same name whenever the statistics carry one.
function checkReference(network: FeatureExtractor, statistics: FeatureStatistics, features: FeatureMatrix | undefined): Reference {
  if (statistics.dim !== network.dim) throw new RangeError(`"reference" expected features of dimension ${network.dim} (that of "${network.name}"), got ${statistics.dim}`);
  if (statistics.features !== '' && statistics.features !== network.name) {
    throw new RangeError(`"reference" expected features of "${network.name}", got features of ${describeValue(statistics.features)}`);
  }
  if (features !== undefined && (features.dim !== statistics.dim || features.rows !== statistics.count)) {
    throw new RangeError(`"reference.features" expected ${statistics.count} rows of ${statistics.dim} features (as its statistics), got ${features.rows} × ${features.dim}`);
  }
  return { statistics, features };
}

// The most probable class of each image, from the network's own arg-max when it has one.
async function predictedLabels(network: Classifier, batch: tf.Tensor): Promise<ArrayLike<number>> {
  if (typeof network.predictLabels === 'function') return network.predictLabels(batch);
  const labels = tf.tidy(() => {
    const probabilities = network.classify(batch);
    return tf.argMax(probabilities, 1);
  });
  try {
    return await labels.data();
  } finally {
    labels.dispose();
  }
}

/**
 * Scores generated images against a reference set with one feature network: FID
 * (float64, TF-GAN's route), improved precision/recall (k-NN radii, `d ≤ r`) and, for a
 * {@link Classifier}, the share of each predicted class with its KL / JSD to uniform.
 * Only one batch is on the device at a time; nothing stays allocated after the call.
 *
 * Gotchas: name the network with every number (`result.network`): with the committed
 * MNIST classifier it is an MNIST-FID, not comparable to a published Inception FID; FID
 * is biased by N, so compare generators at equal `count`; images go to the network as
 * they are (the MNIST classifier wants [0, 1] pixels: rescale [−1, 1] outputs first).
 * To score several generators against one test set, extract the reference once with
 * {@link extractFeatures} (same network, `keepFeatures` for precision/recall) and pass it.
 *
 * @param network the feature network, e.g. `await loadMnistClassifier()`, or any
 *   {@link FeatureExtractor} (e.g. from {@link modelFeatureExtractor}).
 * @param images the generated images: a `[n, ...inputShape]` tensor (not disposed), an
 *   iterable of batch tensors (e.g. `decodeBatches(...)`; disposed once read unless
 *   `disposeBatches: false`), or a Dataset (read in order, pixels scaled to [0, 1]).
 * @param reference images in the same forms, or features of them by the same network:
 *   {@link extractFeatures}'s result, or its FeatureStatistics (FID only).
 * @param options neighbour count, which scores, batch size, batch disposal, warnings, abort.
 * @returns FID, precision/recall, class shares, the counts and the network's name.
 * @throws {TypeError} for a network that is not a FeatureExtractor, images or a reference
 *   of the wrong kind, a malformed option, or `classShares: true` with a network that is
 *   not a classifier.
 * @throws {RangeError} for a reference from another network or of another dimension,
 *   precision/recall asked of a reference without feature vectors, too few images
 *   (FID needs 2, precision/recall more than k on each side), or a batch of the wrong shape.
 * @throws {NonFiniteFeaturesError} when the network returns NaN or infinite features.
 * @example
 * const classifier = await loadMnistClassifier();
 * const reference = await extractFeatures(classifier, (await loadMnist()).test);
 * const score = await evaluateImages(classifier, decodeBatches(ae, codes), reference);
 * console.log(`${score.network}: FID ${score.fid.value.toFixed(2)}, precision ${score.precisionRecall?.precision}`);
 */
export async function evaluateImages(network: FeatureExtractor, images: ImageSource, reference: ImageReference, options: EvaluateImagesOptions = {}): Promise<ImageEvaluation> {
  if (network === null || typeof network !== 'object' || typeof network.extract !== 'function' || !Number.isInteger(network.dim) || typeof network.name !== 'string') {
    throw new TypeError(`"network" expected a FeatureExtractor ({ name, dim, inputShape, extract }), got ${describeValue(network)}`);
  }
  expectOptions('options', options);
  const k = expectInteger('k', options.k ?? 3, 1);
  const wantPr = expectBoolean('precisionRecall', options.precisionRecall ?? true);
  const classifier = isClassifier(network) ? network : undefined;
  const classShares = options.classShares === undefined ? undefined : expectBoolean('classShares', options.classShares);
  if (classShares === true && classifier === undefined) throw new TypeError(`"classShares" expected a Classifier network ({ numClasses, classify }), got ${describeValue(network.name)}, which only extracts features`);
  // The network whose labels are counted: a classifier, unless told not to.
  const counted = classShares === false ? undefined : classifier;
  const batchSize = expectInteger('batchSize', options.batchSize ?? 256, 1);
  const disposeBatches = expectBoolean('disposeBatches', options.disposeBatches ?? true);
  if (options.warn !== undefined && options.warn !== false && typeof options.warn !== 'function') throw new TypeError(`"warn" expected a function or false, got ${describeValue(options.warn)}`);
  if (!isImageSource(images)) throw new TypeError(`"images" expected a Dataset, a tensor, or an iterable of batch tensors, got ${describeValue(images)}`);
  if (!(reference instanceof FeatureStatistics || isExtracted(reference) || isImageSource(reference))) {
    throw new TypeError(`"reference" expected images (a Dataset, a tensor, or batches) or their features (extractFeatures' result or FeatureStatistics), got ${describeValue(reference)}`);
  }
  const read: ExtractOptions = { batchSize, disposeBatches, ...(options.signal === undefined ? {} : { signal: options.signal }) };

  // The reference first: a mismatch is reported before any generated image is read.
  let ref: Reference;
  if (reference instanceof FeatureStatistics) ref = checkReference(network, reference, undefined);
  else if (isExtracted(reference)) ref = checkReference(network, reference.statistics, reference.features);
  else {
    const extracted = await extractFeatures(network, reference, { ...read, keepFeatures: wantPr });
    ref = { statistics: extracted.statistics, features: extracted.features };
  }
  if (wantPr && ref.features === undefined) {
    throw new RangeError('"reference" expected feature vectors for precision/recall (extractFeatures with keepFeatures: true), got statistics only; pass precisionRecall: false for FID alone');
  }
  const minReference = wantPr ? k + 1 : 2;
  if (ref.statistics.count < minReference) throw new RangeError(`"reference" expected at least ${minReference} images${wantPr ? ` (k = ${k})` : ''}, got ${ref.statistics.count}`);

  const labels: number[] = [];
  // Labels are read from each batch on its way to the feature extractor.
  const readLabels: ExtractOptions =
    counted === undefined
      ? {}
      : {
          onBatch: async (batch: tf.Tensor): Promise<void> => {
            const predicted = await predictedLabels(counted, batch);
            for (let i = 0; i < predicted.length; i++) labels.push(predicted[i] as number);
          },
        };
  const generated = await extractFeatures(network, images, { ...read, ...readLabels, keepFeatures: wantPr });
  const minImages = wantPr ? k + 1 : 2;
  if (generated.count < minImages) throw new RangeError(`"images" expected at least ${minImages} images${wantPr ? ` (k = ${k})` : ''}, got ${generated.count}`);

  const fidResult = fid(ref.statistics, generated.statistics, { features: network.name, ...(options.warn === undefined ? {} : { warn: options.warn }) });
  let pr: ImageEvaluation['precisionRecall'];
  if (wantPr) {
    const r = await precisionRecall(ref.features as FeatureMatrix, generated.features as FeatureMatrix, { k });
    pr = { precision: r.precision, recall: r.recall, k };
  }
  let classes: ClassShares | undefined;
  if (counted !== undefined) {
    if (labels.length !== generated.count) throw new RangeError(`"network" expected one predicted label per image, got ${labels.length} for ${generated.count} images`);
    const coverage = labelCoverage(labels, counted.numClasses);
    classes = { ...coverage, shares: Float64Array.from(coverage.counts, (c) => c / generated.count) };
  }
  return { network: network.name, count: generated.count, referenceCount: ref.statistics.count, fid: fidResult, precisionRecall: pr, classes };
}
