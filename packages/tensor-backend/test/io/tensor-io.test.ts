// saveTensors / loadTensors on Node files: round trips through the file system, Python
// (numpy) reading what we write, atomic replacement (in-process failure and a child
// process killed mid-write), corrupt files naming the path, no leaked tensors, a large
// file, and the typed errors for browser-only targets.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { spawn, spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/file-node.js';
import { CorruptFileError, StorageError } from '../../src/errors.js';
import type { TensorArray } from '../../src/io/safetensors/types.js';
import { deleteTensors, loadTensors, saveTensors } from '../../src/io/tensor-io.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageRoot = path.resolve(here, '../..');
const repoRoot = path.resolve(packageRoot, '../..');
const reader = path.join(packageRoot, 'scripts/read-safetensors.py');

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'aeot-io-'));
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const bytesOf = (a: ArrayBufferView): number[] => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
const listDir = async (): Promise<string[]> => (await fsp.readdir(dir)).sort();

describe('file round trip', () => {
  it('saves every tfjs dtype plus float64 arrays and loads them back exactly, leaking nothing', async () => {
    const file = path.join(dir, 'all.safetensors');
    const made = {
      f: tf.tensor([[1.5, -0], [NaN, 3e38]], [2, 2], 'float32'),
      i: tf.tensor([-2147483648, 2147483647], [2], 'int32'),
      b: tf.tensor([true, false, true], [3], 'bool'),
      c: tf.complex(tf.tensor([1, 2]), tf.tensor([-3, 0.5])),
      s: tf.tensor(['a', 'β', ''], [3, 1], 'string'),
    };
    const acc = new Float64Array([0.1, 1 / 3, -1e-300]);
    const before = tf.memory().numTensors;
    const result = await saveTensors(file, { ...made, acc: { data: acc, shape: [3] } }, { metadata: { step: '12' } });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.target).toBe(file);
    expect(result.byteLength).toBe((await fsp.stat(file)).size);
    expect(await listDir()).toEqual(['all.safetensors']);

    const { tensors, metadata } = await loadTensors(file);
    expect(metadata).toEqual({ step: '12' });
    expect(tf.memory().numTensors - before).toBe(6);
    for (const [name, t] of Object.entries(made)) {
      expect([tensors[name]!.dtype, tensors[name]!.shape], name).toEqual([t.dtype, t.shape]);
      if (t.dtype === 'string') expect(await tensors[name]!.bytes()).toEqual(await t.bytes());
      else expect(bytesOf(await tensors[name]!.data()), name).toEqual(bytesOf(await t.data()));
    }
    // F64 as tensors: float32 rounded to nearest.
    expect(tensors['acc']!.dtype).toBe('float32');
    expect(Array.from(await tensors['acc']!.data())).toEqual(Array.from(acc, Math.fround));
    tf.dispose(Object.values(tensors));
    expect(tf.memory().numTensors).toBe(before);

    const arrays = await loadTensors(file, { as: 'arrays' });
    expect(tf.memory().numTensors).toBe(before);
    expect(arrays.tensors['acc']).toEqual({ dtype: 'F64', shape: [3], data: acc });
    tf.dispose(Object.values(made));
  });

  it('accepts file:// URLs and overwrites an existing file', async () => {
    const file = path.join(dir, 'url.safetensors');
    const url = pathToFileURL(file).href;
    await saveTensors(url, { x: { data: new Int32Array([1]), shape: [1] } });
    await saveTensors(url, { y: { data: new Int32Array([2, 3]), shape: [2] } });
    const { tensors } = await loadTensors(url, { as: 'arrays' });
    expect(Object.keys(tensors)).toEqual(['y']);
    expect(await deleteTensors(file)).toBe(true);
    expect(await deleteTensors(file)).toBe(false);
  });
});

