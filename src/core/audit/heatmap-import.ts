/**
 * Heatmaps made elsewhere (pytorch-grad-cam, Captum, …) brought to the form the detector reads: one
 * map per image, h×w, values in [0, 1], each divided by its maximum, as core/gradcam makes them. Pure:
 * the hosts decode the files (PNG, .npy) and hand over the numbers.
 */

/** A heatmap of another size or range that cannot be used. */
export class HeatmapImportError extends Error {
  override name = 'HeatmapImportError';
}

/**
 * Bilinear resize of one map [h, w] → [toH, toW] with half-pixel centres (as OpenCV, pytorch-grad-cam's
 * `cv2.resize`, and tf.image.resizeBilinear with halfPixelCenters), edges clamped.
 */
export function resizeBilinear(src: ArrayLike<number>, h: number, w: number, toH: number, toW: number): Float32Array {
  const out = new Float32Array(toH * toW);
  if (h === toH && w === toW) {
    for (let i = 0; i < out.length; i++) out[i] = src[i];
    return out;
  }
  const sy = h / toH;
  const sx = w / toW;
  for (let y = 0; y < toH; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const dy = fy - y0;
    for (let x = 0; x < toW; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const dx = fx - x0;
      const top = src[y0 * w + x0] * (1 - dx) + src[y0 * w + x1] * dx;
      const bottom = src[y1 * w + x0] * (1 - dx) + src[y1 * w + x1] * dx;
      out[y * toW + x] = top * (1 - dy) + bottom * dy;
    }
  }
  return out;
}

/**
 * One map in place: negatives to 0 (a CAM is ReLU-ed), then divided by its maximum (an all-zero map
 * stays zero), so a map scaled 0–255 or min–max-normalised elsewhere reads like one of ours.
 * @throws HeatmapImportError on NaN or ±Infinity
 */
export function normalizeMap(map: Float32Array): Float32Array {
  let max = 0;
  for (let i = 0; i < map.length; i++) {
    if (!Number.isFinite(map[i])) throw new HeatmapImportError(`value ${map[i]} at cell ${i}: heatmaps must be finite numbers`);
    if (map[i] < 0) map[i] = 0;
    if (map[i] > max) max = map[i];
  }
  if (max > 0) for (let i = 0; i < map.length; i++) map[i] /= max;
  return map;
}

/**
 * n maps stored image-major, row-major ([n, h, w], any numeric type) → n·toH·toW detector maps, in
 * core/gradcam's order: ReLU, divided by the maximum, then resized (half-pixel bilinear).
 * @throws HeatmapImportError on a non-finite value (naming the map)
 */
export function importHeatmaps(data: ArrayLike<number>, n: number, h: number, w: number, size: [number, number]): Float32Array {
  const [toH, toW] = size;
  const out = new Float32Array(n * toH * toW);
  const one = new Float32Array(h * w);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < h * w; j++) one[j] = data[i * h * w + j];
    try {
      out.set(resizeBilinear(normalizeMap(one), h, w, toH, toW), i * toH * toW);
    } catch (err) {
      if (err instanceof HeatmapImportError) throw new HeatmapImportError(`map ${i}: ${err.message}`);
      throw err;
    }
  }
  return out;
}
