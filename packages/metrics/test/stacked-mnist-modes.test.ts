// Stacked-MNIST modes from the committed classifier: on stacked MNIST built from the test
// split, the modes must match the true labels (100·d0 + 10·d1 + d2) almost always, and
// equal the per-channel classification done by hand.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@aeot/tensor-backend';
import { loadMnist, stackedMnist } from '@aeot/datasets';
import type { Classifier } from '../src/feature-extractor.js';
import { loadMnistClassifier, type MnistClassifier } from '../src/mnist-classifier.js';
import { stackedMnistModes } from '../src/stacked-mnist-modes.js';
import { labelCoverage } from '../src/mode-coverage.js';

const SIZE = 300;

describe('stackedMnistModes', () => {
  let classifier: MnistClassifier;
  let images: tf.Tensor4D;
  let labels: Int32Array;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    classifier = await loadMnistClassifier();
    const stacked = stackedMnist((await loadMnist()).test, { size: SIZE, seed: 11 });
    images = (await stacked.toTensor({ scale: 'unit' })) as tf.Tensor4D;
    labels = stacked.labels as Int32Array;
  });
  afterAll(() => {
    images.dispose();
    classifier.dispose();
  });

  it(`recovers ≥ 96% of the true modes of ${SIZE} stacked test images`, async () => {
    const modes = await stackedMnistModes(classifier, images, { batchSize: 128 }); // 128 + 128 + 44
    expect(modes.length).toBe(SIZE);
    let hits = 0;
    for (let i = 0; i < SIZE; i++) {
      expect(modes[i]).toBeGreaterThanOrEqual(0);
      expect(modes[i]).toBeLessThan(1000);
      if (modes[i] === labels[i]) hits++;
    }
    // Each digit is right ~99.2% of the time, so all three ≈ 0.992³ ≈ 97.6%.
    expect(hits / SIZE).toBeGreaterThanOrEqual(0.96);
  });

  it('equals 100·d0 + 10·d1 + d2 with each channel classified on its own', async () => {
    const first = tf.slice(images, [0, 0, 0, 0], [40, 28, 28, 3]);
    const digits: Int32Array[] = [];
    for (let c = 0; c < 3; c++) {
      const plane = tf.slice(first, [0, 0, 0, c], [40, 28, 28, 1]);
      digits.push(await classifier.predictLabels(plane));
      plane.dispose();
    }
    const modes = await stackedMnistModes(classifier, first, { batchSize: 7 });
    first.dispose();
    for (let i = 0; i < 40; i++) expect(modes[i]).toBe(100 * digits[0]![i]! + 10 * digits[1]![i]! + digits[2]![i]!);
  });

  it('leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    await stackedMnistModes(classifier, images, { batchSize: 100 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses images that are not [n, 28, 28, 3] and classifiers that are not 10-class [H, W, 1]', async () => {
    const gray = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
    await expect(stackedMnistModes(classifier, gray)).rejects.toThrow(new RangeError('"images" expected a tensor of shape [n, 28, 28, 3], got [2, 28, 28, 1]'));
    const rgb = tf.zeros([2, 28, 28, 3]) as tf.Tensor4D;
    const letters: Classifier = { ...classifierShape(classifier), numClasses: 26 };
    await expect(stackedMnistModes(letters, rgb)).rejects.toThrow(RangeError);
    await expect(stackedMnistModes(classifier, rgb, { batchSize: 0 })).rejects.toThrow(RangeError);
    tf.dispose([gray, rgb]);
  });
});

/** A plain object with the classifier's members (spread does not copy class methods). */
function classifierShape(c: MnistClassifier): Classifier {
  return { name: c.name, dim: c.dim, inputShape: c.inputShape, numClasses: c.numClasses, extract: (b) => c.extract(b), classify: (b) => c.classify(b) };
}

describe('the stacked-MNIST protocol on true data', () => {
  it('2,000 true stacked samples: distinct modes as the closed form E = Σ 1 − (1 − p_a p_b p_c)^n predicts, small KL', async () => {
    await initBackend({ backend: 'wasm' });
    const classifier = await loadMnistClassifier();
    const test = (await loadMnist()).test;
    const n = 2000;
    const stacked = stackedMnist(test, { size: n, seed: 3 });
    const images = (await stacked.toTensor({ scale: 'unit' })) as tf.Tensor4D;
    const modes = await stackedMnistModes(classifier, images);
    images.dispose();
    classifier.dispose();
    // Digits are drawn i.i.d. from the test split, whose class frequencies p are known.
    const p = Array.from(test.labelCounts()!, (c) => c / test.size);
    let expected = 0;
    for (const a of p) for (const b of p) for (const c of p) expected += 1 - (1 - a * b * c) ** n;
    const read = labelCoverage(modes, 1000);
    const truth = labelCoverage(stacked.labels as Int32Array, 1000);
    // Sampling spread of the count is ≈ 10 modes; misread digits move it by a few more.
    expect(Math.abs(truth.modesCaptured - expected)).toBeLessThan(40);
    expect(Math.abs(read.modesCaptured - expected)).toBeLessThan(45);
    expect(Math.abs(read.kl - truth.kl)).toBeLessThan(0.05);
  });
});
