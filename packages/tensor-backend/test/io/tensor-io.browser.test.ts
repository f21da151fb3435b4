// saveTensors / loadTensors in headless Chromium on the cpu backend: the IndexedDB round
// trip, the download:// target (the click is intercepted and its Blob read back), and
// the typed error for plain file paths in the browser.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDB_DATABASE, IDB_STORE, idbListKeys } from '../../src/io/browser-storage.js';
import { CorruptFileError, StorageError } from '../../src/errors.js';
import { decodeSafetensors } from '../../src/io/safetensors/decode.js';
import { deleteTensors, loadTensors, saveTensors } from '../../src/io/tensor-io.js';

const key = `test-${Math.random().toString(36).slice(2)}`;
const bytesOf = (a: ArrayBufferView): number[] => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await deleteTensors(`indexeddb://${key}`);
  await deleteTensors(`indexeddb://${key}-bad`);
});

describe('indexeddb:// (Chromium)', () => {
  it('round-trips every tfjs dtype and float64 arrays exactly, leaking nothing', async () => {
    const made = {
      f: tf.tensor([[1.5, -0], [NaN, -3e38]], [2, 2], 'float32'),
      i: tf.tensor([-2147483648, 7], [2], 'int32'),
      b: tf.tensor([true, false], [2], 'bool'),
      c: tf.complex(tf.tensor([1, 2]), tf.tensor([-3, 0.5])),
      s: tf.tensor(['idb', 'ü', ''], [3], 'string'),
    };
    const acc = new Float64Array([0.1, 1 / 3]);
    const before = tf.memory().numTensors;
    const saved = await saveTensors(`indexeddb://${key}`, { ...made, acc: { data: acc, shape: [2] } }, { metadata: { run: 'b1' } });
    expect(saved.byteLength).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    expect(await idbListKeys()).toContain(key);

    const { tensors, metadata } = await loadTensors(`indexeddb://${key}`);
    expect(metadata).toEqual({ run: 'b1' });
    expect(tf.memory().numTensors - before).toBe(6);
    for (const [name, t] of Object.entries(made)) {
      expect([tensors[name]!.dtype, tensors[name]!.shape], name).toEqual([t.dtype, t.shape]);
      if (t.dtype === 'string') expect(await tensors[name]!.bytes()).toEqual(await t.bytes());
      else expect(bytesOf(await tensors[name]!.data()), name).toEqual(bytesOf(await t.data()));
    }
    tf.dispose(Object.values(tensors));

    const arrays = await loadTensors(`indexeddb://${key}`, { as: 'arrays' });
    expect(arrays.tensors['acc']).toEqual({ dtype: 'F64', shape: [2], data: acc });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(made));
  });

  it('stores the bytes in database "aeot-tensors"', async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(IDB_DATABASE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const record = await new Promise<unknown>((resolve, reject) => {
      const req = db.transaction(IDB_STORE).objectStore(IDB_STORE).get(key);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    db.close();
    const { bytes } = record as { bytes: ArrayBuffer };
    expect(Object.keys(decodeSafetensors(bytes, { as: 'arrays' }).tensors).sort()).toEqual(['acc', 'b', 'c', 'f', 'i', 's']);
  });

  it('a missing key is a StorageError; a corrupt record is a CorruptFileError naming the key', async () => {
    await expect(loadTensors('indexeddb://no-such-key')).rejects.toThrow(StorageError);
    await expect(loadTensors('indexeddb://no-such-key')).rejects.toThrow(/nothing is stored under "indexeddb:\/\/no-such-key"/);
    await saveTensors(`indexeddb://${key}-bad`, { a: { data: new Uint8Array([1, 2, 3]), shape: [3] } });
    // Corrupt the stored bytes in place: truncate them.
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(IDB_DATABASE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(IDB_STORE, 'readwrite');
      const store = tx.objectStore(IDB_STORE);
      const req = store.get(`${key}-bad`);
      req.onsuccess = () => {
        const rec = req.result as { bytes: ArrayBuffer };
        store.put({ ...rec, bytes: rec.bytes.slice(0, rec.bytes.byteLength - 1) }, `${key}-bad`);
      };
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    const err = await loadTensors(`indexeddb://${key}-bad`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptFileError);
    expect((err as CorruptFileError).message).toContain(`"indexeddb://${key}-bad"`);
    expect(await deleteTensors(`indexeddb://${key}-bad`)).toBe(true);
    expect(await deleteTensors(`indexeddb://${key}-bad`)).toBe(false);
  });
});

describe('download:// and file paths (Chromium)', () => {
  it('download:// clicks an <a download> whose Blob holds the safetensors bytes', async () => {
    const original = HTMLAnchorElement.prototype.click;
    const clicks: { href: string; download: string }[] = [];
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicks.push({ href: this.href, download: this.download });
    };
    try {
      await saveTensors('download://weights.safetensors', { w: tf.tensor([1, 2, 3]) }, { metadata: { k: 'v' } });
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    expect(clicks).toHaveLength(1);
    expect(clicks[0]!.download).toBe('weights.safetensors');
    expect(clicks[0]!.href).toMatch(/^blob:/);
    const bytes = new Uint8Array(await (await fetch(clicks[0]!.href)).arrayBuffer());
    const { tensors, metadata } = decodeSafetensors(bytes, { as: 'arrays' });
    expect(metadata).toEqual({ k: 'v' });
    expect(tensors['w']).toEqual({ dtype: 'F32', shape: [3], data: new Float32Array([1, 2, 3]) });
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
  });

  it('a plain file path is a StorageError that names the browser targets', async () => {
    const x = { a: { data: new Uint8Array(1), shape: [1] } };
    await expect(saveTensors('/tmp/w.safetensors', x)).rejects.toThrow(StorageError);
    await expect(saveTensors('w.safetensors', x)).rejects.toThrow(/file paths need Node.*indexeddb:\/\/<key>/);
    await expect(loadTensors('/tmp/w.safetensors')).rejects.toThrow(StorageError);
  });
});
