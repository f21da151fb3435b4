// Browsers (through any bundler): tfjs-core's per-file ESM resolves as is.

/** Imports tfjs-core's `register_all_gradients` and `register_all_chained_ops` (browser). */
export async function loadGradientModules(): Promise<void> {
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js');
}
