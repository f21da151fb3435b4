// The MLP family and user-supplied nets: shapes, parameter counts in closed form, seeded
// initialisation, and the shape checks customAutoencoder makes on your own models.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '@aeot/tensor-backend';
import { customAutoencoder, expectImageShape, mlpAutoencoder } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const count = (m: tfl.LayersModel): number => m.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => (a as number) * (b as number), 1)!, 0);

describe('mlpAutoencoder', () => {
  it('784-512-256-16 and its mirror: shapes, parameter counts, ranges', () => {
    const ae = mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 16 });
    expect(count(ae.encoder)).toBe(784 * 512 + 512 + 512 * 256 + 256 + 256 * 16 + 16);
    expect(count(ae.decoder)).toBe(16 * 256 + 256 + 256 * 512 + 512 + 512 * 784 + 784);
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 1);
    const z = ae.encoder.predict(x) as tf.Tensor;
    const y = ae.decoder.predict(z) as tf.Tensor;
    expect(z.shape).toEqual([3, 16]);
    expect(y.shape).toEqual([3, 28, 28, 1]);
    const v = y.dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    const sym = mlpAutoencoder({ imageShape: [8, 8, 3], latentDim: 2, hidden: [], outputRange: 'symmetric' });
    expect(count(sym.encoder)).toBe(192 * 2 + 2);
    expect(count(sym.decoder)).toBe(2 * 192 + 192);
    const w = (sym.decoder.predict(tf.tensor2d([[50, -50]])) as tf.Tensor).dataSync();
    expect(Math.min(...w)).toBeLessThan(0); // tanh output
    tf.dispose([x, z, y]);
  });

  it('the same seed gives the same weights, another seed other weights', () => {
    const a = mlpAutoencoder({ imageShape: [28, 28, 1], hidden: [32], seed: 5 });
    const b = mlpAutoencoder({ imageShape: [28, 28, 1], hidden: [32], seed: 5 });
    const c = mlpAutoencoder({ imageShape: [28, 28, 1], hidden: [32], seed: 6 });
    const first = (m: tfl.LayersModel) => m.getWeights()[0]!.dataSync();
    expect(first(b.encoder)).toEqual(first(a.encoder));
    expect(first(c.encoder)).not.toEqual(first(a.encoder));
    expect(first(a.decoder)).not.toEqual(first(a.encoder).slice(0, first(a.decoder).length));
  });

  it('rejects bad shapes and options', () => {
    expect(() => mlpAutoencoder({ imageShape: [28, 28] as never })).toThrow(/"imageShape" expected \[height, width, channels\]/);
    expect(() => mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 0 })).toThrow(/"latentDim"/);
    expect(() => mlpAutoencoder({ imageShape: [28, 28, 1], hidden: [32, 1.5] })).toThrow(/"hidden\[1\]"/);
    expect(() => mlpAutoencoder({ imageShape: [28, 28, 1], outputRange: 'bytes' as never })).toThrow(/"outputRange"/);
    expect(() => expectImageShape([4, -1, 3])).toThrow(RangeError);
  });
});

describe('customAutoencoder', () => {
  const encoder = () => tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [4, 4, 1] }), tfl.layers.dense({ units: 3 })] });
  const decoder = (latent = 3, out: number[] = [4, 4, 1]) =>
    tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [latent], units: out.reduce((a, b) => a * b, 1) }), tfl.layers.reshape({ targetShape: out })] });

  it('takes your own models and reads their shapes', () => {
    const ae = customAutoencoder(encoder(), decoder(), { outputRange: 'symmetric' });
    expect(ae.imageShape).toEqual([4, 4, 1]);
    expect(ae.latentDim).toBe(3);
    expect(ae.outputRange).toBe('symmetric');
  });

  it('rejects models whose shapes do not fit together', () => {
    expect(() => customAutoencoder(encoder(), decoder(5))).toThrow(/"decoder" expected an input of shape \[n, 3\]/);
    expect(() => customAutoencoder(encoder(), decoder(3, [4, 4, 3]))).toThrow(/"decoder" expected an output of shape \[n, 4, 4, 1\]/);
    const flatIn = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [16], units: 3 })] });
    expect(() => customAutoencoder(flatIn, decoder())).toThrow(/"encoder" expected an input of shape \[n, height, width, channels\]/);
  });
});
