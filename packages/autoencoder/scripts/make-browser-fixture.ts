// Writes the generator fixture of the browser test: a small MNIST AE-OT generator
// (MLP decoder, d = 4, trained 2 epochs on 2,000 images; OT onto 400 codes; extended
// map) saved from Node with Generator.save, plus expected.json: the codes and image
// statistics Node's wasm backend samples from it for a fixed seed.
//   node --conditions=source --import tsx packages/autoencoder/scripts/make-browser-fixture.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@aeot/tensor-backend';
import { loadMnist } from '@aeot/datasets';
import { extendMap, preparePowerAssignKernels, solveSemiDiscrete } from '@aeot/ot-semidiscrete';
import { createGenerator, encode, loadGenerator, mlpAutoencoder, trainAutoencoder } from '../src/index.js';

const dir = fileURLToPath(new URL('../test/fixtures/generator', import.meta.url));
await initBackend({ backend: 'wasm' });
await preparePowerAssignKernels();
const data = (await loadMnist()).train.subset({ end: 2000 });
const ae = mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 4, hidden: [32], seed: 11 });
await trainAutoencoder(ae, data, { epochs: 2, learningRate: 3e-3, seed: 11 });
const codes = await encode(ae, data);
const map = await solveSemiDiscrete({ targets: codes.slice(0, 400 * 4), dim: 4, seed: 11 });
const extended = await extendMap(map, { adjacencySamples: 50_000, barycentreSamples: 200_000 });
await createGenerator({ decoder: ae, map: extended }).save(dir);
// Expected values come from the saved files, as the browser will read them.
const loaded = await loadGenerator(dir);
const out = await loaded.sample(16, { seed: 5 });
const images = out.images.dataSync();
const perImage = Array.from({ length: 16 }, (_, i) => images.subarray(i * 784, (i + 1) * 784).reduce((s, v) => s + v, 0));
const expected = { seed: 5, rule: loaded.rule, codes: Array.from(out.codes.dataSync()), extended: out.extended, fallback: out.fallback, imageSums: perImage, firstImage: Array.from(images.subarray(0, 784)) };
writeFileSync(`${dir}/expected.json`, `${JSON.stringify(expected)}\n`);
tf.dispose([out.images, out.codes]);
console.log(`wrote ${dir}: θ̂ ${extended.threshold}, ${out.extended} extended / ${out.fallback} fallback of 16`);
