// The MNIST classifier's network in plain tfjs-core ops, shared by the committed model
// (mnist-classifier.ts) and its training script: the parameter list (names and shapes
// as stored in the safetensors file), a seeded initialiser, and the forward pass.
//
// conv3×3·32 ReLU → maxpool 2 → conv3×3·64 ReLU → maxpool 2 → flatten → dense 128 ReLU
// (the features) → dense 10 (the logits). Convolutions use 'valid' padding:
// 28 → 26 → 13 → 11 → 5, so the flattened layer is 5·5·64 = 1600. Two conv layers, not
// three: training runs single-threaded on wasm, where an extra 32→32 conv at 26×26 would
// have more than doubled a step (per batch of 128: 166 ms forward + 356 ms filter
// gradient + 121 ms input gradient, against ≈ 450 ms for a whole step of this net), and
// this net already clears 99% on the MNIST test set (99.20%).
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@aeot/tensor-backend';

/** How a parameter is initialised: He-normal (before a ReLU), Glorot-uniform (logits), or zero (biases). */
export type MnistCnnInit = 'he-normal' | 'glorot-uniform' | 'zeros';

/** One parameter of the network: its stored name, shape, and initialisation. */
export interface MnistCnnParameterSpec {
  /** Name in the safetensors file, e.g. `"conv1.weight"`. */
  readonly name: string;
  /** Shape: conv kernels `[kh, kw, in, out]`, dense weights `[in, out]`, biases `[out]`. */
  readonly shape: readonly number[];
  /** Fan-in and fan-out of the weight (unused for biases). */
  readonly fanIn: number;
  readonly fanOut: number;
  readonly init: MnistCnnInit;
}

/** Length of the feature vector (the penultimate dense layer). */
export const MNIST_CNN_FEATURE_DIM = 128;
/** Number of classes (the ten digits). */
export const MNIST_CNN_CLASSES = 10;
/** Shape of one input image. */
export const MNIST_CNN_INPUT_SHAPE: readonly [number, number, number] = Object.freeze([28, 28, 1] as const);

const FLAT = 5 * 5 * 64;

function conv(name: string, inC: number, outC: number): MnistCnnParameterSpec[] {
  return [
    { name: `${name}.weight`, shape: [3, 3, inC, outC], fanIn: 9 * inC, fanOut: 9 * outC, init: 'he-normal' },
    { name: `${name}.bias`, shape: [outC], fanIn: 9 * inC, fanOut: 9 * outC, init: 'zeros' },
  ];
}

function dense(name: string, inD: number, outD: number, init: MnistCnnInit): MnistCnnParameterSpec[] {
  return [
    { name: `${name}.weight`, shape: [inD, outD], fanIn: inD, fanOut: outD, init },
    { name: `${name}.bias`, shape: [outD], fanIn: inD, fanOut: outD, init: 'zeros' },
  ];
}

/**
 * Every parameter of the network, in forward order; the committed weights file holds
 * exactly these names and shapes (float32).
 */
export const MNIST_CNN_PARAMETERS: readonly MnistCnnParameterSpec[] = Object.freeze([
  ...conv('conv1', 1, 32),
  ...conv('conv2', 32, 64),
  ...dense('dense1', FLAT, MNIST_CNN_FEATURE_DIM, 'he-normal'),
  ...dense('dense2', MNIST_CNN_FEATURE_DIM, MNIST_CNN_CLASSES, 'glorot-uniform'),
]);

/** The network's parameters by name (see {@link MNIST_CNN_PARAMETERS}). */
export type MnistCnnParameters = Readonly<Record<string, tf.Tensor>>;

/** What {@link mnistCnnForward} returns. */
export interface MnistCnnOutput {
  /** `[n, 128]` ReLU activations of the penultimate layer. */
  features: tf.Tensor2D;
  /** `[n, 10]` unnormalised class scores. */
  logits: tf.Tensor2D;
}

/**
 * Fresh parameters, seeded: He-normal (std √(2 / fan-in)) for the layers followed by a
 * ReLU, Glorot-uniform for the logits, zero biases. The same seed gives the same
 * numbers on every backend (tensor-backend's xoshiro128** stream, one fork per tensor so
 * adding a layer does not shift the others).
 *
 * @param seed a safe integer.
 * @returns new float32 tensors by name; the caller disposes them.
 * @throws {RangeError} if `seed` is not a safe integer.
 * @example
 * const params = initMnistCnnParameters(1);
 * params['conv1.weight']!.shape; // [3, 3, 1, 32]
 */
