// WebGPU through @tensorflow/tfjs-backend-webgpu: navigator.gpu in browsers, the
// `webgpu` npm package (Dawn) in Node. aeot chooses the adapter itself, so that `auto`
// can refuse software adapters and callers can pass their own.
import * as tf from '@tensorflow/tfjs-core';
import { describeAdapter, isSoftwareAdapter, type DeviceInfo } from '../device.js';
import { BackendUnavailableError, MissingPackageError } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import { importOptional, type PlatformName } from '../platform.js';
import { messageOf, setBackendOrThrow, type Provider } from './provider.js';

const DAWN_REQUIREMENTS =
  'Dawn for Node; needs a Vulkan driver on Linux (Debian: libvulkan1 plus a GPU ICD; ' +
  'for tests, SwiftShader from the chromium package: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json), ' +
  'Metal on macOS or D3D12 on Windows';

interface DawnModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

const gpus = new Map<string, GPU>();

async function getGpu(options: ResolvedOptions, platform: PlatformName): Promise<GPU> {
  if (platform === 'browser') {
    const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
    if (!gpu) throw new BackendUnavailableError('webgpu', 'navigator.gpu is undefined: this browser has no WebGPU, or the page is not a secure context (https or localhost)');
    return gpu;
  }
  const key = JSON.stringify(options.webgpu.dawnOptions ?? []);
  const cached = gpus.get(key);
  if (cached) return cached;
  let dawn: DawnModule;
  try {
    dawn = await importOptional<DawnModule>('webgpu');
  } catch (err) {
    throw new MissingPackageError('webgpu', DAWN_REQUIREMENTS, { cause: err });
  }
  // tfjs-backend-webgpu reads GPUBufferUsage, GPUMapMode, … as globals.
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const gpu = dawn.create([...(options.webgpu.dawnOptions ?? [])]);
  gpus.set(key, gpu);
  exposeAsNavigatorGpu(gpu);
  return gpu;
}

/**
 * tfjs-backend-webgpu checks `navigator.gpu` when a backend is constructed. Node 20 has
 * no `navigator` (21+ has one without `gpu`): give it Dawn's GPU, first one wins.
 */
function exposeAsNavigatorGpu(gpu: GPU): void {
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else if (g.navigator.gpu === undefined) {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  }
}

interface Chosen {
  readonly adapter: GPUAdapter;
  readonly device: DeviceInfo;
}

async function chooseAdapter(options: ResolvedOptions, platform: PlatformName): Promise<Chosen> {
  let adapter = options.webgpu.adapter;
  if (adapter === undefined) {
    const gpu = await getGpu(options, platform);
    const found = await gpu.requestAdapter({ powerPreference: options.webgpu.powerPreference ?? 'high-performance' });
    if (found == null) {
      const hint = platform === 'node' ? ` (${DAWN_REQUIREMENTS})` : '';
      throw new BackendUnavailableError('webgpu', `no WebGPU adapter was found${hint}`);
    }
    adapter = found;
  }
  const software = isSoftwareAdapter(adapter);
  const description = describeAdapter(adapter);
  if (software && (options.auto || options.webgpu.allowSoftwareAdapter !== true)) {
    const why = options.auto
      ? "'auto' never picks a software adapter"
      : 'pass webgpu: { allowSoftwareAdapter: true } to use it anyway (tests only)';
    throw new BackendUnavailableError('webgpu', `only a software adapter is available (${description}), about 1000× slower than wasm; ${why}`);
  }
  return { adapter, device: { kind: 'gpu', description, software } };
}

/** Device descriptor as tfjs-backend-webgpu's own factory builds it: the adapter's limits. */
function deviceDescriptor(adapter: GPUAdapter): GPUDeviceDescriptor {
  const limits = adapter.limits;
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  return {
    requiredFeatures,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  };
}

/** Provider of tfjs's `webgpu` backend. */
export const webgpuProvider: Provider = {
  name: 'webgpu',
  async probe(options, platform) {
    try {
      const { device } = await chooseAdapter(options, platform);
      return { available: true, device };
    } catch (err) {
      return { available: false, reason: err instanceof BackendUnavailableError ? err.reason : messageOf(err) };
    }
  },
  async activate(options, platform) {
    const { adapter, device } = await chooseAdapter(options, platform);
    const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
    // Replace whatever factory is registered (tfjs's own registers itself on import in
    // browsers) with one bound to the adapter chosen here.
    if (tf.findBackendFactory('webgpu') != null) tf.removeBackend('webgpu');
    tf.registerBackend(
      'webgpu',
      async () => {
        const gpuDevice = await adapter.requestDevice(deviceDescriptor(adapter));
        return new WebGPUBackend(gpuDevice, adapter.info);
      },
      3,
    );
    await setBackendOrThrow('webgpu');
    return { device, threads: 1 };
  },
};
