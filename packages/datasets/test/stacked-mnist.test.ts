// Stacked MNIST: each channel is the drawn source digit, the label is read off the
// three source labels, and 26,000 draws cover (almost) all 1,000 modes.
import { beforeAll, describe, expect, it } from 'vitest';
import { fromArrays } from '../src/array-dataset.js';
import { loadMnist } from '../src/mnist.js';
import { stackedMnist } from '../src/stacked-mnist.js';

describe('stackedMnist', () => {
  let mnist: Awaited<ReturnType<typeof loadMnist>>;
  beforeAll(async () => {
    mnist = await loadMnist();
  });

  it('channel c of image i is source image triples[3i + c]; label = 100·d0 + 10·d1 + d2', async () => {
    const stacked = stackedMnist(mnist.train, { size: 500, seed: 3 });
    expect(stacked.exampleShape).toEqual([28, 28, 3]);
    expect(stacked.numClasses).toBe(1000);
    const pixels = await stacked.read([0, 499, 17]);
    const src = mnist.train.values;
    const labels = mnist.train.labels as Int32Array;
    [0, 499, 17].forEach((k, i) => {
      const t = [0, 1, 2].map((c) => stacked.triples[3 * k + c] as number);
      expect(stacked.labels?.[k]).toBe(100 * (labels[t[0] as number] as number) + 10 * (labels[t[1] as number] as number) + (labels[t[2] as number] as number));
      for (let c = 0; c < 3; c++) {
        for (let p = 0; p < 784; p += 13) expect(pixels[i * 2352 + 3 * p + c]).toBe(src[(t[c] as number) * 784 + p]);
      }
    });
    expect(Array.from(stackedMnist(mnist.train, { size: 500, seed: 3 }).triples)).toEqual(Array.from(stacked.triples));
  });

  it('26,000 draws hit nearly all 1,000 modes (expected ≈ 999.9 distinct)', () => {
    const stacked = stackedMnist(mnist.train, { size: 26_000, seed: 1 });
    const distinct = new Set(stacked.labels).size;
    expect(distinct).toBeGreaterThanOrEqual(995);
    expect(Math.max(...(stacked.labels ?? []))).toBeLessThan(1000);
  });

  it('refuses multi-channel or unlabelled sources', () => {
    const rgb = fromArrays({ values: new Uint8Array(12), exampleShape: [2, 2, 3], labels: [1] });
    expect(() => stackedMnist(rgb)).toThrow('"digits" expected single-channel images [H, W, 1], got pixels [2, 2, 3]');
    const unlabelled = fromArrays({ values: new Uint8Array(8), exampleShape: [2, 2, 1] });
    expect(() => stackedMnist(unlabelled)).toThrow('"digits" expected a labelled dataset');
    expect(() => stackedMnist(mnist.test, { size: 0 })).toThrow(RangeError);
  });
});
