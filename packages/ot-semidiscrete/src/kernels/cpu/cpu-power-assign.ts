// CpuPowerAssign: the power assignment by the WebAssembly SIMD kernel
// (native/power_assign.c) on the calling thread plus, in Node, worker threads that
// share its memory (worker-protocol.ts). The targets are packed once per setTargets (the
// solver keeps them fixed for thousands of calls); each call copies the samples and
// heights in, runs, and copies the sorted lists out, in batches that bound the memory.
import { currentPlatform, expectInteger, expectOptions } from '@aeot/tensor-backend';
import { defaultCpuThreads, MAX_CPU_THREADS, type CpuPowerAssignEngine, type CpuPowerAssignOptions } from './cpu-power-assign-engine.js';
import { expectTargetArgs, expectTopKArgs } from './power-assign-arguments.js';
import { compilePowerAssignModule, type WasmPowerAssignVariant } from './power-assign-module.js';
import { POWER_ASSIGN_WASM } from './power-assign-wasm.generated.js';
import { alignBytes, placeRegions, REGION_ALIGN, type Regions } from './wasm-memory-layout.js';
import { runOnWorkers, startWorkers, stopWorkers, type NodeWorker } from './worker-protocol.js';

interface Exports {
  pa_run(job: number, scratch: number): void;
  pa_pack_targets(y: number, m: number, d: number, ypack: number): void;
  pa_pack_heights(h: number, m: number, hpack: number): void;
  __heap_base: WebAssembly.Global;
}

// Words of the job block (power_assign.c's J_* enum).
const JOB_WORDS = 13;
const PAGE = 65536;
const MAX_PAGES = 65536;
// Per-thread scratch of the kernel (one register tile of scores: SM × TB floats).
const SCRATCH_BYTES = alignBytes(POWER_ASSIGN_WASM.samples * POWER_ASSIGN_WASM.targets * 4);
// Samples per job: bounds the staging memory whatever N is (O((M + batch)·d) in all).
const BATCH = 1 << 16;
// Bytes of packed targets each sample group sweeps before moving on (fits L2 with room).
const TARGET_CHUNK_BYTES = 256 * 1024;
const NO_REGIONS: Regions = { ypack: 0, hraw: 0, hpack: 0, x: 0, xpack: 0, oidx: 0, oscore: 0, end: 0 };

/**
 * Fused power assignment on the CPU (WebAssembly SIMD, multithreaded in Node): for each
 * source sample x_i, the k best targets j by the score `<x_i, y_j> + h_j`, best first,
 * equal scores with the lower j first. Scores are float32 sums (`h_j` first, then the
 * d products in order, fused multiply-adds in the `'relaxed-simd'` variant); results do
 * not depend on the number of threads. Memory: O((M + min(N, 65536))·(d + k)) floats,
 * never an N×M matrix.
 *
 * When to use: the hot loop of semi-discrete OT on the wasm / cpu backends, with fixed
 * targets and changing heights. Gotcha: a target whose score is -Infinity or NaN is never
 * reported; a row with fewer than k finite scores is padded with index -1, score -Infinity.
 *
 * @example
 * const pa = await CpuPowerAssign.create();
 * pa.setTargets(y, m, d);                  // y: Float32Array m·d, row-major
 * const cell = new Int32Array(n);
 * pa.assign(x, n, h, cell);                // cell[i] = argmax_j <x_i, y_j> + h_j
 * pa.dispose();
 */
export class CpuPowerAssign implements CpuPowerAssignEngine {
  /** Threads computing each call, the calling one included. */
  readonly threads: number;
  /** SIMD flavour of the compiled kernel. */
  readonly variant: WasmPowerAssignVariant;

  readonly #memory: WebAssembly.Memory;
  readonly #exports: Exports;
  readonly #workers: NodeWorker[];
  readonly #control: number;
  readonly #job: number;
  readonly #scratch: number;
  readonly #base: number;
  #m = 0;
  #d = 0;
  #targetsVersion = 0;
  #hasTargets = false;
  // Region offsets (bytes) and their capacities (elements).
  #regions = NO_REGIONS;
  #targetCap = -1; // packed target floats the layout holds
  #heightCap = -1; // height floats (raw and packed each)
  #sampleCap = -1; // sample floats (x and xpack each)
  #outCap = -1; // output entries (oidx and oscore each)
  #disposed = false;

