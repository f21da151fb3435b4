// The pure-JavaScript reference backend: always available, slow for matmul and conv.
import * as tf from '@tensorflow/tfjs-core';
import { setBackendOrThrow, type Provider } from './provider.js';

const DEVICE = Object.freeze({ kind: 'cpu' as const, description: 'JavaScript (tfjs-backend-cpu), main thread', software: false });

async function register(): Promise<void> {
  const { MathBackendCPU } = await import('@tensorflow/tfjs-backend-cpu');
  if (tf.findBackendFactory('cpu') == null) tf.registerBackend('cpu', () => new MathBackendCPU(), 1);
}

/** Provider of tfjs's `cpu` backend. */
export const cpuProvider: Provider = {
  name: 'cpu',
  async probe() {
    await register();
    return { available: true, device: DEVICE };
  },
  async activate() {
    await register();
    await setBackendOrThrow('cpu');
    // The cpu backend prints a "use tfjs-node" banner on first use in Node; aeot users
    // chose this backend on purpose.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
    return { device: DEVICE, threads: 1 };
  },
};
