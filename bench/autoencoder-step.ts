// Training-step benchmark of @aeot/autoencoder's nets: the main job's MLP (784-512-256-16)
// and the 28×28 DCGAN-style conv net (width 32), one step = forward + backward + Adam on
// one batch, as trainAutoencoder takes it (variableGrads, TensorAdam, loss read back).
// Prints the median ms per step after warm-up, as JSON lines. The MLP is also run by
// bench/autoencoder_step_numpy.py (hand-written backpropagation, float32, numpy's BLAS)
// from the same initial weights and batch, in the same run: its first 5 losses must match
// ours (an independent check of the gradients), and the step-time ratio is printed. The
// twin with both nets in PyTorch, for a machine that has it (e.g. a GPU machine), is
// bench/autoencoder_step_torch.py.
//
//   node --conditions=source --import tsx bench/autoencoder-step.ts [--backend wasm|webgpu|cpu] [--batches 128,1024] [--steps 20] [--no-numpy]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '@aeot/tensor-backend';
import { convAutoencoder, mlpAutoencoder, TensorAdam, trainableVariables, type Autoencoder } from '@aeot/autoencoder';

const { values: opts } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    batches: { type: 'string', default: '128' },
    steps: { type: 'string', default: '20' },
    nets: { type: 'string', default: 'mlp,conv28' },
    'no-numpy': { type: 'boolean', default: false },
  },
});
const backend = await initBackend({ backend: opts.backend as BackendName, webgpu: { allowSoftwareAdapter: true } });
console.log(JSON.stringify({ backend: backend.name, device: backend.device.description }));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function bench(name: string, ae: Autoencoder, batch: number, steps: number): Promise<number> {
  const vars = trainableVariables(ae);
  const adam = new TensorAdam(vars, { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  const x = tf.randomUniform([batch, ...ae.imageShape], 0, 1, 'float32', 1);
  const reference = name === 'mlp' && !opts['no-numpy'] ? await numpyReference(ae, x, steps) : undefined;
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
  const first: number[] = [];
  for (let i = 0; i < 5; i++) first.push(await step());
  const ms: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await step();
    // The Adam update is queued after the loss read: finish it inside the timing.
    await vars[0]!.data();
    ms.push(performance.now() - t0);
  }
  const msPerStep = median(ms);
  console.log(JSON.stringify({ net: name, batch, backend: backend.name, msPerStep: Number(msPerStep.toFixed(2)), minMs: Number(Math.min(...ms).toFixed(2)), steps }));
  if (reference !== undefined) {
    const worst = Math.max(...first.map((l, i) => Math.abs(l - (reference.losses[i] as number)) / (reference.losses[i] as number)));
    console.log(
      JSON.stringify({ net: name, batch, reference: `numpy ${reference.numpy} (hand-written backprop)`, referenceMsPerStep: Number(reference.msPerStep.toFixed(2)), speedRatio: Number((reference.msPerStep / msPerStep).toFixed(2)), first5LossesWorstRelativeDifference: worst }),
    );
  }
  adam.dispose();
  x.dispose();
  return msPerStep;
}

// Writes the MLP's initial weights and the batch, and runs the numpy twin on them.
async function numpyReference(ae: Autoencoder, x: tf.Tensor, steps: number): Promise<{ losses: number[]; msPerStep: number; numpy: string } | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'aeot-ae-step-'));
  try {
    const weights = [...ae.encoder.getWeights(), ...ae.decoder.getWeights()];
    const parts = await Promise.all(weights.map(async (w) => new Uint8Array(((await w.data()) as Float32Array).slice().buffer)));
    writeFileSync(join(dir, 'weights.bin'), Buffer.concat(parts));
    writeFileSync(join(dir, 'batch.bin'), new Uint8Array(((await x.data()) as Float32Array).slice().buffer));
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ shapes: weights.map((w) => w.shape), batch: x.shape[0] }));
    const script = fileURLToPath(new URL('autoencoder_step_numpy.py', import.meta.url));
    const r = spawnSync('python3', [script, dir, String(steps)], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(JSON.stringify({ reference: 'numpy', unavailable: (r.stderr || r.error?.message || '').trim().split('\n').at(-1) }));
      return undefined;
    }
    return JSON.parse(r.stdout) as { losses: number[]; msPerStep: number; numpy: string };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const batch of opts.batches.split(',').map(Number)) {
  for (const net of opts.nets.split(',')) {
    const ae = net === 'mlp' ? mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 16 }) : convAutoencoder({ imageShape: [28, 28, 1], width: 32 });
    await bench(net, ae, batch, Number(opts.steps));
    ae.encoder.dispose();
    ae.decoder.dispose();
  }
}