  private constructor(memory: WebAssembly.Memory, instance: WebAssembly.Instance, variant: WasmPowerAssignVariant, workers: NodeWorker[], control: number) {
    this.#memory = memory;
    this.#exports = instance.exports as unknown as Exports;
    this.variant = variant;
    this.#workers = workers;
    this.threads = workers.length + 1;
    this.#control = control;
    this.#job = control + REGION_ALIGN;
    this.#scratch = control + 2 * REGION_ALIGN;
    this.#base = control + 2 * REGION_ALIGN + MAX_CPU_THREADS * SCRATCH_BYTES;
  }

  /**
   * Compiles the kernel and, in Node with `threads` > 1, starts `threads − 1` worker
   * threads that share its memory (they never keep the process alive).
   *
   * @param options - see {@link CpuPowerAssignOptions}.
   * @returns a ready kernel; call {@link CpuPowerAssign.setTargets} before assigning.
   * @throws RangeError for a bad `threads` or `variant` (`'native'` included: that engine
   *   is `NativePowerAssign`, or `createCpuPowerAssign`); Error when a forced `variant`
   *   does not run here.
   * @example
   * const pa = await CpuPowerAssign.create({ threads: 2 });
   * console.log(pa.variant, pa.threads);
   */
  static async create(options: CpuPowerAssignOptions = {}): Promise<CpuPowerAssign> {
    expectOptions('options', options);
    const node = currentPlatform() === 'node';
    let threads = options.threads ?? (await defaultCpuThreads());
    expectInteger('threads', threads, 1, MAX_CPU_THREADS);
    if (!node) threads = 1;
    if (options.variant === 'native') {
      throw new RangeError(`CpuPowerAssign runs the WebAssembly kernel: "variant" 'native' is made by createCpuPowerAssign or NativePowerAssign.create`);
    }
    if (options.variant !== undefined && options.variant !== 'relaxed-simd' && options.variant !== 'simd') {
      throw new RangeError(`"variant" expected 'relaxed-simd' or 'simd', got ${String(options.variant)}`);
    }
    // Worker threads need a shared memory, which Node always has.
    const shared = node;
    const compiled = await compilePowerAssignModule(options.variant === undefined ? { shared } : { shared, variant: options.variant });
    const memory = new WebAssembly.Memory(shared ? { initial: 1, maximum: MAX_PAGES, shared: true } : { initial: 1, maximum: MAX_PAGES });
    const instance = await WebAssembly.instantiate(compiled.module, { env: { memory } });
    const control = alignBytes((instance.exports as unknown as Exports).__heap_base.value as number);
    const scratchOf = (thread: number): number => control + 2 * REGION_ALIGN + thread * SCRATCH_BYTES;
    const reserved = scratchOf(MAX_CPU_THREADS);
    if (reserved > memory.buffer.byteLength) memory.grow(Math.ceil((reserved - memory.buffer.byteLength) / PAGE));
    // Thread 0 is the calling one; worker w computes with thread w + 1's scratch.
    const workers = threads > 1 ? await startWorkers(compiled.module, memory, control, (w) => scratchOf(w + 1), threads - 1) : [];
    return new CpuPowerAssign(memory, instance, compiled.variant, workers, control);
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
   * @throws TypeError when `y` is not a Float32Array; RangeError for bad sizes or when
   *   the packed targets would not fit in 4 GiB of WebAssembly memory.
   * @example
   * pa.setTargets(new Float32Array([0, 0, 1, 1]), 2, 2);
   */
  setTargets(y: Float32Array, m: number, d: number): void {
    this.#live();
    expectTargetArgs(y, m, d);
    const tb = POWER_ASSIGN_WASM.targets;
    const blocks = Math.ceil(m / tb);
    this.#m = m;
    this.#d = d;
    this.#hasTargets = false;
    this.#layout(blocks * tb * d, Math.max(0, this.#sampleCap), Math.max(0, this.#outCap), m * d);
    // Stage the raw targets where the samples go (free until the next call), then pack.
    const { x: stage, ypack } = this.#regions;
    new Float32Array(this.#memory.buffer, stage, m * d).set(y.subarray(0, m * d));
    this.#exports.pa_pack_targets(stage, m, d, ypack);
    this.#hasTargets = true;
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
   * @throws Error before {@link setTargets}; TypeError / RangeError for bad arguments.
   * @example
   * const idx = new Int32Array(n * 5), score = new Float32Array(n * 5);
   * pa.topK(x, n, h, 5, idx, score);
   */
  topK(x: Float32Array, n: number, h: Float32Array, k: number, outIndex: Int32Array, outScore?: Float32Array): void {
    this.#live();
    if (!this.#hasTargets) throw new Error('CpuPowerAssign: call setTargets before assigning');
    const m = this.#m;
    const d = this.#d;
    expectTopKArgs(x, n, h, k, outIndex, outScore, m, d);
    if (n === 0) return;
    const batch = Math.min(n, BATCH);
    this.#layout(this.#targetCap, Math.max(this.#sampleCap, (Math.ceil(batch / POWER_ASSIGN_WASM.samples) + 1) * POWER_ASSIGN_WASM.samples * d), Math.max(this.#outCap, batch * k), 0);
    const buffer = this.#memory.buffer;
    const r = this.#regions;
    new Float32Array(buffer, r.hraw, m).set(h.subarray(0, m));
    this.#exports.pa_pack_heights(r.hraw, m, r.hpack);
    const tb = POWER_ASSIGN_WASM.targets;
    const blocks = Math.ceil(m / tb);
    const targetBlocks = Math.max(1, Math.floor(TARGET_CHUNK_BYTES / (Math.max(d, 1) * tb * 4)));
    const xView = new Float32Array(buffer, r.x, batch * d);
    const idxView = new Int32Array(buffer, r.oidx, batch * k);
    const scoreView = new Float32Array(buffer, r.oscore, batch * k);
    const job = new Int32Array(buffer, this.#job, JOB_WORDS);
    for (let start = 0; start < n; start += batch) {
      const count = Math.min(batch, n - start);
      xView.set(x.subarray(start * d, (start + count) * d));
      const chunk = this.#chunkSize(count);
      job.set([r.x, count, d, r.ypack, r.hpack, blocks, k, r.oidx, r.oscore, chunk, targetBlocks, 0, r.xpack]);
      this.#run(count > chunk);
      outIndex.set(idxView.subarray(0, count * k), start * k);
      outScore?.set(scoreView.subarray(0, count * k), start * k);
    }
  }

  /**
   * Stops the worker threads and drops the memory. Idempotent; the kernel cannot be
   * used afterwards.
   *
   * @example
   * pa.dispose();
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    stopWorkers(this.#memory, this.#control, this.#workers);
  }

  #live(): void {
    if (this.#disposed) throw new Error('CpuPowerAssign: used after dispose()');
  }

  // Samples per work item: a multiple of the register tile, small enough that every
  // thread gets several (load balance), large enough to reuse each target chunk.
  #chunkSize(n: number): number {
    const sm = POWER_ASSIGN_WASM.samples;
    const groups = Math.ceil(n / (this.threads * 8 * sm));
    return sm * Math.max(1, Math.min(32, groups));
  }

  // Runs the job in the job block on this thread and, when `parallel`, the workers.
  #run(parallel: boolean): void {
    const workers = this.#workers.length;
    if (!parallel || workers === 0) {
      this.#exports.pa_run(this.#job, this.#scratch);
      return;
    }
    runOnWorkers(this.#memory, this.#control, this.#job, workers, () => this.#exports.pa_run(this.#job, this.#scratch));
  }

  // Places the regions for the given capacities (floats / entries), growing the memory
  // when needed. The packed targets always start at the base, so a relayout for more
  // samples keeps them. `stage` floats of raw targets must fit in the sample region
  // (setTargets stages them there).
  #layout(targetFloats: number, sampleFloats: number, outEntries: number, stage: number): void {
    sampleFloats = Math.max(sampleFloats, stage);
    const tb = POWER_ASSIGN_WASM.targets;
    const heightFloats = Math.ceil(this.#m / tb) * tb;
    if (targetFloats <= this.#targetCap && heightFloats <= this.#heightCap && sampleFloats <= this.#sampleCap && outEntries <= this.#outCap) return;
    targetFloats = Math.max(targetFloats, this.#targetCap);
    const heightCap = Math.max(heightFloats, this.#heightCap);
    const regions = placeRegions(this.#base, { targetFloats, heightFloats: heightCap, sampleFloats, outEntries });
    const at = regions.end;
    if (at > MAX_PAGES * PAGE) {
      throw new RangeError(`CpuPowerAssign: ${at} bytes of working memory needed (m = ${this.#m}, d = ${this.#d}), more than WebAssembly's 4 GiB`);
    }
    const pages = Math.ceil(at / PAGE) - this.#memory.buffer.byteLength / PAGE;
    if (pages > 0) this.#memory.grow(pages);
    this.#regions = regions;
    this.#targetCap = targetFloats;
    this.#heightCap = heightCap;
    this.#sampleCap = sampleFloats;
    this.#outCap = outEntries;
  }
}
