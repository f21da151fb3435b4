// A tfjs LayersModel saved to model.json + weights loads from a path and a file:// URL,
// predicts as the original, and works as a feature extractor through extractFeatures.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, readModelArtifacts, StorageError } from '@aeot/tensor-backend';
import { fromArrays } from '@aeot/datasets';
import { extractFeatures, FeatureStatistics, loadTfjsModel, modelFeatureExtractor, NonFiniteFeaturesError } from '../src/index.js';

let dir: string;
let model: tfl.LayersModel;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  dir = mkdtempSync(join(tmpdir(), 'aeot-model-'));
  model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 6, activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }), tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) })] });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { weightData, weightSpecs, ...rest } = artifacts;
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...rest, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: weightSpecs }] }));
      writeFileSync(join(dir, 'group1-shard1of1.bin'), new Uint8Array(weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
});

afterAll(() => {
  model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const inputs = () => tf.tensor2d(Array.from({ length: 40 }, (_, i) => Math.sin(i * 0.7)), [10, 4]);

describe('loadTfjsModel', () => {
  it('loads a saved LayersModel from a path and a file:// URL; predictions match', async () => {
    const x = inputs();
    const expected = await (model.predict(x) as tf.Tensor).array();
    for (const source of [join(dir, 'model.json'), pathToFileURL(join(dir, 'model.json')).href]) {
      const loaded = await loadTfjsModel(source);
      const y = loaded.predict(x) as tf.Tensor;
      expect(await y.array()).toEqual(expected);
      y.dispose();
      loaded.dispose();
    }
    x.dispose();
  });

  it('loads a GraphModel (a hand-written graph: y = relu(x W)) and predicts x W through the extractor', async () => {
    const graph = {
      format: 'graph-model',
      generatedBy: 'hand-written',
      convertedBy: null,
      modelTopology: {
        node: [
          { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '2' }] } } } },
          { name: 'w', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '2' }, { size: '3' }] } } } } },
          { name: 'xw', op: 'MatMul', input: ['x', 'w'], attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } } },
          { name: 'y', op: 'Relu', input: ['xw'], attr: { T: { type: 'DT_FLOAT' } } },
        ],
        library: {},
        versions: { producer: 1 },
      },
      weightsManifest: [{ paths: ['graph.bin'], weights: [{ name: 'w', shape: [2, 3], dtype: 'float32' }] }],
    };
    writeFileSync(join(dir, 'graph.json'), JSON.stringify(graph));
    writeFileSync(join(dir, 'graph.bin'), new Uint8Array(Float32Array.from([1, -2, 3, 4, 5, -6]).buffer));
    const loaded = await loadTfjsModel(join(dir, 'graph.json'));
    const extractor = modelFeatureExtractor(loaded, { name: 'hand-graph', inputShape: [2] });
    expect(extractor.dim).toBe(3);
    const x = tf.tensor2d([[1, 1], [2, -1]]);
    const r = await extractFeatures(extractor, x);
    x.dispose();
    // relu([1+4, −2+5, 3−6]) = [5, 3, 0]; relu([2−4, −4−5, 6+6]) = [0, 0, 12].
    expect(Array.from(r.features!.data)).toEqual([5, 3, 0, 0, 0, 12]);
    loaded.dispose();
  });

  it('fails with StorageError for a missing file and RangeError for a non-model JSON', async () => {
    await expect(loadTfjsModel(join(dir, 'missing.json'))).rejects.toThrow(StorageError);
    writeFileSync(join(dir, 'other.json'), '{"a":1}');
    await expect(readModelArtifacts(join(dir, 'other.json'))).rejects.toThrow(/not a tfjs model.json/);
  });
});

describe('modelFeatureExtractor + extractFeatures', () => {
  it('streams a tensor in batches to the same statistics as one pass; keeps features; reports progress; no leak', async () => {
    const extractor = modelFeatureExtractor(model, { name: 'toy-dense/1', inputShape: [4] });
    expect(extractor.dim).toBe(3);
    const x = tf.tensor2d(Array.from({ length: 400 }, (_, i) => Math.cos(i * 0.37)), [100, 4]);
    const whole = model.predict(x) as tf.Tensor2D;
    const reference = new FeatureStatistics(3).add({ data: await whole.data(), shape: [100, 3] });
    whole.dispose();
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const r = await extractFeatures(extractor, x, { batchSize: 7, onProgress: (p) => seen.push(p.done) });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.count).toBe(100);
    expect(r.extractor).toBe('toy-dense/1');
    expect(r.statistics.features).toBe('toy-dense/1');
    expect(seen).toHaveLength(15);
    expect(seen.at(-1)).toBe(100);
    const mean = r.statistics.mean();
    const cov = r.statistics.covariance();
    reference.mean().forEach((m, j) => expect(mean[j]).toBeCloseTo(m, 12));
    reference.covariance().forEach((c, j) => expect(cov[j]).toBeCloseTo(c, 12));
    expect(r.features!.rows).toBe(100);
    const limited = await extractFeatures(extractor, x, { batchSize: 32, limit: 50, keepFeatures: false });
    expect(limited.count).toBe(50);
    expect(limited.features).toBeUndefined();
    x.dispose();
  });

  it('reads datasets and iterables; disposes yielded batches; aborts between batches', async () => {
    const extractor = modelFeatureExtractor(model, { name: 'toy', inputShape: [4] });
    const values = Float32Array.from({ length: 80 }, (_, i) => Math.sin(i));
    const fromDataset = await extractFeatures(extractor, fromArrays({ values, exampleShape: [4] }), { batchSize: 6 });
    const batches = [tf.tensor2d(values.slice(0, 40), [10, 4]), tf.tensor2d(values.slice(40), [10, 4])];
    const fromIterable = await extractFeatures(extractor, batches);
    expect(batches.every((b) => b.isDisposed)).toBe(true);
    expect(Array.from(fromIterable.features!.data)).toEqual(Array.from(fromDataset.features!.data));
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(extractFeatures(extractor, fromArrays({ values, exampleShape: [4] }), { signal: controller.signal })).rejects.toThrow('stop');
  });

  it('typed errors: wrong image shape, NaN features, no images, not a model', async () => {
    const extractor = modelFeatureExtractor(model, { name: 'toy', inputShape: [4] });
    const wrong = tf.zeros([3, 5]);
    await expect(extractFeatures(extractor, wrong)).rejects.toThrow(new RangeError('"batch" expected a tensor of shape [n, 4], got [3, 5]'));
    wrong.dispose();
    const nan = tf.fill([2, 4], Number.NaN);
    await expect(extractFeatures(extractor, nan)).rejects.toThrow(NonFiniteFeaturesError);
    nan.dispose();
    await expect(extractFeatures(extractor, [])).rejects.toThrow(/at least 1 image/);
    expect(() => modelFeatureExtractor({} as never, { name: 'x', inputShape: [4] })).toThrow(TypeError);
    expect(() => modelFeatureExtractor(model, { name: '', inputShape: [4] })).toThrow(/non-empty string/);
  });
});
