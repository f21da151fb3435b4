// Codes and generators: batched encode/decode equal one-shot predictions; a generator's
// codes are the extended map's codes for the seed and its images the decoder's; the
// plain rule returns training codes; save → load gives the same samples, in tfjs's
// model format; typed errors for mismatched parts.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, readModelArtifacts, StorageError } from '@aeot/tensor-backend';
import { loadMnist, type Dataset } from '@aeot/datasets';
import { extendMap, preparePowerAssignKernels, solveSemiDiscrete, type ExtendedMap, type SemiDiscreteMap } from '@aeot/ot-semidiscrete';
import { convAutoencoder, createGenerator, decode, decodeBatches, encode, loadAutoencoder, loadGenerator, mlpAutoencoder, saveAutoencoder, trainAutoencoder, type Autoencoder } from '../src/index.js';

let dir: string;
let data: Dataset;
let ae: Autoencoder;
let codes: Float32Array;
let map: SemiDiscreteMap;
let extended: ExtendedMap;
const D = 4;
const M = 300;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  await preparePowerAssignKernels();
  dir = mkdtempSync(join(tmpdir(), 'aeot-generator-'));
  data = (await loadMnist()).train.subset({ end: 640 });
  ae = mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: D, hidden: [64], seed: 2 });
  await trainAutoencoder(ae, data, { epochs: 2, learningRate: 3e-3 });
  codes = await encode(ae, data, { batchSize: 128 });
  map = await solveSemiDiscrete({ targets: codes.slice(0, M * D), dim: D, seed: 1 });
  extended = await extendMap(map, { adjacencySamples: 50_000, barycentreSamples: 100_000 });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('encode / decode', () => {
  it('batched encoding equals one prediction on all images, from a dataset or a tensor', async () => {
    const x = (await data.toTensor()) as tf.Tensor4D;
    const whole = tf.tidy(() => ae.encoder.predict(x) as tf.Tensor).dataSync();
    expect(codes.length).toBe(640 * D);
    for (let i = 0; i < codes.length; i++) expect(codes[i]).toBeCloseTo(whole[i] as number, 5);
    const fromTensor = await encode(ae, x, { batchSize: 100, limit: 250 });
    expect(fromTensor).toEqual(codes.slice(0, 250 * D));
    x.dispose();
  });

  it('decodes in batches to what one prediction gives, and streams batches', async () => {
    const z = codes.slice(0, 50 * D);
    const before = tf.memory().numTensors;
    const images = await decode(ae, z, { batchSize: 7 });
    expect(images.shape).toEqual([50, 28, 28, 1]);
    const one = tf.tidy(() => ae.decoder.predict(tf.tensor2d(z, [50, D])) as tf.Tensor);
    const a = images.dataSync();
    const b = one.dataSync();
    for (let i = 0; i < a.length; i += 97) expect(a[i]).toBeCloseTo(b[i] as number, 6);
    let rows = 0;
    for await (const batch of decodeBatches(ae, z, { batchSize: 20 })) {
      rows += batch.shape[0];
      batch.dispose();
    }
    expect(rows).toBe(50);
    tf.dispose([images, one]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects codes of another dimension and non-finite codes', async () => {
    await expect(decode(ae, new Float32Array(10))).rejects.toThrow(/n × 4/);
    const bad = codes.slice(0, 8 * D);
    bad[13] = Number.NaN;
    await expect(decode(ae, bad)).rejects.toThrow(/non-finite value NaN in row 3/);
  });
});

describe('saveAutoencoder / loadAutoencoder', () => {
  it('round-trips an MLP and a conv net (batch norm statistics included) in tfjs model format', async () => {
    const conv = convAutoencoder({ imageShape: [28, 28, 1], width: 4, latentDim: 4, seed: 3 });
    await trainAutoencoder(conv, data.subset({ end: 128 }), { epochs: 1, batchSize: 64 });
    for (const [name, net] of [['mlp', ae], ['conv', conv]] as const) {
      const target = join(dir, `ae-${name}`);
      await saveAutoencoder(net, target);
      const loaded = await loadAutoencoder(target);
      expect(loaded.imageShape).toEqual([28, 28, 1]);
      expect(loaded.latentDim).toBe(D);
      expect(loaded.outputRange).toBe(net.outputRange);
      expect(await encode(loaded, data, { limit: 64 })).toEqual(await encode(net, data, { limit: 64 }));
      const z = codes.slice(0, 16 * D);
      const a = await decode(net, z);
      const b = await decode(loaded, z);
      expect(b.dataSync()).toEqual(a.dataSync());
      tf.dispose([a, b]);
      loaded.encoder.dispose();
      loaded.decoder.dispose();
    }
    await expect(loadAutoencoder(join(dir, 'gen'))).rejects.toThrow(StorageError);
  });
});

describe('createGenerator', () => {
  it("samples the extended map's codes for the seed and decodes them", async () => {
    const generator = createGenerator({ decoder: ae, map: extended });
    expect(generator.rule).toBe('pairwise');
    const out = await generator.sample(200, { seed: 9 });
    const reference = await extended.sample(200, { rule: 'pairwise', seed: 9 });
    expect(out.codes.dataSync()).toEqual(reference.codes.dataSync());
    expect(out.extended + out.fallback).toBe(200);
    expect(out.extended).toBeGreaterThan(150);
    const decoded = await decode(ae, out.codes);
    expect(out.images.dataSync()).toEqual(decoded.dataSync());
    tf.dispose([out.images, out.codes, reference.codes, decoded]);
  });

  it("'plain' returns training codes only (the OT map itself)", async () => {
    const generator = createGenerator({ decoder: ae.decoder, map });
    expect(generator.rule).toBe('plain');
    const { codes: z } = await generator.sampleCodes(300, { seed: 1 });
    const rows = z.dataSync();
    const known = new Set<string>();
    for (let i = 0; i < M; i++) known.add(Array.from(codes.subarray(i * D, (i + 1) * D)).join(','));
    for (let i = 0; i < 300; i++) expect(known.has(Array.from(rows.subarray(i * D, (i + 1) * D)).join(','))).toBe(true);
    z.dispose();
  });

  it('saves in tfjs model format and loads to the same samples', async () => {
    const generator = createGenerator({ decoder: ae, map: extended, rule: 'barycentric' });
    const target = join(dir, 'gen');
    await generator.save(target);
    for (const file of ['model.json', 'weights.bin', 'map.safetensors', 'generator.json']) expect(existsSync(join(target, file))).toBe(true);
    const modelJson = JSON.parse(readFileSync(join(target, 'model.json'), 'utf8')) as { format: string; weightsManifest: { paths: string[] }[] };
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    // The decoder loads with tfjs-layers' own loader, unchanged.
    const decoder = await tfl.loadLayersModel(tf.io.fromMemory(await readModelArtifacts(join(target, 'model.json'))));
    const z = tf.tensor2d(codes.slice(0, 5 * D), [5, D]);
    expect((decoder.predict(z) as tf.Tensor).dataSync()).toEqual((ae.decoder.predict(z) as tf.Tensor).dataSync());
    const loaded = await loadGenerator(target);
    expect(loaded.rule).toBe('barycentric');
    expect(loaded.imageShape).toEqual([28, 28, 1]);
    for (const rule of ['barycentric', 'pairwise', 'plain'] as const) {
      const a = await generator.sample(64, { seed: 3, rule });
      const b = await loaded.sample(64, { seed: 3, rule });
      expect(b.codes.dataSync()).toEqual(a.codes.dataSync());
      expect(b.images.dataSync()).toEqual(a.images.dataSync());
      tf.dispose([a.images, a.codes, b.images, b.codes]);
    }
    loaded.dispose();
    decoder.dispose();
    z.dispose();
  });

  it("the browser test's fixture (saved from Node) samples its expected codes here too", async () => {
    const fixture = join(import.meta.dirname, 'fixtures', 'generator');
    const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as { seed: number; codes: number[]; imageSums: number[] };
    const loaded = await loadGenerator(fixture);
    const out = await loaded.sample(16, { seed: expected.seed });
    expect(Array.from(out.codes.dataSync())).toEqual(expected.codes);
    const images = out.images.dataSync();
    for (let i = 0; i < 16; i++) expect(images.subarray(i * 784, (i + 1) * 784).reduce((s, v) => s + v, 0)).toBeCloseTo(expected.imageSums[i] as number, 3);
    tf.dispose([out.images, out.codes]);
    loaded.dispose();
  });

  it('gives typed errors for mismatched parts and bad files', async () => {
    const other = mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 3, hidden: [8] });
    expect(() => createGenerator({ decoder: other, map: extended })).toThrow(/dimension 4, but the decoder reads codes of dimension 3/);
    expect(() => createGenerator({ decoder: ae, map, rule: 'pairwise' })).toThrow(/needs an extended map/);
    expect(() => createGenerator({ decoder: ae, map: {} as SemiDiscreteMap })).toThrow(TypeError);
    await expect(createGenerator({ decoder: ae, map: extended }).sample(0)).rejects.toThrow(/"n"/);
    await expect(loadGenerator(join(dir, 'missing'))).rejects.toThrow(StorageError);
    const fake = join(dir, 'fake');
    await createGenerator({ decoder: ae, map }).save(fake);
    writeFileSync(join(fake, 'generator.json'), JSON.stringify({ format: 'something-else' }));
    await expect(loadGenerator(fake)).rejects.toThrow(/saved aeot generator/);
    other.encoder.dispose();
    other.decoder.dispose();
  });
});
