// Training-step benchmark of @aeot/autoencoder's nets: the main job's MLP (784-512-256-16)
// and the 28×28 DCGAN-style conv net (width 32), one step = forward + backward + Adam on
// one batch, as trainAutoencoder takes it (variableGrads, TensorAdam, loss read back).
// Prints the median ms per step after warm-up, as JSON lines. Its twin with the same nets
// in PyTorch is bench/autoencoder_step_torch.py; run both on one machine to compare.
//
//   node --conditions=source --import tsx bench/autoencoder-step.ts [--backend wasm|webgpu|cpu] [--batches 128,1024] [--steps 20]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../packages/tensor-backend/src/index.js';
import { convAutoencoder, mlpAutoencoder, TensorAdam, trainableVariables, type Autoencoder } from '../packages/autoencoder/src/index.js';

const { values: opts } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    batches: { type: 'string', default: '128' },
    steps: { type: 'string', default: '20' },
    nets: { type: 'string', default: 'mlp,conv28' },
  },
});
const backend = await initBackend({ backend: opts.backend as BackendName, webgpu: { allowSoftwareAdapter: true } });
console.log(JSON.stringify({ backend: backend.name, device: backend.device.description }));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function bench(name: string, ae: Autoencoder, batch: number, steps: number): Promise<void> {
  const vars = trainableVariables(ae);
  const adam = new TensorAdam(vars, { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  const x = tf.randomUniform([batch, ...ae.imageShape], 0, 1, 'float32', 1);
  const step = async (): Promise<number> => {
    const { value, grads } = tf.variableGrads(() => {
      const z = ae.encoder.apply(x, { training: true }) as tf.Tensor;
      const r = ae.decoder.apply(z, { training: true }) as tf.Tensor;
      return tf.add(tf.mean(tf.square(tf.sub(r, x))), tf.mul(tf.mean(tf.sum(tf.abs(z), 1)), 1e-5)) as tf.Scalar;
    }, vars);
    const loss = (await value.data())[0] as number;
    adam.apply(vars.map((v) => grads[v.name] as tf.Tensor));
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  };
  for (let i = 0; i < 3; i++) await step();
  const ms: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await step();
    // The Adam update is queued after the loss read: finish it inside the timing.
    await vars[0]!.data();
    ms.push(performance.now() - t0);
  }
  console.log(JSON.stringify({ net: name, batch, backend: backend.name, msPerStep: Number(median(ms).toFixed(2)), minMs: Number(Math.min(...ms).toFixed(2)), steps }));
  adam.dispose();
  x.dispose();
}

for (const batch of opts.batches.split(',').map(Number)) {
  for (const net of opts.nets.split(',')) {
    const ae = net === 'mlp' ? mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 16 }) : convAutoencoder({ imageShape: [28, 28, 1], width: 32 });
    await bench(net, ae, batch, Number(opts.steps));
    ae.encoder.dispose();
    ae.decoder.dispose();
  }
}
