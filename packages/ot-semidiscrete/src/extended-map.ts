// AE-OT's generator: a piecewise-linear extension of the semi-discrete OT map that makes
// new codes between neighbouring training codes of one mode and never across the
// singular set (adjacent cells whose dihedral angle exceeds θ̂). Two rules: the paper's
// barycentric rule over the d + 1 best cells, and the pairwise rule of the authors'
// released code; plus the naive extension — a continuous interpolation of the map over
// the nearest cell barycentres, blind to the singular set — as the control that shows
// mode mixture. All sampling is tensor-batched on the active backend.
import * as tf from '@tensorflow/tfjs-core';
import { describeValue, expectInteger, expectOneOf, loadTensors, saveTensors } from '@aeot/tensor-backend';
import { MAX_TOP_K } from './kernels/power-assign-kernel.js';
import { powerAssign } from './power-assign.js';
import { SemiDiscreteMap } from './map.js';
import { angleQuantile, cellAdjacency, chooseAngleThreshold, codeScaling, normalAngle, unitNormals, type AngleThreshold, type CellAdjacency } from './singular-set.js';
import { SourceSampler, type SampleFunction } from './source.js';

const EXTENDED_FORMAT = 'aeot-extended-map/1';

/** How a source sample becomes a code. */
export type ExtensionRule = 'barycentric' | 'pairwise' | 'naive';

/** Options of {@link extendMap}. */
export interface ExtendMapOptions {
  /** θ̂ in radians (on standardised codes unless `standardise: false`), or `'auto'` (default): from the neighbour angles. */
  threshold?: number | 'auto';
  /** Take angles on codes centred and scaled to unit RMS (default true); false: raw codes, as the authors. */
  standardise?: boolean;
  /** Source samples for adjacency (auto threshold). Default 200,000. */
  adjacencySamples?: number;
  /** Source samples for the cells' μ-barycentres. Default 1,000,000. */
  barycentreSamples?: number;
  /** Seed of both Monte Carlo estimates. Default 11. */
  seed?: number;
  /**
   * With `threshold: 'auto'`, when the angles show no gap: put θ̂ at this quantile of the
   * neighbour angles (see {@link angleQuantile}) instead of having no singular set. For
   * real-data codes, whose within-mode and across-mode angles overlap, e.g. 0.5.
   * Default: none (no gap, no singular set).
   */
  fallbackQuantile?: number;
}

/** Options of {@link ExtendedMap.sample}. */
export interface GenerateOptions {
  /** `'barycentric'` (default, the paper), `'pairwise'` (the released code) or `'naive'` (continuous interpolation, blind to the singular set: the control). */
  rule?: ExtensionRule;
  /** Seed of the source samples. Default 0. */
  seed?: number;
  /** A sample whose neighbourhood crosses the singular set: `'map'` (default) gives the plain map's code T(x); `'reject'` drops it. */
  onSingular?: 'map' | 'reject';
  /** Cells per sample: barycentric d + 1 (capped at 32), pairwise 20 (the released code). */
  neighbours?: number;
  /** Pairwise rule: weight of the neighbour's code. Default 0.25 (the released code). */
  weight?: number;
  /**
   * Barycentric rule, when some of the K cells lie across the singular set from i₀:
   * `'exclude'` (default) combines only the cells on i₀'s side (λ renormalised) and falls
   * back only when none is left besides i₀; `'fallback'` is the paper's strict rule: any
   * crossing cell sends the sample to the fallback. In high dimension the strict rule
   * falls back often (K = d + 1 cells reach across modes), `'exclude'` rarely.
   */
  crossing?: 'exclude' | 'fallback';
}

/** Generated codes and what happened to the samples. */
export interface GeneratedCodes {
  /** `[rows, d]` codes (the caller disposes): rows = n, or fewer with `onSingular: 'reject'`. */
  codes: tf.Tensor2D;
  /** Samples extended by the rule (new codes). */
  extended: number;
  /** Samples whose neighbourhood crossed the singular set and fell back to T(x). */
  fallback: number;
  /** Samples dropped for crossing the singular set. */
  rejected: number;
  /** Cells consulted per sample (K = `neighbours`). */
  neighbours: number;
  /** Per generated row, the K cells consulted (best first by the rule's order), row-major `[rows, K]`. */
  cells: Int32Array;
  /** Per generated row: 1 when the rule made it, 0 when it fell back to T(x). */
  extendedRows: Uint8Array;
}

