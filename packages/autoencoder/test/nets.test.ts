// User-supplied nets: the shape checks customAutoencoder makes on your own models. The
// built-in families: mlp-nets.test.ts and conv-nets.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '@aeot/tensor-backend';
import { customAutoencoder } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('customAutoencoder', () => {
  const encoder = () => tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [4, 4, 1] }), tfl.layers.dense({ units: 3 })] });
  const decoder = (latent = 3, out: number[] = [4, 4, 1]) =>
    tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [latent], units: out.reduce((a, b) => a * b, 1) }), tfl.layers.reshape({ targetShape: out })] });

  it('takes your own models and reads their shapes', () => {
    const ae = customAutoencoder(encoder(), decoder(), { outputRange: 'symmetric' });
    expect(ae.imageShape).toEqual([4, 4, 1]);
    expect(ae.latentDim).toBe(3);
    expect(ae.outputRange).toBe('symmetric');
  });

  it('rejects models whose shapes do not fit together', () => {
    expect(() => customAutoencoder(encoder(), decoder(5))).toThrow(/"decoder" expected an input of shape \[n, 3\]/);
    expect(() => customAutoencoder(encoder(), decoder(3, [4, 4, 3]))).toThrow(/"decoder" expected an output of shape \[n, 4, 4, 1\]/);
    const flatIn = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [16], units: 3 })] });
    expect(() => customAutoencoder(flatIn, decoder())).toThrow(/"encoder" expected an input of shape \[n, height, width, channels\]/);
  });
});
