// A small DCGAN (generator and discriminator, with a depthwise-separable block) for
// 28×28×1 images, built from tfjs-core ops only. It drives adversarial training steps
// through a backend's kernels; weights come from seeded JS arrays, so gradients from two
// backends can be compared variable by variable.
import * as tf from '@tensorflow/tfjs-core';
import { applyNamed, batchNormTrain, bnSpecs, convSpec, createVariables, dense, denseSpecs, namedGradients, param, type ModelGradients } from './net-layers.js';

/** Options of {@link createDcgan}. */
export interface DcganOptions {
  /** Size of the generator's noise input. Default 64. */
  readonly latentDim?: number;
  /** Channels of the two conv stages. Default [32, 64]. */
  readonly channels?: readonly [number, number];
  /** Seed of the weight initialisation. Default 2. */
  readonly seed?: number;
  /** Adam learning rate of both nets. Default 2e-4. */
  readonly learningRate?: number;
}

/** Losses of one {@link Dcgan.trainStep}. */
export interface DcganStepLosses {
  /** Discriminator loss before its update (caller disposes). */
  readonly dLoss: tf.Scalar;
  /** Generator loss before its update (caller disposes). */
  readonly gLoss: tf.Scalar;
}

/** The DCGAN pair returned by {@link createDcgan}. */
export interface Dcgan {
  /** Generator parameters, keyed by stable names (`gen.*`). */
  readonly generatorVariables: ReadonlyMap<string, tf.Variable>;
  /** Discriminator parameters, keyed by stable names (`disc.*`). */
  readonly discriminatorVariables: ReadonlyMap<string, tf.Variable>;
  /** Noise [N, latentDim] → images [N, 28, 28, 1] in (−1, 1). */
  generate(z: tf.Tensor2D): tf.Tensor4D;
  /** Images [N, 28, 28, 1] → logits [N, 1] (real > 0). */
  discriminate(x: tf.Tensor4D): tf.Tensor2D;
  /** BCE(real → 1) + BCE(G(z) → 0) and its gradient for the discriminator's parameters. */
  discriminatorGradients(real: tf.Tensor4D, z: tf.Tensor2D): ModelGradients;
  /** BCE(D(G(z)) → 1) and its gradient for the generator's parameters. */
  generatorGradients(z: tf.Tensor2D): ModelGradients;
  /** One Adam step of the discriminator, then one of the generator. */
  trainStep(real: tf.Tensor4D, z: tf.Tensor2D): DcganStepLosses;
  /** Frees the weights and both optimizers' state. */
  dispose(): void;
}

/**
 * Builds a small DCGAN on the active backend. Generator: dense → reshape 7×7×C → BN →
 * ReLU → conv2dTranspose 4×4/2 → BN → ReLU → conv2dTranspose 4×4/2 (+bias) → tanh.
 * Discriminator: conv 4×4/2 (+bias) → leakyReLU → depthwise 3×3/2 (multiplier 2) →
 * pointwise 1×1 conv → BN → leakyReLU → dense → logit. Losses use sigmoid
 * cross-entropy on logits.
 */
