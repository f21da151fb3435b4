// The WGSL program of the fused power assignment on tfjs's webgpu backend. For each
// sample x_i it streams the targets through workgroup memory in tiles and keeps, in
// registers, the k best (score, index) pairs seen so far, sorted best first; no N×M
// matrix exists at any point. Its one output packs both results per row as int32:
// k indices, then the k scores' float32 bits (a tfjs program has one output buffer;
// PowerAssignUnpackProgram splits it).
import type { PowerAssignLayout } from './power-assign-layout.js';

/**
 * The fields of a tfjs-backend-webgpu `WebGPUProgram` this package sets. Declared here
 * (structurally identical) so that no public type depends on tfjs-backend-webgpu.
 */
export interface WebGpuProgramShape {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  size?: boolean;
  uniforms?: string;
  getUserCode(): string;
}

/** i32 index that marks an empty slot of a top-k list; loses every comparison. */
const EMPTY_INDEX = 2147483647;

/**
 * The packed power-assignment program: inputs `x` [N, d], `y` [M, d], `h` [M] float32;
 * output int32 [N, 2k], row i = the k best target indices of sample i, then the bits
 * of their k float32 scores, both best first (ties: lower index first).
 */
export class PowerAssignProgram implements WebGpuProgramShape {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] } = { x: [0] };
  dispatch: [number, number, number];
  variableNames = ['x', 'y', 'h'];
  workgroupSize: [number, number, number];
  readonly layout: PowerAssignLayout;

  /**
   * @param samples - N.
   * @param layout - the shader's compile-time shape (see `powerAssignLayout`).
   */
  constructor(samples: number, layout: PowerAssignLayout) {
    this.layout = layout;
    this.outputShape = [samples, 2 * layout.k];
    this.workgroupSize = [layout.samplesPerWorkgroup * layout.lanes, 1, 1];
    this.dispatch = [Math.ceil(samples / layout.samplesPerWorkgroup), 1, 1];
    const { dim, k, lanes, tileTargets, dimChunk } = layout;
    this.shaderKey = `aeotPowerAssign_d${dim}_k${k}_l${lanes}_t${tileTargets}_c${dimChunk}`;
  }

  getUserCode(): string {
    return powerAssignShader(this.layout);
  }
}

/**
 * The user code of {@link PowerAssignProgram}: tfjs prepends the bindings (`x`, `y`,
 * `h`, `result`, `uniforms` with `xShape`, `yShape`), the builtins (`localIndex`,
 * `workgroupId`, `numWorkgroups`) and `isnan`, and appends `_start`, which calls `main`.
 *
 * Workgroup of S·L invocations: S samples, L lanes each. Lane l of a sample scores
 * targets tileStart + l, + l + L, … of every tile, so each lane meets its targets in
 * increasing index order and keeps a sorted list where a later equal score never
 * passes an earlier one; the L lists are then merged by (score desc, index asc).
 */
