// evaluateImages against ground truths: a 4-pixel "network" whose features are the pixels
// and whose class is the brightest pixel, so FID has a closed form (a shifted copy), a
// set scores FID 0 and precision = recall = 1 against itself, FID and precision/recall
// match the metrics computed from the raw pixel rows (no extraction), and the class
// counts are counted by hand; then the committed MNIST classifier's labels agree with
// the arg-max of its probabilities. Every reference form, no tensor leaks, typed errors.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend } from '@aeot/tensor-backend';
import { fromArrays, loadMnist } from '@aeot/datasets';
import { evaluateImages, extractFeatures, FeatureStatistics, fid, precisionRecall, type Classifier, type FeatureExtractor } from '../src/index.js';
import { loadMnistClassifier, type MnistClassifier } from '../src/mnist-classifier.js';

const SHAPE = [2, 2, 1] as const;

// Features are the 4 pixels; the class is the brightest one (softmax keeps the order).
function pixelClassifier(name = 'pixels/1'): Classifier {
  const flat = (batch: tf.Tensor): tf.Tensor2D => {
    if (batch.rank !== 4 || batch.shape[1] !== 2 || batch.shape[2] !== 2 || batch.shape[3] !== 1) throw new RangeError(`"batch" expected a tensor of shape [n, 2, 2, 1], got [${batch.shape.join(', ')}]`);
    return tf.reshape(batch, [batch.shape[0]!, 4]);
  };
  return { name, dim: 4, inputShape: SHAPE, numClasses: 4, extract: flat, classify: (batch) => tf.tidy(() => tf.softmax(flat(batch))) };
}

// Gaussian pixels on the grid of 2^-10 (so adding 2 is exact in float32), per-pixel spread.
function pixels(n: number, seed: number, shift = 0): Float32Array {
  const rng = createRng(seed);
  const scale = [1, 0.5, 2, 1.5];
  return Float32Array.from({ length: 4 * n }, (_, i) => Math.round(1024 * scale[i % 4]! * rng.nextNormal()) / 1024 + shift);
}
const rows = (v: Float32Array): number[][] => Array.from({ length: v.length / 4 }, (_, i) => Array.from(v.subarray(4 * i, 4 * i + 4)));
const images = (v: Float32Array): tf.Tensor4D => tf.tensor4d(v, [v.length / 4, ...SHAPE]);
async function* batchesOf(v: Float32Array, size: number): AsyncGenerator<tf.Tensor4D> {
  for (let start = 0; start < v.length / 4; start += size) yield images(v.subarray(4 * start, 4 * Math.min(start + size, v.length / 4)));
}
const close = (a: number, b: number, rel = 1e-9): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