export function createDcgan(options: DcganOptions = {}): Dcgan {
  const latent = options.latentDim ?? 64;
  const [c1, c2] = options.channels ?? [32, 64];
  const seed = options.seed ?? 2;
  const gen = createVariables(
    [
      ...denseSpecs('gen.dense', latent, 7 * 7 * c2),
      ...bnSpecs('gen.bn0', c2),
      convSpec('gen.deconv1.filter', 4, 4, c1, c2),
      ...bnSpecs('gen.bn1', c1),
      convSpec('gen.deconv2.filter', 4, 4, 1, c1),
      { name: 'gen.deconv2.bias', shape: [1], init: 'zeros' },
    ],
    seed,
  );
  const disc = createVariables(
    [
      convSpec('disc.conv1.filter', 4, 4, 1, c1),
      { name: 'disc.conv1.bias', shape: [c1], init: 'zeros' },
      // depthwise filters are [kh, kw, inChannels, multiplier].
      convSpec('disc.depthwise.filter', 3, 3, c1, 2),
      convSpec('disc.pointwise.filter', 1, 1, 2 * c1, c2),
      ...bnSpecs('disc.bn', c2),
      ...denseSpecs('disc.dense', 7 * 7 * c2, 1),
    ],
    seed + 1,
  );
  const lr = options.learningRate ?? 2e-4;
  const genOptimizer = tf.train.adam(lr, 0.5);
  const discOptimizer = tf.train.adam(lr, 0.5);

  const generate = (z: tf.Tensor2D): tf.Tensor4D =>
    tf.tidy(() => {
      const n = z.shape[0];
      const h0 = tf.relu(batchNormTrain(tf.reshape(dense(z, gen, 'gen.dense'), [n, 7, 7, c2]) as tf.Tensor4D, gen, 'gen.bn0'));
      const up1 = tf.conv2dTranspose(h0, param<tf.Rank.R4>(gen, 'gen.deconv1.filter'), [n, 14, 14, c1], 2, 'same');
      const h1 = tf.relu(batchNormTrain(up1, gen, 'gen.bn1'));
      const up2 = tf.conv2dTranspose(h1, param<tf.Rank.R4>(gen, 'gen.deconv2.filter'), [n, 28, 28, 1], 2, 'same');
      return tf.tanh(tf.add(up2, param<tf.Rank.R1>(gen, 'gen.deconv2.bias'))) as tf.Tensor4D;
    });

  const discriminate = (x: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      const n = x.shape[0];
      const conv1 = tf.add(tf.conv2d(x, param<tf.Rank.R4>(disc, 'disc.conv1.filter'), 2, 'same'), param<tf.Rank.R1>(disc, 'disc.conv1.bias'));
      const h1 = tf.leakyRelu(conv1 as tf.Tensor4D, 0.2);
      const dw = tf.depthwiseConv2d(h1, param<tf.Rank.R4>(disc, 'disc.depthwise.filter'), 2, 'same');
      const pw = tf.conv2d(dw, param<tf.Rank.R4>(disc, 'disc.pointwise.filter'), 1, 'valid');
      const h2 = tf.leakyRelu(batchNormTrain(pw, disc, 'disc.bn'), 0.2);
      return dense(tf.reshape(h2, [n, 7 * 7 * c2]), disc, 'disc.dense');
    });

  const bce = (logits: tf.Tensor2D, label: 0 | 1): tf.Scalar =>
    tf.tidy(() => tf.losses.sigmoidCrossEntropy(label === 1 ? tf.onesLike(logits) : tf.zerosLike(logits), logits) as tf.Scalar);

  const discriminatorGradients = (real: tf.Tensor4D, z: tf.Tensor2D): ModelGradients =>
    namedGradients(
      () =>
        tf.tidy(() => {
          // Only the discriminator's variables are differentiated, so the tape prunes
          // the generator's ops: G(z) acts as a constant input here.
          const fake = generate(z);
          return tf.add(bce(discriminate(real), 1), bce(discriminate(fake), 0)) as tf.Scalar;
        }),
      disc,
    );

  const generatorGradients = (z: tf.Tensor2D): ModelGradients =>
    namedGradients(() => tf.tidy(() => bce(discriminate(generate(z)), 1)), gen);

  return {
    generatorVariables: gen,
    discriminatorVariables: disc,
    generate,
    discriminate,
    discriminatorGradients,
    generatorGradients,
    trainStep(real, z) {
      const d = discriminatorGradients(real, z);
      applyNamed(discOptimizer, disc, d);
      const g = generatorGradients(z);
      applyNamed(genOptimizer, gen, g);
      return { dLoss: d.loss, gLoss: g.loss };
    },
    dispose() {
      genOptimizer.dispose();
      discOptimizer.dispose();
      for (const v of gen.values()) v.dispose();
      for (const v of disc.values()) v.dispose();
    },
  };
}
