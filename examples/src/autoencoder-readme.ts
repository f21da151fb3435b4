// The example of packages/autoencoder/README.md, as written there.
import { writeFileSync } from 'node:fs';
import { initBackend } from '@aeot/tensor-backend';
import { loadMnist } from '@aeot/datasets';
import { extendMap, preparePowerAssignKernels, solveSemiDiscrete } from '@aeot/ot-semidiscrete';
import { createGenerator, encode, imageGridPng, loadGenerator, mlpAutoencoder, trainAutoencoder } from '@aeot/autoencoder';

const out = process.argv[2] ?? '.';
await initBackend({ backend: 'wasm' });
await preparePowerAssignKernels();
const train = (await loadMnist()).train.subset({ end: 5000 });

// 1. An autoencoder (or wrap your own tfjs models with customAutoencoder(encoder, decoder)).
const ae = mlpAutoencoder({ imageShape: [28, 28, 1], latentDim: 8 });
const { history } = await trainAutoencoder(ae, train, {
  epochs: 2,
  checkpoint: `${out}/ae.safetensors`, // every epoch; rerun to resume exactly
  onProgress: (p) => p.epochEnd && console.log(`epoch ${p.epoch + 1}: MSE ${p.mse.toFixed(4)}`),
});

// 2. Codes, and semi-discrete OT from uniform noise onto them.
const codes = await encode(ae, train);
const map = await solveSemiDiscrete({ targets: codes.slice(0, 1000 * 8), dim: 8 });

// 3. Any decoder + the extended map = a generator.
const generator = createGenerator({ decoder: ae, map: await extendMap(map) });
const { images, extended } = await generator.sample(64, { seed: 1 });
writeFileSync(`${out}/samples.png`, await imageGridPng(images, { columns: 8 }));
console.log(`final MSE ${history.at(-1)!.mse.toFixed(4)}; ${extended}/64 samples are new codes`);

// 4. Save it (decoder in tfjs model format + map); serve the directory and load it
//    in a browser with the same call.
await generator.save(`${out}/generator`);
const again = await loadGenerator(`${out}/generator`);
const check = await again.sample(64, { seed: 1 });
console.log(`reloaded generator gives the same images: ${(await check.images.data()).every((v, i) => v === images.dataSync()[i])}`);
