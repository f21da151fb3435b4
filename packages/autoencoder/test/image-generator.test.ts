// The ImageGenerator contract, checked the same way on two implementations: AE-OT's
// Generator (decoder ∘ OT map) and a GAN-style generator written here from the package's
// public parts only (mlpDecoder, decode, decodeBatches, seeded normal noise) — which is
// how a baseline implements the contract without the OT solver. Each: images of its
// shape and range with their codes, the same seed gives the same images, the stream of
// batches equals one sample, no tensor left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createRng, initBackend } from '@aeot/tensor-backend';
import { preparePowerAssignKernels, solveSemiDiscrete } from '@aeot/ot-semidiscrete';
import {
  createGenerator,
  decode,
  decodeBatches,
  mlpDecoder,
  type ImageGenerator,
  type ImageSampleOptions,
  type ImageShape,
  type OutputRange,
  type SampledImages,
} from '../src/index.js';

/** A GAN-style generator: normal noise (seeded) through a decoder net. */
class NoiseGenerator implements ImageGenerator {
  readonly latentDim: number;
  readonly imageShape: ImageShape;

  constructor(
    readonly decoder: tfl.LayersModel,
    readonly outputRange: OutputRange,
  ) {
    this.latentDim = decoder.inputs[0]!.shape[1] as number;
    this.imageShape = decoder.outputs[0]!.shape.slice(1) as unknown as ImageShape;
  }

  async sample(n: number, options: ImageSampleOptions = {}): Promise<SampledImages> {
    const codes = this.#noise(n, options.seed ?? 0);
    return { images: await decode(this.decoder, codes, { batchSize: options.batchSize ?? 500 }), codes };
  }

  async *sampleBatches(n: number, options: ImageSampleOptions = {}): AsyncGenerator<tf.Tensor4D> {
    const codes = this.#noise(n, options.seed ?? 0);
    try {
      yield* decodeBatches(this.decoder, codes, { batchSize: options.batchSize ?? 500 });
    } finally {
      codes.dispose();
    }
  }

  dispose(): void {
    this.decoder.dispose();
  }

  #noise(n: number, seed: number): tf.Tensor2D {
    return createRng(seed).normal([n, this.latentDim]) as tf.Tensor2D;
  }
}

const D = 3;
const generators: { name: string; make: () => Promise<ImageGenerator> }[] = [
  {
    name: 'AE-OT Generator (decoder ∘ OT map)',
    make: async () => {
      const targets = createRng(4).normal([40, D]);
      const map = await solveSemiDiscrete({ targets: (await targets.data()) as Float32Array, dim: D, seed: 1 });
      targets.dispose();
      return createGenerator({ decoder: mlpDecoder({ imageShape: [6, 6, 1], latentDim: D, hidden: [16], seed: 2 }), map, outputRange: 'unit' });
    },
  },
  {
    name: 'GAN-style generator (noise → decoder), no OT',
    make: async () => new NoiseGenerator(mlpDecoder({ imageShape: [6, 6, 1], latentDim: D, hidden: [16], outputRange: 'symmetric', seed: 2 }), 'symmetric'),
  },
];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  await preparePowerAssignKernels();
});

describe.each(generators)('ImageGenerator contract: $name', ({ make }) => {
  let generator: ImageGenerator;
  beforeAll(async () => {
    generator = await make();
  });
  afterAll(() => generator.dispose());

  it('samples n images of its shape and range, with their codes', async () => {
    // Warm-up: a map uploads its cached tensors on first use (freed by dispose()).
    const warm = await generator.sample(1);
    tf.dispose([warm.images, warm.codes]);
    const before = tf.memory().numTensors;
    const { images, codes } = await generator.sample(10, { seed: 3 });
    expect(images.shape).toEqual([10, ...generator.imageShape]);
    expect(codes.shape).toEqual([10, generator.latentDim]);
    const v = await images.data();
    const [lo, hi] = generator.outputRange === 'unit' ? [0, 1] : [-1, 1];
    expect(Math.min(...v)).toBeGreaterThanOrEqual(lo);
    expect(Math.max(...v)).toBeLessThanOrEqual(hi);
    tf.dispose([images, codes]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same images for the same seed and others for another seed', async () => {
    const a = await generator.sample(8, { seed: 5 });
    const b = await generator.sample(8, { seed: 5, batchSize: 3 });
    const c = await generator.sample(8, { seed: 6 });
    expect(await b.images.data()).toEqual(await a.images.data());
    expect(await c.images.data()).not.toEqual(await a.images.data());
    tf.dispose([a, b, c].flatMap((s) => [s.images, s.codes]));
  });

  it('streams batches that together are one sample of the same seed', async () => {
    const before = tf.memory().numTensors;
    const whole = await generator.sample(11, { seed: 7 });
    const sizes: number[] = [];
    const parts: number[] = [];
    for await (const batch of generator.sampleBatches(11, { seed: 7, batchSize: 4 })) {
      sizes.push(batch.shape[0]);
      parts.push(...(await batch.data()));
      batch.dispose();
    }
    expect(sizes).toEqual([4, 4, 3]);
    expect(Float32Array.from(parts)).toEqual(await whole.images.data());
    tf.dispose([whole.images, whole.codes]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
