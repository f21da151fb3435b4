// Float64 reference implementations (plain loops) the conformance cases compare with.

/** C = A·B for row-major A [m, k], B [k, n]. */
export function matMulRef(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p] as number;
      for (let j = 0; j < n; j++) c[i * n + j]! += aip * (b[p * n + j] as number);
    }
  }
  return c;
}

/** Geometry of a 2-D convolution, NHWC, explicit padding. */
export interface ConvGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly kH: number;
  readonly kW: number;
  readonly outC: number;
  readonly stride: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly outH: number;
  readonly outW: number;
}

/** 'same' padding geometry as TensorFlow defines it. */
export function sameGeometry(batch: number, inH: number, inW: number, inC: number, k: number, outC: number, stride: number): ConvGeometry {
  const outH = Math.ceil(inH / stride);
  const outW = Math.ceil(inW / stride);
  const padH = Math.max((outH - 1) * stride + k - inH, 0);
  const padW = Math.max((outW - 1) * stride + k - inW, 0);
  return { batch, inH, inW, inC, kH: k, kW: k, outC, stride, padTop: Math.floor(padH / 2), padLeft: Math.floor(padW / 2), outH, outW };
}

/**
 * Visits every (output position, kernel tap, input position) triple of a convolution:
 * forward, input-gradient and filter-gradient references are all sums over it.
 */
function forEachTap(g: ConvGeometry, visit: (xIndex: number, wRow: number, yRow: number) => void): void {
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < g.outH; oy++)
      for (let ox = 0; ox < g.outW; ox++)
        for (let ky = 0; ky < g.kH; ky++) {
          const iy = oy * g.stride + ky - g.padTop;
          if (iy < 0 || iy >= g.inH) continue;
          for (let kx = 0; kx < g.kW; kx++) {
            const ix = ox * g.stride + kx - g.padLeft;
            if (ix < 0 || ix >= g.inW) continue;
            const xBase = ((b * g.inH + iy) * g.inW + ix) * g.inC;
            const yBase = ((b * g.outH + oy) * g.outW + ox) * g.outC;
            for (let c = 0; c < g.inC; c++) visit(xBase + c, ((ky * g.kW + kx) * g.inC + c) * g.outC, yBase);
          }
        }
}

/** y = conv2d(x, w), x [B, H, W, Ci], w [kH, kW, Ci, Co]. */
export function conv2dRef(x: ArrayLike<number>, w: ArrayLike<number>, g: ConvGeometry): Float64Array {
  const y = new Float64Array(g.batch * g.outH * g.outW * g.outC);
  forEachTap(g, (xi, wRow, yRow) => {
    const xv = x[xi] as number;
    for (let o = 0; o < g.outC; o++) y[yRow + o]! += xv * (w[wRow + o] as number);
  });
  return y;
}

/** dL/dx of conv2d for upstream gradient dy [B, outH, outW, Co]. */
export function conv2dInputGradRef(dy: ArrayLike<number>, w: ArrayLike<number>, g: ConvGeometry): Float64Array {
  const dx = new Float64Array(g.batch * g.inH * g.inW * g.inC);
  forEachTap(g, (xi, wRow, yRow) => {
    let s = 0;
    for (let o = 0; o < g.outC; o++) s += (dy[yRow + o] as number) * (w[wRow + o] as number);
    dx[xi]! += s;
  });
  return dx;
}

/** dL/dw of conv2d for upstream gradient dy. */
export function conv2dFilterGradRef(x: ArrayLike<number>, dy: ArrayLike<number>, g: ConvGeometry): Float64Array {
  const dw = new Float64Array(g.kH * g.kW * g.inC * g.outC);
  forEachTap(g, (xi, wRow, yRow) => {
    const xv = x[xi] as number;
    for (let o = 0; o < g.outC; o++) dw[wRow + o]! += xv * (dy[yRow + o] as number);
  });
  return dw;
}