const pythonReason = ((): string | undefined => {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not available (${probe.error.message})`;
  if (probe.status !== 0) return 'numpy is not installed for python3';
  return undefined;
})();

describe('python compatibility', () => {
  if (pythonReason !== undefined) {
    it.skip(`python reader (skipped: ${pythonReason})`, () => undefined);
    return;
  }
  it('an independent numpy reader reads back the values we wrote', async () => {
    const file = path.join(dir, 'py.safetensors');
    await saveTensors(
      file,
      {
        w: tf.tensor([[0.1, -2], [3.5, 1e-30]], [2, 2]),
        n: tf.tensor([7, -8], [2], 'int32'),
        m: tf.tensor([false, true], [2], 'bool'),
        z: tf.complex(tf.tensor([1.25]), tf.tensor([-4])),
        s: tf.tensor(['héllo', 'x'], [2], 'string'),
        acc: { data: new Float64Array([0.1, Number.MAX_VALUE, -Infinity]), shape: [3, 1] },
        big: { data: new BigInt64Array([-(2n ** 40n), 5n]), shape: [2] },
        half: { data: new Uint16Array([0x3c00, 0xb800]), shape: [2], dtype: 'F16' },
        bf: { data: new Uint16Array([0x4049]), shape: [1], dtype: 'BF16' },
      },
      { metadata: { author: 'aeot', 'unicode ✓': 'ok' } },
    );
    const run = spawnSync('python3', [reader, file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as {
      metadata: Record<string, string>;
      tensors: Record<string, { dtype: string; shape: number[]; values: unknown[]; complex?: number[][]; decoded?: unknown }>;
    };
    expect(out.metadata).toEqual({ author: 'aeot', 'unicode ✓': 'ok', 'aeot.dtype.z': 'complex64', 'aeot.dtype.s': 'string' });
    const t = out.tensors;
    expect(t['w']).toMatchObject({ dtype: 'F32', shape: [2, 2], values: [0.1, -2, 3.5, 1e-30].map(Math.fround) });
    expect(t['n']).toMatchObject({ dtype: 'I32', shape: [2], values: [7, -8] });
    expect(t['m']).toMatchObject({ dtype: 'BOOL', shape: [2], values: [false, true] });
    expect(t['z']).toMatchObject({ dtype: 'F32', shape: [1, 2], complex: [[1.25, -4]] });
    expect(t['s']!.decoded).toEqual({ shape: [2], strings: ['héllo', 'x'] });
    expect(t['acc']).toMatchObject({ dtype: 'F64', shape: [3, 1], values: [0.1, Number.MAX_VALUE, '-Infinity'] });
    expect(t['big']).toMatchObject({ dtype: 'I64', values: [-(2 ** 40), 5] });
    expect(t['half']).toMatchObject({ dtype: 'F16', values: [1, -0.5] });
    expect(t['bf']).toMatchObject({ dtype: 'BF16', values: [3.140625] });
  });

  it('the python reader rejects a file that is not contiguous (it validates independently)', async () => {
    const file = path.join(dir, 'py-bad.safetensors');
    const header = '{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}';
    const bytes = new Uint8Array(8 + header.length + 2);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(new TextEncoder().encode(header), 8);
    await fsp.writeFile(file, bytes);
    const run = spawnSync('python3', [reader, file], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not contiguous/);
  });
});

describe('atomic writes', () => {
  it('a failure mid-write leaves the previous file byte-identical and removes the temp file', async () => {
    const file = path.join(dir, 'atomic.safetensors');
    await saveTensors(file, { v: { data: new Float32Array([1, 2, 3]), shape: [3] } });
    const previous = await fsp.readFile(file);
    const before = await listDir();
    function* failing(): Generator<Uint8Array> {
      yield new Uint8Array(1024).fill(1);
      throw new Error('disk pulled out');
    }
    await expect(writeFileAtomic(file, failing())).rejects.toThrow('disk pulled out');
    expect(await fsp.readFile(file)).toEqual(previous);
    expect(await listDir()).toEqual(before);
  });

  it('a process killed mid-write leaves the previous file byte-identical', async () => {
    const file = path.join(dir, 'crash.safetensors');
    await saveTensors(file, { v: { data: new Int32Array([4, 5, 6]), shape: [3] } });
    const previous = await fsp.readFile(file);
    const child = path.join(dir, 'crash-child.mjs');
    // The child writes 1 MiB into the temp file, reports, then hangs until killed.
    await fsp.writeFile(
      child,
      `import { writeFileAtomic } from ${JSON.stringify(pathToFileURL(path.join(packageRoot, 'src/io/file-node.ts')).href)};
async function* chunks() {
  yield new Uint8Array(1 << 20).fill(7);
  process.stdout.write('WROTE\\n');
  setInterval(() => {}, 1000);
  await new Promise(() => {});
}
await writeFileAtomic(${JSON.stringify(file)}, chunks());
`,
    );
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => d.toString().includes('WROTE') && resolve());
      proc.on('exit', () => reject(new Error(`child exited before writing: ${stderr}`)));
    });
    const temps = (await listDir()).filter((n) => n.startsWith('.crash.safetensors.') && n.endsWith('.tmp'));
    expect(temps).toHaveLength(1);
    expect((await fsp.stat(path.join(dir, temps[0]!))).size).toBe(1 << 20);
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await fsp.readFile(file)).toEqual(previous);
    expect((await loadTensors(file, { as: 'arrays' })).tensors['v']!.data).toEqual(new Int32Array([4, 5, 6]));
    // The crash leaves its orphan temp file (never the target); clean it up here.
    await fsp.rm(path.join(dir, temps[0]!));
    await fsp.rm(child);
  });

  it('a file system error is a StorageError and leaves no temp litter', async () => {
    const missingDir = path.join(dir, 'no-such-dir', 'x.safetensors');
    const err = await saveTensors(missingDir, { a: { data: new Uint8Array(1), shape: [1] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('ERR_AEOT_STORAGE');
    expect((err as StorageError).message).toContain(missingDir);
    const onDir = await saveTensors(dir, { a: { data: new Uint8Array(1), shape: [1] } }).catch((e: unknown) => e);
    expect(onDir).toBeInstanceOf(StorageError);
    expect((await listDir()).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the permission bits of the file it replaces', async () => {
    if (process.platform === 'win32') return;
    const file = path.join(dir, 'mode.safetensors');
    await saveTensors(file, {});
    await fsp.chmod(file, 0o600);
    await saveTensors(file, { a: { data: new Uint8Array(1), shape: [1] } });
    expect((await fsp.stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe('load errors', () => {
  it('a corrupt file gives CorruptFileError naming the path; nothing is loaded', async () => {
    const file = path.join(dir, 'torn.safetensors');
    await saveTensors(file, { a: tf.ones([64]), b: tf.zeros([64]) });
    const whole = await fsp.readFile(file);
    await fsp.writeFile(file, whole.subarray(0, whole.byteLength - 10));
    const before = tf.memory().numTensors;
    const err = await loadTensors(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptFileError);
    expect((err as CorruptFileError).source).toBe(file);
    expect((err as CorruptFileError).message).toMatch(new RegExp(`"${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}": .*truncated file`));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a missing file gives StorageError', async () => {
    const file = path.join(dir, 'missing.safetensors');
    await expect(loadTensors(file)).rejects.toThrow(StorageError);
    await expect(loadTensors(file)).rejects.toThrow(/ENOENT/);
  });

  it('browser-only targets and bad targets give clear errors in Node', async () => {
    const x = { a: { data: new Uint8Array(1), shape: [1] } };
    await expect(saveTensors('indexeddb://model', x)).rejects.toThrow(StorageError);
    await expect(saveTensors('indexeddb://model', x)).rejects.toThrow(/needs IndexedDB.*in Node save to a file path/);
    await expect(loadTensors('indexeddb://model')).rejects.toThrow(StorageError);
    await expect(saveTensors('download://w.safetensors', x)).rejects.toThrow(/needs a browser document/);
    await expect(loadTensors('download://w.safetensors')).rejects.toThrow(/save-only/);
    await expect(saveTensors('https://example.com/w', x)).rejects.toThrow(/load-only/);
    await expect(saveTensors('ftp://host/w', x)).rejects.toThrow(RangeError);
    await expect(saveTensors('indexeddb://', x)).rejects.toThrow(RangeError);
    await expect(saveTensors(42 as never, x)).rejects.toThrow(TypeError);
    await expect(saveTensors('', x)).rejects.toThrow(RangeError);
  });
});

describe('http(s) sources', () => {
  it('loads from a URL through fetch; an HTTP error is a StorageError', async () => {
    const body = new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0, ...new TextEncoder().encode('{}      ')]);
    const server = http.createServer((req, res) => {
      if (req.url === '/w.safetensors') res.end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await loadTensors(`http://127.0.0.1:${port}/w.safetensors`)).toEqual({ tensors: {}, metadata: {} });
      await expect(loadTensors(`http://127.0.0.1:${port}/missing`)).rejects.toThrow(/HTTP 404/);
      await expect(loadTensors(`http://127.0.0.1:${port}/missing`)).rejects.toThrow(StorageError);
    } finally {
      server.close();
    }
  });
});

describe('large files', () => {
  it('writes and reads a 128 MB float32 array', async () => {
    const file = path.join(dir, 'large.safetensors');
    const n = 32 * 1024 * 1024;
    const data = new Float32Array(n);
    for (let i = 0; i < n; i += 4099) data[i] = i;
    const { byteLength } = await saveTensors(file, { big: { data, shape: [n / 1024, 1024] } });
    expect((await fsp.stat(file)).size).toBe(byteLength);
    expect(byteLength).toBeGreaterThan(128 * 1024 * 1024);
    const { tensors } = await loadTensors(file, { as: 'arrays' });
    const loaded = (tensors['big'] as TensorArray).data as Float32Array;
    expect(loaded.length).toBe(n);
    let same = true;
    for (let i = 0; i < n; i++) if (loaded[i] !== data[i]) same = false;
    expect(same).toBe(true);
    await fsp.rm(file);
  });
});
