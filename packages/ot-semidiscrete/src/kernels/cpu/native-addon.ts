// Finding and loading the native power-assignment addon (native/x86/, prebuilt into
// prebuilds/linux-x64/power_assign.node): only in Node on linux-x64, through
// createRequire, so browser bundles never see node:module or the binary. Anywhere it
// does not load, the reason is kept and createCpuPowerAssign falls back to WebAssembly.
import { currentPlatform } from '@aeot/tensor-backend';
import { importNode } from './power-assign-module.js';

/** Instruction set of the native kernel. */
export type NativePowerAssignIsa = 'avx512' | 'avx2';

/** Opaque handle of targets packed by the addon. */
export interface NativeTargets {
  readonly __nativeTargets: unique symbol;
}

/** The addon's exports (see native/x86/addon.c). */
export interface NativeBinding {
  isa(): NativePowerAssignIsa | null;
  packTargets(y: Float32Array, m: number, d: number, isa?: NativePowerAssignIsa): NativeTargets;
  release(handle: NativeTargets): void;
  run(handle: NativeTargets, x: Float32Array, n: number, h: Float32Array, k: number, outIndex: Int32Array, outScore: Float32Array | null, threads: number): void;
}

/** What {@link loadNativePowerAssign} found: the kernel's instruction set, or why it is not used. */
export type NativePowerAssignStatus = { readonly available: true; readonly isa: NativePowerAssignIsa } | { readonly available: false; readonly reason: string };

/** The loaded addon with its instruction set, or why it is not used. */
export type LoadedNativeAddon = { readonly ok: true; readonly isa: NativePowerAssignIsa; readonly binding: NativeBinding } | { readonly ok: false; readonly reason: string };

/** The prebuilt addon, relative to this module in src/kernels/cpu/ or dist/kernels/cpu/. */
const PREBUILD_DIR = '../../../prebuilds';
const ADDON = 'power_assign.node';

let loading: Promise<LoadedNativeAddon> | undefined;

async function load(): Promise<LoadedNativeAddon> {
  if (currentPlatform() !== 'node') return { ok: false, reason: 'not running in Node' };
  const proc = (globalThis as { process?: { platform?: string; arch?: string } }).process;
  const platform = `${proc?.platform ?? 'unknown'}-${proc?.arch ?? 'unknown'}`;
  if (platform !== 'linux-x64') return { ok: false, reason: `no prebuilt addon for ${platform} (only linux-x64)` };
  let path: string;
  let binding: NativeBinding;
  try {
    const [{ createRequire }, { existsSync }, { fileURLToPath }] = await Promise.all([
      importNode<typeof import('node:module')>('node:module'),
      importNode<typeof import('node:fs')>('node:fs'),
      importNode<typeof import('node:url')>('node:url'),
    ]);
    // Not a literal `new URL('…', import.meta.url)`: bundlers would treat that as an asset.
    const relative = [PREBUILD_DIR, platform, ADDON].join('/');
    path = fileURLToPath(new URL(relative, import.meta.url));
    if (!existsSync(path)) return { ok: false, reason: `addon not found at ${path}` };
    binding = createRequire(import.meta.url)(path) as NativeBinding;
  } catch (err) {
    return { ok: false, reason: `addon failed to load: ${err instanceof Error ? err.message : String(err)}` };
  }
  let isa: NativePowerAssignIsa | null;
  try {
    isa = binding.isa();
  } catch (err) {
    return { ok: false, reason: `addon isa() failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (isa === null) return { ok: false, reason: 'the CPU has neither AVX-512F nor AVX2 with FMA' };
  return { ok: true, isa, binding };
}

/** Loads the addon once per process; later calls share the first call's result. */
export function loadNativeAddon(): Promise<LoadedNativeAddon> {
  loading ??= load();
  return loading;
}

/**
 * Loads the native power-assignment addon once per process (later calls share the
 * result) and says whether it can be used. Never throws: where it cannot (not Node, not
 * linux-x64, the file missing, dlopen failing, a CPU without AVX2 + FMA) it resolves to
 * `{ available: false, reason }`.
 *
 * @returns the kernel's instruction set, or the reason the addon is unavailable.
 * @example
 * const native = await loadNativePowerAssign();
 * console.log(native.available ? native.isa : native.reason);
 */
export async function loadNativePowerAssign(): Promise<NativePowerAssignStatus> {
  const loaded = await loadNativeAddon();
  return loaded.ok ? { available: true, isa: loaded.isa } : { available: false, reason: loaded.reason };
}

