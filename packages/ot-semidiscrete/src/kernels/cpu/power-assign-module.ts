// Picks and compiles the power-assignment WebAssembly binary for this runtime: relaxed
// SIMD (one fused multiply-add) when the engine accepts it, plain SIMD otherwise; a
// shared-memory build when worker threads can share it, a plain one otherwise.
import { currentPlatform } from '@aeot/tensor-backend';
import { POWER_ASSIGN_WASM } from './power-assign-wasm.generated.js';

/** Which SIMD flavour a compiled WebAssembly power-assignment kernel uses. */
export type WasmPowerAssignVariant = 'relaxed-simd' | 'simd';

/**
 * Which CPU power-assignment engine: the WebAssembly kernel in one of its SIMD flavours,
 * or `'native'`, the AVX-512 / AVX2 addon (Node on linux-x64).
 */
export type CpuPowerAssignVariant = WasmPowerAssignVariant | 'native';

/** A compiled power-assignment module and what it needs to be instantiated. */
export interface PowerAssignModule {
  readonly module: WebAssembly.Module;
  readonly variant: WasmPowerAssignVariant;
  /** True when the module imports a shared memory (threads possible). */
  readonly shared: boolean;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Imports a Node built-in at run time. The specifier is a variable so that bundlers
 * leave it out of browser builds (the callers reach it only in Node).
 *
 * @param specifier - e.g. `'node:os'`.
 * @returns the module namespace.
 * @throws whatever the import throws (outside Node: module not found).
 * @example
 * const { availableParallelism } = await importNode<typeof import('node:os')>('node:os');
 */
export function importNode<T>(specifier: string): Promise<T> {
  return import(/* @vite-ignore */ specifier) as Promise<T>;
}

let relaxedFlagTried = false;

/**
 * True when this engine validates the relaxed-SIMD build. Node 20 ships relaxed SIMD
 * behind `--experimental-wasm-relaxed-simd`; the flag is switched on here (once, for
 * the whole process) when validation fails at first. Chromium has it on by default.
 */
async function relaxedSimdAvailable(bytes: Uint8Array<ArrayBuffer>): Promise<boolean> {
  if (WebAssembly.validate(bytes)) return true;
  if (currentPlatform() !== 'node' || relaxedFlagTried) return false;
  relaxedFlagTried = true;
  try {
    const v8 = await importNode<typeof import('node:v8')>('node:v8');
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return WebAssembly.validate(bytes);
}

/**
 * True where worker threads can share one WebAssembly memory: Node, or a
 * cross-origin-isolated page.
 *
 * @returns whether `SharedArrayBuffer`-backed memories work here.
 */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  const g = globalThis as { crossOriginIsolated?: boolean };
  return currentPlatform() === 'node' || g.crossOriginIsolated === true;
}

/**
 * Compiles the power-assignment module.
 *
 * @param options.shared - build that imports a shared memory (default: where available).
 * @param options.variant - force a SIMD flavour; default the fastest this engine runs.
 * @returns the compiled module with its variant.
 * @throws Error when `variant: 'relaxed-simd'` is forced but the engine rejects it.
 * @example
 * const { module, variant } = await compilePowerAssignModule();
 */
export async function compilePowerAssignModule(
  options: { shared?: boolean; variant?: WasmPowerAssignVariant } = {},
): Promise<PowerAssignModule> {
  const shared = options.shared ?? sharedMemoryAvailable();
  const relaxedBytes = decodeBase64(shared ? POWER_ASSIGN_WASM.relaxedShared : POWER_ASSIGN_WASM.relaxed);
  let variant: WasmPowerAssignVariant = options.variant ?? 'relaxed-simd';
  if (variant === 'relaxed-simd' && !(await relaxedSimdAvailable(relaxedBytes))) {
    if (options.variant === 'relaxed-simd') throw new Error('power assignment: this engine does not support WebAssembly relaxed SIMD');
    variant = 'simd';
  }
  const bytes = variant === 'relaxed-simd' ? relaxedBytes : decodeBase64(shared ? POWER_ASSIGN_WASM.simdShared : POWER_ASSIGN_WASM.simd);
  return { module: await WebAssembly.compile(bytes), variant, shared };
}

/**
 * The WebAssembly SIMD flavours this engine runs (relaxed SIMD first when it validates).
 * The native engine is not listed: see `loadNativePowerAssign`.
 *
 * @returns `['relaxed-simd', 'simd']` or `['simd']`.
 * @example
 * for (const variant of await availablePowerAssignVariants()) console.log(variant);
 */
export async function availablePowerAssignVariants(): Promise<WasmPowerAssignVariant[]> {
  const bytes = sharedMemoryAvailable() ? POWER_ASSIGN_WASM.relaxedShared : POWER_ASSIGN_WASM.relaxed;
  const relaxed = await relaxedSimdAvailable(decodeBase64(bytes));
  return relaxed ? ['relaxed-simd', 'simd'] : ['simd'];
}
