// End to end: conv nets train on the wasm backend once registerWasmTrainingKernels() has
// run. One training step of the DCGAN-style conv autoencoder (and of a DCGAN pair) gives
// the same gradients on wasm as on cpu for every variable, a few Adam steps reduce the
// loss, and steps leak neither tensors nor backend buffers.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureGradients } from '../../src/gradients/index.js';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNEL_NAMES } from '../../src/wasm-kernels/register.js';
import { createConvAutoencoder } from '../../src/testing/training-nets/conv-autoencoder.js';
import { createDcgan } from '../../src/testing/training-nets/dcgan.js';
import type { ModelGradients } from '../../src/testing/training-nets/net-layers.js';
import { seededNormal, syntheticImages } from '../../src/testing/training-nets/seeded-data.js';
import { relativeError } from './compare.js';

const BATCH = 16;
const LATENT = 64;

beforeAll(async () => {
  await ensureGradients();
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(await tf.setBackend('cpu')).toBe(true);
});

interface ReadGradients {
  readonly loss: number;
  readonly grads: Map<string, Float32Array>;
}

/** Reads (and frees) a ModelGradients. */
async function read(g: ModelGradients): Promise<ReadGradients> {
  const grads = new Map<string, Float32Array>();
  for (const [name, t] of g.grads) grads.set(name, (await t.data()) as Float32Array);
  const loss = (await g.loss.data())[0] ?? NaN;
  tf.dispose([g.loss, ...g.grads.values()]);
  return { loss, grads };
}

/** Per-variable relative errors of `wasm` against `cpu`; every variable must be present in both. */
function compare(wasm: ReadGradients, cpu: ReadGradients): Map<string, number> {
  expect([...wasm.grads.keys()].sort()).toEqual([...cpu.grads.keys()].sort());
  const errors = new Map<string, number>();
  for (const [name, ref] of cpu.grads) {
    const mine = wasm.grads.get(name);
    if (mine === undefined) throw new Error(`no wasm gradient for ${name}`);
    // A variable with a zero gradient would make the relative error meaningless.
    expect(ref.some((v) => v !== 0)).toBe(true);
    errors.set(name, relativeError(mine, ref));
  }
  return errors;
}

function summary(label: string, errors: Map<string, number>): string {
  const worst = [...errors].sort((a, b) => b[1] - a[1])[0];
  return `${label}: ${errors.size} variables, worst relative error ${worst?.[1].toExponential(2)} (${worst?.[0]})`;
}

/** Tensors known to the engine and buffers held by the active backend. */
function counts(): [number, number] {
  return [tf.memory().numTensors, tf.engine().backend.numDataIds()];
}

