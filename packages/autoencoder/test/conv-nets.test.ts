// Tests of convAutoencoder on the wasm backend: output shapes of the three nets,
// parameter counts against closed forms from the layer formulas, seeded weights, the
// output range, a few Adam steps on MNIST-like images, batch-norm statistics, the error
// for an unsupported shape, and no tensor leak; convEncoder / convDecoder built alone
// equal the halves of the autoencoder of the same options bit for bit. Also prints the time of one training
// step of the 28×28 net at batch 128 (not asserted).
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createRng, initBackend } from '@aeot/tensor-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convAutoencoder, convDecoder, convEncoder, type ConvAutoencoderOptions } from '../src/conv-nets.js';
import type { Autoencoder } from '../src/nets.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const built: Autoencoder[] = [];
function build(options: ConvAutoencoderOptions): Autoencoder {
  const ae = convAutoencoder(options);
  built.push(ae);
  return ae;
}
afterAll(() => {
  for (const ae of built) {
    ae.encoder.dispose();
    ae.decoder.dispose();
  }
});

// Closed-form parameter counts: [trainable, non-trainable].
type Count = readonly [number, number];
const conv = (k: number, cin: number, cout: number): Count => [k * k * cin * cout + cout, 0]; // transposed conv alike
const dense = (nin: number, nout: number): Count => [nin * nout + nout, 0];
const bn = (c: number, on = true): Count => (on ? [2 * c, 2 * c] : [0, 0]); // γ, β; moving mean, variance
const sum = (...counts: Count[]): Count => counts.reduce<Count>((a, c) => [a[0] + c[0], a[1] + c[1]], [0, 0]);

function expected(size: 28 | 32 | 64, w: number, latent: number, on = true): { encoder: Count; decoder: Count } {
  if (size === 28) {
    return {
      encoder: sum(conv(4, 1, w), conv(4, w, 2 * w), bn(2 * w, on), dense(7 * 7 * 2 * w, latent)),
      decoder: sum(dense(latent, 7 * 7 * 2 * w), bn(2 * w, on), conv(4, 2 * w, w), bn(w, on), conv(4, w, 1)),
    };
  }
  const ch = size === 32 ? [w, 2 * w, 4 * w] : [w, 2 * w, 4 * w, 8 * w];
  const top = ch[ch.length - 1] as number;
  const enc: Count[] = [conv(4, 3, w)];
  for (let i = 1; i < ch.length; i++) enc.push(conv(4, ch[i - 1] as number, ch[i] as number), bn(ch[i] as number, on));
  enc.push(conv(4, top, latent));
  const dec: Count[] = [conv(4, latent, top), bn(top, on)];
  for (let i = ch.length - 1; i > 0; i--) dec.push(conv(4, ch[i] as number, ch[i - 1] as number), bn(ch[i - 1] as number, on));
  dec.push(conv(4, w, 3));
  return { encoder: sum(...enc), decoder: sum(...dec) };
}

function counted(model: tfl.LayersModel): Count {
  const n = (ws: tfl.LayerVariable[]) => ws.reduce((a, v) => a + v.shape.reduce((p, d) => p * (d as number), 1), 0);
  return [n(model.trainableWeights), n(model.nonTrainableWeights)];
}

function weightsOf(ae: Autoencoder): Float32Array[] {
  return [...ae.encoder.getWeights(), ...ae.decoder.getWeights()].map((t) => t.dataSync() as Float32Array);
}

/** n MNIST-like images in [0, 1]: black background, a few bright strokes. */
function mnistLike(n: number, seed: number): tf.Tensor4D {
  const rng = createRng(seed);
  const data = new Float32Array(n * 28 * 28);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < 3; s++) {
      const horizontal = rng.nextInt(2) === 0;
      const at = 6 + rng.nextInt(16);
      const from = 4 + rng.nextInt(8);
      const len = 8 + rng.nextInt(10);
      for (let t = from; t < Math.min(from + len, 26); t++) {
        for (let d = 0; d < 2; d++) {
          const [r, c] = horizontal ? [at + d, t] : [t, at + d];
          data[i * 784 + r * 28 + c] = 0.7 + 0.3 * rng.nextFloat64();
        }
      }
    }
  }
  return tf.tensor4d(data, [n, 28, 28, 1]);
}

const cases = [
  { shape: [28, 28, 1], w: 16, latent: 16, range: 'unit' },
  { shape: [32, 32, 3], w: 64, latent: 64, range: 'unit' },
  { shape: [64, 64, 3], w: 80, latent: 100, range: 'symmetric' },
] as const;

