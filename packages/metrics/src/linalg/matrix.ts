// Dense float64 products used by the Fréchet distance. Row-major square matrices.

/**
 * B = V S Vᵀ for row-major n × n matrices V and symmetric S, as two i-k-j products
 * (C = V S, then B = V Cᵀ, using Cᵀ = S Vᵀ). Both skip zero entries of V, so a sparse
 * V (e.g. V = I) costs proportionally less.
 */
export function congruence(v: Float64Array, s: Float64Array, n: number): Float64Array {
  const c = multiplySkippingZeros(v, s, n);
  const ct = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ct[j * n + i] = c[i * n + j] as number;
  return multiplySkippingZeros(v, ct, n);
}

// Row-major a · b, skipping zero entries of a.
function multiplySkippingZeros(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < n; k++) {
      const f = a[ri + k] as number;
      if (f === 0) continue;
      const rk = k * n;
      for (let j = 0; j < n; j++) out[ri + j] = (out[ri + j] as number) + f * (b[rk + j] as number);
    }
  }
  return out;
}

/** Trace of a row-major n × n matrix. */
export function trace(m: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += m[i * n + i] as number;
  return t;
}
