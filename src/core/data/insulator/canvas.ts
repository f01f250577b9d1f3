/**
 * The renderer's working buffer: linear-ish RGB floats in [0, 1] (values may leave the range while
 * compositing; they are clamped once, when converted to an `RgbaImage`).
 */
import type { RgbaImage } from '../image';
import type { Rng } from './prng';

/** An RGB float canvas, row-major, 3 floats per pixel. */
export interface Canvas {
  size: number;
  rgb: Float32Array;
}

/** A colour as [r, g, b] in [0, 1]. */
export type Rgb = readonly [number, number, number];

/** A size×size canvas filled with black. */
export function createCanvas(size: number): Canvas {
  return { size, rgb: new Float32Array(size * size * 3) };
}

/** A copy of a canvas (the renderer keeps the background to composite translucent glass over it). */
export function cloneCanvas(c: Canvas): Canvas {
  return { size: c.size, rgb: c.rgb.slice() };
}

/** Blends `color` over pixel `i` (index = y·size + x) with opacity `alpha` in [0, 1]. */
export function blendPixel(c: Canvas, i: number, color: Rgb, alpha: number): void {
  const o = i * 3;
  const b = 1 - alpha;
  c.rgb[o] = c.rgb[o] * b + color[0] * alpha;
  c.rgb[o + 1] = c.rgb[o + 1] * b + color[1] * alpha;
  c.rgb[o + 2] = c.rgb[o + 2] * b + color[2] * alpha;
}

/** Separable [1, 2, 1]/4 blur, applied `passes` times (each pass ≈ a Gaussian of σ² = 0.5 px²). */
export function blur(c: Canvas, passes: number): void {
  const { size, rgb } = c;
  const tmp = new Float32Array(rgb.length);
  for (let p = 0; p < passes; p++) {
    for (let pass = 0; pass < 2; pass++) {
      const src = pass === 0 ? rgb : tmp;
      const dst = pass === 0 ? tmp : rgb;
      const dx = pass === 0 ? 3 : size * 3;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const o = (y * size + x) * 3;
          const atLo = pass === 0 ? x === 0 : y === 0;
          const atHi = pass === 0 ? x === size - 1 : y === size - 1;
          for (let ch = 0; ch < 3; ch++) {
            const m = src[o + ch];
            const l = atLo ? m : src[o + ch - dx];
            const r = atHi ? m : src[o + ch + dx];
            dst[o + ch] = 0.25 * l + 0.5 * m + 0.25 * r;
          }
        }
      }
    }
  }
}

/**
 * Camera response: per-channel gain (exposure × white balance), then additive sensor noise of
 * standard deviation `noise` (in [0, 1] units), independent per pixel and channel.
 */
export function expose(c: Canvas, gain: Rgb, noise: number, rng: Rng): void {
  const { rgb } = c;
  for (let i = 0; i < rgb.length; i += 3) {
    rgb[i] = rgb[i] * gain[0] + noise * rng.normal();
    rgb[i + 1] = rgb[i + 1] * gain[1] + noise * rng.normal();
    rgb[i + 2] = rgb[i + 2] * gain[2] + noise * rng.normal();
  }
}

/** Converts to 8-bit RGBA (alpha 255), clamping to [0, 1] and rounding. */
export function toRgbaImage(c: Canvas): RgbaImage {
  const { size, rgb } = c;
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    data[j] = rgb[i] * 255 + 0.5;
    data[j + 1] = rgb[i + 1] * 255 + 0.5;
    data[j + 2] = rgb[i + 2] * 255 + 0.5;
    data[j + 3] = 255;
  }
  return { width: size, height: size, data };
}

/**
 * Smooth value noise in [0, 1]: a (cells+1)² lattice of random values, bilinearly interpolated with
 * a smoothstep, sampled at every pixel. Used for foliage and cloud textures.
 */
export function valueNoise(size: number, cells: number, rng: Rng): Float32Array {
  const g = cells + 1;
  const lattice = new Float32Array(g * g);
  for (let i = 0; i < lattice.length; i++) lattice[i] = rng.next();
  const out = new Float32Array(size * size);
  const scale = cells / size;
  for (let y = 0; y < size; y++) {
    const fy = y * scale;
    const y0 = Math.floor(fy);
    const ty = fy - y0;
    const sy = ty * ty * (3 - 2 * ty);
    for (let x = 0; x < size; x++) {
      const fx = x * scale;
      const x0 = Math.floor(fx);
      const tx = fx - x0;
      const sx = tx * tx * (3 - 2 * tx);
      const a = lattice[y0 * g + x0];
      const b = lattice[y0 * g + x0 + 1];
      const cc = lattice[(y0 + 1) * g + x0];
      const d = lattice[(y0 + 1) * g + x0 + 1];
      out[y * size + x] = (a + (b - a) * sx) * (1 - sy) + (cc + (d - cc) * sx) * sy;
    }
  }
  return out;
}
