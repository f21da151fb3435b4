// The problem as the solver sees it: duplicate targets merged into one cell, targets
// standardised against the source's scale (cells do not change: translating all y adds
// the same <x, c> to every score, and scaling y by s with h by s scales every score),
// the Voronoi start, and the map back to heights in the targets' own units.
import type { SolverSettings } from './options.js';
import type { SourceMeasure } from './source.js';
import type { TargetSet } from './targets.js';

/** The working problem: distinct, standardised targets. */
export interface Problem {
  /** Number of distinct targets. */
  readonly count: number;
  readonly dim: number;
  /** Working targets, float32 row-major. */
  readonly targets32: Float32Array;
  /** Weights of the distinct targets (merged duplicates add up). */
  readonly weights: Float64Array;
  /** Identifies targets, weights, source and settings. */
  readonly fingerprint: string;
  /** Heights whose cells are the Voronoi cells of the targets placed inside the source's box: none is empty. */
  voronoiHeights(): Float64Array;
  /** Working heights → heights of all M original targets, in their units, mean 0. */
  rawHeights(working: Float64Array): Float64Array;
}

/**
 * Builds the working problem.
 *
 * @param set validated targets and weights.
 * @param source the source measure.
 * @param settings the solver settings (scaleTargets).
 */
export function prepareProblem(set: TargetSet, source: SourceMeasure, settings: SolverSettings): Problem {
  const { dim: d, points } = set;
  const { representative, distinct } = mergeDuplicates(points, set.count, d);
  const count = distinct.length;
  const weights = new Float64Array(count);
  const slot = new Int32Array(set.count);
  distinct.forEach((orig, k) => (slot[orig] = k));
  for (let i = 0; i < set.count; i++) {
    const k = slot[representative[i] as number] as number;
    weights[k] = (weights[k] as number) + (set.weights[i] as number);
  }
  // Centre c and spread s of the distinct targets.
  const c = new Float64Array(d);
  for (const i of distinct) for (let j = 0; j < d; j++) c[j] = (c[j] as number) + (points[i * d + j] as number) / count;
  let spread = 0;
  for (const i of distinct) for (let j = 0; j < d; j++) spread = Math.max(spread, Math.abs((points[i * d + j] as number) - (c[j] as number)));
  const radius = source.radius;
  // Working coordinates: (y − c) / s, spanning the source's half-width; unscaled: y itself.
  const s = settings.scaleTargets && spread > 0 ? spread / radius : 1;
  const shift = settings.scaleTargets ? c : new Float64Array(d);
  const targets32 = new Float32Array(count * d);
  const work = new Float64Array(count * d);
  distinct.forEach((orig, k) => {
    for (let j = 0; j < d; j++) {
      const v = ((points[orig * d + j] as number) - (shift[j] as number)) / s;
      work[k * d + j] = v;
      targets32[k * d + j] = v;
    }
  });
  const fingerprint = [
    `M=${set.count}`,
    `d=${d}`,
    `y=${hashFloat64(points)}`,
    `w=${hashFloat64(set.weights)}`,
    `source=${source.kind}:${JSON.stringify(source.params)}`,
    `settings=${JSON.stringify(settings)}`,
  ].join('|');
  return {
    count,
    dim: d,
    targets32,
    weights,
    fingerprint,
    voronoiHeights(): Float64Array {
      // Cells of the points p_k = c0 + λ(w_k − w̄) (inside the source's box) are the
      // Voronoi cells; in score form their heights are −<c0·1, w_k − w̄> − ½λ|w_k − w̄|².
      const mean = new Float64Array(d);
      for (let k = 0; k < count; k++) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (work[k * d + j] as number) / count;
      let far = 0;
      for (let k = 0; k < count; k++) for (let j = 0; j < d; j++) far = Math.max(far, Math.abs((work[k * d + j] as number) - (mean[j] as number)));
      const lambda = far > 0 ? radius / far : 1;
      const h = new Float64Array(count);
      let hm = 0;
      for (let k = 0; k < count; k++) {
        let dot = 0;
        let sq = 0;
        for (let j = 0; j < d; j++) {
          const v = (work[k * d + j] as number) - (mean[j] as number);
          dot += source.center * v;
          sq += v * v;
        }
        h[k] = -dot - 0.5 * lambda * sq;
        hm += h[k] as number;
      }
      hm /= count;
      for (let k = 0; k < count; k++) h[k] = (h[k] as number) - hm;
      return h;
    },
    rawHeights(working: Float64Array): Float64Array {
      const out = new Float64Array(set.count);
      let mean = 0;
      for (let i = 0; i < set.count; i++) {
        const v = s * (working[slot[representative[i] as number] as number] as number);
        out[i] = v;
        mean += v;
      }
      mean /= set.count;
      for (let i = 0; i < set.count; i++) out[i] = (out[i] as number) - mean + 0; // + 0: never −0
      return out;
    },
  };
}

/**
 * Finds identical rows. `representative[i]` is the first row equal to row i;
 * `distinct` lists the first occurrences in order.
 */
export function mergeDuplicates(points: Float64Array, count: number, d: number): { representative: Int32Array; distinct: number[] } {
  const representative = new Int32Array(count);
  const distinct: number[] = [];
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const row = points.subarray(i * d, (i + 1) * d);
    const key = hashFloat64(row);
    const bucket = buckets.get(key);
    let found = -1;
    if (bucket !== undefined) {
      for (const j of bucket) {
        let same = true;
        for (let k = 0; k < d && same; k++) same = points[j * d + k] === row[k];
        if (same) {
          found = j;
          break;
        }
      }
    }
    if (found >= 0) representative[i] = found;
    else {
      representative[i] = i;
      distinct.push(i);
      if (bucket === undefined) buckets.set(key, [i]);
      else bucket.push(i);
    }
  }
  return { representative, distinct };
}

/** FNV-1a over the bytes of a float64 array (−0 and +0 hash apart; fine for a cache key). */
export function hashFloat64(values: Float64Array): number {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i] as number;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
