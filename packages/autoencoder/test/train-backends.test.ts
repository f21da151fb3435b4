// Training on every backend: the same seeded run (MLP on 512 MNIST images, 2 epochs) on
// wasm, cpu and webgpu (Dawn; SwiftShader without a GPU) follows the same loss curve to
// float32 accuracy, and each backend resumes a killed run to its own uninterrupted weights.
// AEOT_REQUIRE_WEBGPU=1 turns "webgpu unavailable" into a failure instead of a skip.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '@aeot/tensor-backend';
import { useWebGpu } from '@aeot/tensor-backend/testing';
import { loadMnist, type Dataset } from '@aeot/datasets';
import { mlpAutoencoder, trainAutoencoder, type Autoencoder } from '../src/index.js';

const gpu = useWebGpu({ beforeAll, afterAll }, process.env.AEOT_REQUIRE_WEBGPU === '1');
let data: Dataset;
let dir: string;
const reference: number[] = [];

beforeAll(async () => {
  data = (await loadMnist()).train.subset({ end: 512 });
  dir = mkdtempSync(join(tmpdir(), 'aeot-backends-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const net = (): Autoencoder => mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 4, hidden: [32], seed: 4 });
const options = { epochs: 2, batchSize: 64, seed: 2, learningRate: 2e-3 };
// Read asynchronously: webgpu in Node has no synchronous read-back.
const weights = async (ae: Autoencoder): Promise<Float32Array[]> => Promise.all([...ae.encoder.getWeights(), ...ae.decoder.getWeights()].map(async (t) => (await t.data()) as Float32Array));

async function runOn(backend: BackendName): Promise<number[]> {
  await initBackend({ backend, webgpu: { allowSoftwareAdapter: true } });
  const ae = net();
  const { history } = await trainAutoencoder(ae, data, options);
  const ckpt = join(dir, `${backend}.safetensors`);
  const killed = trainAutoencoder(net(), data, { ...options, checkpoint: ckpt, progressEvery: 1, onProgress: (p) => { if (p.epoch === 1 && p.batch === 3) throw new Error('killed'); } });
  await expect(killed).rejects.toThrow('killed');
  const resumed = net();
  await trainAutoencoder(resumed, data, { ...options, checkpoint: ckpt });
  const a = await weights(ae);
  (await weights(resumed)).forEach((w, i) => expect(w).toEqual(a[i]));
  return history.map((h) => h.loss);
}

describe('training on each backend', () => {
  it('wasm (the CPU default)', async () => {
    reference.push(...(await runOn('wasm')));
    expect(reference[1]!).toBeLessThan(reference[0]!);
  });

  it('cpu: the same loss curve as wasm to float32 accuracy', async () => {
    const losses = await runOn('cpu');
    losses.forEach((l, i) => expect(Math.abs(l - reference[i]!) / reference[i]!).toBeLessThan(1e-3));
  });

  it('webgpu: the same loss curve as wasm to float32 accuracy', async (ctx) => {
    if (gpu.unavailable !== undefined) ctx.skip(gpu.unavailable);
    const losses = await runOn('webgpu');
    losses.forEach((l, i) => expect(Math.abs(l - reference[i]!) / reference[i]!).toBeLessThan(1e-3));
  });
});
