/**
 * What the audit benchmark's Deep SAD sees per image. A Grad-CAM map alone cannot tell a peak on a
 * printed ID tag from a peak on a shell: in the biased reference set tag-focused maps are common and
 * "normal". Pairing the map with the image (papers.md §1.6) lets the detector see *what* the peak lies on.
 */
import type { RgbaImage } from '../../src/core/data/image';

/**
 * `heatmap`: the 32×32 map (1 channel); `heatmap-image`: map + grayscale image (2 channels);
 * `heatmap-x-image`: map × grayscale image (1 channel); `heatmap-peak`: map + the RGB patch the map
 * peaks on (4 channels, see {@link peakPatch}).
 */
export const DEEPSAD_INPUTS = ['heatmap', 'heatmap-image', 'heatmap-x-image', 'heatmap-peak'] as const;
export type DeepSadInput = (typeof DEEPSAD_INPUTS)[number];

/** Channels of each input kind. */
export const inputChannels = (kind: DeepSadInput): number => ({ heatmap: 1, 'heatmap-image': 2, 'heatmap-x-image': 1, 'heatmap-peak': 4 })[kind];

/** Side of the peak patch as a fraction of the image side (16 px of a 64 px crop: a tag and its shell). */
export const PEAK_PATCH_FRACTION = 1 / 4;

/**
 * What the explanation points at: the square patch of `img` (side PEAK_PATCH_FRACTION of the image
 * width) centred on the centre of the map's peak cell (the first maximum of the h×w `map`; the patch
 * is shifted to stay inside the image), resampled nearest-neighbour to h×w, as RGB in [0, 1]
 * (h·w·3, interleaved). Unlike the whole image, the patch shows the peak's content at full resolution
 * (a printed tag's digits, a chip, a burn track) without the background around it.
 */
export function peakPatch(img: RgbaImage, map: Float32Array, h: number, w: number): Float32Array {
  let peak = 0;
  for (let j = 1; j < h * w; j++) if (map[j] > map[peak]) peak = j;
  const side = Math.max(1, Math.round(img.width * PEAK_PATCH_FRACTION));
  const cx = ((peak % w) + 0.5) * (img.width / w);
  const cy = (Math.floor(peak / w) + 0.5) * (img.height / h);
  const x0 = Math.min(img.width - side, Math.max(0, Math.round(cx - side / 2)));
  const y0 = Math.min(img.height - side, Math.max(0, Math.round(cy - side / 2)));
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
  const c = inputChannels(kind);
  const out = new Float32Array(n * cells * c);
  if (kind === 'heatmap-peak') {
    for (let i = 0; i < n; i++) {
      const map = maps.subarray(i * cells, (i + 1) * cells);
      const patch = peakPatch(images[i], map, h, w);
      for (let j = 0; j < cells; j++) {
        out[(i * cells + j) * 4] = map[j];
        out.set(patch.subarray(j * 3, j * 3 + 3), (i * cells + j) * 4 + 1);
      }
    }
    return out;
  }
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
