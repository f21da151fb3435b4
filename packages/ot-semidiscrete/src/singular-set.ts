// The geometry that keeps AE-OT's generator off the gaps between modes. The graph of the
// Brenier potential u_h(x) = max_i <x, y_i> + h_i is the upper envelope of hyperplanes
// with normals (y_i, −1); the dihedral angle θ_ij between two of them is small inside a
// mode (neighbouring codes are close) and jumps across a gap. Adjacent cells whose angle
// exceeds a threshold θ̂ form the singular set. Angles are computed on codes centred and
// scaled to unit RMS (so θ̂ does not depend on the codes' units), with the stable form
// θ = 2 asin(|n̂_i − n̂_j| / 2) of unit normals, accurate for tiny angles.
import { describeValue, expectInteger } from '@aeot/tensor-backend';
import type { SemiDiscreteMap } from './map.js';

/** How the codes are scaled before angles are taken. */
export interface CodeScaling {
  /** Subtracted from every code (length d). */
  readonly centre: Float64Array;
  /** Every centred code is divided by it: the RMS distance of the codes from their centre. */
  readonly scale: number;
}

/**
 * The centring and scale of {@link dihedralAngle}'s standardised codes: the mean code and
 * the RMS of |y − mean| over the targets.
 */
export function codeScaling(targets: Float64Array, dim: number): CodeScaling {
  const m = targets.length / dim;
  const centre = new Float64Array(dim);
  for (let i = 0; i < m; i++) for (let j = 0; j < dim; j++) centre[j] = (centre[j] as number) + (targets[i * dim + j] as number) / m;
  let ss = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < dim; j++) ss += ((targets[i * dim + j] as number) - (centre[j] as number)) ** 2;
  const scale = Math.sqrt(ss / m);
  return { centre, scale: scale > 0 ? scale : 1 };
}

/** Unit normals n̂_i = (y_i, −1)/√(|y_i|² + 1) of the standardised codes, row-major `[M, d + 1]`. */
export function unitNormals(targets: Float64Array, dim: number, scaling: CodeScaling | undefined): Float64Array {
  const m = targets.length / dim;
  const out = new Float64Array(m * (dim + 1));
  for (let i = 0; i < m; i++) {
    let norm = 1;
    for (let j = 0; j < dim; j++) {
      const v = scaling === undefined ? (targets[i * dim + j] as number) : ((targets[i * dim + j] as number) - (scaling.centre[j] as number)) / scaling.scale;
      out[i * (dim + 1) + j] = v;
      norm += v * v;
    }
    out[i * (dim + 1) + dim] = -1;
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j <= dim; j++) out[i * (dim + 1) + j] = (out[i * (dim + 1) + j] as number) * inv;
  }
  return out;
}

/**
 * Dihedral angle (radians) between the hyperplanes z = <x, a> + h_a and z = <x, b> + h_b
 * of the Brenier potential: θ = arccos((<a, b> + 1) / √((|a|² + 1)(|b|² + 1))), computed
 * as 2 asin(|n̂_a − n̂_b| / 2) for accuracy at small angles. It does not depend on the
 * heights. Raw codes: pass them as they are (the authors' convention; scale-dependent).
 *
 * @param a a code y_i.
 * @param b a code y_j of the same length.
 * @returns θ in [0, π).
 * @throws {RangeError} for codes of different lengths or non-finite values.
 * @example
 * dihedralAngle([1, 0], [0, 1]); // arccos(1/2) = π/3
 */
export function dihedralAngle(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 1) throw new RangeError(`"b" expected a code of length ${a.length} (that of "a"), got ${b.length}`);
  for (let j = 0; j < a.length; j++) {
    if (!Number.isFinite(a[j]) || !Number.isFinite(b[j])) throw new RangeError(`codes expected finite values, got ${a[j]} and ${b[j]} at ${j}`);
  }
  const pair = new Float64Array(2 * a.length);
  pair.set(Array.from(a));
  pair.set(Array.from(b), a.length);
  return normalAngle(unitNormals(pair, a.length, undefined), a.length + 1, 0, 1);
}

