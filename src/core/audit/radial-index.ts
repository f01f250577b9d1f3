/**
 * Nearest-neighbour queries among the labeled embeddings, for the label vote (ranking.ts). The rows are
 * sorted by their distance r to the centre c; by the triangle inequality ||z_i − z_j|| ≥ |r_i − r_j|,
 * so a query walks outward from its own radius and stops on each side once (r_i − r_j)² reaches the
 * best squared distance found. Deep SAD spreads the distances to c, so most labels are never compared.
 */
export class RadialIndex {
  private readonly d: number;
  private readonly rows: Int32Array;
  private readonly radii: Float64Array;
  private readonly packed: Float32Array;

  /**
   * @param embeddings n·d row-major
   * @param rows the indexed rows
   * @param radius ||z_j − c|| of a row
   */
  constructor(embeddings: Float32Array, d: number, rows: readonly number[], radius: (row: number) => number) {
    this.d = d;
    const order = [...rows].sort((a, b) => radius(a) - radius(b) || a - b);
    this.rows = Int32Array.from(order);
    this.radii = Float64Array.from(order, radius);
    this.packed = new Float32Array(order.length * d);
    order.forEach((j, k) => this.packed.set(embeddings.subarray(j * d, (j + 1) * d), k * d));
  }

  get size(): number {
    return this.rows.length;
  }

  /** Squared distance from z to row k, or Infinity once it passes `bound` (partial sums stop early). */
  private dist2(z: Float32Array, k: number, bound: number): number {
    const d = this.d;
    const o = k * d;
    let s = 0;
    for (let t = 0; t < d && s < bound; t++) {
      const v = z[t] - this.packed[o + t];
      s += v * v;
    }
    return s;
  }

  /**
   * min ||z − z_j||² over the indexed rows j ≠ `self`; Infinity when there is none.
   * @param r ||z − c||
   */
  nearest(z: Float32Array, r: number, self = -1): number {
    const m = this.rows.length;
    // First row with radius ≥ r.
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.radii[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    let best = Infinity;
    let up = lo;
    let down = lo - 1;
    while (up < m || down >= 0) {
      const gapUp = up < m ? (this.radii[up] - r) ** 2 : Infinity;
      const gapDown = down >= 0 ? (r - this.radii[down]) ** 2 : Infinity;
      if (Math.min(gapUp, gapDown) >= best) break;
      // The nearer side in radius first: it is the likelier to hold the neighbour.
      const k = gapUp <= gapDown ? up++ : down--;
      if (this.rows[k] === self) continue;
      const s = this.dist2(z, k, best);
      if (s < best) best = s;
    }
    return best;
  }
}
