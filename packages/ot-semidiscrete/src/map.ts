// A solved semi-discrete OT map: targets, weights and heights define the power diagram
// W_i(h) = {x : argmax_j <x, y_j> + h_j = i}; T(x) = y of x's cell. Measures cell
// masses and W2 by Monte Carlo, and saves / loads itself.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue, loadTensors, saveTensors, type TensorArrayLike } from '@aeot/tensor-backend';
import { powerAssign, type PowerAssignResult } from './power-assign.js';
import type { SolveHistory } from './solver-state.js';
import { fromSampler, gaussian, SourceSampler, uniformCube, type Sampling, type SourceMeasure } from './source.js';

/** Options of the Monte Carlo measurements. */
export interface MeasureOptions {
  /** Number of source samples. Default 1,000,000. */
  samples?: number;
  /** Seed of the samples. Default 1. */
  seed?: number;
  /** 'random' (default: unbiased, with a standard error) or 'sobol'. */
  sampling?: Sampling;
  /** Samples per batch. Default 65,536. */
  batchSize?: number;
}

/** Result of {@link SemiDiscreteMap.cellMasses}. */
export interface CellMasses {
  /** μ(W_i) estimates, one per target. */
  masses: Float64Array;
  /** mean_i |μ(W_i) − ν_i| / ν_i. */
  meanRelativeError: number;
  /** max_i |μ(W_i) − ν_i| / ν_i. */
  maxRelativeError: number;
  /** Cells that received no sample. */
  emptyCells: number;
  /** Samples used. */
  samples: number;
}

/** A Monte Carlo estimate with its standard error. */
export interface Estimate {
  value: number;
  standardError: number;
  samples: number;
}

/** What a map needs besides its arrays (JSON in saved files). */
export interface MapInfo {
  source: SourceMeasure;
  converged: boolean;
  steps: number;
  history: SolveHistory;
}

const FORMAT = 'aeot-sdot-map/1';

/** The solution of a semi-discrete OT problem; returned by `solveSemiDiscrete`. */
export class SemiDiscreteMap {
  /** Number of targets M. */
  readonly count: number;
  /** Dimension d. */
  readonly dim: number;
  /** Targets y, row-major `[M, d]`. */
  readonly targets: Float64Array;
  /** Weights ν. */
  readonly weights: Float64Array;
  /** Heights h (in the targets' units, mean 0): the Brenier potential is max_j <x, y_j> + h_j. */
  readonly heights: Float64Array;
  /** The source measure μ. */
  readonly source: SourceMeasure;
  /** Whether the solver met its stopping rule. */
  readonly converged: boolean;
  /** Steps the solver took. */
  readonly steps: number;
  /** The solver's per-step diagnostics. */
  readonly history: SolveHistory;
  #y: tf.Tensor2D | undefined;
  #h: tf.Tensor1D | undefined;

  /** @internal use `solveSemiDiscrete` or {@link SemiDiscreteMap.load}. */
  constructor(targets: Float64Array, dim: number, weights: Float64Array, heights: Float64Array, info: MapInfo) {
    this.count = weights.length;
    this.dim = dim;
    this.targets = targets;
    this.weights = weights;
    this.heights = heights;
    this.source = info.source;
    this.converged = info.converged;
    this.steps = info.steps;
    this.history = info.history;
  }

