/**
 * Heatmap colouring for 2-D canvases (putImageData, never tf.browser.draw, which blanks canvases in
 * headless WebGPU: tfjs.md §1/§3).
 */
import type { Colormap } from '../state/ui.slice';

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** RGB in 0..255 of value v ∈ [0,1] under colormap `cm`. */
export function colorOf(cm: Colormap, v: number): [number, number, number] {
  const t = clamp01(v);
  if (cm === 'gray') return [t * 255, t * 255, t * 255].map(Math.round) as [number, number, number];
  if (cm === 'jet') {
    const r = clamp01(1.5 - Math.abs(4 * t - 3));
    const g = clamp01(1.5 - Math.abs(4 * t - 2));
    const b = clamp01(1.5 - Math.abs(4 * t - 1));
    return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)];
  }
  // inferno, approximated by a 5-stop piecewise-linear ramp
  const stops: [number, number, number][] = [
    [0, 0, 4],
    [87, 16, 110],
    [188, 55, 84],
    [249, 142, 9],
    [252, 255, 164],
  ];
  const x = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((k) => Math.round(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f)) as [number, number, number];
}

const luts = new Map<Colormap, Uint8ClampedArray>();

/** A 256-entry RGBA lookup table of `cm`. */
export function lutOf(cm: Colormap): Uint8ClampedArray {
  let lut = luts.get(cm);
  if (!lut) {
    lut = new Uint8ClampedArray(256 * 4);
    for (let i = 0; i < 256; i++) {
      const [r, g, b] = colorOf(cm, i / 255);
      lut.set([r, g, b, 255], i * 4);
    }
    luts.set(cm, lut);
  }
  return lut;
}

/** RGBA pixels (h·w·4) of a 0..255 heatmap under `cm`, fully opaque (opacity is applied by CSS). */
export function heatmapPixels(heatmap: Uint8Array, cm: Colormap): Uint8ClampedArray<ArrayBuffer> {
  const lut = lutOf(cm);
  const out = new Uint8ClampedArray(heatmap.length * 4);
  for (let i = 0; i < heatmap.length; i++) {
    const o = heatmap[i] * 4;
    out[i * 4] = lut[o];
    out[i * 4 + 1] = lut[o + 1];
    out[i * 4 + 2] = lut[o + 2];
    out[i * 4 + 3] = 255;
  }
  return out;
}