describe('convAutoencoder', () => {
  it('runs on the wasm backend', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  for (const c of cases) {
    const [size] = c.shape;
    it(`${size}×${size}×${c.shape[2]}: defaults, names, shapes on a batch of 2`, () => {
      const ae = build({ imageShape: c.shape });
      expect(ae.imageShape).toEqual(c.shape);
      expect(ae.latentDim).toBe(c.latent);
      expect(ae.outputRange).toBe(c.range);
      expect(ae.encoder.name).toBe(`conv${size}_encoder`);
      expect(ae.decoder.name).toBe(`conv${size}_decoder`);
      expect(ae.encoder.inputs[0]?.shape).toEqual([null, ...c.shape]);
      expect(ae.decoder.outputs[0]?.shape).toEqual([null, ...c.shape]);
      tf.tidy(() => {
        const x = tf.randomUniform([2, ...c.shape], 0, 1, 'float32', 3);
        const z = ae.encoder.predict(x) as tf.Tensor;
        expect(z.shape).toEqual([2, c.latent]);
        const y = ae.decoder.predict(z) as tf.Tensor;
        expect(y.shape).toEqual([2, ...c.shape]);
      });
    });

    it(`${size}×${size}: parameter counts equal the closed forms (default and custom width/latent, with and without BN)`, () => {
      const ae = build({ imageShape: c.shape });
      const e = expected(size, c.w, c.latent);
      expect(counted(ae.encoder)).toEqual(e.encoder);
      expect(counted(ae.decoder)).toEqual(e.decoder);
      const small = build({ imageShape: c.shape, width: 8, latentDim: 5, batchNorm: false });
      const s = expected(size, 8, 5, false);
      expect(counted(small.encoder)).toEqual(s.encoder);
      expect(counted(small.decoder)).toEqual(s.decoder);
      expect(small.encoder.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false);
      console.log(
        `[conv${size}] w=${c.w} latent=${c.latent}: encoder ${e.encoder[0]} trainable + ${e.encoder[1]} BN stats, decoder ${e.decoder[0]} + ${e.decoder[1]}`,
      );
    });
  }

  it('the 64×64 net is the authors\': 32→16→8→4→1 with 80, 160, 320, 640 channels, and the mirror', () => {
    const ae = build({ imageShape: [64, 64, 3] });
    const convs = (m: tfl.LayersModel, cls: string) =>
      m.layers.filter((l) => l.getClassName() === cls).map((l) => (l.outputShape as number[]).slice(1));
    expect(convs(ae.encoder, 'Conv2D')).toEqual([
      [32, 32, 80],
      [16, 16, 160],
      [8, 8, 320],
      [4, 4, 640],
      [1, 1, 100],
    ]);
    expect(convs(ae.decoder, 'Conv2DTranspose')).toEqual([
      [4, 4, 640],
      [8, 8, 320],
      [16, 16, 160],
      [32, 32, 80],
      [64, 64, 3],
    ]);
    expect(ae.encoder.layers.filter((l) => l.getClassName() === 'BatchNormalization')).toHaveLength(3);
    expect(ae.decoder.layers.filter((l) => l.getClassName() === 'BatchNormalization')).toHaveLength(4);
    expect(ae.decoder.layers.at(-1)?.getConfig().activation).toBe('tanh');
  });

  it('the same seed gives identical weights, another seed different ones', () => {
    for (const shape of [
      [28, 28, 1],
      [32, 32, 3],
    ] as const) {
      const a = weightsOf(build({ imageShape: shape, width: 8, seed: 7 }));
      const b = weightsOf(build({ imageShape: shape, width: 8, seed: 7 }));
      const c = weightsOf(build({ imageShape: shape, width: 8, seed: 8 }));
      expect(a.length).toBe(b.length);
      a.forEach((wa, i) => expect(wa).toEqual(b[i]));
      // Every randomly initialised kernel differs (biases and BN start at constants).
      const kernels = a.map((wa, i) => [wa, c[i] as Float32Array] as const).filter(([wa]) => wa.some((v) => v !== 0 && v !== 1));
      expect(kernels.length).toBeGreaterThan(0);
      for (const [wa, wc] of kernels) expect(wa).not.toEqual(wc);
      // Distinct layers get distinct seeds: no two kernels of the same size are equal.
      for (let i = 0; i < kernels.length; i++) {
        for (let j = i + 1; j < kernels.length; j++) {
          if (kernels[i]?.[0].length === kernels[j]?.[0].length) expect(kernels[i]?.[0]).not.toEqual(kernels[j]?.[0]);
        }
      }
    }
  });

  it('the final activation sets the range: sigmoid in [0, 1], tanh in [−1, 1]', () => {
    for (const range of ['unit', 'symmetric'] as const) {
      const ae = build({ imageShape: [28, 28, 1], outputRange: range, width: 8 });
      expect(ae.outputRange).toBe(range);
      expect(ae.decoder.layers.at(-1)?.getConfig().activation).toBe(range === 'unit' ? 'sigmoid' : 'tanh');
      const [lo, hi] = tf.tidy(() => {
        const z = tf.mul(tf.randomNormal([64, ae.latentDim], 0, 1, 'float32', 5), 30); // large codes saturate the output
        const y = ae.decoder.predict(z) as tf.Tensor;
        return [tf.min(y).dataSync()[0] as number, tf.max(y).dataSync()[0] as number];
      });
      expect(lo).toBeGreaterThanOrEqual(range === 'unit' ? 0 : -1);
      expect(hi).toBeLessThanOrEqual(1);
      if (range === 'symmetric') expect(lo).toBeLessThan(0);
      else expect(lo).toBeLessThan(0.5);
      expect(hi).toBeGreaterThan(0.5);
    }
    const big = build({ imageShape: [32, 32, 3], outputRange: 'symmetric', width: 8 });
    expect(big.decoder.layers.at(-1)?.getConfig().activation).toBe('tanh');
  });

  it('28×28: Adam steps on 64 MNIST-like images lower the reconstruction MSE, gradients stay finite', () => {
    const ae = build({ imageShape: [28, 28, 1], seed: 3 });
    const x = mnistLike(64, 11);
    const vars = [...ae.encoder.trainableWeights, ...ae.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
    const opt = tf.train.adam(3e-3);
    const loss = () => tf.tidy(() => {
      const z = ae.encoder.apply(x, { training: true }) as tf.Tensor;
      const y = ae.decoder.apply(z, { training: true }) as tf.Tensor;
      return tf.losses.meanSquaredError(x, y) as tf.Scalar;
    });
    const losses: number[] = [];
    for (let step = 0; step < 15; step++) {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(loss, vars);
        losses.push(value.dataSync()[0] as number);
        expect(Object.keys(grads)).toHaveLength(vars.length);
        for (const g of Object.values(grads)) expect(Number.isFinite(tf.sum(tf.abs(g)).dataSync()[0])).toBe(true);
        opt.applyGradients(grads);
      });
    }
    const after = tf.tidy(() => loss().dataSync()[0] as number);
    console.log(`[conv28] reconstruction MSE over 15 Adam steps: ${losses.map((l) => l.toFixed(4)).join(' ')} → ${after.toFixed(4)}`);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(after).toBeLessThan(0.5 * (losses[0] as number));
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1] as number);
    opt.dispose();
    x.dispose();
  });

  it('batch-norm moving statistics change after a training-mode apply, not after predict', () => {
    const ae = build({ imageShape: [28, 28, 1], width: 8 });
    const bnLayer = ae.encoder.layers.find((l) => l.getClassName() === 'BatchNormalization');
    expect(bnLayer).toBeDefined();
    const stats = () => bnLayer!.getWeights().slice(2).map((t) => Array.from(t.dataSync())); // moving mean, variance
    const before = stats();
    expect(before[0]?.every((v) => v === 0)).toBe(true);
    expect(before[1]?.every((v) => v === 1)).toBe(true);
    const x = mnistLike(16, 2);
    tf.dispose(ae.encoder.predict(x));
    expect(stats()).toEqual(before);
    tf.tidy(() => ae.encoder.apply(x, { training: true }));
    const after = stats();
    expect(after[0]).not.toEqual(before[0]);
    expect(after[1]).not.toEqual(before[1]);
    x.dispose();
  });

  it('rejects an unsupported shape with a RangeError naming the supported ones and customAutoencoder', () => {
    const bad = () => convAutoencoder({ imageShape: [48, 48, 3] as unknown as ConvAutoencoderOptions['imageShape'] });
    expect(bad).toThrow(RangeError);
    expect(bad).toThrow(/\[28, 28, 1\], \[32, 32, 3\], \[64, 64, 3\], got \[48, 48, 3\].*customAutoencoder/);
    expect(() => convAutoencoder({ imageShape: [28, 28, 3] as unknown as [28, 28, 1] })).toThrow(RangeError);
    expect(() => convAutoencoder({ imageShape: [28, 28] as unknown as [28, 28, 1] })).toThrow(RangeError);
    expect(() => convAutoencoder({ imageShape: [28, 28, 1], width: 0 })).toThrow(RangeError);
    expect(() => convAutoencoder({ imageShape: [28, 28, 1], latentDim: 1.5 })).toThrow(RangeError);
    expect(() => convAutoencoder({ imageShape: [28, 28, 1], outputRange: 'pm1' as 'unit' })).toThrow(RangeError);
    expect(() => convAutoencoder({ imageShape: [28, 28, 1], batchNorm: 'yes' as unknown as boolean })).toThrow(TypeError);
  });

  it('predict leaks no tensor', () => {
    const ae = build({ imageShape: [32, 32, 3], width: 8 });
    const x = tf.randomUniform([2, 32, 32, 3]);
    tf.dispose(ae.decoder.predict(ae.encoder.predict(x) as tf.Tensor)); // warm-up
    const before = tf.memory().numTensors;
    const z = ae.encoder.predict(x) as tf.Tensor;
    const y = ae.decoder.predict(z) as tf.Tensor;
    tf.dispose([z, y]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('convEncoder / convDecoder', () => {
  const bytes = (m: tfl.LayersModel): Buffer[] =>
    m.getWeights().map((t) => {
      const v = t.dataSync() as Float32Array;
      return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    });
  const sameBits = (a: Buffer[], b: Buffer[]): boolean => a.length === b.length && a.every((w, i) => w.equals(b[i]!));
  const cases: ConvAutoencoderOptions[] = [
    { imageShape: [28, 28, 1], seed: 3 },
    { imageShape: [32, 32, 3], width: 4, latentDim: 5, seed: 4 },
    { imageShape: [64, 64, 3], width: 4, seed: 6 },
    { imageShape: [64, 64, 3], width: 4, batchNorm: false, outputRange: 'unit', seed: 7 },
  ];

  it.each(cases)('the halves built alone are the autoencoder of the same options, bit for bit (%o)', (options) => {
    const ae = build(options);
    const encoder = convEncoder(options);
    const decoder = convDecoder(options);
    expect(encoder.name).toBe(ae.encoder.name);
    expect(decoder.name).toBe(ae.decoder.name);
    expect(sameBits(bytes(encoder), bytes(ae.encoder))).toBe(true);
    expect(sameBits(bytes(decoder), bytes(ae.decoder))).toBe(true);
    const other = convDecoder({ ...options, seed: (options.seed ?? 1) ^ 1 });
    expect(sameBits(bytes(other), bytes(ae.decoder))).toBe(false);
    for (const m of [encoder, decoder, other]) m.dispose();
  });

  it('a 1-unit encoder head is a DCGAN discriminator; the decoder a generator with the default output range', () => {
    const discriminator = convEncoder({ imageShape: [32, 32, 3], width: 4, latentDim: 1 });
    const generator = convDecoder({ imageShape: [64, 64, 3], width: 4, latentDim: 8 });
    expect(counted(discriminator)).toEqual(expected(32, 4, 1).encoder);
    expect(counted(generator)).toEqual(expected(64, 4, 8).decoder);
    const before = tf.memory().numTensors;
    const [images, logits] = tf.tidy(() => [
      generator.predict(tf.randomNormal([2, 8], 0, 10, 'float32', 1)) as tf.Tensor,
      discriminator.predict(tf.randomUniform([3, 32, 32, 3])) as tf.Tensor,
    ]);
    expect([images!.shape, logits!.shape]).toEqual([[2, 64, 64, 3], [3, 1]]);
    expect(Math.min(...images!.dataSync())).toBeLessThan(0); // tanh: the 64×64 default is 'symmetric'
    tf.dispose([images!, logits!]);
    expect(tf.memory().numTensors).toBe(before);
    discriminator.dispose();
    generator.dispose();
  });

  it('check their options as convAutoencoder does', () => {
    expect(() => convEncoder({ imageShape: [48, 48, 3] as unknown as [64, 64, 3] })).toThrow(/got \[48, 48, 3\].*customAutoencoder/);
    expect(() => convDecoder({ imageShape: [28, 28, 1], width: 0 })).toThrow(RangeError);
    expect(() => convEncoder(null as never)).toThrow(TypeError);
  });
});