  /** The targets and heights as float32 tensors (made once, freed by {@link SemiDiscreteMap.dispose}). */
  tensors(): { y: tf.Tensor2D; h: tf.Tensor1D } {
    if (this.#y === undefined || this.#y.isDisposed) this.#y = tf.keep(tf.tensor2d(Float32Array.from(this.targets), [this.count, this.dim]));
    if (this.#h === undefined || this.#h.isDisposed) this.#h = tf.keep(tf.tensor1d(Float32Array.from(this.heights)));
    return { y: this.#y, h: this.#h };
  }

  /**
   * The cell of each sample: argmax_j <x, y_j> + h_j.
   *
   * @param x `[N, d]` points.
   * @returns `[N]` int32 cell indices (the caller disposes).
   * @throws {RangeError} when x is not `[N, d]`.
   */
  assign(x: tf.Tensor2D): tf.Tensor1D {
    const { indices, scores } = this.topCells(x, 1);
    scores.dispose();
    const out = tf.reshape(indices, [x.shape[0]]) as tf.Tensor1D;
    indices.dispose();
    return out;
  }

  /**
   * The OT map T(x) = y_{cell(x)}.
   *
   * @param x `[N, d]` points.
   * @returns `[N, d]` targets (the caller disposes).
   */
  transport(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.gather(this.tensors().y, this.assign(x)) as tf.Tensor2D);
  }

  /**
   * The k best cells of each sample, best first (the extended map needs k > 1).
   *
   * @param x `[N, d]` points.
   * @param k 1 ≤ k ≤ min(M, 32).
   * @returns `indices` int32 `[N, k]` and `scores` `[N, k]` (the caller disposes).
   */
  topCells(x: tf.Tensor2D, k: number): PowerAssignResult {
    if (!(x instanceof tf.Tensor) || x.rank !== 2 || x.shape[1] !== this.dim) {
      throw new RangeError(`"x" expected a 2-D tensor [N, ${this.dim}], got ${x instanceof tf.Tensor ? `shape [${x.shape.join(', ')}]` : describeValue(x)}`);
    }
    const { y, h } = this.tensors();
    return powerAssign(x, y, h, k);
  }

  /**
   * Estimates every cell's source mass μ(W_i) by Monte Carlo, accumulated in float64.
   *
   * @param options samples (1e6), seed (1), sampling ('random'), batchSize (65,536).
   */
  async cellMasses(options: MeasureOptions = {}): Promise<CellMasses> {
    const counts = new Float64Array(this.count);
    const samples = await this.sweep(options, 1, (x, idx) => {
      void x;
      for (let i = 0; i < idx.length; i++) counts[idx[i] as number] = (counts[idx[i] as number] as number) + 1;
    });
    const masses = counts.map((c) => c / samples);
    let sum = 0;
    let max = 0;
    let empty = 0;
    for (let i = 0; i < this.count; i++) {
      const rel = Math.abs((masses[i] as number) - (this.weights[i] as number)) / (this.weights[i] as number);
      sum += rel;
      if (rel > max) max = rel;
      if (counts[i] === 0) empty++;
    }
    return { masses, meanRelativeError: sum / this.count, maxRelativeError: max, emptyCells: empty, samples };
  }

  /**
   * Estimates the transport cost E_μ |x − T(x)|², which is W2²(μ, ν) (cost |x − y|²,
   * not ½|x − y|²) once the map is solved; with its standard error.
   *
   * @param options samples (1e6), seed (1), sampling ('random'), batchSize (65,536).
   */
  async wasserstein2(options: MeasureOptions = {}): Promise<Estimate> {
    let sum = 0;
    let sumSq = 0;
    const d = this.dim;
    const y = this.targets;
    const samples = await this.sweep(options, 1, (x, idx) => {
      for (let i = 0; i < idx.length; i++) {
        const j = idx[i] as number;
        let c = 0;
        for (let k = 0; k < d; k++) {
          const diff = (x[i * d + k] as number) - (y[j * d + k] as number);
          c += diff * diff;
        }
        sum += c;
        sumSq += c * c;
      }
    });
    const mean = sum / samples;
    const variance = Math.max(0, sumSq / samples - mean * mean);
    return { value: mean, standardError: Math.sqrt(variance / samples), samples };
  }

  /**
   * Draws source samples in batches and hands each batch, with the k best cells of every
   * sample (row-major `[n, k]`, best first), to `visit`: the loop behind cellMasses,
   * wasserstein2, and the extended map's adjacency and barycentres.
   *
   * @param options samples (1e6), seed (1), sampling ('random'), batchSize (65,536).
   * @param k cells per sample (1 ≤ k ≤ 32).
   * @param visit called per batch with the samples (row-major `[n, d]`) and their cells.
   * @returns the number of samples drawn.
   * @throws {RangeError} for bad sample or batch counts.
   */
  async sweep(options: MeasureOptions, k: number, visit: (x: Float32Array, cells: Int32Array) => void): Promise<number> {
    const total = options.samples ?? 1_000_000;
    const batch = options.batchSize ?? 65_536;
    if (!Number.isInteger(total) || total < 1) throw new RangeError(`"samples" expected an integer ≥ 1, got ${describeValue(total)}`);
    if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`"batchSize" expected an integer ≥ 1, got ${describeValue(batch)}`);
    const sampler = SourceSampler.create(this.source, options.sampling ?? 'random', options.seed ?? 1);
    for (let done = 0; done < total; done += batch) {
      const n = Math.min(batch, total - done);
      const x = sampler.next(n);
      const xt = tf.tensor2d(x, [n, this.dim]);
      const { indices, scores } = this.topCells(xt, k);
      tf.dispose([xt, scores]);
      const cells = (await indices.data()) as Int32Array;
      indices.dispose();
      visit(x, cells);
    }
    return total;
  }

  /**
   * Saves the map (targets, weights, heights as float64; source and history as JSON) with
   * `saveTensors`: an atomic file in Node, `indexeddb://key` or `download://name` in browsers.
   *
   * @param target where to write.
   * @throws {TypeError} for a custom source (its function cannot be saved; pass it again to load).
   */
  async save(target: string): Promise<void> {
    const { tensors, metadata } = this.toRecord();
    await saveTensors(target, tensors, { metadata: { format: FORMAT, ...metadata } });
  }

  /**
   * The map's arrays (float64 targets, weights, heights) and JSON fields (source, info),
   * for files that hold a map among other things (e.g. an extended map).
   *
   * @throws {TypeError} for a custom source.
   */
  toRecord(): { tensors: Record<string, TensorArrayLike>; metadata: Record<string, string> } {
    const f64 = (data: Float64Array, shape: number[]): TensorArrayLike => ({ data, shape });
    return {
      tensors: { targets: f64(this.targets, [this.count, this.dim]), weights: f64(this.weights, [this.count]), heights: f64(this.heights, [this.count]) },
      metadata: {
        source: JSON.stringify({ kind: this.source.kind, dim: this.source.dim, params: this.source.params, radius: this.source.radius, center: this.source.center }),
        info: JSON.stringify({ converged: this.converged, steps: this.steps, history: this.history }),
      },
    };
  }

  /**
   * Loads a map saved by {@link SemiDiscreteMap.save}.
   *
   * @param source a file path, `indexeddb://key` or URL.
   * @param options `sampler`: the sampling function of a custom source.
   * @throws {RangeError} when the file is not a saved map.
   */
  static async load(source: string, options: { sampler?: Parameters<typeof fromSampler>[1] } = {}): Promise<SemiDiscreteMap> {
    const { tensors, metadata } = await loadTensors(source, { as: 'arrays' });
    if (metadata.format !== FORMAT || metadata.source === undefined || metadata.info === undefined) {
      throw new RangeError(`"source" expected a saved aeot map (format ${FORMAT}), got "${source}" with format ${String(metadata.format)}`);
    }
    return SemiDiscreteMap.fromRecord(tensors, metadata, source, options);
  }

  /**
   * Rebuilds a map from {@link SemiDiscreteMap.toRecord}'s arrays and fields.
   *
   * @param tensors arrays as loaded (`targets`, `weights`, `heights`).
   * @param metadata `source` and `info` JSON.
   * @param label the file's name, for errors.
   * @param options `sampler`: the sampling function of a custom source.
   * @throws {RangeError} when fields are missing.
   */
  static fromRecord(
    tensors: Record<string, { data: ArrayLike<number> | ArrayLike<bigint> } | undefined>,
    metadata: Record<string, string>,
    label: string,
    options: { sampler?: Parameters<typeof fromSampler>[1] } = {},
  ): SemiDiscreteMap {
    if (metadata.source === undefined || metadata.info === undefined || tensors.targets === undefined || tensors.heights === undefined) {
      throw new RangeError(`"${label}" does not hold a saved map (targets, heights, source and info expected)`);
    }
    const src = JSON.parse(metadata.source) as { kind: SourceMeasure['kind']; dim: number; params: Record<string, number>; radius: number; center: number };
    let measure: SourceMeasure;
    if (src.kind === 'uniform-cube') measure = uniformCube(src.dim, { low: src.params.low as number, high: src.params.high as number });
    else if (src.kind === 'gaussian') measure = gaussian(src.dim, { mean: src.params.mean as number, std: src.params.std as number });
    else {
      if (options.sampler === undefined) throw new TypeError(`"sampler" expected the custom source's sampling function to load "${label}"`);
      measure = fromSampler(src.dim, options.sampler, { radius: src.radius, center: src.center });
    }
    const info = JSON.parse(metadata.info) as { converged: boolean; steps: number; history: SolveHistory };
    const arr = (name: string): Float64Array => Float64Array.from((tensors[name]?.data ?? []) as ArrayLike<number>);
    return new SemiDiscreteMap(arr('targets'), src.dim, arr('weights'), arr('heights'), { source: measure, ...info });
  }

  /** Frees the cached target and height tensors. */
  dispose(): void {
    this.#y?.dispose();
    this.#h?.dispose();
    this.#y = undefined;
    this.#h = undefined;
  }
}
