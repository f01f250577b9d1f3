/**
 * Exact k nearest neighbours among a set of points (euclidean), in the shape umap-js takes as a
 * precomputed graph: per point the k indices and distances in ascending distance, the point itself
 * first (distance 0). Computed for a range of rows, so a host can pause between ranges: umap-js's own
 * neighbour search runs in one uninterrupted call (about 2 s for 2,000 points here).
 */

/**
 * Neighbours of rows `from..to-1` of `points` (m·dim row-major) among all m rows.
 * @returns `indices[r - from]` and `distances[r - from]`, k entries each (k clamped to m).
 */
export function exactKnn(points: Float32Array, dim: number, k: number, from: number, to: number): { indices: number[][]; distances: number[][] } {
  const m = points.length / dim;
  const kk = Math.min(k, m);
  const indices: number[][] = [];
  const distances: number[][] = [];
  const d2 = new Float64Array(m);
  const order = new Uint32Array(m);
  for (let i = from; i < to; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let t = 0; t < dim; t++) {
        const v = points[i * dim + t] - points[j * dim + t];
        s += v * v;
      }
      d2[j] = j === i ? -1 : s; // itself first, even next to an exact duplicate
      order[j] = j;
    }
    const best = Array.from(order).sort((a, b) => d2[a] - d2[b] || a - b).slice(0, kk);
    indices.push(best);
    distances.push(best.map((j) => (j === i ? 0 : Math.sqrt(d2[j]))));
  }
  return { indices, distances };
}
