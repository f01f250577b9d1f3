/**
 * Keeps a recomputed map in place: a new UMAP layout may come out rotated, mirrored or shifted even
 * when little changed, so it is fitted onto the previous layout (orthogonal Procrustes with scale and
 * an optional mirror, on the ids both hold) before it is shown. Pure 2-D geometry.
 */

/**
 * `xy` (ids.length·2) rotated, possibly mirrored, scaled and shifted to best match `prevXY` on the ids
 * common to `ids` and `prevIds` (least squares). Returned as a new array; with fewer than 3 common ids, a copy.
 */
export function alignLayout(ids: readonly string[], xy: Float32Array, prevIds: readonly string[], prevXY: Float32Array): Float32Array {
  const prev = new Map<string, number>();
  prevIds.forEach((id, i) => prev.set(id, i));
  const pairs: [number, number][] = [];
  ids.forEach((id, i) => {
    const j = prev.get(id);
    if (j !== undefined) pairs.push([i, j]);
  });
  const out = Float32Array.from(xy);
  if (pairs.length < 3) return out;
  let ax = 0;
  let ay = 0;
  let bx = 0;
  let by = 0;
  for (const [i, j] of pairs) {
    ax += xy[i * 2];
    ay += xy[i * 2 + 1];
    bx += prevXY[j * 2];
    by += prevXY[j * 2 + 1];
  }
  const k = pairs.length;
  ax /= k;
  ay /= k;
  bx /= k;
  by /= k;
  let best = { r: 1, cos: 1, sin: 0, fit: -Infinity, norm: 0 };
  for (const r of [1, -1]) {
    let dot = 0;
    let cross = 0;
    let norm = 0;
    for (const [i, j] of pairs) {
      const x = r * (xy[i * 2] - ax);
      const y = xy[i * 2 + 1] - ay;
      const u = prevXY[j * 2] - bx;
      const v = prevXY[j * 2 + 1] - by;
      dot += x * u + y * v;
      cross += x * v - y * u;
      norm += x * x + y * y;
    }
    const fit = Math.hypot(dot, cross);
    if (fit > best.fit) best = { r, cos: fit ? dot / fit : 1, sin: fit ? cross / fit : 0, fit, norm };
  }
  const s = best.norm > 0 ? best.fit / best.norm : 1;
  for (let i = 0; i < xy.length / 2; i++) {
    const x = best.r * (xy[i * 2] - ax);
    const y = xy[i * 2 + 1] - ay;
    out[i * 2] = bx + s * (best.cos * x - best.sin * y);
    out[i * 2 + 1] = by + s * (best.sin * x + best.cos * y);
  }
  return out;
}
