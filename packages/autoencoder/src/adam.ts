// Adam over tfjs variables with its whole state in the open (step count and both moment
// tensors), so a checkpoint restores it bit for bit: the bias corrections are computed
// from the step count in float64, never accumulated, so a resumed run takes the same
// steps as an uninterrupted one. The one optimiser of aeot: autoencoders and the GAN
// baselines train with it, so a comparison differs in the models, not the optimiser.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expectInInterval, expectPositive } from '@aeot/tensor-backend';

/** Adam's settings. */
export interface AdamSettings {
  /** Step size α. */
  learningRate: number;
  /** Decay of the first moment, in [0, 1). */
  beta1: number;
  /** Decay of the second moment, in [0, 1). */
  beta2: number;
  /** ε > 0 of the denominator √v + ε (before the bias correction). */
  epsilon: number;
}

/** Kingma & Ba's defaults: α 1e−3, β₁ 0.9, β₂ 0.999, ε 1e−8. */
export const ADAM_DEFAULTS: Readonly<AdamSettings> = Object.freeze({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });

/**
 * Adam's settings from user options, each missing one taken from `defaults`, checked in
 * the order learningRate, beta1, beta2, epsilon.
 *
 * @param options the settings given (any may be missing).
 * @param defaults the settings for missing ones. Default {@link ADAM_DEFAULTS}; DCGAN-style
 *   training usually passes `{ ...ADAM_DEFAULTS, learningRate: 2e-4, beta1: 0.5 }`.
 * @returns complete settings.
 * @throws {TypeError} for a value that is not a number.
 * @throws {RangeError} for a learning rate or ε that is not finite and > 0, or a β outside [0, 1).
 * @example
 * const adam = new TensorAdam(trainableVariablesOf([generator]), adamSettings({ learningRate: 2e-4, beta1: 0.5 }));
 */
export function adamSettings(options: Partial<AdamSettings> = {}, defaults: Readonly<AdamSettings> = ADAM_DEFAULTS): AdamSettings {
  return {
    learningRate: expectPositive('learningRate', options.learningRate ?? defaults.learningRate),
    beta1: expectInInterval('beta1', options.beta1 ?? defaults.beta1, 0, 1, true),
    beta2: expectInInterval('beta2', options.beta2 ?? defaults.beta2, 0, 1, true),
    epsilon: expectPositive('epsilon', options.epsilon ?? defaults.epsilon),
  };
}

/**
 * The trainable variables of some models, model by model in layer order: what a
 * {@link TensorAdam} for those models updates.
 *
 * @param models the models (e.g. `[encoder, decoder]`, or `[discriminator]`).
 * @returns the variables (owned by the models; do not dispose).
 * @example
 * const adam = new TensorAdam(trainableVariablesOf([discriminator]), adamSettings());
 */
export function trainableVariablesOf(models: readonly tfl.LayersModel[]): tf.Variable[] {
  return models.flatMap((m) => m.trainableWeights).map((w) => w.read() as tf.Variable);
}

/**
 * Adam for a fixed list of variables, with its state (step count, moments) open for
 * checkpoints.
 *
 * @example
 * const adam = new TensorAdam(trainableVariablesOf([model]), adamSettings());
 * const { grads } = tf.variableGrads(() => loss(), adam.variables);
 * adam.apply(adam.variables.map((v) => grads[v.name]!));
 * tf.dispose(Object.values(grads));
 * adam.dispose(); // frees the moments, not the variables
 */
export class TensorAdam {
  readonly settings: AdamSettings;
  /** Steps taken. */
  step = 0;
  readonly #vars: readonly tf.Variable[];
  readonly #m: tf.Variable[];
  readonly #v: tf.Variable[];

  /**
   * @param vars the variables to update (not copied, not disposed by {@link TensorAdam.dispose}).
   * @param settings step size, β₁, β₂, ε (used as given: check user input with {@link adamSettings}).
   */
  constructor(vars: readonly tf.Variable[], settings: AdamSettings) {
    this.settings = settings;
    this.#vars = vars;
    // tidy frees the zeros the variables are made from (a variable keeps its own reference).
    this.#m = vars.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
    this.#v = vars.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
  }

  /** The variables this optimiser updates, in the order {@link TensorAdam.apply} takes gradients. */
  get variables(): readonly tf.Variable[] {
    return this.#vars;
  }

  /**
   * One step: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − α_t m / (√v + ε̂) with
   * α_t = α √(1−β₂ᵗ) / (1−β₁ᵗ) and ε̂ = ε √(1−β₂ᵗ) (Kingma & Ba's efficient form).
   *
   * @param grads one gradient per variable, in order (not disposed here).
   */
  apply(grads: readonly tf.Tensor[]): void {
    const { learningRate, beta1, beta2, epsilon } = this.settings;
    this.step++;
    const t = this.step;
    const c2 = Math.sqrt(1 - beta2 ** t);
    const alpha = (learningRate * c2) / (1 - beta1 ** t);
    const eps = epsilon * c2;
    tf.tidy(() => {
      this.#vars.forEach((w, i) => {
        const g = grads[i] as tf.Tensor;
        const m = this.#m[i] as tf.Variable;
        const v = this.#v[i] as tf.Variable;
        const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(m1);
        v.assign(v1);
        w.assign(tf.sub(w, tf.mul(tf.div(m1, tf.add(tf.sqrt(v1), eps)), alpha)));
      });
    });
  }

  /** The moment tensors, `[m₀, …, m_{k−1}, v₀, …, v_{k−1}]` (views of the variables; do not dispose). */
  moments(): tf.Tensor[] {
    return [...this.#m, ...this.#v];
  }

  /**
   * Restores the step count and moments saved from {@link TensorAdam.moments}.
   *
   * @throws {RangeError} for another number of moment tensors.
   */
  restore(step: number, moments: readonly tf.Tensor[]): void {
    if (moments.length !== 2 * this.#vars.length) throw new RangeError(`expected ${2 * this.#vars.length} moment tensors, got ${moments.length}`);
    this.step = step;
    moments.forEach((t, i) => (i < this.#m.length ? (this.#m[i] as tf.Variable) : (this.#v[i - this.#m.length] as tf.Variable)).assign(t));
  }

  /** Frees the moment tensors (the variables belong to their models). */
  dispose(): void {
    tf.dispose([...this.#m, ...this.#v]);
  }
}
