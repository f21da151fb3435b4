// NativePowerAssign: the CPU power assignment by the native addon (native-addon.ts) —
// the same contract and bit-identical results as the WebAssembly relaxed-SIMD kernel
// (scores h_j + Σ_t fma in increasing t), computed with AVX-512 (or AVX2 + FMA) kernels
// and the addon's pthread pool, in Node on linux-x64.
import { expectInteger, expectOptions } from '@aeot/tensor-backend';
import { defaultCpuThreads, MAX_CPU_THREADS, type CpuPowerAssignEngine } from './cpu-power-assign-engine.js';
import { loadNativeAddon, type NativeBinding, type NativePowerAssignIsa, type NativeTargets } from './native-addon.js';
import { expectTargetArgs, expectTopKArgs } from './power-assign-arguments.js';

/** Options of {@link NativePowerAssign.create}. */
export interface NativePowerAssignOptions {
  /** Threads computing each call, the calling one included; integer in [1, 64]. Default: `os.availableParallelism()`. */
  readonly threads?: number;
  /** Force the AVX2 kernel on an AVX-512 CPU (tests, comparisons); default the best the CPU runs. */
  readonly isa?: NativePowerAssignIsa;
}

/**
 * Fused power assignment on the CPU in Node on linux-x64 (a native AVX-512 / AVX2 addon,
 * multithreaded with pthreads): the same surface and bit-identical results as
 * {@link CpuPowerAssign} in its `'relaxed-simd'` variant — for each source sample x_i,
 * the k best targets j by `<x_i, y_j> + h_j` (float32: `h_j` first, then one fused
 * multiply-add per dimension in order), best first, equal scores with the lower j first;
 * results do not depend on the number of threads. Memory: the packed targets plus, per
 * thread, one chunk of samples and lists; no N×M matrix.
 *
 * When to use: {@link createCpuPowerAssign} picks it by default where it loads; create it
 * directly to insist on it (throws where it is unavailable). Gotcha: a target whose score
 * is -Infinity or NaN is never reported; a row with fewer than k finite scores is padded
 * with index -1, score -Infinity.
 *
 * @example
 * const pa = await NativePowerAssign.create({ threads: 2 });
 * pa.setTargets(y, m, d);
 * const cell = new Int32Array(n);
 * pa.assign(x, n, h, cell);
 * pa.dispose();
 */
export class NativePowerAssign implements CpuPowerAssignEngine {
  /** Threads computing each call, the calling one included. */
  readonly threads: number;
  /** Always `'native'`. */
  readonly variant = 'native' as const;
  /** Instruction set of the kernel in use. */
  readonly isa: NativePowerAssignIsa;

  readonly #binding: NativeBinding;
  #targets: NativeTargets | undefined;
  #m = 0;
  #d = 0;
  #targetsVersion = 0;
  #disposed = false;

  private constructor(binding: NativeBinding, isa: NativePowerAssignIsa, threads: number) {
    this.#binding = binding;
    this.isa = isa;
    this.threads = threads;
  }

  /**
   * Loads the addon (once per process) and makes an engine.
   *
   * @param options - see {@link NativePowerAssignOptions}.
   * @returns a ready engine; call {@link NativePowerAssign.setTargets} before assigning.
   * @throws RangeError for a bad `threads` or `isa`; Error (with the reason) where the
   *   addon is unavailable or the CPU cannot run the requested `isa`.
   * @example
   * const pa = await NativePowerAssign.create();
   * console.log(pa.isa, pa.threads);
   */
  static async create(options: NativePowerAssignOptions = {}): Promise<NativePowerAssign> {
    const engine = await NativePowerAssign.#make(options);
    if (typeof engine === 'string') throw new Error(`NativePowerAssign: the native kernel is unavailable: ${engine}`);
    return engine;
  }

  /**
   * Like {@link NativePowerAssign.create}, but resolves to null where the addon is
   * unavailable (bad options still throw).
   *
   * @param options - see {@link NativePowerAssignOptions}.
   * @returns an engine, or null.
   * @example
   * const pa = (await NativePowerAssign.tryCreate()) ?? (await CpuPowerAssign.create());
   */
  static async tryCreate(options: NativePowerAssignOptions = {}): Promise<NativePowerAssign | null> {
    const engine = await NativePowerAssign.#make(options);
    return typeof engine === 'string' ? null : engine;
  }

