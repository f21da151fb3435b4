// Eigenvalues (and optionally eigenvectors) of a real symmetric matrix in float64:
// Householder reduction to tridiagonal form, then implicit symmetric QR steps with the
// Wilkinson shift (Golub & Van Loan, "Matrix Computations", §8.3). The rotations of a
// QR sweep are applied to the eigenvector matrix in one pass over its rows.
// Cost: about (4/3)n³ flops for the values, about 9n³ with the vectors.

/** Eigen-decomposition of a symmetric matrix, eigenvalues ascending. */
export interface SymmetricEigen {
  /** Eigenvalues λ_0 ≤ … ≤ λ_{n−1}. */
  values: Float64Array;
  /** Row-major n × n; row i is the unit eigenvector of `values[i]`. Absent when not asked for. */
  vectors?: Float64Array;
}

const EPS = 2 ** -52;

/**
 * Symmetric eigen-decomposition in float64. Only the upper triangle is trusted to be
 * consistent with the lower one: the input must be symmetric (it is not checked, and
 * it is not modified).
 *
 * @param matrix row-major n × n symmetric matrix.
 * @param n its order.
 * @param wantVectors also compute the eigenvectors (about 7× the work).
 * @returns eigenvalues ascending, and eigenvectors as rows.
 * @throws {Error} if the QR iteration fails to converge (not seen on finite input).
 */
export function symmetricEigen(matrix: Float64Array, n: number, wantVectors: boolean): SymmetricEigen {
  const a = Float64Array.from(matrix);
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const betas = new Float64Array(n);
  tridiagonalize(a, n, d, e, betas);
  const columns = wantVectors ? householderProduct(a, n, betas) : undefined;
  tridiagonalQr(d, e, n, columns);
  return sortPairs(d, columns, n);
}

// Reduces a (in place) to T = Qᵀ A Q. Diagonal to d, off-diagonal to e; the Householder
// vector of step k is left in row k, columns k+1.., with its β in betas[k].
function tridiagonalize(a: Float64Array, n: number, d: Float64Array, e: Float64Array, betas: Float64Array): void {
  const p = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    const r0 = k * n;
    let tail = 0;
    for (let j = k + 2; j < n; j++) tail += (a[r0 + j] as number) ** 2;
    const x0 = a[r0 + k + 1] as number;
    if (tail === 0) {
      // Column already tridiagonal: H = I.
      betas[k] = 0;
      continue;
    }
    const norm = Math.sqrt(x0 * x0 + tail);
    const alpha = x0 > 0 ? -norm : norm;
    const v0 = x0 - alpha;
    a[r0 + k + 1] = v0; // v = x − αe₁ stays in row k, columns k+1..
    const beta = 2 / (v0 * v0 + tail);
    betas[k] = beta;
    // p = β S v over the trailing block S = a[k+1.., k+1..]; then w = p − (β/2)(pᵀv) v.
    let pv = 0;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let j = k + 1; j < n; j++) s += (a[ri + j] as number) * (a[r0 + j] as number);
      p[i] = beta * s;
      pv += p[i]! * (a[r0 + i] as number);
    }
    const half = (beta * pv) / 2;
    for (let i = k + 1; i < n; i++) p[i] = p[i]! - half * (a[r0 + i] as number);
    // S −= v wᵀ + w vᵀ.
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const vi = a[r0 + i] as number;
      const wi = p[i]!;
      for (let j = k + 1; j < n; j++) a[ri + j] = (a[ri + j] as number) - vi * p[j]! - wi * (a[r0 + j] as number);
    }
    e[k] = alpha;
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i] as number;
  // Steps skipped above (H = I) and the last one keep their entry from the matrix.
  for (let k = 0; k + 1 < n; k++) if (k + 2 >= n || betas[k] === 0) e[k] = a[k * n + k + 1] as number;
}