/**
 * Angle (radians) between rows i and j of a unit-normal matrix (see {@link unitNormals}):
 * 2 asin(|n̂_i − n̂_j| / 2).
 */
export function normalAngle(normals: Float64Array, width: number, i: number, j: number): number {
  let diff = 0;
  for (let c = 0; c < width; c++) diff += ((normals[i * width + c] as number) - (normals[j * width + c] as number)) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(diff) / 2));
}

/** Adjacent cells found from samples, with their dihedral angles. */
export interface CellAdjacency {
  /** Pairs (i < j), flat: pair p is (pairs[2p], pairs[2p + 1]). */
  pairs: Int32Array;
  /** θ_ij of each pair, on standardised codes (radians). */
  angles: Float64Array;
  /** Source samples whose two best cells were this pair (∝ the facet's μ-area). */
  hits: Int32Array;
  /** Source samples used. */
  samples: number;
}

/** Options of {@link cellAdjacency}. */
export interface AdjacencyOptions {
  /** Source samples. Default 200,000. */
  samples?: number;
  /** Seed of the source samples. Default 7. */
  seed?: number;
  /** Samples per batch. Default 65,536. */
  batchSize?: number;
}

/**
 * Finds adjacent power cells from samples: a sample's best and second-best cells share a
 * facet near it. Every pair seen is returned once, with its dihedral angle (standardised
 * codes) and how many samples saw it.
 *
 * @param map a solved map.
 * @param options samples (200,000), seed, batch size.
 * @returns the pairs, their angles and hit counts.
 * @throws {RangeError} for bad options or a map with one target.
 * @example
 * const adjacency = await cellAdjacency(map);
 * const { threshold } = chooseAngleThreshold(adjacency.angles, adjacency.hits);
 */
