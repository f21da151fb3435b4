// writeModelArtifacts / readModelArtifacts: tfjs's model format on disk (model.json and
// a weight file beside it), a round trip of topology, weight specs and bytes, weight
// files split over several groups, and the argument and format errors.
import * as tf from '@tensorflow/tfjs-core';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelArtifacts, writeModelArtifacts } from '../../src/io/model-files.js';

let dir: string;
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'aeot-model-'));
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const topology = { class_name: 'Sequential', config: { name: 'tiny', layers: [] } };
const weightSpecs: tf.io.WeightsManifestEntry[] = [
  { name: 'dense/kernel', shape: [2, 3], dtype: 'float32' },
  { name: 'dense/bias', shape: [3], dtype: 'float32' },
];
const weights = Float32Array.from({ length: 9 }, (_, i) => i / 4 - 1);

describe('model files', () => {
  it('writes model.json + weights.bin that read back to the same artifacts', async () => {
    const target = path.join(dir, 'tiny');
    const modelJson = await writeModelArtifacts(`${target}/`, {
      modelTopology: topology,
      weightSpecs,
      weightData: weights.buffer,
      userDefinedMetadata: { note: { seed: 1 } },
    });
    expect(modelJson).toBe(`${target}/model.json`);
    expect((await fsp.readdir(target)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await fsp.readFile(modelJson, 'utf8')) as { format: string; generatedBy: string; weightsManifest: unknown };
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toBe(`TensorFlow.js tfjs-core v${tf.version_core}`);
    expect(json.weightsManifest).toEqual([{ paths: ['weights.bin'], weights: weightSpecs }]);

    for (const source of [modelJson, pathToFileURL(modelJson).href]) {
      const back = await readModelArtifacts(source);
      expect(back.modelTopology).toEqual(topology);
      expect(back.weightSpecs).toEqual(weightSpecs);
      expect(Array.from(new Float32Array(back.weightData as ArrayBuffer))).toEqual(Array.from(weights));
      expect(back.format).toBe('layers-model');
      expect(back.userDefinedMetadata).toEqual({ note: { seed: 1 } });
    }
  });

  it('concatenates weight files of several groups in manifest order', async () => {
    const target = path.join(dir, 'sharded');
    await fsp.mkdir(target);
    await fsp.writeFile(path.join(target, 'shard1.bin'), new Uint8Array(weights.buffer, 0, 24));
    await fsp.writeFile(path.join(target, 'shard2.bin'), new Uint8Array(weights.buffer, 24, 12));
    const manifest = [
      { paths: ['shard1.bin'], weights: [weightSpecs[0]] },
      { paths: ['shard2.bin'], weights: [weightSpecs[1]] },
    ];
    await fsp.writeFile(path.join(target, 'model.json'), JSON.stringify({ modelTopology: topology, weightsManifest: manifest }));
    const back = await readModelArtifacts(path.join(target, 'model.json'));
    expect(back.weightSpecs).toEqual(weightSpecs);
    expect(Array.from(new Float32Array(back.weightData as ArrayBuffer))).toEqual(Array.from(weights));
  });

  it('rejects files that are not tfjs models and malformed artifacts', async () => {
    const notJson = path.join(dir, 'not.json');
    await fsp.writeFile(notJson, '{ nope');
    await expect(readModelArtifacts(notJson)).rejects.toThrow(/is not a tfjs model.json/);
    const other = path.join(dir, 'other.json');
    await fsp.writeFile(other, JSON.stringify({ hello: 1 }));
    await expect(readModelArtifacts(other)).rejects.toThrow(`"${other}" is not a tfjs model.json (expected modelTopology and weightsManifest)`);
    await expect(writeModelArtifacts(dir, {} as tf.io.ModelArtifacts)).rejects.toThrow(TypeError);
    await expect(
      writeModelArtifacts(dir, { modelTopology: topology, weightSpecs, weightData: weights.buffer }, { weightsFile: '../escape.bin' }),
    ).rejects.toThrow(new RangeError('"weightsFile" expected a plain file name, got "../escape.bin"'));
  });
});
