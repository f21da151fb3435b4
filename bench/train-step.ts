// Training-step benchmark of the DCGAN-style conv autoencoder on tfjs's wasm backend
// (with @aeot/tensor-backend's training kernels registered) against the cpu backend.
// Same seeded weights and the same batch on both; prints the median ms per step after
// warm-up, and the speed ratio.
//
//   node --conditions=source --import tsx bench/train-step.ts [options]
//
//   --batch N        batch size (default 64)
//   --steps N        timed wasm steps (default 10; warm-up: 3)
//   --cpu-steps N    timed cpu steps (default 3; warm-up: 1) — the cpu backend's conv
//                    gradients are scalar JS loops, about a minute per step at batch 64
//   --gan            also time a DCGAN step (discriminator + generator update)
//   --profile        print the wasm kernels that take the most time in one step
//   --no-cpu         skip the cpu backend
import * as tf from '@tensorflow/tfjs-core';
import { parseArgs } from 'node:util';
import { initBackend } from '@aeot/tensor-backend';
import { createConvAutoencoder, createDcgan, seededNormal, syntheticImages } from '@aeot/tensor-backend/testing';

const { values: opts } = parseArgs({
  options: {
    batch: { type: 'string', default: '64' },
    steps: { type: 'string', default: '10' },
    'cpu-steps': { type: 'string', default: '3' },
    gan: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'no-cpu': { type: 'boolean', default: false },
  },
});
const batchSize = Number(opts.batch);
const LATENT = 64;

interface Timing {
  readonly median: number;
  readonly min: number;
  readonly steps: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/** Runs `step` warmUp + timed times; each step ends with a read of its result, so its work is finished. */
async function time(step: () => Promise<void>, warmUp: number, timed: number): Promise<Timing> {
  for (let i = 0; i < warmUp; i++) await step();
  const ms: number[] = [];
  for (let i = 0; i < timed; i++) {
    const t0 = performance.now();
    await step();
    ms.push(performance.now() - t0);
  }
  return { median: median(ms), min: Math.min(...ms), steps: timed };
}

/** Times the autoencoder (and optionally the DCGAN) on `backend`. */
async function bench(backend: 'wasm' | 'cpu', warmUp: number, timed: number): Promise<Map<string, Timing>> {
  // The product path: gradients, the wasm training kernels, the checked switch.
  await initBackend({ backend });
  const results = new Map<string, Timing>();
  const images = syntheticImages(batchSize, 1);
  const batch = tf.tensor4d(images, [batchSize, 28, 28, 1]);
  const ae = createConvAutoencoder({ seed: 1 });
  const aeStep = async (): Promise<void> => {
    const loss = ae.trainStep(batch);
    await loss.data();
    loss.dispose();
  };
  results.set('autoencoder', await time(aeStep, warmUp, timed));
  if (opts.profile && backend === 'wasm') {
    const info = await tf.profile(() => {
      tf.dispose(ae.trainStep(batch));
    });
    const byKernel = new Map<string, number>();
    for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
    const top = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.log(`  wasm kernels by time in one autoencoder step (${info.kernels.length} kernel calls):`);
    for (const [name, ms] of top) console.log(`    ${name.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms`);
  }
  ae.dispose();
  if (opts.gan) {
    const gan = createDcgan({ seed: 2 });
    const real = tf.tensor4d(images.map((v) => 2 * v - 1), [batchSize, 28, 28, 1]);
    const z = tf.tensor2d(seededNormal(batchSize * LATENT, 3), [batchSize, LATENT]);
    const ganStep = async (): Promise<void> => {
      const { dLoss, gLoss } = gan.trainStep(real, z);
      await Promise.all([dLoss.data(), gLoss.data()]);
      tf.dispose([dLoss, gLoss]);
    };
    results.set('dcgan', await time(ganStep, warmUp, timed));
    gan.dispose();
    tf.dispose([real, z]);
  }
  batch.dispose();
  return results;
}

console.log(`training step, batch ${batchSize}, 28×28×1, median of timed steps after warm-up`);
const wasm = await bench('wasm', 3, Number(opts.steps));
for (const [model, t] of wasm) console.log(`  wasm  ${model.padEnd(12)} ${t.median.toFixed(1).padStart(9)} ms/step (min ${t.min.toFixed(1)}, ${t.steps} steps)`);
if (!opts['no-cpu']) {
  const cpu = await bench('cpu', 1, Number(opts['cpu-steps']));
  for (const [model, t] of cpu) console.log(`  cpu   ${model.padEnd(12)} ${t.median.toFixed(1).padStart(9)} ms/step (min ${t.min.toFixed(1)}, ${t.steps} steps)`);
  for (const [model, t] of cpu) {
    const w = wasm.get(model);
    if (w) console.log(`  ${model}: wasm is ${(t.median / w.median).toFixed(1)}× faster than cpu`);
  }
}
