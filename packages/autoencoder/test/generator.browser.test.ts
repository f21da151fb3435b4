// A generator saved in Node (test/fixtures/generator, written by
// scripts/make-browser-fixture.ts with Generator.save) loads over HTTP in headless
// Chromium and samples what Node sampled from the same files for the same seed.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@aeot/tensor-backend';
import { preparePowerAssignKernels } from '@aeot/ot-semidiscrete';
import { imageGridPng, loadGenerator } from '../src/index.js';
import expected from './fixtures/generator/expected.json';

describe('generator in the browser', () => {
  it('loads a generator saved in Node and samples the same codes and images', async () => {
    await initBackend({ backend: 'cpu' });
    await preparePowerAssignKernels();
    // vitest.config.ts serves the fixture directory raw under /__aeot_data/aeot-generator/.
    const generator = await loadGenerator(new URL('/__aeot_data/aeot-generator/', location.origin).href);
    expect(generator.rule).toBe(expected.rule);
    expect(generator.imageShape).toEqual([28, 28, 1]);
    const out = await generator.sample(16, { seed: expected.seed });
    expect(out.extended).toBe(expected.extended);
    const codes = out.codes.dataSync();
    expect(codes.length).toBe(expected.codes.length);
    for (let i = 0; i < codes.length; i++) expect(Math.abs((codes[i] as number) - (expected.codes[i] as number))).toBeLessThan(1e-5);
    const images = out.images.dataSync();
    for (let i = 0; i < 16; i++) {
      const sum = images.subarray(i * 784, (i + 1) * 784).reduce((s, v) => s + v, 0);
      expect(Math.abs(sum - (expected.imageSums[i] as number))).toBeLessThan(1e-2);
    }
    for (let j = 0; j < 784; j++) expect(Math.abs((images[j] as number) - (expected.firstImage[j] as number))).toBeLessThan(1e-4);
    // And the grid encodes in the page (CompressionStream).
    const png = await imageGridPng(out.images, { columns: 4 });
    expect(Array.from(png.subarray(1, 4))).toEqual([80, 78, 71]);
    tf.dispose([out.images, out.codes]);
    generator.dispose();
  });
});
