// extractFeatures' per-batch hook: it sees every batch as the network does (after
// `limit`), before the features, for every input form; a rejection stops the extraction
// and leaves no tensor behind; a hook that is not a function is a TypeError. (The
// extraction itself is tested with real networks in tfjs-model.test.ts.)
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@aeot/tensor-backend';
import { fromArrays } from '@aeot/datasets';
import { extractFeatures, type FeatureExtractor } from '../src/index.js';

// Features: the two values of each example, doubled.
const doubling: FeatureExtractor = { name: 'double/1', dim: 2, inputShape: [2], extract: (batch) => tf.tidy(() => tf.mul(batch, 2) as tf.Tensor2D) };
const values = Float32Array.from({ length: 20 }, (_, i) => i);

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('extractFeatures onBatch', () => {
  it('sees each batch the network sees, after the limit, for a tensor, a dataset and batches', async () => {
    const x = tf.tensor2d(values, [10, 2]);
    const dataset = fromArrays({ values, exampleShape: [2] });
    const sources = [() => x, () => dataset, () => [tf.slice(x, 0, 4), tf.slice(x, 4, 6)]];
    for (const source of sources) {
      const seen: number[][] = [];
      const before = tf.memory().numTensors;
      const r = await extractFeatures(doubling, source(), { batchSize: 4, limit: 7, onBatch: async (batch) => void seen.push(Array.from(await batch.data())) });
      expect(seen.flat()).toEqual(Array.from(values.subarray(0, 14)));
      expect(Array.from(r.features!.data)).toEqual(seen.flat().map((v) => 2 * v));
      expect(tf.memory().numTensors).toBe(before);
    }
    x.dispose();
  });

  it('stops on a rejection, without leaking, and refuses a hook that is not a function', async () => {
    const x = tf.tensor2d(values, [10, 2]);
    const before = tf.memory().numTensors;
    let calls = 0;
    const stop = async (): Promise<void> => {
      if (++calls === 2) throw new RangeError('second batch refused');
    };
    await expect(extractFeatures(doubling, x, { batchSize: 3, onBatch: stop })).rejects.toThrow('second batch refused');
    expect(calls).toBe(2);
    calls = 0;
    const unread = tf.slice(x, 6, 3);
    await expect(extractFeatures(doubling, [tf.slice(x, 0, 3), tf.slice(x, 3, 3), unread], { onBatch: stop })).rejects.toThrow(RangeError);
    expect(calls).toBe(2);
    // The two batches read are disposed; the third was never read and stays the caller's.
    expect(tf.memory().numTensors).toBe(before + 1);
    unread.dispose();
    await expect(extractFeatures(doubling, x, { onBatch: 'log' as never })).rejects.toThrow(new TypeError('"onBatch" expected a function, got "log"'));
    tf.dispose(x);
  });
});
