// Browser storage for tensor IO: safetensors bytes in IndexedDB (database
// "aeot-tensors", object store "safetensors", one record per key) and downloads
// through a Blob URL and an <a download> click. Touches browser globals only when
// called, so importing it in Node is harmless.
import { CorruptFileError, StorageError } from '../errors.js';

/** Name of the IndexedDB database that holds saved tensors. */
export const IDB_DATABASE = 'aeot-tensors';
/** Name of its object store; keys are the `<key>` of `indexeddb://<key>`. */
export const IDB_STORE = 'safetensors';
const IDB_VERSION = 1;

/** The stored record; `format` lets later versions change the layout. */
interface StoredRecord {
  format: 'safetensors';
  bytes: ArrayBuffer;
  savedAt: string;
}

/**
 * Whether IndexedDB exists in this environment.
 *
 * @returns true in browsers (and workers) with IndexedDB.
 * @example
 * if (indexedDbAvailable()) await saveTensors('indexeddb://run-1', tensors);
 */
export function indexedDbAvailable(): boolean {
  return typeof indexedDB !== 'undefined' && indexedDB !== null;
}

function requireIndexedDb(target: string): IDBFactory {
  if (!indexedDbAvailable()) {
    throw new StorageError(
      target,
      `"${target}" needs IndexedDB, which this environment lacks (Node has none); in Node save to a file path instead`,
    );
  }
  return indexedDB;
}

function request<T>(target: string, req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new StorageError(target, `IndexedDB request for "${target}" failed: ${req.error?.message ?? 'unknown error'}`, { cause: req.error }));
  });
}

function openDatabase(target: string): Promise<IDBDatabase> {
  const factory = requireIndexedDb(target);
  return new Promise((resolve, reject) => {
    let req: IDBOpenDBRequest;
    try {
      req = factory.open(IDB_DATABASE, IDB_VERSION);
    } catch (e) {
      reject(new StorageError(target, `cannot open IndexedDB database "${IDB_DATABASE}": ${String(e)}`, { cause: e }));
      return;
    }
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(IDB_STORE)) req.result.createObjectStore(IDB_STORE);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () =>
      reject(new StorageError(target, `cannot open IndexedDB database "${IDB_DATABASE}": ${req.error?.message ?? 'unknown error'}`, { cause: req.error }));
    req.onblocked = () =>
      reject(new StorageError(target, `IndexedDB database "${IDB_DATABASE}" is blocked by another open connection of an older version`));
  });
}

/** Runs one transaction on the store and resolves with `work`'s result once it commits. */
async function transact<T>(
  target: string,
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(target);
  try {
    const tx = db.transaction(IDB_STORE, mode, { durability: 'strict' });
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      const fail = (): void => {
        const err = tx.error;
        const quota = err?.name === 'QuotaExceededError' ? ' (storage quota exceeded)' : '';
        reject(new StorageError(target, `IndexedDB transaction for "${target}" failed${quota}: ${err?.message ?? 'aborted'}`, { cause: err }));
      };
      tx.onerror = fail;
      tx.onabort = fail;
    });
    const result = work(tx.objectStore(IDB_STORE));
    // Surface the transaction's error (e.g. quota) rather than the request's.
    const [value] = await Promise.all([result, done]);
    return value;
  } finally {
    db.close();
  }
}

/**
 * Stores bytes under a key, replacing what was there, in one durable transaction.
 *
 * @param key the `<key>` of `indexeddb://<key>`.
 * @param bytes the safetensors file.
 * @returns a promise that resolves when the transaction has committed.
 * @throws {StorageError} without IndexedDB, or when the write fails (e.g. quota).
 * @example
 * await idbPutBytes('run-1', bytes);
 */
export async function idbPutBytes(key: string, bytes: Uint8Array): Promise<void> {
  const target = `indexeddb://${key}`;
  const copy = bytes.slice().buffer;
  const record: StoredRecord = { format: 'safetensors', bytes: copy, savedAt: new Date().toISOString() };
  await transact(target, 'readwrite', (store) => request(target, store.put(record, key)).then(() => undefined));
}

/**
 * Reads the bytes stored under a key.
 *
 * @param key the `<key>` of `indexeddb://<key>`.
 * @returns the stored bytes.
 * @throws {StorageError} without IndexedDB, or when nothing is stored under `key`.
 * @throws {CorruptFileError} when the stored record is not one aeot wrote.
 * @example
 * const bytes = await idbGetBytes('run-1');
 */
export async function idbGetBytes(key: string): Promise<Uint8Array> {
  const target = `indexeddb://${key}`;
  const value: unknown = await transact(target, 'readonly', (store) => request(target, store.get(key)));
  if (value === undefined) throw new StorageError(target, `nothing is stored under "${target}"`);
  const record = value as Partial<StoredRecord> | null;
  if (typeof record !== 'object' || record === null || record.format !== 'safetensors' || !(record.bytes instanceof ArrayBuffer)) {
    throw new CorruptFileError(target, 'the IndexedDB record is not a stored safetensors file');
  }
  return new Uint8Array(record.bytes);
}

/**
 * Deletes the record stored under a key.
 *
 * @param key the `<key>` of `indexeddb://<key>`.
 * @returns true if a record was deleted, false if there was none.
 * @throws {StorageError} without IndexedDB, or when the delete fails.
 * @example
 * await idbDelete('run-1');
 */
export async function idbDelete(key: string): Promise<boolean> {
  const target = `indexeddb://${key}`;
  return transact(target, 'readwrite', async (store) => {
    const count = await request(target, store.count(key));
    if (count === 0) return false;
    await request(target, store.delete(key));
    return true;
  });
}

/**
 * Lists the keys stored in IndexedDB.
 *
 * @returns the keys, sorted.
 * @throws {StorageError} without IndexedDB.
 * @example
 * const keys = await idbListKeys(); // ['run-1', 'run-2']
 */
export async function idbListKeys(): Promise<string[]> {
  const target = 'indexeddb://';
  const keys = await transact(target, 'readonly', (store) => request(target, store.getAllKeys()));
  return keys.filter((k): k is string => typeof k === 'string').sort();
}

/**
 * Makes the browser download bytes as a file: a Blob URL clicked through a temporary
 * `<a download>` element (the URL is revoked a minute later).
 *
 * @param filename the suggested file name.
 * @param parts the file's bytes, in order.
 * @returns nothing; the download proceeds in the background.
 * @throws {StorageError} outside a browser document.
 * @example
 * triggerDownload('weights.safetensors', [bytes]);
 */
export function triggerDownload(filename: string, parts: readonly Uint8Array[]): void {
  const target = `download://${filename}`;
  if (typeof document === 'undefined' || typeof URL.createObjectURL !== 'function') {
    throw new StorageError(target, `"${target}" needs a browser document to download from; in Node save to a file path instead`);
  }
  // Blob takes ArrayBuffer-backed views only; copy any view of a SharedArrayBuffer.
  const blobParts = parts.map((p): Uint8Array<ArrayBuffer> =>
    p.buffer instanceof ArrayBuffer ? (p as Uint8Array<ArrayBuffer>) : new Uint8Array(p),
  );
  const blob = new Blob(blobParts, { type: 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  (document.body ?? document.documentElement).appendChild(anchor);
  try {
    anchor.click();
  } finally {
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
