// The MLP family: shapes, parameter counts in closed form, seeded initialisation; the
// encoder and decoder built alone equal the halves of the autoencoder of the same
// options bit for bit (so a GAN's discriminator and generator are these nets); no leak.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '@aeot/tensor-backend';
import { expectImageShape, mlpAutoencoder, mlpDecoder, mlpEncoder, type MlpAutoencoderOptions } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const count = (m: tfl.LayersModel): number => m.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => (a as number) * (b as number), 1)!, 0);
// Every weight's bytes, for a bit-for-bit comparison that stays fast on 10⁵-element weights.
const bytes = (m: tfl.LayersModel): Buffer[] => m.getWeights().map((t) => {
    const v = t.dataSync() as Float32Array;
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  });
const sameBits = (a: Buffer[], b: Buffer[]): boolean => a.length === b.length && a.every((w, i) => w.equals(b[i]!));

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

describe('mlpEncoder / mlpDecoder', () => {
  const cases: MlpAutoencoderOptions[] = [
    { imageShape: [28, 28, 1], latentDim: 4, hidden: [32], seed: 5 },
    { imageShape: [28, 28, 1] },
    { imageShape: [8, 8, 3], latentDim: 2, hidden: [], outputRange: 'symmetric', seed: 9 },
    { imageShape: [6, 6, 1], latentDim: 3, hidden: [16, 8, 4], seed: 2 ** 31 - 1 },
  ];

  it.each(cases)('the halves built alone are the autoencoder of the same options, bit for bit (%o)', (options) => {
    const ae = mlpAutoencoder(options);
    const encoder = mlpEncoder(options);
    const decoder = mlpDecoder(options);
    expect(encoder.name).toBe('mlp_encoder');
    expect(decoder.name).toBe('mlp_decoder');
    expect(sameBits(bytes(encoder), bytes(ae.encoder))).toBe(true);
    expect(sameBits(bytes(decoder), bytes(ae.decoder))).toBe(true);
    expect(sameBits(bytes(decoder), bytes(mlpDecoder({ ...options, seed: (options.seed ?? 1) ^ 1 })))).toBe(false);
    for (const m of [ae.encoder, ae.decoder, encoder, decoder]) m.dispose();
  });

  it('a 1-unit encoder head is a discriminator, a decoder on noise a generator: shapes, counts, output range', () => {
    const discriminator = mlpEncoder({ imageShape: [28, 28, 1], latentDim: 1, hidden: [64], seed: 3 });
    const generator = mlpDecoder({ imageShape: [28, 28, 1], latentDim: 10, hidden: [64, 32], outputRange: 'symmetric', seed: 4 });
    expect(count(discriminator)).toBe(784 * 64 + 64 + 64 * 1 + 1);
    expect(count(generator)).toBe(10 * 32 + 32 + 32 * 64 + 64 + 64 * 784 + 784); // the encoder's widths, reversed
    const before = tf.memory().numTensors;
    const logits = tf.tidy(() => {
      const images = generator.predict(tf.randomNormal([5, 10], 0, 3, 'float32', 1)) as tf.Tensor;
      expect(images.shape).toEqual([5, 28, 28, 1]);
      const v = images.dataSync();
      expect(Math.min(...v)).toBeGreaterThanOrEqual(-1);
      expect(Math.max(...v)).toBeLessThanOrEqual(1);
      expect(Math.min(...v)).toBeLessThan(0); // tanh, not sigmoid
      return discriminator.predict(images) as tf.Tensor;
    });
    expect(logits.shape).toEqual([5, 1]);
    logits.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('check their options as mlpAutoencoder does', () => {
    expect(() => mlpEncoder({ imageShape: [28, 28] as never })).toThrow(/"imageShape" expected \[height, width, channels\]/);
    expect(() => mlpDecoder({ imageShape: [28, 28, 1], latentDim: 0 })).toThrow(/"latentDim"/);
    expect(() => mlpDecoder({ imageShape: [28, 28, 1], hidden: [0] })).toThrow(/"hidden\[0\]"/);
    expect(() => mlpDecoder({ imageShape: [28, 28, 1], outputRange: 'bytes' as never })).toThrow(/"outputRange"/);
    expect(() => mlpEncoder({ imageShape: [28, 28, 1], seed: -1 })).toThrow(/"seed"/);
  });
});