const refValues = pixels(300, 1);
const genValues = pixels(200, 2, 0.25);

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('evaluateImages on a network with known features', () => {
  it('scores a set against itself: FID 0, precision and recall 1', async () => {
    const x = images(refValues);
    const r = await evaluateImages(pixelClassifier(), x, x, { batchSize: 64 });
    x.dispose();
    expect(Math.abs(r.fid.value)).toBeLessThan(1e-9);
    expect(r.precisionRecall).toEqual({ precision: 1, recall: 1, k: 3 });
    expect([r.count, r.referenceCount, r.network]).toEqual([300, 300, 'pixels/1']);
  });

  it('gives FID = |shift|² for a shifted copy (equal covariances)', async () => {
    const x = images(refValues);
    const r = await evaluateImages(pixelClassifier(), batchesOf(pixels(300, 1, 2), 70), x, { batchSize: 64, precisionRecall: false });
    x.dispose();
    close(r.fid.value, 4 * 2 ** 2);
    close(r.fid.meanTerm, 16);
    expect(r.precisionRecall).toBeUndefined();
  });

  it('equals fid and precisionRecall computed from the raw pixel rows, for k = 3 and k = 5', async () => {
    const x = images(refValues);
    for (const k of [3, 5]) {
      const r = await evaluateImages(pixelClassifier(), batchesOf(genValues, 64), x, { batchSize: 50, k });
      const direct = fid(rows(refValues), rows(genValues), { warn: false });
      close(r.fid.value, direct.value);
      close(r.fid.covarianceTerm, direct.covarianceTerm);
      const pr = await precisionRecall(rows(refValues), rows(genValues), { k });
      expect(r.precisionRecall).toEqual({ precision: pr.precision, recall: pr.recall, k });
      expect(r.precisionRecall!.precision).toBeGreaterThan(0.3);
    }
    x.dispose();
  });

  it('counts the classes as counted by hand (brightest pixel)', async () => {
    const x = images(genValues);
    const r = await evaluateImages(pixelClassifier(), x, images(refValues), { batchSize: 32 });
    x.dispose();
    const counts = [0, 0, 0, 0];
    for (const row of rows(genValues)) counts[row.indexOf(Math.max(...row))]!++;
    expect(Array.from(r.classes!.counts)).toEqual(counts);
    expect(Array.from(r.classes!.shares)).toEqual(counts.map((c) => c / 200));
    const kl = counts.reduce((s, c) => (c === 0 ? s : s + (c / 200) * Math.log((4 * c) / 200)), 0);
    close(r.classes!.kl, kl, 1e-12);
    expect(r.classes!.modesCaptured).toBe(counts.filter((c) => c > 0).length);
  });

  it('takes the reference as images, batches, a dataset, extracted features or statistics, with one result', async () => {
    const net = pixelClassifier();
    const gen = images(genValues);
    const ref = images(refValues);
    const fromTensor = await evaluateImages(net, gen, ref, { batchSize: 50 });
    const extracted = await extractFeatures(net, ref, { batchSize: 50 });
    const fromFeatures = await evaluateImages(net, gen, extracted, { batchSize: 50 });
    expect(fromFeatures).toEqual(fromTensor);
    const fromDataset = await evaluateImages(net, gen, fromArrays({ values: refValues, exampleShape: [...SHAPE] }), { batchSize: 50 });
    expect(fromDataset).toEqual(fromTensor);
    const fromBatches = await evaluateImages(net, gen, batchesOf(refValues, 50), { batchSize: 50 });
    expect(fromBatches).toEqual(fromTensor);
    const fromStatistics = await evaluateImages(net, gen, extracted.statistics, { batchSize: 50, precisionRecall: false });
    expect(fromStatistics.fid).toEqual(fromTensor.fid);
    expect(fromStatistics.precisionRecall).toBeUndefined();
    await expect(evaluateImages(net, gen, extracted.statistics)).rejects.toThrow(/"reference" expected feature vectors for precision\/recall/);
    tf.dispose([gen, ref]);
  });

  it('scores with a plain feature extractor (no classes) and when told not to count classes', async () => {
    const { name, dim, inputShape, extract } = pixelClassifier('pixels-only/1');
    const plain: FeatureExtractor = { name, dim, inputShape, extract };
    const x = images(refValues);
    const r = await evaluateImages(plain, batchesOf(genValues, 64), x);
    expect(r.classes).toBeUndefined();
    expect(r.network).toBe('pixels-only/1');
    await expect(evaluateImages(plain, x, x, { classShares: true })).rejects.toThrow(TypeError);
    const off = await evaluateImages(pixelClassifier(), x, x, { classShares: false });
    expect(off.classes).toBeUndefined();
    x.dispose();
  });

  it('leaks no tensors: its own slices and the batches it reads are disposed, the caller’s tensors kept', async () => {
    const gen = images(genValues);
    const ref = images(refValues);
    const before = tf.memory().numTensors;
    await evaluateImages(pixelClassifier(), gen, ref, { batchSize: 64 });
    await evaluateImages(pixelClassifier(), batchesOf(genValues, 64), fromArrays({ values: refValues, exampleShape: [...SHAPE] }), { batchSize: 64 });
    const mine = [images(genValues.subarray(0, 40)), images(genValues.subarray(40, 120))];
    await evaluateImages(pixelClassifier(), mine, ref, { disposeBatches: false, warn: false });
    expect(mine.every((t) => !t.isDisposed)).toBe(true);
    tf.dispose(mine);
    expect(tf.memory().numTensors).toBe(before);
    // A bad batch midway: the error comes through, and nothing is left behind.
    async function* broken(): AsyncGenerator<tf.Tensor> {
      yield images(genValues.subarray(0, 40));
      yield tf.zeros([5, 3, 3, 1]);
      yield images(genValues.subarray(40, 80));
    }
    await expect(evaluateImages(pixelClassifier(), broken(), ref)).rejects.toThrow(RangeError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([gen, ref]);
  });

  it('refuses bad arguments with typed errors', async () => {
    const net = pixelClassifier();
    const x = images(refValues);
    const few = images(genValues.subarray(0, 12)); // 3 images
    const one = images(genValues.subarray(0, 4));
    const before = tf.memory().numTensors;
    await expect(evaluateImages({} as never, x, x)).rejects.toThrow(new TypeError('"network" expected a FeatureExtractor ({ name, dim, inputShape, extract }), got an object (Object)'));
    await expect(evaluateImages(net, [[1]] as never, x)).rejects.toThrow(TypeError);
    await expect(evaluateImages(net, 42 as never, x)).rejects.toThrow(new TypeError('"images" expected a Dataset, a tensor, or an iterable of batch tensors, got 42'));
    await expect(evaluateImages(net, x, { count: 3 } as never)).rejects.toThrow(/^"reference" expected images/);
    await expect(evaluateImages(net, x, x, null as never)).rejects.toThrow(new TypeError('"options" expected an options object, got null'));
    await expect(evaluateImages(net, x, x, { k: 0 })).rejects.toThrow(new RangeError('"k" expected an integer ≥ 1, got 0'));
    await expect(evaluateImages(net, x, x, { batchSize: 1.5 })).rejects.toThrow(RangeError);
    await expect(evaluateImages(net, x, x, { precisionRecall: 'yes' as never })).rejects.toThrow(new TypeError('"precisionRecall" expected a boolean, got "yes"'));
    await expect(evaluateImages(net, x, x, { warn: 'loud' as never })).rejects.toThrow(TypeError);
    const other = await extractFeatures(pixelClassifier('other/1'), x);
    await expect(evaluateImages(net, x, other)).rejects.toThrow(new RangeError('"reference" expected features of "pixels/1", got features of "other/1"'));
    await expect(evaluateImages(net, x, new FeatureStatistics(2), { precisionRecall: false })).rejects.toThrow(new RangeError('"reference" expected features of dimension 4 (that of "pixels/1"), got 2'));
    await expect(evaluateImages(net, few, x)).rejects.toThrow(new RangeError('"images" expected at least 4 images (k = 3), got 3'));
    await expect(evaluateImages(net, x, few)).rejects.toThrow(new RangeError('"reference" expected at least 4 images (k = 3), got 3'));
    await expect(evaluateImages(net, one, x, { precisionRecall: false })).rejects.toThrow(new RangeError('"images" expected at least 2 images, got 1'));
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(evaluateImages(net, x, x, { signal: controller.signal })).rejects.toThrow('stop');
    tf.dispose([x, few, one]);
    expect(tf.memory().numTensors).toBe(before - 3);
  });
});

describe('evaluateImages with the committed MNIST classifier', () => {
  let classifier: MnistClassifier;
  let generated: tf.Tensor4D;
  beforeAll(async () => {
    classifier = await loadMnistClassifier();
    generated = (await (await loadMnist()).test.subset({ end: 300 }).toTensor({ scale: 'unit' })) as tf.Tensor4D;
  });
  afterAll(() => {
    generated.dispose();
    classifier.dispose();
  });

  it('counts the arg-max of its probabilities, names the network, and scores the set against itself as FID ≈ 0', async () => {
    const r = await evaluateImages(classifier, generated, generated, { batchSize: 128 });
    const probabilities = classifier.classify(generated);
    const p = await probabilities.array();
    probabilities.dispose();
    const counts = new Array<number>(10).fill(0);
    for (const row of p) counts[row.indexOf(Math.max(...row))]!++;
    expect(Array.from(r.classes!.counts)).toEqual(counts);
    expect(r.network).toBe(classifier.name);
    expect(r.fid.features).toBe(classifier.name);
    expect(r.fid.warnings).toEqual([]); // N = 300 > d = 128
    // ReLU features leave some directions without variance: what is left of 0 is the
    // square root of the rounding there, far below the total variance.
    const { statistics } = await extractFeatures(classifier, generated, { keepFeatures: false });
    const covariance = statistics.covariance();
    let totalVariance = 0;
    for (let j = 0; j < statistics.dim; j++) totalVariance += covariance[j * statistics.dim + j]!;
    expect(Math.abs(r.fid.value)).toBeLessThan(1e-6 * totalVariance);
    expect(r.precisionRecall).toEqual({ precision: 1, recall: 1, k: 3 });
  });
});
