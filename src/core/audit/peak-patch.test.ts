import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../data/image';
import { inputRegion } from '../classifier/preprocess';
import { PEAK_INPUT_CHANNELS, peakCell, peakPatch, withPeakPatches } from './peak-patch';

/** A 40×20 image whose pixel (x, y) is (x, y, 0) in RGB. */
function wideImage(): RgbaImage {
  const img: RgbaImage = { width: 40, height: 20, data: new Uint8ClampedArray(40 * 20 * 4) };
  for (let y = 0; y < 20; y++) for (let x = 0; x < 40; x++) img.data.set([x, y, 0, 255], (y * 40 + x) * 4);
  return img;
}

describe('peak patch', () => {
  it('finds the first maximum of a map, skipping NaN cells', () => {
    expect(peakCell(Float32Array.from([0.2, 0.9, 0.9, 0.1]), 2, 2)).toBe(1);
    expect(peakCell(Float32Array.from([NaN, 0.3, 0.5, NaN]), 2, 2)).toBe(2);
    expect(peakCell(Float32Array.from([NaN, NaN, NaN, NaN]), 2, 2)).toBe(0);
  });

  /** An 8×8 image whose pixel (x, y) is (10x, 10y, 7) in RGB. */
  const coords: RgbaImage = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4) };
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) coords.data.set([10 * x, 10 * y, 7, 255], (y * 8 + x) * 4);
  const rgbAt = (p: Float32Array, j: number): number[] => Array.from(p.subarray(j * 3, j * 3 + 3), (v) => Math.round(v * 255));

  it('crops a quarter-side patch centred on the peak cell and resamples it to the map size', () => {
    // 4×4 map over 8 px: cells are 2 px; peak at cell (row 1, col 2) → centre (5, 3); side 2 → x0 4, y0 2.
    const map = new Float32Array(16);
    map[1 * 4 + 2] = 1;
    const p = peakPatch(coords, map, 4, 4);
    expect(p).toHaveLength(4 * 4 * 3);
    // nearest-neighbour ×2: map row r, col c reads pixel (4 + ⌊c/2⌋, 2 + ⌊r/2⌋)
    expect(rgbAt(p, 0)).toEqual([40, 20, 7]);
    expect(rgbAt(p, 3)).toEqual([50, 20, 7]);
    expect(rgbAt(p, 15)).toEqual([50, 30, 7]);
  });

  it('keeps the patch inside the image at the border and takes the first maximum on ties', () => {
    const map = new Float32Array(16);
    map[15] = 1; // bottom-right cell: centre (7, 7) → patch shifted to x0 = y0 = 6
    expect(rgbAt(peakPatch(coords, map, 4, 4), 0)).toEqual([60, 60, 7]);
    const flat = new Float32Array(16).fill(0.5); // ties → cell 0, centre (1, 1) → x0 = y0 = 0
    expect(rgbAt(peakPatch(coords, flat, 4, 4), 15)).toEqual([10, 10, 7]);
  });

  it('interleaves maps and patches as 4 channels and checks their lengths', () => {
    const maps = Float32Array.from([0.1, 0.2, 0.3, 0.4]);
    const patches = Float32Array.from({ length: 12 }, (_, i) => i / 12);
    const x = withPeakPatches(maps, patches, 2, 1, 2);
    expect(PEAK_INPUT_CHANNELS).toBe(4);
    expect(Array.from(x)).toEqual([0.1, 0, 1, 2, 0.2, 3, 4, 5, 0.3, 6, 7, 8, 0.4, 9, 10, 11].map((v, j) => expect.closeTo(j % 4 === 0 ? v : v / 12, 6)));
    expect(() => withPeakPatches(maps, patches.subarray(3), 2, 1, 2)).toThrow(/expected 2 maps/);
  });

  it('takes the patch from a full-resolution image of any size', () => {
    // 40×20 image: side round(40/4) = 10 px; a 2×2 map peaking bottom-right → centre (30, 15) → x0 25, y0 10.
    const p = peakPatch(wideImage(), Float32Array.from([0, 0, 0, 1]), 2, 2);
    expect(Array.from(p, (v) => Math.round(v * 255))).toEqual([25, 10, 0, 30, 10, 0, 25, 15, 0, 30, 15, 0]);
  });

  it('stays inside the region the map covers (a centre crop)', () => {
    // The map covers x 10…30 of the 40×20 image (inputRegion of a square model with center-crop).
    const region = inputRegion(wideImage(), 8, 8, 'center-crop');
    expect(region).toEqual({ x0: 10, y0: 0, x1: 30, y1: 20 });
    // side round(20/4) = 5; top-left cell of a 2×2 map → centre (15, 5) → x0 round(12.5) = 13, y0 3.
    expect(Array.from(peakPatch(wideImage(), Float32Array.from([1, 0, 0, 0]), 2, 2, region), (v) => Math.round(v * 255)).slice(0, 3)).toEqual([13, 3, 0]);
    // 8×8 map, bottom-right cell → centre (28.75, 18.75) → shifted back inside the crop: x0 = 30 − 5, y0 = 20 − 5.
    const corner = new Float32Array(64);
    corner[63] = 1;
    expect(Array.from(peakPatch(wideImage(), corner, 8, 8, region), (v) => Math.round(v * 255)).slice(0, 3)).toEqual([25, 15, 0]);
    // Over the whole image the same map points elsewhere (side 10, x0 = 40 − 10).
    expect(Array.from(peakPatch(wideImage(), corner, 8, 8), (v) => Math.round(v * 255)).slice(0, 3)).toEqual([30, 10, 0]);
  });
});
