// Node: load tfjs-core's gradient and chained-op registrations from its per-file ESM
// build through a narrowly scoped resolution hook (see tfjs-core-esm-resolve.mjs).
// tfjs keeps its engine and its kernel / gradient registries on globalThis, so these
// modules register into the same engine as the application's `@tensorflow/tfjs-core`.
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Imports tfjs-core's `register_all_gradients` and `register_all_chained_ops` (Node). */
export async function loadGradientModules(): Promise<void> {
  register('./tfjs-core-esm-resolve.mjs', import.meta.url);
  const require = createRequire(import.meta.url);
  const corePackage = pathToFileURL(require.resolve('@tensorflow/tfjs-core/package.json'));
  await import(new URL('dist/register_all_gradients.js', corePackage).href);
  await import(new URL('dist/public/chained_ops/register_all_chained_ops.js', corePackage).href);
}