/**
 * A solved map with what the extended rules need: θ̂, the standardised unit normals, and
 * the cells' μ-barycentres. Make it with {@link extendMap}.
 */
export class ExtendedMap {
  readonly map: SemiDiscreteMap;
  /** θ̂ in radians. `Infinity`: no singular set (one mode). */
  readonly threshold: number;
  /** How θ̂ was chosen (auto), or undefined when given. */
  readonly thresholdChoice: AngleThreshold | undefined;
  /** The adjacency behind an auto θ̂. */
  readonly adjacency: CellAdjacency | undefined;
  /** Whether angles use standardised codes. */
  readonly standardised: boolean;
  /** μ-barycentre of each cell, row-major `[M, d]` (1e30 for a cell no sample reached). */
  readonly barycentres: Float64Array;
  #normals: tf.Tensor2D | undefined;
  #centres: tf.Tensor2D | undefined;
  #centreHeight: tf.Tensor1D | undefined;
  readonly #normalValues: Float64Array;

  /** @internal use {@link extendMap}. */
  constructor(map: SemiDiscreteMap, threshold: number, choice: AngleThreshold | undefined, adjacency: CellAdjacency | undefined, standardised: boolean, barycentres: Float64Array, normals: Float64Array) {
    this.map = map;
    this.threshold = threshold;
    this.thresholdChoice = choice;
    this.adjacency = adjacency;
    this.standardised = standardised;
    this.barycentres = barycentres;
    this.#normalValues = normals;
  }

  /** Unit normals `[M, d + 1]` (float64) of the codes the angles are taken on. */
  get normals(): Float64Array {
    return this.#normalValues;
  }

