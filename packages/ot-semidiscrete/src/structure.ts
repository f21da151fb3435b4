// What the solver learns from the targets' geometry before its first step: how far each
// target is from its neighbours (the size of its steps), and whether the targets
// fall apart into separate groups (modes), each of which then gets one more parameter:
// a common shift of its heights, stepped on the group's total mass error.
//
// Why groups: inside a tight cluster a cell's mass reacts to its height about as
// 1/(distance to its neighbours), so its steps must be small; but moving a whole cluster's
// mass across to the next one needs all its heights to move together, by amounts set by
// the distance between clusters. Per-cell steps alone do that at the speed of the
// smallest step, which leaves the modes' masses wrong long after the cells inside each
// mode have settled. The group shift moves a mode as one, at the step its own spacing
// allows.
import * as tf from '@tensorflow/tfjs-core';
import { powerAssign } from './power-assign.js';

/** Neighbours per target in the graph whose connected components are the groups. */
const NEIGHBOURS = 8;
/**
 * The step multiplier uses the distance to the 3rd nearest neighbour: one close twin
 * (two codes of nearly the same image) would otherwise freeze both cells.
 */
const SPACING_RANK = 3;
/** A neighbour farther than LINK × the nearest one is not linked (a gap between modes). */
const LINK = 6;
/** More groups than this are not used. */
const MAX_GROUPS = 2048;

/** Separate groups of targets and the step multiplier of each. */
export interface TargetGroups {
  /** Number of groups (≥ 2). */
  readonly count: number;
  /** Group of each target, in [0, count). */
  readonly of: Int32Array;
  /** Step multiplier of each group: spacing of its centroid, as for the cells. */
  readonly multipliers: Float64Array;
}

/** The targets' geometry, as the solver uses it. */
export interface TargetStructure {
  /** Per-target step multipliers in [1e-4, 1]. */
  readonly perCell: Float64Array;
  /** The groups, or undefined when the neighbour graph is connected (or every target stands alone). */
  readonly groups: TargetGroups | undefined;
}

/**
 * One pass of the fused kernel over the targets against themselves: the top-(k+1) of
 * <y_i, y_j> − ½|y_j|² over j are y_i itself and its k nearest neighbours (duplicates
 * were merged, so they differ from y_i).
 *
 * - perCell[i]: distance from y_i to its 3rd nearest neighbour over the spacing of M points
 *   spread evenly over the source's box (side 1 after scaling), clamped to [1e-4, 1].
 * - groups: connected components of the graph linking each target to those of its k
 *   nearest neighbours (k = 8) within 6× its nearest-neighbour distance; each group's
 *   multiplier is the same rule applied to the groups' weighted centroids.
 *
 * @param y the working targets as a tensor [m, d].
 * @param points the same, float32 row-major.
 * @param weights target weights (for the centroids).
 * @param withGroups whether to look for groups.
 */
export async function targetStructure(
  y: tf.Tensor2D,
  points: Float32Array,
  weights: Float64Array,
  m: number,
  d: number,
  withGroups: boolean,
): Promise<TargetStructure> {
  const k = Math.min(withGroups ? NEIGHBOURS : SPACING_RANK, m - 1);
  const sq = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (points[i * d + t] as number) ** 2;
    sq[i] = -0.5 * s;
  }
  const nearest = new Float64Array(m);
  const parent = new Int32Array(m).map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  const chunk = 65_536;
  const h = tf.tensor1d(sq);
  try {
    for (let start = 0; start < m; start += chunk) {
      const rows = Math.min(chunk, m - start);
      const x = tf.slice(y, [start, 0], [rows, d]);
      const { indices, scores } = powerAssign(x, y, h, k + 1);
      tf.dispose([x, scores]);
      const idx = (await indices.data()) as Int32Array;
      indices.dispose();
      for (let r = 0; r < rows; r++) {
        const i = start + r;
        let first = -1;
        let seen = 0;
        for (let c = 0; c <= k; c++) {
          const j = idx[r * (k + 1) + c] as number;
          if (j === i || j < 0) continue;
          let s = 0;
          for (let t = 0; t < d; t++) s += ((points[i * d + t] as number) - (points[j * d + t] as number)) ** 2;
          const dist = Math.sqrt(s);
          if (first < 0) first = dist;
          seen += 1;
          if (seen === SPACING_RANK || (seen < SPACING_RANK && c === k)) nearest[i] = dist;
          // A neighbour much farther than the nearest one lies across a gap: no link.
          if (withGroups && dist <= LINK * first) {
            const a = find(i);
            const b = find(j);
            if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
          }
        }
      }
    }
  } finally {
    h.dispose();
  }
  const perCell = spacingRule(nearest, m, d);
  if (!withGroups) return { perCell, groups: undefined };
  const label = new Int32Array(m).fill(-1);
  const of = new Int32Array(m);
  let count = 0;
  for (let i = 0; i < m; i++) {
    const r = find(i);
    if (label[r] === -1) label[r] = count++;
    of[i] = label[r] as number;
  }
  // Past a few thousand groups the centroid pass below would cost more than it saves.
  if (count < 2 || count === m || count > MAX_GROUPS) return { perCell, groups: undefined };
  // Weighted centroids of the groups, then each one's distance to the nearest other.
  const centroid = new Float64Array(count * d);
  const mass = new Float64Array(count);
  for (let i = 0; i < m; i++) {
    const g = of[i] as number;
    const w = weights[i] as number;
    mass[g] = (mass[g] as number) + w;
    for (let t = 0; t < d; t++) centroid[g * d + t] = (centroid[g * d + t] as number) + w * (points[i * d + t] as number);
  }
  for (let g = 0; g < count; g++) for (let t = 0; t < d; t++) centroid[g * d + t] = (centroid[g * d + t] as number) / (mass[g] as number);
  const gap = new Float64Array(count).fill(Infinity);
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += ((centroid[a * d + t] as number) - (centroid[b * d + t] as number)) ** 2;
      const dist = Math.sqrt(s);
      if (dist < (gap[a] as number)) gap[a] = dist;
      if (dist < (gap[b] as number)) gap[b] = dist;
    }
  }
  return { perCell, groups: { count, of, multipliers: spacingRule(gap, count, d) } };
}

/** Distance to a neighbour over the spacing of `count` points spread evenly over the unit box, clamped to [1e-4, 1]. */
function spacingRule(nearest: Float64Array, count: number, d: number): Float64Array {
  const even = 1 / count ** (1 / d);
  return nearest.map((v) => Math.min(1, Math.max(1e-4, v / even)));
}