  // An engine, or the reason the addon is unavailable.
  static async #make(options: NativePowerAssignOptions): Promise<NativePowerAssign | string> {
    expectOptions('options', options);
    if (options.isa !== undefined && options.isa !== 'avx512' && options.isa !== 'avx2') {
      throw new RangeError(`"isa" expected 'avx512' or 'avx2', got ${String(options.isa)}`);
    }
    if (options.threads !== undefined) expectInteger('threads', options.threads, 1, MAX_CPU_THREADS);
    const loaded = await loadNativeAddon();
    if (!loaded.ok) return loaded.reason;
    if (options.isa === 'avx512' && loaded.isa !== 'avx512') throw new Error(`NativePowerAssign: this CPU cannot run the avx512 kernel (best: ${loaded.isa})`);
    const threads = options.threads ?? (await defaultCpuThreads());
    return new NativePowerAssign(loaded.binding, options.isa ?? loaded.isa, threads);
  }

  /** Number of targets of the current target set (0 before {@link setTargets}). */
  get targetCount(): number {
    return this.#m;
  }

  /** Dimension of the current target set (0 before {@link setTargets}). */
  get dimension(): number {
    return this.#d;
  }

  /** Incremented by every {@link setTargets}: tells caches whether the packed targets changed. */
  get targetsVersion(): number {
    return this.#targetsVersion;
  }

  /**
   * Packs the targets (once; later calls reuse them until the next setTargets).
   *
   * @param y - targets, row-major `m × d` float32 (only the first m·d elements are read).
   * @param m - number of targets, ≥ 1.
   * @param d - dimension, ≥ 1.
   * @throws TypeError when `y` is not a Float32Array; RangeError for bad sizes.
   * @example
   * pa.setTargets(new Float32Array([0, 0, 1, 1]), 2, 2);
   */
  setTargets(y: Float32Array, m: number, d: number): void {
    this.#live();
    expectTargetArgs(y, m, d);
    this.#release();
    this.#m = m;
    this.#d = d;
    this.#targets = this.#binding.packTargets(y, m, d, this.isa);
    this.#targetsVersion++;
  }

  /**
   * Top-1 assignment: `outIndex[i] = argmax_j <x_i, y_j> + h_j` (lowest j among equal
   * best scores), and the best score in `outScore[i]` when given.
   *
   * @param x - samples, row-major `n × d` float32.
   * @param n - number of samples, ≥ 0.
   * @param h - heights, `m` float32.
   * @param outIndex - receives n indices.
   * @param outScore - optionally receives the n best scores.
   * @throws Error before {@link setTargets}; TypeError / RangeError for bad arguments.
   * @example
   * const cell = new Int32Array(n);
   * pa.assign(x, n, h, cell);
   */
  assign(x: Float32Array, n: number, h: Float32Array, outIndex: Int32Array, outScore?: Float32Array): void {
    this.topK(x, n, h, 1, outIndex, outScore);
  }

  /**
   * Top-k assignment: row i of `outIndex` / `outScore` (`n × k`, row-major) lists the k
   * best targets of x_i by `<x_i, y_j> + h_j`, best first, equal scores lower j first.
   *
   * @param x - samples, row-major `n × d` float32.
   * @param n - number of samples, ≥ 0.
   * @param h - heights, `m` float32.
   * @param k - list length, integer in [1, min(m, MAX_TOP_K = 32)].
   * @param outIndex - receives n·k indices.
   * @param outScore - receives n·k scores (optional).
   * @throws Error before {@link setTargets}; TypeError / RangeError for bad arguments
   *   (also when `outIndex` and `outScore` share memory).
   * @example
   * const idx = new Int32Array(n * 5), score = new Float32Array(n * 5);
   * pa.topK(x, n, h, 5, idx, score);
   */
  topK(x: Float32Array, n: number, h: Float32Array, k: number, outIndex: Int32Array, outScore?: Float32Array): void {
    this.#live();
    const targets = this.#targets;
    if (targets === undefined) throw new Error('NativePowerAssign: call setTargets before assigning');
    const m = this.#m;
    const d = this.#d;
    expectTopKArgs(x, n, h, k, outIndex, outScore, m, d);
    if (n === 0) return;
    this.#binding.run(targets, x, n, h, k, outIndex, outScore ?? null, this.threads);
  }

  /**
   * Frees the packed targets. Idempotent; the engine cannot be used afterwards (the
   * thread pool is the process's and stays parked).
   *
   * @example
   * pa.dispose();
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#release();
  }

  #release(): void {
    if (this.#targets !== undefined) this.#binding.release(this.#targets);
    this.#targets = undefined;
  }

  #live(): void {
    if (this.#disposed) throw new Error('NativePowerAssign: used after dispose()');
  }
}

