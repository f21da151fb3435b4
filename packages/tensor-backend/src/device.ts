// What a backend computes on, as reported to users.

/** The device a backend runs on. */
export interface DeviceInfo {
  /** `'gpu'` for WebGPU adapters and tfjs-node-gpu, `'cpu'` otherwise. */
  readonly kind: 'gpu' | 'cpu';
  /** Human-readable description from the adapter or library. */
  readonly description: string;
  /** True for software GPU adapters (SwiftShader, llvmpipe): correct but very slow. */
  readonly software: boolean;
}

/** Heuristics for software adapters, for runtimes that do not set `isFallbackAdapter`. */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|warp|basic render/i;

/** True when a WebGPU adapter is a software rasteriser rather than a GPU. */
export function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  if (info?.isFallbackAdapter === true) return true;
  if ((adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true) return true;
  const text = info ? `${info.vendor} ${info.architecture} ${info.device} ${info.description}` : '';
  return SOFTWARE_ADAPTER.test(text);
}

/** One line describing an adapter, e.g. `"google swiftshader (SwiftShader driver 5.0.0)"`. */
export function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  if (!info) return 'WebGPU adapter';
  const head = [info.vendor, info.architecture].filter((s) => s).join(' ') || 'WebGPU adapter';
  const detail = info.description || info.device;
  return detail ? `${head} (${detail})` : head;
}
