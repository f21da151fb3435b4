// initBackend and availableBackends: choose, start and report tfjs backends by value.
import { makeBackend, type Backend } from './backend.js';
import type { DeviceInfo } from './device.js';
import { BackendUnavailableError } from './errors.js';
import { ensureGradients } from './gradients/index.js';
import { BACKEND_NAMES, resolveOptions, type BackendName, type InitBackendOptions } from './options.js';
import { currentPlatform } from './platform.js';
import { cpuProvider } from './providers/cpu.js';
import { messageOf, type Provider } from './providers/provider.js';
import { tensorflowProvider } from './providers/tensorflow.js';
import { wasmProvider } from './providers/wasm.js';
import { webgpuProvider } from './providers/webgpu.js';

const PROVIDERS: Readonly<Record<BackendName, Provider>> = {
  tensorflow: tensorflowProvider,
  webgpu: webgpuProvider,
  wasm: wasmProvider,
  cpu: cpuProvider,
};

/**
 * Picks, starts and activates a tfjs backend, and makes training work on it (gradients,
 * and the kernels the wasm backend lacks).
 *
 * `'auto'` tries tensorflow (tfjs-node-gpu, then tfjs-node), webgpu on a hardware
 * adapter (never a software one), wasm, then cpu. A single explicit name either starts
 * that backend or throws; a list is tried in order.
 *
 * @param options - which backend and its options; see {@link InitBackendOptions}.
 * @returns the running backend, frozen.
 * @throws TypeError / RangeError for bad options (unknown name, bad thread count).
 * @throws {@link MissingPackageError} (`ERR_AEOT_PACKAGE_MISSING`) when a single requested
 *   backend needs an optional package that is not installed.
 * @throws {@link BackendUnavailableError} (`ERR_AEOT_BACKEND_UNAVAILABLE`) when no requested
 *   backend can start here; the message lists each one's reason.
 * @example
 * const backend = await initBackend({ backend: 'auto' });
 * console.log(backend.name, backend.device.description);
 * const y = backend.tf.square(backend.tf.tensor1d([1, 2, 3]));
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<Backend> {
  const resolved = resolveOptions(options);
  const platform = currentPlatform();
  await ensureGradients();
  const failures: string[] = [];
  for (const name of resolved.order) {
    try {
      const { device, threads } = await PROVIDERS[name].activate(resolved, platform);
      return makeBackend(name, platform, device, threads);
    } catch (err) {
      if (resolved.order.length === 1) throw err;
      failures.push(`${name}: ${messageOf(err)}`);
    }
  }
  throw new BackendUnavailableError(resolved.auto ? 'auto' : resolved.order.join(', '), `no backend could start:\n  ${failures.join('\n  ')}`);
}

/** One row of {@link availableBackends}. */
export type BackendAvailability =
  | { readonly name: BackendName; readonly available: true; readonly device: DeviceInfo }
  | { readonly name: BackendName; readonly available: false; readonly reason: string };

/**
 * Reports, for every backend, whether it can start here and why not; changes nothing
 * about the active backend. WebGPU adapters are judged as `initBackend` with the same
 * options would judge them (software adapters count only with `allowSoftwareAdapter`).
 *
 * @param options - `webgpu` and `wasm` options as for {@link initBackend}; `backend` is ignored.
 * @returns one row per backend, in `auto` order.
 * @example
 * for (const row of await availableBackends()) console.log(row.name, row.available ? row.device.description : row.reason);
 */
export async function availableBackends(options: Omit<InitBackendOptions, 'backend'> = {}): Promise<BackendAvailability[]> {
  const resolved = { ...resolveOptions({ ...options, backend: [...BACKEND_NAMES] }), auto: false };
  const platform = currentPlatform();
  const rows: BackendAvailability[] = [];
  for (const name of BACKEND_NAMES) {
    const probe = await PROVIDERS[name].probe(resolved, platform);
    rows.push(probe.available ? { name, available: true, device: probe.device } : { name, available: false, reason: probe.reason });
  }
  return rows;
}