describe('training conv nets on wasm', () => {
  it('the wasm backend now has every kernel the training steps run', async () => {
    await tf.setBackend('cpu');
    const batch = tf.tensor4d(syntheticImages(2, 5), [2, 28, 28, 1]);
    const z = tf.tensor2d(seededNormal(2 * LATENT, 6), [2, LATENT]);
    const ae = createConvAutoencoder({ channels: [4, 8] });
    const gan = createDcgan({ channels: [4, 8] });
    // tf.profile lists every kernel run, those of the gradient functions included.
    const profile = await tf.profile(() => {
      tf.dispose(ae.trainStep(batch));
      const { dLoss, gLoss } = gan.trainStep(batch, z);
      tf.dispose([dLoss, gLoss]);
    });
    const used = new Set(profile.kernelNames);
    const onWasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    expect([...used].filter((k) => !onWasm.has(k))).toEqual([]);
    // …and the ones this package adds are among them (the gather gradient's
    // UnsortedSegmentSum is covered by its own test).
    for (const k of WASM_TRAINING_KERNEL_NAMES.filter((k) => k !== tf.UnsortedSegmentSum)) expect(used).toContain(k);
    ae.dispose();
    gan.dispose();
    tf.dispose([batch, z]);
  });

  it(`autoencoder: one step's gradients on wasm match cpu for every variable (batch ${BATCH}, rel. error ≤ 1e-4)`, async () => {
    const images = syntheticImages(BATCH, 42);
    const gradientsOn = async (backend: string): Promise<ReadGradients> => {
      await tf.setBackend(backend);
      // Half the default width: the cpu reference's scalar conv-gradient loops dominate
      // this suite's run time (about 16 s at full width). Same kernels, same structure;
      // full-width layer shapes are checked kernel by kernel elsewhere.
      const model = createConvAutoencoder({ seed: 3, channels: [16, 32] });
      const batch = tf.tensor4d(images, [BATCH, 28, 28, 1]);
      const g = await read(model.gradients(batch));
      batch.dispose();
      model.dispose();
      return g;
    };
    const wasm = await gradientsOn('wasm');
    const cpu = await gradientsOn('cpu');
    const errors = compare(wasm, cpu);
    console.info(summary('autoencoder', errors));
    expect(errors.size).toBe(17);
    for (const [name, err] of errors) expect(err, name).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(wasm.loss - cpu.loss) / cpu.loss).toBeLessThanOrEqual(1e-5);
  });

  it(`DCGAN: discriminator and generator gradients on wasm match cpu for every variable (batch ${BATCH})`, async () => {
    const images = syntheticImages(BATCH, 43).map((v) => 2 * v - 1);
    const noise = seededNormal(BATCH * LATENT, 44);
    const gradientsOn = async (backend: string): Promise<[ReadGradients, ReadGradients]> => {
      await tf.setBackend(backend);
      // Narrower than the default so the cpu reference stays quick; the kernels and
      // layer structure are the same.
      const gan = createDcgan({ seed: 5, channels: [16, 32] });
      const real = tf.tensor4d(images, [BATCH, 28, 28, 1]);
      const z = tf.tensor2d(noise, [BATCH, LATENT]);
      const d = await read(gan.discriminatorGradients(real, z));
      const g = await read(gan.generatorGradients(z));
      tf.dispose([real, z]);
      gan.dispose();
      return [d, g];
    };
    const [dWasm, gWasm] = await gradientsOn('wasm');
    const [dCpu, gCpu] = await gradientsOn('cpu');
    for (const [label, errors] of [
      ['discriminator', compare(dWasm, dCpu)],
      ['generator', compare(gWasm, gCpu)],
    ] as const) {
      console.info(summary(label, errors));
      for (const [name, err] of errors) expect(err, name).toBeLessThanOrEqual(1e-4);
    }
  });

  it('autoencoder: a few Adam steps on wasm reduce the loss, with no leaked tensors or buffers', async () => {
    await tf.setBackend('wasm');
    const model = createConvAutoencoder({ seed: 3 });
    const batch = tf.tensor4d(syntheticImages(BATCH, 42), [BATCH, 28, 28, 1]);
    const losses: number[] = [];
    const step = async (): Promise<void> => {
      const loss = model.trainStep(batch);
      losses.push((await loss.data())[0] ?? NaN);
      loss.dispose();
    };
    // Warm-up: Adam creates its moment variables on the first step.
    await step();
    await step();
    const before = counts();
    await step();
    expect(counts()).toEqual(before);
    for (let i = 0; i < 5; i++) await step();
    expect(counts()).toEqual(before);
    const final = model.loss(batch);
    const finalLoss = (await final.data())[0] ?? NaN;
    final.dispose();
    console.info(`autoencoder on wasm: loss ${losses.map((l) => l.toFixed(4)).join(' → ')} → ${finalLoss.toFixed(4)}`);
    expect(finalLoss).toBeLessThan(0.75 * (losses[0] ?? NaN));
    model.dispose();
    batch.dispose();
  });

  it('DCGAN: training steps on wasm run with finite losses and no leaks', async () => {
    await tf.setBackend('wasm');
    const gan = createDcgan({ seed: 5, channels: [16, 32] });
    const real = tf.tensor4d(syntheticImages(BATCH, 45).map((v) => 2 * v - 1), [BATCH, 28, 28, 1]);
    const z = tf.tensor2d(seededNormal(BATCH * LATENT, 46), [BATCH, LATENT]);
    const step = async (): Promise<[number, number]> => {
      const { dLoss, gLoss } = gan.trainStep(real, z);
      const values: [number, number] = [(await dLoss.data())[0] ?? NaN, (await gLoss.data())[0] ?? NaN];
      tf.dispose([dLoss, gLoss]);
      return values;
    };
    await step();
    await step();
    const before = counts();
    for (let i = 0; i < 3; i++) {
      const [d, g] = await step();
      expect(Number.isFinite(d) && Number.isFinite(g)).toBe(true);
    }
    expect(counts()).toEqual(before);
    gan.dispose();
    tf.dispose([real, z]);
  });
});
