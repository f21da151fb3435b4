// Typed options of initBackend / availableBackends and their validation at the boundary.
import { describeValue, expectBoolean, expectInteger, expectOneOf } from './validate.js';

/** Names of the tfjs backends aeot can run on. */
export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

/** All backend names, best first: the order `auto` tries them in. */
export const BACKEND_NAMES: readonly BackendName[] = Object.freeze(['tensorflow', 'webgpu', 'wasm', 'cpu']);

/** WebGPU options. */
export interface WebGpuOptions {
  /** A `GPUAdapter` you obtained yourself; aeot then skips adapter selection. */
  readonly adapter?: GPUAdapter;
  /** Passed to `requestAdapter`. Default `'high-performance'`. */
  readonly powerPreference?: GPUPowerPreference;
  /**
   * Accept a software adapter (SwiftShader, llvmpipe), roughly 1000× slower than wasm:
   * useful for tests only. Default `false`. `'auto'` never picks one, whatever this says.
   */
  readonly allowSoftwareAdapter?: boolean;
  /** Node only: Dawn toggles passed to the `webgpu` package's `create()`. Default `[]`. */
  readonly dawnOptions?: readonly string[];
}

/** wasm options. */
export interface WasmOptions {
  /**
   * Where the `.wasm` binaries are served from (browser): a URL prefix or a map from
   * file name to URL, as `setWasmPaths` of `@tensorflow/tfjs-backend-wasm` takes it.
   * Not needed in Node.
   */
  readonly paths?: string | Readonly<Record<string, string>>;
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * Which backend: a name, `'auto'` (default; tensorflow, webgpu on a hardware adapter,
   * wasm, cpu), or an ordered list of names to try in turn.
   */
  readonly backend?: BackendName | 'auto' | readonly BackendName[];
  /**
   * Worker threads for the wasm backend (browser with cross-origin isolation only; the
   * wasm backend is single-threaded in Node). Integer in [1, 256]. Default: tfjs's choice.
   */
  readonly threads?: number;
  /** WebGPU options. */
  readonly webgpu?: WebGpuOptions;
  /** wasm options. */
  readonly wasm?: WasmOptions;
}

/** Options after validation. */
export interface ResolvedOptions {
  readonly order: readonly BackendName[];
  readonly auto: boolean;
  readonly threads: number | undefined;
  readonly webgpu: WebGpuOptions;
  readonly wasm: WasmOptions;
}

/**
 * Validates {@link InitBackendOptions}.
 * @throws TypeError for a wrong type, RangeError for an unknown name or a bad value.
 */
export function resolveOptions(options: InitBackendOptions = {}): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`"options" expected an object, got ${describeValue(options)}`);
  }
  const requested = options.backend ?? 'auto';
  let order: BackendName[];
  let auto = false;
  if (requested === 'auto') {
    order = [...BACKEND_NAMES];
    auto = true;
  } else if (Array.isArray(requested)) {
    if (requested.length === 0) throw new RangeError('"backend" expected a non-empty list of backend names, got an empty array');
    order = requested.map((name, i) => expectOneOf(`backend[${i}]`, name, BACKEND_NAMES));
    const dup = order.find((name, i) => order.indexOf(name) !== i);
    if (dup !== undefined) throw new RangeError(`"backend" lists '${dup}' twice`);
  } else {
    order = [expectOneOf('backend', requested, [...BACKEND_NAMES, 'auto'] as const) as BackendName];
  }
  const threads = options.threads === undefined ? undefined : expectInteger('threads', options.threads, 1, 256);
  const webgpu = options.webgpu ?? {};
  if (typeof webgpu !== 'object' || webgpu === null) throw new TypeError(`"webgpu" expected an object, got ${describeValue(webgpu)}`);
  if (webgpu.powerPreference !== undefined) expectOneOf('webgpu.powerPreference', webgpu.powerPreference, ['high-performance', 'low-power']);
  if (webgpu.allowSoftwareAdapter !== undefined) expectBoolean('webgpu.allowSoftwareAdapter', webgpu.allowSoftwareAdapter);
  if (webgpu.dawnOptions !== undefined && (!Array.isArray(webgpu.dawnOptions) || webgpu.dawnOptions.some((o) => typeof o !== 'string'))) {
    throw new TypeError(`"webgpu.dawnOptions" expected an array of strings, got ${describeValue(webgpu.dawnOptions)}`);
  }
  const wasm = options.wasm ?? {};
  if (typeof wasm !== 'object' || wasm === null) throw new TypeError(`"wasm" expected an object, got ${describeValue(wasm)}`);
  return { order, auto, threads, webgpu, wasm };
}