// Q = H_0 ⋯ H_{n−3}, accumulated backwards so that each reflection only touches the
// trailing block.
function householderProduct(a: Float64Array, n: number, betas: Float64Array): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const u = new Float64Array(n);
  for (let k = n - 3; k >= 0; k--) {
    const beta = betas[k] as number;
    if (beta === 0) continue;
    const r0 = k * n;
    u.fill(0, k + 1);
    for (let i = k + 1; i < n; i++) {
      const vi = a[r0 + i] as number;
      const ri = i * n;
      for (let j = k + 1; j < n; j++) u[j] = u[j]! + vi * (q[ri + j] as number);
    }
    for (let i = k + 1; i < n; i++) {
      const f = beta * (a[r0 + i] as number);
      const ri = i * n;
      for (let j = k + 1; j < n; j++) q[ri + j] = (q[ri + j] as number) - f * u[j]!;
    }
  }
  return q;
}

// Implicit symmetric QR with Wilkinson shifts on (d, e); the columns of U (if given)
// are rotated so that they end as the eigenvectors of the original matrix.
function tridiagonalQr(d: Float64Array, e: Float64Array, n: number, columns: Float64Array | undefined): void {
  const cosines = new Float64Array(n);
  const sines = new Float64Array(n);
  let hi = n - 1;
  let iterations = 0;
  const maxIterations = 60 * n + 60;
  while (hi > 0) {
    if (Math.abs(e[hi - 1]!) <= EPS * (Math.abs(d[hi - 1]!) + Math.abs(d[hi]!))) {
      e[hi - 1] = 0;
      hi--;
      continue;
    }
    let lo = hi - 1;
    while (lo > 0 && Math.abs(e[lo - 1]!) > EPS * (Math.abs(d[lo - 1]!) + Math.abs(d[lo]!))) lo--;
    if (lo > 0) e[lo - 1] = 0;
    if (++iterations > maxIterations) throw new Error(`symmetric eigensolver did not converge after ${maxIterations} QR steps`);
    const t = (d[hi - 1]! - d[hi]!) / 2;
    const last = e[hi - 1]!;
    const shift = d[hi]! - (last * last) / (t + (t >= 0 ? 1 : -1) * Math.hypot(t, last));
    let x = d[lo]! - shift;
    let z = e[lo]!;
    for (let k = lo; k < hi; k++) {
      const r = Math.hypot(x, z);
      const c = r === 0 ? 1 : x / r;
      const s = r === 0 ? 0 : -z / r;
      if (k > lo) e[k - 1] = r;
      cosines[k] = c;
      sines[k] = s;
      const dk = d[k]!;
      const dk1 = d[k + 1]!;
      const ek = e[k]!;
      d[k] = c * c * dk - 2 * c * s * ek + s * s * dk1;
      d[k + 1] = s * s * dk + 2 * c * s * ek + c * c * dk1;
      e[k] = c * s * (dk - dk1) + ek * (c * c - s * s);
      if (k + 1 < hi) {
        x = e[k]!;
        z = -s * e[k + 1]!;
        e[k + 1] = c * e[k + 1]!;
      }
    }
    if (columns !== undefined) rotateColumns(columns, n, lo, hi, cosines, sines);
  }
}

// Applies the rotations of one QR sweep, planes (k, k+1) for k = lo..hi−1 in order, to
// the columns of U: one pass over each (contiguous) row, carrying the running column.
function rotateColumns(u: Float64Array, n: number, lo: number, hi: number, cosines: Float64Array, sines: Float64Array): void {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let p = u[rj + lo] as number;
    for (let k = lo; k < hi; k++) {
      const c = cosines[k] as number;
      const s = sines[k] as number;
      const q = u[rj + k + 1] as number;
      u[rj + k] = c * p - s * q;
      p = s * p + c * q;
    }
    u[rj + hi] = p;
  }
}

// Ascending eigenvalues; eigenvector columns of U become rows.
function sortPairs(d: Float64Array, columns: Float64Array | undefined, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i]! - d[j]!);
  const values = Float64Array.from(order, (i) => d[i]!);
  if (columns === undefined) return { values };
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let j = 0; j < n; j++) vectors[dst * n + j] = columns[j * n + src] as number;
  });
  return { values, vectors };
}
