// The contract each backend provider fulfils: probe without side effects on the active
// backend, or activate (register the tfjs factory, setBackend, assert it took).
import * as tf from '@tensorflow/tfjs-core';
import type { DeviceInfo } from '../device.js';
import { AeotError } from '../errors.js';
import type { BackendName, ResolvedOptions } from '../options.js';
import type { PlatformName } from '../platform.js';

/** What a provider reports when it activated its backend. */
export interface Activation {
  readonly device: DeviceInfo;
  readonly threads: number;
}

/** What a provider knows before activation. */
export type ProbeResult =
  | { readonly available: true; readonly device: DeviceInfo }
  | { readonly available: false; readonly reason: string };

/** One backend's provider. */
export interface Provider {
  readonly name: BackendName;
  probe(options: ResolvedOptions, platform: PlatformName): Promise<ProbeResult>;
  activate(options: ResolvedOptions, platform: PlatformName): Promise<Activation>;
}

/**
 * `tf.setBackend` and the check that it took: a failed initialisation can leave tfjs on
 * another backend, or report the requested name with no working instance behind it.
 */
export async function setBackendOrThrow(name: BackendName): Promise<void> {
  let ok = false;
  let cause: unknown;
  try {
    ok = await tf.setBackend(name);
  } catch (err) {
    cause = err;
  }
  const instance = (tf.engine() as unknown as { backendInstance: unknown }).backendInstance;
  if (!ok || tf.getBackend() !== name || instance == null) {
    throw new AeotError('ERR_AEOT_BACKEND_INIT', `tfjs could not initialise backend "${name}" (active backend: ${String(tf.getBackend())})`, { cause });
  }
}

/** Message of an unknown thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
