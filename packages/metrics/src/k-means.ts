// Lloyd's k-means with k-means++ seeding, float64, seeded: the clustering behind PRD.
import type { Rng } from '@aeot/tensor-backend';
import type { FeatureMatrix } from './features.js';

/** Cluster labels and centres. */
export interface KMeansResult {
  labels: Int32Array;
  /** Row-major `k × dim`. */
  centres: Float64Array;
  iterations: number;
}

/**
 * Clusters the rows of `points` into k groups (k ≤ rows): k-means++ seeding, then Lloyd
 * iterations until no label changes (at most `maxIterations`). An emptied cluster is
 * re-seeded at the point farthest from its centre.
 */
export function kMeans(points: FeatureMatrix, k: number, rng: Rng, maxIterations = 100): KMeansResult {
  const { data, rows: n, dim: d } = points;
  const centres = new Float64Array(k * d);
  const nearest = new Float64Array(n).fill(Infinity);
  const dist2 = (i: number, c: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += ((data[i * d + j] as number) - (centres[c * d + j] as number)) ** 2;
    return s;
  };
  // k-means++: each next centre drawn with probability ∝ squared distance to the chosen ones.
  const first = rng.nextInt(n);
  centres.set(data.subarray(first * d, (first + 1) * d));
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i] as number, dist2(i, c - 1));
      total += nearest[i] as number;
    }
    let pick = n - 1;
    let u = rng.nextFloat64() * total;
    for (let i = 0; i < n; i++) {
      u -= nearest[i] as number;
      if (u < 0) {
        pick = i;
        break;
      }
    }
    centres.set(data.subarray(pick * d, (pick + 1) * d), c * d);
  }
  const labels = new Int32Array(n).fill(-1);
  const counts = new Float64Array(k);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const dd = dist2(i, c);
        if (dd < bestD) {
          bestD = dd;
          best = c;
        }
      }
      nearest[i] = bestD;
      if (labels[i] !== best) {
        labels[i] = best;
        changed++;
      }
    }
    if (changed === 0) break;
    centres.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i] as number;
      counts[c]!++;
      for (let j = 0; j < d; j++) centres[c * d + j] = (centres[c * d + j] as number) + (data[i * d + j] as number);
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        let far = 0;
        for (let i = 1; i < n; i++) if ((nearest[i] as number) > (nearest[far] as number)) far = i;
        nearest[far] = 0;
        centres.set(data.subarray(far * d, (far + 1) * d), c * d);
      } else {
        for (let j = 0; j < d; j++) centres[c * d + j] = (centres[c * d + j] as number) / (counts[c] as number);
      }
    }
  }
  return { labels, centres, iterations };
}
