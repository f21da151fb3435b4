// Node module-resolution hook, registered by load-node.ts. tfjs-core's per-file ESM
// build (dist/**/*.js) imports its siblings without file extensions, which bundlers
// accept and Node's ESM loader refuses. Only for importers inside tfjs-core's dist/
// does this hook retry such a specifier as "<specifier>.js" or "<specifier>/index.js";
// every other resolution passes through untouched.
const CORE_DIST = '/@tensorflow/tfjs-core/dist/';

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (
    parent !== undefined &&
    parent.includes(CORE_DIST) &&
    (specifier.startsWith('./') || specifier.startsWith('../')) &&
    !/\.[cm]?js$/.test(specifier)
  ) {
    try {
      return await nextResolve(`${specifier}.js`, context);
    } catch {
      return nextResolve(`${specifier}/index.js`, context);
    }
  }
  return nextResolve(specifier, context);
}
