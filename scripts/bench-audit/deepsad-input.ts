/**
 * What the audit benchmark's Deep SAD sees per image. A Grad-CAM map alone cannot tell a peak on a
 * printed ID tag from a peak on a shell: in the biased reference set tag-focused maps are common and
 * "normal". Pairing the map with the image (papers.md §1.6) lets the detector see *what* the peak lies on.
 */
import type { RgbaImage } from '../../src/core/data/image';
import { PEAK_INPUT_CHANNELS, peakPatch, withPeakPatches } from '../../src/core/audit/peak-patch';

/**
 * `heatmap`: the 32×32 map (1 channel); `heatmap-image`: map + grayscale image (2 channels);
 * `heatmap-x-image`: map × grayscale image (1 channel); `heatmap-peak`: map + the RGB patch the map
 * peaks on (4 channels, src/core/audit/peak-patch.ts).
 */
export const DEEPSAD_INPUTS = ['heatmap', 'heatmap-image', 'heatmap-x-image', 'heatmap-peak'] as const;
export type DeepSadInput = (typeof DEEPSAD_INPUTS)[number];

/** Channels of each input kind. */
export const inputChannels = (kind: DeepSadInput): number => ({ heatmap: 1, 'heatmap-image': 2, 'heatmap-x-image': 1, 'heatmap-peak': PEAK_INPUT_CHANNELS })[kind];

/**
 * Grayscale (Rec. 601 luma) of `img`, box-averaged to h×w and min-max scaled to [0, 1] per image (so
 * lighting changes do not dominate); a flat image gives zeros. Needs width, height divisible by w, h.
 */
export function grayResized(img: RgbaImage, h: number, w: number): Float32Array {
  const fy = img.height / h;
  const fx = img.width / w;
  if (!Number.isInteger(fy) || !Number.isInteger(fx)) throw new Error(`image ${img.width}×${img.height} is not a multiple of ${w}×${h}`);
  const out = new Float32Array(h * w);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const p = (y * img.width + x) * 4;
      out[Math.floor(y / fy) * w + Math.floor(x / fx)] += 0.299 * img.data[p] + 0.587 * img.data[p + 1] + 0.114 * img.data[p + 2];
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of out) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const span = hi - lo;
  return out.map((v) => (span > 0 ? (v - lo) / span : 0));
}

/**
 * Deep SAD input (NHWC, flat) for n images: `maps` holds n·h·w Grad-CAM maps in [0, 1], `images`
 * the n source images.
 */
export function deepSadInput(kind: DeepSadInput, maps: Float32Array, images: readonly RgbaImage[], h: number, w: number): Float32Array {
  if (kind === 'heatmap') return maps;
  const n = images.length;
  const cells = h * w;
  if (kind === 'heatmap-peak') {
    const patches = new Float32Array(n * cells * 3);
    for (let i = 0; i < n; i++) patches.set(peakPatch(images[i], maps.subarray(i * cells, (i + 1) * cells), h, w), i * cells * 3);
    return withPeakPatches(maps, patches, n, h, w);
  }
  const out = new Float32Array(n * cells * inputChannels(kind));
  for (let i = 0; i < n; i++) {
    const g = grayResized(images[i], h, w);
    for (let j = 0; j < cells; j++) {
      const m = maps[i * cells + j];
      if (kind === 'heatmap-image') {
        out[(i * cells + j) * 2] = m;
        out[(i * cells + j) * 2 + 1] = g[j];
      } else out[i * cells + j] = m * g[j];
    }
  }
  return out;
}