export function initMnistCnnParameters(seed: number): Record<string, tf.Tensor> {
  const rng = createRng(seed);
  const out: Record<string, tf.Tensor> = {};
  MNIST_CNN_PARAMETERS.forEach((spec, i) => {
    const stream = rng.fork(i);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (spec.init === 'he-normal') {
      stream.fillNormal(values, 0, Math.sqrt(2 / spec.fanIn));
    } else if (spec.init === 'glorot-uniform') {
      const limit = Math.sqrt(6 / (spec.fanIn + spec.fanOut));
      stream.fillUniform(values, -limit, limit);
    }
    out[spec.name] = tf.tensor(values, [...spec.shape], 'float32');
  });
  return out;
}

/**
 * Checks that a parameter record holds every tensor of {@link MNIST_CNN_PARAMETERS} with
 * its shape (e.g. weights read from a file).
 *
 * @param params tensors by name (extra names are ignored).
 * @param source where they came from, for the message.
 * @throws {RangeError} naming the first missing or mis-shaped parameter.
 * @example
 * expectMnistCnnParameters(decodeSafetensors(bytes).tensors, 'mnist-classifier.safetensors');
 */
export function expectMnistCnnParameters(params: Readonly<Record<string, tf.Tensor | undefined>>, source: string): void {
  for (const spec of MNIST_CNN_PARAMETERS) {
    const t = params[spec.name];
    if (t === undefined) throw new RangeError(`"${source}" expected a parameter "${spec.name}" of shape [${spec.shape.join(', ')}], got none`);
    if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i])) {
      throw new RangeError(`"${source}" expected "${spec.name}" of shape [${spec.shape.join(', ')}], got [${t.shape.join(', ')}]`);
    }
    if (t.dtype !== 'float32') throw new RangeError(`"${source}" expected "${spec.name}" of dtype float32, got ${t.dtype}`);
  }
}

function param(params: MnistCnnParameters, name: string): tf.Tensor {
  return params[name] as tf.Tensor;
}

/**
 * A stride-1, 'valid' 3×3 convolution `x ⊛ filter`. The default is `tf.conv2d`; the
 * training script passes one with hand-written gradients, because wasm's shipped
 * `Conv2DBackpropInput` is ten times slower than a forward convolution.
 */
export type ValidConv2d = (x: tf.Tensor4D, filter: tf.Tensor4D) => tf.Tensor4D;

/** Options of {@link mnistCnnForward}. */
export interface MnistCnnForwardOptions {
  /** The convolution to use; default `tf.conv2d(x, filter, 1, 'valid')`. */
  conv?: ValidConv2d;
}

const defaultConv: ValidConv2d = (x, filter) => tf.conv2d(x, filter, 1, 'valid');

/**
 * The forward pass. Inputs are pixel intensities in [0, 1] (datasets' `'unit'` scale),
 * not the [−1, 1] many generators output: rescale those first. Shapes are not checked
 * here (the public classifier validates at its boundary); gradients flow through every
 * op, so the training script uses this function too.
 *
 * Each conv block runs conv → maxpool → bias → ReLU: the same function as
 * conv → bias → ReLU → maxpool (a per-channel bias and a ReLU are monotone, so they
 * commute with a max), at a quarter of the cost for the bias and the ReLU.
 *
 * @param params the tensors of {@link MNIST_CNN_PARAMETERS} (tensors or variables).
 * @param images `[n, 28, 28, 1]` float32 in [0, 1].
 * @param options the convolution implementation (for training).
 * @returns new `features` `[n, 128]` and `logits` `[n, 10]` tensors (intermediates are
 *   tidied only if the caller wraps the call in `tf.tidy`).
 * @example
 * const { features, logits } = tf.tidy(() => mnistCnnForward(params, images));
 */
export function mnistCnnForward(params: MnistCnnParameters, images: tf.Tensor4D, options: MnistCnnForwardOptions = {}): MnistCnnOutput {
  const conv = options.conv ?? defaultConv;
  const block = (x: tf.Tensor4D, name: string): tf.Tensor4D => {
    const pooled = tf.maxPool(conv(x, param(params, `${name}.weight`) as tf.Tensor4D), 2, 2, 'valid');
    return tf.relu(tf.add(pooled, param(params, `${name}.bias`))) as tf.Tensor4D;
  };
  const h = block(block(images, 'conv1'), 'conv2');
  const flat = tf.reshape(h, [h.shape[0], FLAT]) as tf.Tensor2D;
  // tf.fused.matMul adds the bias and applies the ReLU in one kernel at inference, and
  // falls back to separate ops (with their gradients) inside a gradient tape.
  const features = tf.fused.matMul({ a: flat, b: param(params, 'dense1.weight'), bias: param(params, 'dense1.bias'), activation: 'relu' }) as tf.Tensor2D;
  const logits = tf.fused.matMul({ a: features, b: param(params, 'dense2.weight'), bias: param(params, 'dense2.bias') }) as tf.Tensor2D;
  return { features, logits };
}
