// The committed MNIST classifier: accuracy on a fixed slice of the MNIST test set (the
// ground truth is MNIST's labels), agreement of wasm with the cpu backend (an independent
// set of kernels), determinism, no tensor leaks, and argument validation.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AeotError, encodeSafetensors, initBackend, readFileBytes } from '@aeot/tensor-backend';
import { loadMnist } from '@aeot/datasets';
import { DEFAULT_MNIST_CLASSIFIER_WEIGHTS, loadMnistClassifier, MNIST_CLASSIFIER_NAME, type MnistClassifier } from '../src/mnist-classifier.js';
import { initMnistCnnParameters } from '../src/mnist-classifier-net.js';

// Measured on wasm and on cpu: 1,982 / 2,000 correct (99.10%) on the first 2,000 test
// images (9,920 / 10,000 on the full test set); the margin of 0.3% (6 images) allows for
// other backends' rounding flipping a few borderline digits.
const SLICE = 2000;
const MEASURED_SLICE_ACCURACY = 0.991;
const MARGIN = 0.003;

describe('loadMnistClassifier (committed weights)', () => {
  let mnist: Awaited<ReturnType<typeof loadMnist>>;
  let classifier: MnistClassifier;
  let images: tf.Tensor4D; // the first 64 test images
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    mnist = await loadMnist();
    classifier = await loadMnistClassifier();
    images = (await mnist.test.subset({ end: 64 }).toTensor({ scale: 'unit' })) as tf.Tensor4D;
  });
  afterAll(() => {
    images.dispose();
    classifier.dispose();
  });

  it('says what it is and how it was trained', () => {
    expect(classifier.name).toBe(MNIST_CLASSIFIER_NAME);
    expect(classifier.dim).toBe(128);
    expect(classifier.numClasses).toBe(10);
    expect(classifier.inputShape).toEqual([28, 28, 1]);
    expect(classifier.info.testAccuracy).toBeGreaterThanOrEqual(0.99);
    expect(Number.isInteger(classifier.info.seed)).toBe(true);
    expect(classifier.info.epochs).toBeGreaterThanOrEqual(1);
    expect(classifier.info.script).toContain('train-mnist-classifier.ts');
  });

  it(`classifies the first ${SLICE} MNIST test images with ≥ ${MEASURED_SLICE_ACCURACY - MARGIN} accuracy`, async () => {
    let correct = 0;
    for await (const { x, labels } of mnist.test.subset({ end: SLICE }).batches(500, { scale: 'unit', autoDispose: true })) {
      const predicted = await classifier.predictLabels(x);
      const truth = await (labels as tf.Tensor1D).data();
      for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) correct++;
    }
    const accuracy = correct / SLICE;
    expect(accuracy).toBeGreaterThanOrEqual(0.985);
    expect(accuracy).toBeGreaterThanOrEqual(MEASURED_SLICE_ACCURACY - MARGIN);
  });

  it('features are [n, 128], non-negative (after a ReLU), and deterministic', async () => {
    const a = classifier.extract(images);
    const b = classifier.extract(images);
    expect(a.shape).toEqual([64, 128]);
    const [va, vb] = [await a.data(), await b.data()];
    expect(Math.min(...va)).toBeGreaterThanOrEqual(0);
    // Same input, same backend: bit-identical, so compare the bytes.
    expect(new Uint8Array(vb.buffer, vb.byteOffset, vb.byteLength)).toEqual(new Uint8Array(va.buffer, va.byteOffset, va.byteLength));
    tf.dispose([a, b]);
  });

  it('probabilities are rows summing to 1 whose argmax is predictLabels', async () => {
    const probs = classifier.classify(images);
    expect(probs.shape).toEqual([64, 10]);
    const p = await probs.data();
    const labels = await classifier.predictLabels(images);
    for (let i = 0; i < 64; i++) {
      const row = Array.from(p.subarray(10 * i, 10 * i + 10));
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      expect(row.indexOf(Math.max(...row))).toBe(labels[i]);
    }
    probs.dispose();
  });

  it('matches the cpu backend (independent kernels) to float32 precision', async () => {
    const few = tf.slice(images, [0, 0, 0, 0], [8, 28, 28, 1]);
    const onWasm = classifier.extract(few);
    const wasmFeatures = await onWasm.array();
    const fewValues = await few.data();
    tf.dispose([few, onWasm]);
    await initBackend({ backend: 'cpu' });
    try {
      const onCpu = await loadMnistClassifier();
      const x = tf.tensor4d(fewValues, [8, 28, 28, 1]);
      const features = onCpu.extract(x);
      const cpuFeatures = await features.array();
      tf.dispose([features, x]);
      onCpu.dispose();
      const scale = Math.max(...cpuFeatures.flat());
      for (let i = 0; i < 8; i++) {
        for (let j = 0; j < 128; j++) expect(Math.abs((wasmFeatures[i]![j] as number) - (cpuFeatures[i]![j] as number))).toBeLessThan(1e-4 * scale);
      }
    } finally {
      await initBackend({ backend: 'wasm' });
    }
  });

  it('leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    classifier.extract(images).dispose();
    classifier.classify(images).dispose();
    await classifier.predictLabels(images);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a wrong input shape or type', () => {
    const rgb = tf.zeros([2, 28, 28, 3]);
    const flat = tf.zeros([2, 784]);
    const single = tf.zeros([28, 28, 1]);
    expect(() => classifier.extract(rgb)).toThrow(new RangeError('"batch" expected a tensor of shape [n, 28, 28, 1], got [2, 28, 28, 3]'));
    expect(() => classifier.classify(flat)).toThrow(RangeError);
    expect(() => classifier.extract(single)).toThrow('got [28, 28, 1]');
    expect(() => classifier.extract([[0]] as unknown as tf.Tensor)).toThrow(TypeError);
    tf.dispose([rgb, flat, single]);
  });
});

describe('loadMnistClassifier (other sources)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('loads the same weights from bytes, and refuses files without the network', async () => {
    const bytes = await readFileBytes(DEFAULT_MNIST_CLASSIFIER_WEIGHTS.href);
    const before = tf.memory().numTensors;
    const fromBytes = await loadMnistClassifier({ source: bytes });
    expect(fromBytes.info.testAccuracy).toBeGreaterThanOrEqual(0.99);
    fromBytes.dispose();
    const zeros = tf.zeros([1, 28, 28, 1]);
    expect(() => fromBytes.extract(zeros)).toThrow(AeotError);
    zeros.dispose();

    const params = initMnistCnnParameters(0);
    const { 'dense2.bias': dropped, ...partial } = params;
    const broken = await encodeSafetensors(partial);
    await expect(loadMnistClassifier({ source: broken })).rejects.toThrow('expected a parameter "dense2.bias" of shape [10], got none');
    tf.dispose([dropped as tf.Tensor, ...Object.values(partial)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
