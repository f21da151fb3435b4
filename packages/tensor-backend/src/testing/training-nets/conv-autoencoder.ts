// A DCGAN-style conv autoencoder for 28×28×1 images, with a pooled skip path, built from
// tfjs-core ops only. It exists to drive real training steps through a backend's kernels
// (forward and every gradient kernel): weights come from seeded JS arrays, so the same
// seed gives bit-identical weights on every backend.
import * as tf from '@tensorflow/tfjs-core';
import { applyNamed, batchNormTrain, bnSpecs, convSpec, createVariables, dense, denseSpecs, namedGradients, param, type ModelGradients, type ParamSpec } from './net-layers.js';

/** Options of {@link createConvAutoencoder}. */
export interface ConvAutoencoderOptions {
  /** Size of the code. Default 64. */
  readonly latentDim?: number;
  /** Channels of the two conv stages. Default [32, 64]. */
  readonly channels?: readonly [number, number];
  /** Seed of the weight initialisation. Default 1. */
  readonly seed?: number;
  /** Weight of the L1 penalty on the codes. Default 1e-3. */
  readonly l1Weight?: number;
  /** Adam learning rate. Default 2e-3. */
  readonly learningRate?: number;
}

/** The DCGAN-style conv autoencoder returned by {@link createConvAutoencoder}. */
export interface ConvAutoencoder {
  /** Every trainable parameter, keyed by a stable name such as `enc.conv1.filter`. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /** [N, 28, 28, 1] → codes [N, latentDim]. */
  encode(x: tf.Tensor4D): tf.Tensor2D;
  /** Codes [N, latentDim] → images [N, 28, 28, 1] in (0, 1). */
  decode(z: tf.Tensor2D): tf.Tensor4D;
  /** MSE reconstruction loss + l1Weight · mean |code|. */
  loss(batch: tf.Tensor4D): tf.Scalar;
  /** Loss and the gradient of every parameter, without updating anything. */
  gradients(batch: tf.Tensor4D): ModelGradients;
  /** One Adam step on `batch`; returns the loss before the update (caller disposes). */
  trainStep(batch: tf.Tensor4D): tf.Scalar;
  /** Frees the weights and the optimizer state. */
  dispose(): void;
}

/**
 * Builds the conv autoencoder on the active backend. Encoder: conv 4×4/2 'same' → BN →
 * leakyReLU(0.2) → conv 4×4/2 'same' → BN → leakyReLU → dense to the code, plus a pooled
 * skip (max- and average-pool 4×4/4 of the first stage → dense) so pooling gradients
 * are part of every step. Decoder: dense → ReLU → reshape 7×7×C → conv2dTranspose 4×4/2 →
 * BN → ReLU → conv2dTranspose 4×4/2 (+bias) → sigmoid. Conv layers feeding a BN have no
 * bias (it would be cancelled by the BN and its gradient would be pure rounding noise).
 */
export function createConvAutoencoder(options: ConvAutoencoderOptions = {}): ConvAutoencoder {
  const latent = options.latentDim ?? 64;
  const [c1, c2] = options.channels ?? [32, 64];
  const l1Weight = options.l1Weight ?? 1e-3;
  const specs: ParamSpec[] = [
    convSpec('enc.conv1.filter', 4, 4, 1, c1),
    ...bnSpecs('enc.bn1', c1),
    convSpec('enc.conv2.filter', 4, 4, c1, c2),
    ...bnSpecs('enc.bn2', c2),
    ...denseSpecs('enc.dense', 7 * 7 * c2, latent),
    ...denseSpecs('enc.pool', 4 * 4 * 2 * c1, latent),
    ...denseSpecs('dec.dense', latent, 7 * 7 * c2),
    // conv2dTranspose filters are [kh, kw, outChannels, inChannels].
    convSpec('dec.deconv1.filter', 4, 4, c1, c2),
    ...bnSpecs('dec.bn1', c1),
    convSpec('dec.deconv2.filter', 4, 4, 1, c1),
    { name: 'dec.deconv2.bias', shape: [1], init: 'zeros' },
  ];
  const vars = createVariables(specs, options.seed ?? 1);
  const optimizer = tf.train.adam(options.learningRate ?? 2e-3);

  const encode = (x: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      const n = x.shape[0];
      const conv1 = tf.conv2d(x, param<tf.Rank.R4>(vars, 'enc.conv1.filter'), 2, 'same');
      const h1 = tf.leakyRelu(batchNormTrain(conv1, vars, 'enc.bn1'), 0.2);
      const conv2 = tf.conv2d(h1, param<tf.Rank.R4>(vars, 'enc.conv2.filter'), 2, 'same');
      const h2 = tf.leakyRelu(batchNormTrain(conv2, vars, 'enc.bn2'), 0.2);
      const pooled = tf.concat([tf.maxPool(h1, 4, 4, 'same'), tf.avgPool(h1, 4, 4, 'same')], 3);
      const main = dense(tf.reshape(h2, [n, 7 * 7 * c2]), vars, 'enc.dense');
      const skip = dense(tf.reshape(pooled, [n, 4 * 4 * 2 * c1]), vars, 'enc.pool');
      return tf.add(main, skip);
    });

  const decode = (z: tf.Tensor2D): tf.Tensor4D =>
    tf.tidy(() => {
      const n = z.shape[0];
      const h0 = tf.reshape(tf.relu(dense(z, vars, 'dec.dense')), [n, 7, 7, c2]) as tf.Tensor4D;
      const up1 = tf.conv2dTranspose(h0, param<tf.Rank.R4>(vars, 'dec.deconv1.filter'), [n, 14, 14, c1], 2, 'same');
      const h1 = tf.relu(batchNormTrain(up1, vars, 'dec.bn1'));
      const up2 = tf.conv2dTranspose(h1, param<tf.Rank.R4>(vars, 'dec.deconv2.filter'), [n, 28, 28, 1], 2, 'same');
      return tf.sigmoid(tf.add(up2, param<tf.Rank.R1>(vars, 'dec.deconv2.bias'))) as tf.Tensor4D;
    });

  const loss = (batch: tf.Tensor4D): tf.Scalar =>
    tf.tidy(() => {
      const z = encode(batch);
      const mse = tf.mean(tf.squaredDifference(decode(z), batch));
      return tf.add(mse, tf.mul(l1Weight, tf.mean(tf.abs(z)))) as tf.Scalar;
    });

  const gradients = (batch: tf.Tensor4D): ModelGradients => namedGradients(() => loss(batch), vars);

  return {
    variables: vars,
    encode,
    decode,
    loss,
    gradients,
    trainStep(batch) {
      const g = gradients(batch);
      applyNamed(optimizer, vars, g);
      return g.loss;
    },
    dispose() {
      optimizer.dispose();
      for (const v of vars.values()) v.dispose();
    },
  };
}
