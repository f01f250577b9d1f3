/**
 * Places points in a 2-D layout fitted on a sample of them: each point lands at the inverse-distance
 * weighted mean of the layout positions of its k nearest sampled points (nearest in the original space).
 * Pure and platform-free; callers chunk it (`from`/`to`) to pause between chunks.
 */

/**
 * Writes the 2-D positions of rows `from..to-1` of `data` into `out`.
 * @param data n·dim row-major points (the space the neighbours are searched in).
 * @param dim values per point.
 * @param sample indices (into `data`) of the points the layout was fitted on.
 * @param sampleXY sample.length·2 layout positions of those points, in the order of `sample`.
 * @param k neighbours averaged (clamped to the sample size).
 * @param out n·2 positions; rows of sampled points are copied from `sampleXY`.
 */
export function placeByNeighbours(data: Float32Array, dim: number, sample: ArrayLike<number>, sampleXY: Float32Array, k: number, out: Float32Array, from = 0, to = data.length / dim): void {
  const m = sample.length;
  const kk = Math.max(1, Math.min(k, m));
  const pos = new Map<number, number>();
  for (let s = 0; s < m; s++) pos.set(sample[s], s);
  const bestD = new Float64Array(kk);
  const bestS = new Int32Array(kk);
  for (let i = from; i < to; i++) {
    const own = pos.get(i);
    if (own !== undefined) {
      out[i * 2] = sampleXY[own * 2];
      out[i * 2 + 1] = sampleXY[own * 2 + 1];
      continue;
    }
    bestD.fill(Infinity);
    bestS.fill(-1);
    const a = i * dim;
    for (let s = 0; s < m; s++) {
      const b = sample[s] * dim;
      let d = 0;
      for (let j = 0; j < dim; j++) {
        const t = data[a + j] - data[b + j];
        d += t * t;
      }
      if (d >= bestD[kk - 1]) continue;
      // Insertion into the sorted k-best list.
      let p = kk - 1;
      while (p > 0 && bestD[p - 1] > d) {
        bestD[p] = bestD[p - 1];
        bestS[p] = bestS[p - 1];
        p--;
      }
      bestD[p] = d;
      bestS[p] = s;
    }
    let wx = 0;
    let wy = 0;
    let w = 0;
    for (let q = 0; q < kk; q++) {
      if (bestS[q] < 0) continue;
      const wt = 1 / (Math.sqrt(bestD[q]) + 1e-9);
      wx += wt * sampleXY[bestS[q] * 2];
      wy += wt * sampleXY[bestS[q] * 2 + 1];
      w += wt;
    }
    out[i * 2] = wx / w;
    out[i * 2 + 1] = wy / w;
  }
}

/** Rescales n·2 positions in place so that they fill [0, 1]² (aspect kept, centred); a single point goes to the centre. */
export function normaliseLayout(xy: Float32Array): Float32Array {
  const n = xy.length / 2;
  if (!n) return xy;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, xy[i * 2]);
    x1 = Math.max(x1, xy[i * 2]);
    y0 = Math.min(y0, xy[i * 2 + 1]);
    y1 = Math.max(y1, xy[i * 2 + 1]);
  }
  const span = Math.max(x1 - x0, y1 - y0);
  const s = span > 0 ? 1 / span : 0;
  const ox = (1 - (x1 - x0) * s) / 2;
  const oy = (1 - (y1 - y0) * s) / 2;
  for (let i = 0; i < n; i++) {
    xy[i * 2] = span > 0 ? ox + (xy[i * 2] - x0) * s : 0.5;
    xy[i * 2 + 1] = span > 0 ? oy + (xy[i * 2 + 1] - y0) * s : 0.5;
  }
  return xy;
}
