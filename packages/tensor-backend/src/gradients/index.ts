// Gradients for every backend, from one place. `@tensorflow/tfjs-core` alone registers
// no gradient functions and no chained ops; this loads tfjs-core's own registrations
// once per process (Node and browsers take different routes, chosen by the package's
// "#gradients" import condition).
import { loadGradientModules } from '#gradients';

let loading: Promise<void> | undefined;

/**
 * Makes `tf.grad`, `tf.variableGrads` and optimizers work: registers tfjs-core's
 * gradient functions and chained tensor methods, once. Called by `initBackend`;
 * call it yourself only when you set tfjs backends up without aeot.
 *
 * @returns a promise that resolves when the registrations are in place.
 * @example
 * await ensureGradients();
 * const g = tf.grad((x) => x.square())(tf.scalar(3)); // 6
 */
export function ensureGradients(): Promise<void> {
  if (loading === undefined) {
    loading = loadGradientModules();
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}