  /**
   * Saves everything sampling needs in one safetensors file (an atomic file in Node,
   * `indexeddb://key` or `download://name` in browsers): the map's targets, weights and
   * heights, the cells' barycentres (float64), θ̂ and how angles are taken. Loading it
   * skips the Monte Carlo estimates of {@link extendMap}.
   *
   * @param target where to write.
   * @throws {TypeError} for a map with a custom source.
   */
  async save(target: string): Promise<void> {
    const { tensors, metadata } = this.map.toRecord();
    tensors.barycentres = { data: this.barycentres, shape: [this.map.count, this.map.dim] };
    // JSON has no NaN or ∞: non-finite numbers travel as strings.
    const choice = this.thresholdChoice === undefined ? undefined : JSON.stringify(this.thresholdChoice, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
    await saveTensors(target, tensors, {
      metadata: {
        ...metadata,
        format: EXTENDED_FORMAT,
        threshold: String(this.threshold),
        standardised: String(this.standardised),
        ...(choice === undefined ? {} : { thresholdChoice: choice }),
      },
    });
  }

  /**
   * Loads an extended map saved by {@link ExtendedMap.save} (Node: a path; browsers:
   * `indexeddb://key` or an http(s) URL).
   *
   * @param source where to read.
   * @param options `sampler`: the sampling function of a custom source.
   * @returns the extended map, ready to sample (same codes as the saved one for the same seed).
   * @throws {RangeError} when the file is not a saved extended map.
   */
  static async load(source: string, options: { sampler?: SampleFunction } = {}): Promise<ExtendedMap> {
    const { tensors, metadata } = await loadTensors(source, { as: 'arrays' });
    if (metadata.format !== EXTENDED_FORMAT || metadata.threshold === undefined || tensors.barycentres === undefined) {
      throw new RangeError(`"source" expected a saved aeot extended map (format ${EXTENDED_FORMAT}), got "${source}" with format ${String(metadata.format)}`);
    }
    const map = SemiDiscreteMap.fromRecord(tensors, metadata, source, options);
    const standardised = metadata.standardised !== 'false';
    const threshold = Number(metadata.threshold);
    const choice =
      metadata.thresholdChoice === undefined
        ? undefined
        : (JSON.parse(metadata.thresholdChoice, (_, v: unknown) => (v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? Number(v) : v)) as AngleThreshold);
    const barycentres = Float64Array.from(tensors.barycentres.data as ArrayLike<number>);
    const normals = unitNormals(map.targets, map.dim, standardised ? codeScaling(map.targets, map.dim) : undefined);
    return new ExtendedMap(map, threshold, choice, undefined, standardised, barycentres, normals);
  }

  /**
   * Generates codes: draws n source samples x (seeded) and applies the rule.
   * - barycentric: the K = d + 1 best cells i₀..i_{K−1} of x; Σ λ_k y_{i_k} with
   *   λ_k ∝ 1/|x − c_{i_k}| (c = μ-barycentres) over the cells with θ(i₀, i_k) ≤ θ̂
   *   (`crossing: 'exclude'`, default), or only when all K qualify (`'fallback'`, the
   *   paper's strict rule); otherwise fall back.
   * - pairwise: the best-ranked of the top K = 20 cells with θ(i₀, i_k) ≤ θ̂ gives
   *   (1 − w) y_{i₀} + w y_{i_k}; none → fall back.
   * - naive: the K = d + 1 cells whose μ-barycentres are nearest to x, with the same
   *   weights and no angle check: a continuous interpolation of T, which must cross the
   *   gaps between modes (mode mixture, as any continuous generator).
   *
   * @param n number of samples, ≥ 1.
   * @param options rule, seed, fallback, neighbours, weight.
   * @returns the codes (a tensor the caller disposes) and the counts.
   * @throws {RangeError} for bad options.
   * @example
   * const generator = await extendMap(map);
   * const { codes, extended, fallback } = await generator.sample(2500, { seed: 1 });
   */
  async sample(n: number, options: GenerateOptions = {}): Promise<GeneratedCodes> {
    const count = expectInteger('n', n, 1);
    const rule = expectOneOf('rule', options.rule ?? 'barycentric', ['barycentric', 'pairwise', 'naive'] as const);
    const onSingular = expectOneOf('onSingular', options.onSingular ?? 'map', ['map', 'reject'] as const);
    const seed = expectInteger('seed', options.seed ?? 0, 0, 2 ** 32 - 1);
    const { count: m, dim: d } = this.map;
    const defaultK = rule === 'pairwise' ? 20 : d + 1;
    const k = Math.min(expectInteger('neighbours', options.neighbours ?? Math.min(defaultK, MAX_TOP_K), 2, MAX_TOP_K), m);
    const weight = options.weight ?? 0.25;
    const crossing = expectOneOf('crossing', options.crossing ?? 'exclude', ['exclude', 'fallback'] as const);
    if (typeof weight !== 'number' || !(weight > 0 && weight < 1)) throw new RangeError(`"weight" expected a number in (0, 1), got ${describeValue(weight)}`);
    const sampler = SourceSampler.create(this.map.source, 'random', seed);
    const chunk = Math.max(1, Math.floor((1 << 22) / (k * (d + 1))));
    const parts: tf.Tensor2D[] = [];
    const cellParts: Int32Array[] = [];
    const flagParts: Uint8Array[] = [];
    let extended = 0;
    let fallback = 0;
    let rejected = 0;
    for (let done = 0; done < count; done += chunk) {
      const b = Math.min(chunk, count - done);
      const x = tf.tensor2d(sampler.next(b), [b, d]);
      // The naive rule picks cells by barycentre distance: argmax <x, c> − |c|²/2.
      const { indices, scores } = rule === 'naive' ? powerAssign(x, this.#centreTensor(), this.#centreHeights(), k) : this.map.topCells(x, k);
      scores.dispose();
      const [codes, ok] = tf.tidy(() => this.#generate(x, indices, rule, weight, crossing));
      const okValues = Uint8Array.from((await ok.data()) as Uint8Array);
      const used = (await indices.data()) as Int32Array;
      tf.dispose([x, indices, ok]);
      let good = 0;
      for (let i = 0; i < b; i++) good += okValues[i] as number;
      extended += good;
      if (onSingular === 'reject' && good < b) {
        const keep = Int32Array.from(Array.from(okValues.keys()).filter((i) => okValues[i] === 1));
        const kept = tf.tidy(() => tf.gather(codes, keep) as tf.Tensor2D);
        codes.dispose();
        parts.push(kept);
        const keptCells = new Int32Array(keep.length * k);
        keep.forEach((i, r) => keptCells.set(used.subarray(i * k, (i + 1) * k), r * k));
        cellParts.push(keptCells);
        flagParts.push(new Uint8Array(keep.length).fill(1));
        rejected += b - good;
      } else {
        parts.push(codes);
        cellParts.push(Int32Array.from(used));
        flagParts.push(okValues);
        fallback += b - good;
      }
    }
    const codes = parts.length === 1 ? parts[0]! : (tf.concat(parts, 0) as tf.Tensor2D);
    if (parts.length > 1) tf.dispose(parts);
    const join = <T extends Int32Array | Uint8Array>(chunks: T[], make: (n: number) => T): T => {
      const out = make(chunks.reduce((t, c) => t + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    };
    return { codes, extended, fallback, rejected, neighbours: k, cells: join(cellParts, (n) => new Int32Array(n)), extendedRows: join(flagParts, (n) => new Uint8Array(n)) };
  }

  // Codes of one chunk and, per sample, whether the rule applied (1) or it fell back (0).
  #generate(x: tf.Tensor2D, indices: tf.Tensor2D, rule: ExtensionRule, weight: number, crossing: 'exclude' | 'fallback'): [tf.Tensor2D, tf.Tensor1D] {
    const { y } = this.map.tensors();
    const [b, k] = indices.shape;
    const codes: tf.Tensor = tf.gather(y, indices); // [b, k, d]
    const first = tf.squeeze(tf.slice(codes, [0, 0, 0], [b, 1, -1]), [1]) as tf.Tensor2D;
    // θ(i₀, i_j) = 2 asin(|n̂₀ − n̂_j| / 2) on the unit normals (the naive rule ignores it).
    const within = (): tf.Tensor => {
      const normals: tf.Tensor = tf.gather(this.#normalTensor(), indices); // [b, k, d + 1]
      const gap = tf.sub(normals, tf.slice(normals, [0, 0, 0], [b, 1, -1]));
      const chord = tf.sqrt(tf.sum(tf.mul(gap, gap), 2));
      const theta = tf.mul(2, tf.asin(tf.clipByValue(tf.div(chord, 2), 0, 1))); // [b, k], θ₀₀ = 0
      return tf.lessEqual(theta, this.threshold === Infinity ? Number.MAX_VALUE : this.threshold);
    };
    if (rule === 'pairwise') {
      const rest = tf.slice(within(), [0, 1], [b, k - 1]);
      const any = tf.any(rest, 1);
      const pick = tf.add(tf.argMax(tf.cast(rest, 'int32'), 1), tf.scalar(1, 'int32')); // best-ranked valid neighbour
      // Row r's pick in the flattened [b·k, d] codes (tfjs-wasm's gather with batchDims faults).
      const flat = tf.add(tf.mul(tf.range(0, b, 1, 'int32'), tf.scalar(k, 'int32')), pick);
      const neighbour = tf.gather(tf.reshape(codes, [b * k, -1]), flat) as tf.Tensor2D;
      const mixed = tf.add(tf.mul(1 - weight, first), tf.mul(weight, neighbour));
      return [tf.where(tf.expandDims(any, 1), mixed, first) as tf.Tensor2D, tf.cast(any, 'bool') as tf.Tensor1D];
    }
    // Barycentric weights λ_j ∝ 1/|x − c_{i_j}| (an unreached cell's centre is far: λ = 0);
    // with 'exclude', cells across the singular set from i₀ get λ = 0.
    const centres: tf.Tensor = tf.gather(this.#centreTensor(), indices);
    const offset = tf.sub(centres, tf.expandDims(x, 1));
    const distance = tf.maximum(tf.sqrt(tf.sum(tf.mul(offset, offset), 2)), 1e-12);
    const inverse = tf.div(1, distance);
    const mix = (weights: tf.Tensor): tf.Tensor2D => tf.sum(tf.mul(tf.expandDims(tf.div(weights, tf.sum(weights, 1, true)), 2), codes), 1) as tf.Tensor2D;
    if (rule === 'naive') return [mix(inverse), tf.ones([b], 'bool') as tf.Tensor1D];
    const inside = within();
    const mixed = mix(crossing === 'exclude' ? tf.mul(inverse, tf.cast(inside, 'float32')) : inverse);
    const ok = crossing === 'exclude' ? tf.any(tf.slice(inside, [0, 1], [b, k - 1]), 1) : tf.all(inside, 1);
    return [tf.where(tf.expandDims(ok, 1), mixed, first) as tf.Tensor2D, ok as tf.Tensor1D];
  }

  #normalTensor(): tf.Tensor2D {
    if (this.#normals === undefined || this.#normals.isDisposed) this.#normals = tf.keep(tf.tensor2d(Float32Array.from(this.#normalValues), [this.map.count, this.map.dim + 1]));
    return this.#normals;
  }

  #centreHeights(): tf.Tensor1D {
    if (this.#centreHeight === undefined || this.#centreHeight.isDisposed) {
      const { count: m, dim: d } = this.map;
      const h = new Float32Array(m);
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (this.barycentres[i * d + j] as number) ** 2;
        h[i] = this.barycentres[i * d] === 1e30 ? -3e38 : -s / 2;
      }
      this.#centreHeight = tf.keep(tf.tensor1d(h));
    }
    return this.#centreHeight;
  }

  #centreTensor(): tf.Tensor2D {
    if (this.#centres === undefined || this.#centres.isDisposed) this.#centres = tf.keep(tf.tensor2d(Float32Array.from(this.barycentres), [this.map.count, this.map.dim]));
    return this.#centres;
  }

  /** Frees the tensors held here (not the map's). */
  dispose(): void {
    this.#normals?.dispose();
    this.#centres?.dispose();
    this.#centreHeight?.dispose();
  }
}

/**
 * Prepares the extended map of a solved semi-discrete map: θ̂ (given, or chosen from the
 * neighbour angles) and the cells' μ-barycentres (Monte Carlo).
 *
 * Gotcha: θ̂ is in radians on standardised codes by default (centred, unit RMS), so one
 * θ̂ means the same at any code scale; pass `standardise: false` to use the authors'
 * raw-code thresholds (0.2 rad for 25 Gaussians, 0.4 for 8, 0.7 for CelebA).
 *
 * @param map a solved map.
 * @param options threshold ('auto'), standardise (true), sample counts, seed.
 * @returns the extended map; call `sample(n)`.
 * @throws {RangeError} for a bad threshold or options.
 * @example
 * const generator = await extendMap(map);            // θ̂ from the angle distribution
 * const { codes } = await generator.sample(10_000);  // new latent codes
 */
export async function extendMap(map: SemiDiscreteMap, options: ExtendMapOptions = {}): Promise<ExtendedMap> {
  const standardise = options.standardise ?? true;
  const seed = expectInteger('seed', options.seed ?? 11, 0, 2 ** 32 - 1);
  const given = options.threshold ?? 'auto';
  if (given !== 'auto' && (typeof given !== 'number' || !(given > 0))) throw new RangeError(`"threshold" expected 'auto' or an angle > 0 (radians), got ${describeValue(given)}`);
  const q = options.fallbackQuantile;
  if (q !== undefined && (typeof q !== 'number' || !(q > 0 && q <= 1))) throw new RangeError(`"fallbackQuantile" expected a number in (0, 1], got ${describeValue(q)}`);
  const normals = unitNormals(map.targets, map.dim, standardise ? codeScaling(map.targets, map.dim) : undefined);
  let threshold = given === 'auto' ? Infinity : given;
  let choice: AngleThreshold | undefined;
  let adjacency: CellAdjacency | undefined;
  if (given === 'auto' && map.count > 1) {
    adjacency = await cellAdjacency(map, { samples: options.adjacencySamples ?? 200_000, seed });
    // Angles as the generator sees them (standardised or raw codes).
    const angles = standardise ? adjacency.angles : Float64Array.from({ length: adjacency.hits.length }, (_, p) => normalAngle(normals, map.dim + 1, adjacency!.pairs[2 * p] as number, adjacency!.pairs[2 * p + 1] as number));
    choice = chooseAngleThreshold(angles);
    if (!choice.found && options.fallbackQuantile !== undefined) choice = angleQuantile(angles, options.fallbackQuantile);
    threshold = choice.threshold;
  }
  const barycentres = await cellBarycentres(map, expectInteger('barycentreSamples', options.barycentreSamples ?? 1_000_000, 1), seed + 1);
  return new ExtendedMap(map, threshold, choice, adjacency, standardise, barycentres, normals);
}

// μ-barycentre of every cell by Monte Carlo (float64 sums); unreached cells far away.
async function cellBarycentres(map: SemiDiscreteMap, total: number, seed: number): Promise<Float64Array> {
  const { count: m, dim: d } = map;
  const sums = new Float64Array(m * d);
  const counts = new Float64Array(m);
  await map.sweep({ samples: total, seed }, 1, (x, idx) => {
    for (let i = 0; i < idx.length; i++) {
      const c = idx[i] as number;
      counts[c]!++;
      for (let j = 0; j < d; j++) sums[c * d + j] = (sums[c * d + j] as number) + (x[i * d + j] as number);
    }
  });
  for (let c = 0; c < m; c++) for (let j = 0; j < d; j++) sums[c * d + j] = counts[c] === 0 ? 1e30 : (sums[c * d + j] as number) / (counts[c] as number);
  return sums;
}
