// Exact linear assignment in float64: the minimum-cost perfect matching of an n × n
// cost matrix by shortest augmenting paths (Jonker & Volgenant 1987, in the Dijkstra
// form of Crouse 2016), started by an auction-style augmenting row reduction.

// Row scans the auction of augmentingRowReduction may spend, per row.
const ARR_BUDGET = 4;

/**
 * Minimum-cost perfect matching of the n × n row-major `cost` (finite, ≥ 0): the column
 * of each row. Keeps duals u (rows), v (columns) with cᵢⱼ − uᵢ − vⱼ ≥ 0, tight on matched
 * pairs, and adds one free row at a time along a shortest augmenting path in the reduced
 * costs (Dijkstra), so the matching stays optimal for the rows it covers.
 */
export function solveAssignment(cost: Float64Array, n: number): Int32Array {
  const u = new Float64Array(n);
  const v = new Float64Array(n).fill(Infinity);
  const colOfRow = new Int32Array(n).fill(-1);
  const rowOfCol = new Int32Array(n).fill(-1);

  // Column reduction (JV's first step): vⱼ = minᵢ cᵢⱼ with u = 0 is dual feasible, and each
  // column's cheapest row, when still free, can be matched at zero reduced cost. For
  // point clouds this already matches about two thirds of the rows.
  const cheapestRow = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * n;
    for (let j = 0; j < n; j++) {
      const c = cost[base + j] as number;
      if (c < (v[j] as number)) {
        v[j] = c;
        cheapestRow[j] = i;
      }
    }
  }
  for (let j = 0; j < n; j++) {
    const i = cheapestRow[j] as number;
    if (colOfRow[i] === -1) {
      colOfRow[i] = j;
      rowOfCol[j] = i;
    }
  }
  // Reduction transfer (JV's second step): a matched row takes the slack of its second-best
  // column into uᵢ and lowers its column's vⱼ by as much. Still feasible and tight, and
  // lower prices on matched columns shorten the augmenting paths that follow.
  for (let i = 0; i < n; i++) {
    const j1 = colOfRow[i] as number;
    if (j1 === -1) continue;
    const base = i * n;
    let second = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === j1) continue;
      const r = (cost[base + j] as number) - (v[j] as number);
      if (r < second) second = r;
    }
    if (second === Infinity) second = 0; // n = 1
    u[i] = second;
    v[j1] = (cost[base + j1] as number) - second;
  }
  augmentingRowReduction(cost, n, u, v, colOfRow, rowOfCol);

  const pathCost = new Float64Array(n);
  const pathRow = new Int32Array(n);
  // Scanned columns as flags (the inner loop then walks the cost row in order, which is
  // much faster than an index list) and as a list, for the dual update.
  const scanned = new Uint8Array(n);
  const scannedCols = new Int32Array(n);
  for (let freeRow = 0; freeRow < n; freeRow++) {
    if (colOfRow[freeRow] !== -1) continue;
    pathCost.fill(Infinity);
    let numScanned = 0;
    let reach = 0; // shortest reduced-cost distance of the last scanned column
    let row = freeRow;
    let sink = -1;
    while (sink === -1) {
      const base = row * n;
      const offset = reach - (u[row] as number);
      let best = Infinity;
      let bestCol = -1;
      for (let j = 0; j < n; j++) {
        if (scanned[j] === 1) continue;
        let pj = pathCost[j] as number;
        const r = offset + (cost[base + j] as number) - (v[j] as number);
        if (r < pj) {
          pathCost[j] = r;
          pathRow[j] = row;
          pj = r;
        }
        // Among equally short columns prefer a free one: the path ends sooner (ties are
        // common with duplicate points).
        if (pj < best || (pj === best && rowOfCol[j] === -1)) {
          best = pj;
          bestCol = j;
        }
      }
      reach = best;
      scanned[bestCol] = 1;
      scannedCols[numScanned++] = bestCol;
      if (rowOfCol[bestCol] === -1) sink = bestCol;
      else row = rowOfCol[bestCol] as number;
    }
    // Dual update: every scanned column (and the row matched to it) moves by how much
    // shorter its path was than the sink's, which keeps all reduced costs ≥ 0 and makes
    // the new path tight.
    u[freeRow] = (u[freeRow] as number) + reach;
    for (let k = 0; k < numScanned; k++) {
      const j = scannedCols[k] as number;
      scanned[j] = 0;
      const delta = reach - (pathCost[j] as number);
      v[j] = (v[j] as number) - delta;
      if (j !== sink) {
        const i = rowOfCol[j] as number;
        u[i] = (u[i] as number) + delta;
      }
    }
    // Augment: flip the matched and unmatched pairs along the path back to freeRow.
    let j = sink;
    for (;;) {
      const i = pathRow[j] as number;
      rowOfCol[j] = i;
      const previous = colOfRow[i] as number;
      colOfRow[i] = j;
      if (i === freeRow) break;
      j = previous;
    }
  }
  return colOfRow;
}

// Augmenting row reduction (JV's third step), an auction on column prices: a free row
// takes its cheapest column j1 at reduced cost cᵢⱼ − vⱼ and lowers vⱼ₁ until j1 is only
// tied with its second-best, evicting j1's former row, which bids next. Every matched
// row keeps a cheapest column, so uᵢ = cᵢ,col(i) − v_col(i) stays feasible (v only
// falls). Bids that raise a price by tiny amounts can go on for long with near-ties, so
// the auction stops after a budget of row scans and leaves the rest to the exact
// shortest paths.
function augmentingRowReduction(cost: Float64Array, n: number, u: Float64Array, v: Float64Array, colOfRow: Int32Array, rowOfCol: Int32Array): void {
  if (n < 2) return;
  const freeRows = new Int32Array(n);
  let numFree = 0;
  for (let i = 0; i < n; i++) if (colOfRow[i] === -1) freeRows[numFree++] = i;
  let budget = ARR_BUDGET * n;
  for (let pass = 0; pass < 2 && numFree > 0; pass++) {
    const listed = numFree;
    numFree = 0; // rows evicted at an unchanged price are re-listed from the front for the next pass
    let k = 0;
    while (k < listed) {
      if (budget-- === 0) return;
      const i = freeRows[k++] as number;
      const base = i * n;
      let u1 = Infinity;
      let u2 = Infinity;
      let j1 = 0;
      let j2 = 0;
      for (let j = 0; j < n; j++) {
        const h = (cost[base + j] as number) - (v[j] as number);
        if (h < u2) {
          if (h >= u1) {
            u2 = h;
            j2 = j;
          } else {
            u2 = u1;
            j2 = j1;
            u1 = h;
            j1 = j;
          }
        }
      }
      let evicted = rowOfCol[j1] as number;
      const raised = u1 < u2;
      if (raised) v[j1] = (v[j1] as number) - (u2 - u1);
      else if (evicted !== -1) {
        // A tie: take the second-best column instead, leaving j1's row alone.
        j1 = j2;
        evicted = rowOfCol[j2] as number;
      }
      if (evicted !== -1) {
        colOfRow[evicted] = -1;
        // After a price rise the evicted row bids at once (it now sees a higher price);
        // otherwise it waits for the next pass.
        if (raised) freeRows[--k] = evicted;
        else freeRows[numFree++] = evicted;
      }
      rowOfCol[j1] = i;
      colOfRow[i] = j1;
      u[i] = (cost[base + j1] as number) - (v[j1] as number);
    }
  }
}
