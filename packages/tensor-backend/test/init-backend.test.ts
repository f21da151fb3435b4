import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { AeotError, availableBackends, BackendUnavailableError, initBackend, MissingPackageError } from '../src/index.js';

describe('initBackend', () => {
  afterEach(async () => {
    await tf.ready();
  });

  it('starts cpu and returns a frozen description of it', async () => {
    const backend = await initBackend({ backend: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    expect(backend.name).toBe('cpu');
    expect(backend.platform).toBe('node');
    expect(backend.device).toMatchObject({ kind: 'cpu', software: false });
    expect(backend.floatPrecision).toBe(32);
    expect(backend.tf).toBe(tf);
    expect(Object.isFrozen(backend)).toBe(true);
    expect(Object.isFrozen(backend.device)).toBe(true);
    const before = backend.memory().numTensors;
    const t = tf.ones([10, 10]);
    expect(backend.memory().numTensors).toBe(before + 1);
    expect(backend.memory().numBytes).toBeGreaterThanOrEqual(400);
    t.dispose();
  });

  it('starts wasm, which trains: Conv2DBackpropFilter is registered', async () => {
    const backend = await initBackend({ backend: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
    expect(backend.device.kind).toBe('cpu');
    expect(backend.threads).toBe(1);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('auto never picks a software WebGPU adapter, and picks wasm here', async () => {
    const backend = await initBackend({ backend: 'auto', webgpu: { allowSoftwareAdapter: true } });
    expect(backend.name).toBe('wasm');
  });

  it('tries a list in order and reports every reason when none starts', async () => {
    const backend = await initBackend({ backend: ['tensorflow', 'cpu'] });
    expect(backend.name).toBe('cpu');
    const err = await initBackend({ backend: ['tensorflow', 'webgpu'], webgpu: { powerPreference: 'low-power' } }).catch((e: unknown) => e);
    if (process.env.VK_ICD_FILENAMES?.includes('swiftshader')) {
      expect(err).toBeInstanceOf(BackendUnavailableError);
      expect((err as AeotError).code).toBe('ERR_AEOT_BACKEND_UNAVAILABLE');
      expect((err as Error).message).toMatch(/tensorflow: optional package "@tensorflow\/tfjs-node-gpu"/);
      expect((err as Error).message).toMatch(/webgpu: .*software adapter/);
    } else {
      expect(err).toBeInstanceOf(BackendUnavailableError);
    }
  });

  it('a software adapter only on explicit request with allowSoftwareAdapter', async (ctx) => {
    if (!process.env.VK_ICD_FILENAMES?.includes('swiftshader')) ctx.skip('needs SwiftShader (VK_ICD_FILENAMES)');
    const refused = await initBackend({ backend: 'webgpu' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackendUnavailableError);
    expect((refused as Error).message).toMatch(/only a software adapter is available .*allowSoftwareAdapter: true/);
    const backend = await initBackend({ backend: 'webgpu', webgpu: { allowSoftwareAdapter: true } });
    expect(backend.device).toMatchObject({ kind: 'gpu', software: true });
    expect(backend.device.description).toMatch(/swiftshader/i);
    const y = tf.square(tf.tensor1d([1, 2, 3]));
    expect(Array.from(await y.data())).toEqual([1, 4, 9]);
    y.dispose();
    backend.dispose();
  });

  it('tensorflow without tfjs-node(-gpu) installed: typed error naming the package and its needs', async () => {
    const err = await initBackend({ backend: 'tensorflow' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingPackageError);
    expect(err).toBeInstanceOf(AeotError);
    expect((err as MissingPackageError).code).toBe('ERR_AEOT_PACKAGE_MISSING');
    expect((err as MissingPackageError).packageName).toBe('@tensorflow/tfjs-node-gpu');
    expect((err as Error).message).toMatch(/npm i @tensorflow\/tfjs-node-gpu.*CUDA 11\.2/);
  });

  it('dispose frees the backend and a later initBackend restarts it', async () => {
    const first = await initBackend({ backend: 'wasm' });
    const t = tf.ones([4]);
    t.dispose(); // tensors must go before their backend does
    first.dispose();
    first.dispose(); // idempotent
    expect(tf.engine().registry['wasm']).toBeUndefined();
    const second = await initBackend({ backend: 'wasm' });
    const y = tf.add(tf.ones([3]), 1);
    expect(Array.from(await y.data())).toEqual([2, 2, 2]);
    y.dispose();
    second.dispose();
    const cpu = await initBackend({ backend: 'cpu' });
    cpu.dispose();
    await initBackend({ backend: 'cpu' });
  });

  it.each([
    [{ backend: 'gpu' }, RangeError, `"backend" expected one of 'tensorflow', 'webgpu', 'wasm', 'cpu', 'auto', got "gpu"`],
    [{ backend: 3 }, TypeError, /"backend" expected one of .*got 3/],
    [{ backend: [] }, RangeError, /non-empty list/],
    [{ backend: ['cpu', 'cpu'] }, RangeError, /lists 'cpu' twice/],
    [{ backend: ['cpu', 'metal'] }, RangeError, /"backend\[1\]" expected one of/],
    [{ threads: 0 }, RangeError, '"threads" expected an integer in [1, 256], got 0'],
    [{ threads: 2.5 }, RangeError, /"threads" expected an integer in \[1, 256\], got 2.5/],
    [{ threads: '4' }, TypeError, '"threads" expected an integer, got "4"'],
    [{ webgpu: { powerPreference: 'fast' } }, RangeError, /"webgpu.powerPreference" expected one of 'high-performance', 'low-power'/],
    [{ webgpu: { allowSoftwareAdapter: 'yes' } }, TypeError, /"webgpu.allowSoftwareAdapter" expected a boolean/],
  ])('rejects bad options %j', async (options, type, message) => {
    const err = await initBackend(options as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    if (typeof message === 'string') expect((err as Error).message).toBe(message);
    else expect((err as Error).message).toMatch(message);
  });
});

describe('availableBackends', () => {
  it('reports every backend, with a reason for each unavailable one, without switching', async () => {
    await initBackend({ backend: 'cpu' });
    const rows = await availableBackends();
    expect(tf.getBackend()).toBe('cpu');
    expect(rows.map((r) => r.name)).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(byName.tensorflow).toMatchObject({ available: false });
    expect(byName.tensorflow?.available === false && byName.tensorflow.reason).toMatch(/@tensorflow\/tfjs-node-gpu/);
    expect(byName.wasm).toMatchObject({ available: true, device: { kind: 'cpu' } });
    expect(byName.cpu).toMatchObject({ available: true });
    // Without allowSoftwareAdapter a SwiftShader-only machine reports webgpu unavailable.
    if (byName.webgpu?.available === false) expect(byName.webgpu.reason).toMatch(/adapter|Vulkan|webgpu/i);
    else expect(byName.webgpu?.device.software).toBe(false);
  });
});