export function powerAssignShader(layout: PowerAssignLayout): string {
  const { dim: D, k: K, lanes: L, samplesPerWorkgroup: S, tileTargets: T, dimChunk: DC, inRegisters } = layout;
  const WG = S * L;
  const TL = T / L; // targets of one tile per lane
  const tileWords = Math.max(1, T * DC);

  // Tile loads are cooperative: invocation e of the workgroup fills words e, e + WG, …
  // Out-of-range targets and dimensions are zero, and every read index is clamped into
  // its buffer, so no garbage (inf·0 = NaN) can enter a score.
  const loadTile = inRegisters
    ? `
      for (var e = i32(localIndex); e < ${T * D}; e = e + ${WG}) {
        let t = e / ${Math.max(D, 1)};
        let c = e - t * ${Math.max(D, 1)};
        let j = tileStart + t;
        let v = y[min(j, numTargets - 1) * ${D} + c];
        tileY[e] = select(0.0, v, j < numTargets);
      }`
    : `
      for (var e = i32(localIndex); e < ${T * DC}; e = e + ${WG}) {
        let t = e / ${DC};
        let c = e - t * ${DC};
        let j = tileStart + t;
        let cc = c0 + c;
        let v = y[min(j, numTargets - 1) * ${D} + min(cc, ${D - 1})];
        tileY[e] = select(0.0, v, j < numTargets && cc < ${D});
      }`;
  const loadHeights = `
      for (var e = i32(localIndex); e < ${T}; e = e + ${WG}) {
        let j = tileStart + e;
        tileH[e] = select(0.0, h[min(j, numTargets - 1)], j < numTargets);
      }`;

  // Inserts (s, j) into the sorted register list; j grows along a lane's scan, so
  // strict "better" keeps equal scores in index order.
  const insert = `
          if (better(s, j, bestS[${K - 1}], bestI[${K - 1}])) {
            var p = ${K - 1};
            loop {
              if (p == 0) { break; }
              let q = p - 1;
              if (!better(s, j, bestS[q], bestI[q])) { break; }
              bestS[p] = bestS[q];
              bestI[p] = bestI[q];
              p = q;
            }
            bestS[p] = s;
            bestI[p] = j;
          }`;

  const scoreOne = (dotExpr: string): string => `
          let t = lane + u * ${L};
          let j = tileStart + t;
          var s = ${dotExpr} + tileH[t];
          // NaN counts as -inf, so it can never block a real score.
          s = select(s, -uniforms.INFINITY, isnan(s));
          if (j < numTargets) {${insert}
          }`;

  const scanTiles = inRegisters
    ? `
    var xr : array<f32, ${Math.max(D, 1)}>;
    for (var c = 0; c < ${D}; c = c + 1) {
      xr[c] = x[row * ${D} + c];
    }
    for (var tileStart = 0; tileStart < numTargets; tileStart = tileStart + ${T}) {
      workgroupBarrier();${loadTile}${loadHeights}
      workgroupBarrier();
      for (var u = 0; u < ${TL}; u = u + 1) {
        let base = (lane + u * ${L}) * ${D};
        var dotv = 0.0;
        for (var c = 0; c < ${D}; c = c + 1) {
          dotv = dotv + xr[c] * tileY[base + c];
        }${scoreOne('dotv')}
      }
    }`
    : `
    for (var tileStart = 0; tileStart < numTargets; tileStart = tileStart + ${T}) {
      var acc : array<f32, ${TL}>;
      for (var u = 0; u < ${TL}; u = u + 1) { acc[u] = 0.0; }
      for (var c0 = 0; c0 < ${D}; c0 = c0 + ${DC}) {
        workgroupBarrier();${loadTile}
        if (c0 == 0) {${loadHeights}
        }
        workgroupBarrier();
        for (var c = 0; c < ${DC}; c = c + 1) {
          let cc = c0 + c;
          let xv = select(0.0, x[row * ${D} + min(cc, ${D - 1})], cc < ${D});
          for (var u = 0; u < ${TL}; u = u + 1) {
            acc[u] = acc[u] + xv * tileY[(lane + u * ${L}) * ${DC} + c];
          }
        }
      }
      for (var u = 0; u < ${TL}; u = u + 1) {${scoreOne('acc[u]')}
      }
    }`;

  // Lanes 1..L-1 hand their lists, one lane at a time, to lane 0, which merges.
  const mergeLanes =
    L === 1
      ? ''
      : `
    for (var srcLane = 1; srcLane < ${L}; srcLane = srcLane + 1) {
      workgroupBarrier();
      if (lane == srcLane) {
        for (var p = 0; p < ${K}; p = p + 1) {
          mergeS[slot * ${K} + p] = bestS[p];
          mergeI[slot * ${K} + p] = bestI[p];
        }
      }
      workgroupBarrier();
      if (lane == 0) {
        var outS : array<f32, ${K}>;
        var outI : array<i32, ${K}>;
        var ia = 0;
        var ib = 0;
        // Both cursors stay below K: after p picks, ia + ib = p < K.
        for (var p = 0; p < ${K}; p = p + 1) {
          let bs = mergeS[slot * ${K} + ib];
          let bi = mergeI[slot * ${K} + ib];
          if (better(bs, bi, bestS[ia], bestI[ia])) {
            outS[p] = bs;
            outI[p] = bi;
            ib = ib + 1;
          } else {
            outS[p] = bestS[ia];
            outI[p] = bestI[ia];
            ia = ia + 1;
          }
        }
        bestS = outS;
        bestI = outI;
      }
    }`;

  return `
  var<workgroup> tileY : array<f32, ${tileWords}>;
  var<workgroup> tileH : array<f32, ${T}>;
  ${L > 1 ? `var<workgroup> mergeS : array<f32, ${S * K}>;\n  var<workgroup> mergeI : array<i32, ${S * K}>;` : ''}

  fn better(s1 : f32, i1 : i32, s2 : f32, i2 : i32) -> bool {
    return s1 > s2 || (s1 == s2 && i1 < i2);
  }

  fn main(index : i32) {
    let numSamples = uniforms.xShape.x;
    let numTargets = uniforms.yShape.x;
    let wg = i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x);
    let slot = i32(localIndex) / ${L};
    let lane = i32(localIndex) - slot * ${L};
    let sampleIdx = wg * ${S} + slot;
    // Invocations past the last sample (also whole workgroups, when tfjs reshapes a
    // large dispatch to 2-D) compute on a valid row and write nothing: an early return
    // would take the barriers below out of uniform control flow (tfjs copies the
    // builtins into private variables, which WGSL's uniformity analysis distrusts).
    let row = min(sampleIdx, numSamples - 1);

    var bestS : array<f32, ${K}>;
    var bestI : array<i32, ${K}>;
    for (var p = 0; p < ${K}; p = p + 1) {
      bestS[p] = -uniforms.INFINITY;
      bestI[p] = ${EMPTY_INDEX};
    }
${scanTiles}
${mergeLanes}
    if (lane == 0 && sampleIdx < numSamples) {
      let outBase = sampleIdx * ${2 * K};
      for (var p = 0; p < ${K}; p = p + 1) {
        result[outBase + p] = bestI[p];
        result[outBase + ${K} + p] = bitcast<i32>(bestS[p]);
      }
    }
  }
  `;
}
