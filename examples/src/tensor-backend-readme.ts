// The example of packages/tensor-backend/README.md, runnable: `node --conditions=source
// --import tsx examples/src/tensor-backend-readme.ts [dir]`. Keep the two in step.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, createSobol, initBackend, loadTensors, saveTensors } from '@aeot/tensor-backend';

const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'aeot-'));

const backend = await initBackend({ backend: 'auto' }); // tensorflow > webgpu (hardware) > wasm > cpu
const { tf } = backend;
console.log(backend.name, backend.device.description);

const rng = createRng(42);
const x = rng.normal([1024, 16]); // same numbers on every backend
const q = createSobol(16, { seed: 7 }).nextTensor(1024, { min: -0.5, max: 0.5 });
const y = tf.matMul(x, q, false, true);

await saveTensors(join(dir, 'state.safetensors'), { x, y }, { metadata: { step: '1' } }); // atomic
const { tensors, metadata } = await loadTensors(join(dir, 'state.safetensors'));
console.log(metadata.step, tensors.y!.shape);
tf.dispose([x, q, y, ...Object.values(tensors)]);
