// libtensorflow through @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node (Node only).
// Both are optional peers the user installs: their installers download libtensorflow,
// and tfjs-node-gpu needs CUDA 11.2 + cuDNN 8.1. Loaded lazily, GPU build first.
import { BackendUnavailableError, MissingPackageError } from '../errors.js';
import { importOptional, type PlatformName } from '../platform.js';
import { messageOf, setBackendOrThrow, type Provider } from './provider.js';
import type { DeviceInfo } from '../device.js';

/** What the tensorflow backend needs, for error messages and the README. */
export const TENSORFLOW_REQUIREMENTS =
  'Node 18–22 on Linux x64 (or macOS / Windows for the CPU build); its install script downloads libtensorflow, ' +
  'and the GPU build needs CUDA 11.2 and cuDNN 8.1; install @tensorflow/tfjs-node for the CPU build';

const PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

interface Loaded {
  readonly packageName: (typeof PACKAGES)[number];
}

let loaded: Loaded | undefined;

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // Node says ERR_MODULE_NOT_FOUND; bundlers and dev servers (vite, webpack) say it in words.
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)|Could not resolve|Failed to resolve/.test(messageOf(err));
}

async function load(platform: PlatformName): Promise<Loaded> {
  if (platform !== 'node') throw new BackendUnavailableError('tensorflow', 'libtensorflow runs in Node only');
  if (loaded) return loaded;
  let firstMissing: unknown;
  for (const packageName of PACKAGES) {
    try {
      await importOptional(packageName);
      loaded = { packageName };
      return loaded;
    } catch (err) {
      if (!isNotFound(err)) {
        throw new BackendUnavailableError('tensorflow', `${packageName} is installed but failed to load: ${messageOf(err)}`, { cause: err });
      }
      firstMissing ??= err;
    }
  }
  throw new MissingPackageError('@tensorflow/tfjs-node-gpu', TENSORFLOW_REQUIREMENTS, { cause: firstMissing });
}

function deviceOf(l: Loaded): DeviceInfo {
  const gpu = l.packageName === '@tensorflow/tfjs-node-gpu';
  return { kind: gpu ? 'gpu' : 'cpu', description: `libtensorflow (${l.packageName})`, software: false };
}

/** Provider of the `tensorflow` backend of tfjs-node(-gpu). */
export const tensorflowProvider: Provider = {
  name: 'tensorflow',
  async probe(_options, platform) {
    try {
      return { available: true, device: deviceOf(await load(platform)) };
    } catch (err) {
      return { available: false, reason: messageOf(err) };
    }
  },
  async activate(_options, platform) {
    const l = await load(platform);
    await setBackendOrThrow('tensorflow');
    // libtensorflow's intra-op pool defaults to one thread per logical core.
    const os = await importOptional<{ availableParallelism(): number }>('node:os');
    return { device: deviceOf(l), threads: os.availableParallelism() };
  },
};
