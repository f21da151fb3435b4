// Adam over tfjs variables with its whole state in the open (step count and both moment
// tensors), so a checkpoint restores it bit for bit: the bias corrections are computed
// from the step count in float64, never accumulated, so a resumed run takes the same
// steps as an uninterrupted one.
import * as tf from '@tensorflow/tfjs-core';

/** Adam's settings. */
export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Adam for a fixed list of variables. */
export class TensorAdam {
  readonly settings: AdamSettings;
  /** Steps taken. */
  step = 0;
  readonly #vars: readonly tf.Variable[];
  readonly #m: tf.Variable[];
  readonly #v: tf.Variable[];

  constructor(vars: readonly tf.Variable[], settings: AdamSettings) {
    this.settings = settings;
    this.#vars = vars;
    this.#m = vars.map((w) => tf.variable(tf.zerosLike(w), false));
    this.#v = vars.map((w) => tf.variable(tf.zerosLike(w), false));
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

  /** Restores the step count and moments saved from {@link TensorAdam.moments}. */
  restore(step: number, moments: readonly tf.Tensor[]): void {
    if (moments.length !== 2 * this.#vars.length) throw new RangeError(`expected ${2 * this.#vars.length} moment tensors, got ${moments.length}`);
    this.step = step;
    moments.forEach((t, i) => (i < this.#m.length ? (this.#m[i] as tf.Variable) : (this.#v[i - this.#m.length] as tf.Variable)).assign(t));
  }

  dispose(): void {
    tf.dispose([...this.#m, ...this.#v]);
  }
}