export async function cellAdjacency(map: SemiDiscreteMap, options: AdjacencyOptions = {}): Promise<CellAdjacency> {
  const total = expectInteger('samples', options.samples ?? 200_000, 1);
  const batchSize = expectInteger('batchSize', options.batchSize ?? 65_536, 1);
  const seed = expectInteger('seed', options.seed ?? 7, 0, 2 ** 32 - 1);
  if (map.count < 2) throw new RangeError(`a map with ${map.count} target has no adjacent cells`);
  const seen = new Map<number, number>();
  await map.sweep({ samples: total, batchSize, seed }, 2, (_, idx) => {
    for (let s = 0; s < idx.length; s += 2) {
      const a = idx[s] as number;
      const b = idx[s + 1] as number;
      const key = a < b ? a * map.count + b : b * map.count + a;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  });
  const normals = unitNormals(map.targets, map.dim, codeScaling(map.targets, map.dim));
  const keys = [...seen.keys()].sort((p, q) => p - q);
  const pairs = new Int32Array(2 * keys.length);
  const angles = new Float64Array(keys.length);
  const hits = new Int32Array(keys.length);
  keys.forEach((key, p) => {
    const i = Math.floor(key / map.count);
    const j = key % map.count;
    pairs[2 * p] = i;
    pairs[2 * p + 1] = j;
    angles[p] = normalAngle(normals, map.dim + 1, i, j);
    hits[p] = seen.get(key) as number;
  });
  return { pairs, angles, hits, samples: total };
}

/** {@link chooseAngleThreshold}'s answer. */
export interface AngleThreshold {
  /** θ̂ in radians; `Infinity` when no gap was found (no singular set). */
  threshold: number;
  /** θ just above / below the chosen gap; their ratio is the gap's size. */
  above: number;
  below: number;
  /** Fraction of the (weighted) pairs above θ̂. */
  singularFraction: number;
  /** Whether a gap of at least `minRatio` was found. */
  found: boolean;
  /** Set when θ̂ is a quantile of the angles (no gap found, `fallbackQuantile` of {@link ExtendMapOptions}). */
  quantile?: number;
}

/**
 * θ̂ as a quantile of the neighbour angles, for code sets whose angles show no gap (e.g.
 * autoencoder codes of real images, where within-class and across-class angles overlap):
 * the pairs with the largest (1 − q) share of angles are treated as singular.
 *
 * @param angles neighbour angles (radians).
 * @param q the quantile in (0, 1].
 * @returns θ̂ (the smallest angle with at least a q share of the angles at or below it) and the share above it.
 * @throws {RangeError} for no angles or q outside (0, 1].
 * @example
 * angleQuantile([0.1, 0.2, 0.3, 0.4], 0.5); // { threshold: 0.2, singularFraction: 0.5, … }
 */
export function angleQuantile(angles: ArrayLike<number>, q: number): AngleThreshold {
  const n = angles.length;
  if (n < 1) throw new RangeError('"angles" expected at least 1 angle, got 0');
  if (typeof q !== 'number' || !(q > 0 && q <= 1)) throw new RangeError(`"quantile" expected a number in (0, 1], got ${describeValue(q)}`);
  const sorted = Float64Array.from(angles).sort();
  const k = Math.min(n - 1, Math.ceil(q * n) - 1);
  const threshold = sorted[k] as number;
  let above = 0;
  for (let i = 0; i < n; i++) if ((sorted[i] as number) > threshold) above++;
  return { threshold, above: NaN, below: NaN, singularFraction: above / n, found: false, quantile: q };
}

/**
 * Chooses θ̂ from the distribution of neighbour angles: inside a mode angles are tiny,
 * across modes they jump by orders of magnitude, so θ̂ is put in the widest gap (in log θ)
 * of the sorted angles — at the geometric mean of its two sides — among gaps that leave
 * at most `maxSingularFraction` of the pairs above. No gap of `minRatio` → no singular set.
 *
 * @param angles neighbour angles (radians), e.g. {@link cellAdjacency}'s.
 * @param weights optional weight per angle (e.g. hit counts); default 1 each.
 * @param options `minRatio` (default 3), `maxSingularFraction` (default 0.5).
 * @returns the threshold and the gap it sits in.
 * @throws {RangeError} for no angles, negative or non-finite angles, mismatched weights.
 * @example
 * chooseAngleThreshold([0.004, 0.005, 0.006, 0.9, 1.1]).threshold; // ≈ 0.073
 */
export function chooseAngleThreshold(angles: ArrayLike<number>, weights?: ArrayLike<number>, options: { minRatio?: number; maxSingularFraction?: number } = {}): AngleThreshold {
  const n = angles.length;
  if (n < 1) throw new RangeError('"angles" expected at least 1 angle, got 0');
  if (weights !== undefined && weights.length !== n) throw new RangeError(`"weights" expected ${n} values (one per angle), got ${weights.length}`);
  const minRatio = options.minRatio ?? 3;
  const maxFraction = options.maxSingularFraction ?? 0.5;
  if (!(minRatio > 1)) throw new RangeError(`"minRatio" expected a number > 1, got ${describeValue(minRatio)}`);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) if (!((angles[i] as number) >= 0) || !Number.isFinite(angles[i])) throw new RangeError(`"angles" expected finite values ≥ 0, got ${angles[i]} at ${i}`);
  order.sort((p, q) => (angles[p] as number) - (angles[q] as number));
  const w = (i: number) => (weights === undefined ? 1 : (weights[i] as number));
  let total = 0;
  for (let i = 0; i < n; i++) total += w(i);
  let below = 0;
  let best = { ratio: 0, at: -1 };
  for (let r = 0; r + 1 < n; r++) {
    below += w(order[r] as number);
    const lo = angles[order[r] as number] as number;
    const hi = angles[order[r + 1] as number] as number;
    if ((total - below) / total > maxFraction || lo <= 0) continue;
    const ratio = hi / lo;
    if (ratio > best.ratio) best = { ratio, at: r };
  }
  if (best.at < 0 || best.ratio < minRatio) {
    return { threshold: Infinity, above: NaN, below: NaN, singularFraction: 0, found: false };
  }
  const lo = angles[order[best.at] as number] as number;
  const hi = angles[order[best.at + 1] as number] as number;
  let above = 0;
  for (let r = best.at + 1; r < n; r++) above += w(order[r] as number);
  return { threshold: Math.sqrt(lo * hi), above: hi, below: lo, singularFraction: above / total, found: true };
}
