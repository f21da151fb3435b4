// The composite power assignment (matMul + topk in tiles, the fallback of every backend
// without a fused kernel) against a float64 brute force.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@aeot/tensor-backend';
import { powerAssignComposite } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('powerAssignComposite', () => {
  it('matches a float64 brute force, top-3, ties to the lower index', async () => {
    const n = 300;
    const m = 4500; // more than two tiles
    const d = 5;
    const x = tf.randomUniform([n, d], -1, 1, 'float32', 1) as tf.Tensor2D;
    const yv = tf.randomNormal([m, d], 0, 1, 'float32', 2);
    const y = tf.concat([yv, yv.slice([0, 0], [10, d])]) as tf.Tensor2D; // duplicates of rows 0..9 at the end
    const h = tf.randomUniform([m + 10], -0.5, 0.5, 'float32', 3);
    const hh = tf.concat([h.slice([0], [m]), h.slice([0], [10])]) as tf.Tensor1D;
    const { indices, scores } = powerAssignComposite(x, y, hh, 3);
    const [xs, ys, hs, idx, sc] = await Promise.all([x.data(), y.data(), hh.data(), indices.data(), scores.data()]);
    let nearTies = 0;
    for (let i = 0; i < n; i++) {
      const s = Array.from({ length: m + 10 }, (_, j) => {
        let v = hs[j] as number;
        for (let k = 0; k < d; k++) v += (xs[i * d + k] as number) * (ys[j * d + k] as number);
        return [v, j] as const;
      }).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      for (let r = 0; r < 3; r++) {
        expect(Math.abs((sc[i * 3 + r] as number) - (s[r] as readonly [number, number])[0])).toBeLessThan(1e-5);
        if (Math.abs((s[r] as readonly [number, number])[0] - (s[r + 1] as readonly [number, number])[0]) < 1e-5) nearTies++;
        else expect(idx[i * 3 + r]).toBe((s[r] as readonly [number, number])[1]);
      }
      expect(idx[i * 3]).toBeLessThan(m); // a duplicate never beats its first copy
    }
    expect(nearTies).toBeLessThan(10);
    tf.dispose([x, yv, y, h, hh, indices, scores]);
  });
});
