/**
 * The image patch an explanation points at, as a second view for Deep SAD. A Grad-CAM map says where
 * the classifier looked; a peak on a printed ID tag and a peak on a chipped shell can have the same
 * shape and place, and only the pixels under the peak tell them apart (what an analyst sees on the
 * overlay). On the insulator audit benchmark, Deep SAD on map + patch raised F1 from 0.26 to 0.62
 * (vgg_small) and shortcut recall from 0.33 to 0.76 over the map alone (BENCHMARKS.md, Insulator audit).
 */
import type { Box, RgbaImage } from '../data/image';

/** Side of the patch as a fraction of the explained region's width (16 px of a 64 px crop: a tag and its shell). */
export const PEAK_PATCH_FRACTION = 1 / 4;

/** Row-major index of the first maximum of one h×w map (NaN cells never win; 0 for a map without numbers). */
export function peakCell(map: Float32Array, h: number, w: number): number {
  let best = 0;
  let bestV = -Infinity;
  for (let j = 0; j < h * w; j++) {
    if (map[j] > bestV) {
      bestV = map[j];
      best = j;
    }
  }
  return best;
}

/**
 * The square patch of `img` (side PEAK_PATCH_FRACTION of the region's width, at least 1 px) centred on
 * the centre of the map's {@link peakCell} (the patch is
 * shifted to stay inside the region), resampled nearest-neighbour to h×w: RGB in [0, 1], h·w·3
 * interleaved. `region` is the part of `img` the map covers (preprocess.ts `inputRegion`: all of it,
 * or the centred crop); the patch comes from the full-resolution image, not the model input.
 */
export function peakPatch(img: RgbaImage, map: Float32Array, h: number, w: number, region: Box = { x0: 0, y0: 0, x1: img.width, y1: img.height }): Float32Array {
  const peak = peakCell(map, h, w);
  const [rw, rh] = [region.x1 - region.x0, region.y1 - region.y0];
  const side = Math.min(rw, rh, Math.max(1, Math.round(rw * PEAK_PATCH_FRACTION)));
  const cx = region.x0 + ((peak % w) + 0.5) * (rw / w);
  const cy = region.y0 + (Math.floor(peak / w) + 0.5) * (rh / h);
  const x0 = Math.min(region.x1 - side, Math.max(region.x0, Math.round(cx - side / 2)));
  const y0 = Math.min(region.y1 - side, Math.max(region.y0, Math.round(cy - side / 2)));
  const out = new Float32Array(h * w * 3);
  for (let r = 0; r < h; r++) {
    const y = y0 + Math.floor((r * side) / h);
    for (let c = 0; c < w; c++) {
      const p = (y * img.width + x0 + Math.floor((c * side) / w)) * 4;
      for (let ch = 0; ch < 3; ch++) out[(r * w + c) * 3 + ch] = img.data[p + ch] / 255;
    }
  }
  return out;
}

/** Channels of a map + patch input (NHWC): the map, then the patch's R, G, B. */
export const PEAK_INPUT_CHANNELS = 4;

/**
 * Deep SAD input of n explanations as map + patch: `maps` holds n·h·w values, `patches` n·h·w·3
 * ({@link peakPatch} per image); returns n·h·w·4, channels interleaved (NHWC).
 */
export function withPeakPatches(maps: Float32Array, patches: Float32Array, n: number, h: number, w: number): Float32Array {
  const cells = h * w;
  if (maps.length !== n * cells || patches.length !== n * cells * 3) throw new Error(`expected ${n} maps of ${cells} cells and their patches, got ${maps.length} and ${patches.length} values`);
  const out = new Float32Array(n * cells * PEAK_INPUT_CHANNELS);
  for (let j = 0; j < n * cells; j++) {
    out[j * 4] = maps[j];
    out[j * 4 + 1] = patches[j * 3];
    out[j * 4 + 2] = patches[j * 3 + 1];
    out[j * 4 + 3] = patches[j * 3 + 2];
  }
  return out;
}
