// Where we run: Node (or a Node-compatible runtime) or a browser / web worker.

/** The platform kinds aeot distinguishes. */
export type PlatformName = 'node' | 'browser';

/** Detects the current platform once; a browser-like global wins over `process`. */
export function currentPlatform(): PlatformName {
  const g = globalThis as { window?: unknown; importScripts?: unknown; process?: { versions?: { node?: string } } };
  if (g.window !== undefined || typeof g.importScripts === 'function') return 'browser';
  return g.process?.versions?.node !== undefined ? 'node' : 'browser';
}

/**
 * Imports an optional package by name at run time. The specifier is a variable so that
 * bundlers leave Node-only packages (`webgpu`, `@tensorflow/tfjs-node-gpu`) out of
 * browser builds.
 */
export function importOptional<T = unknown>(specifier: string): Promise<T> {
  return import(/* @vite-ignore */ specifier) as Promise<T>;
}
