import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/core/data/image';
import { peakPatch } from '../../src/core/audit/peak-patch';
import { deepSadInput, grayResized, inputChannels } from './deepsad-input';

/** A 4×4 RGBA image whose pixel (x, y) has the gray value `f(x, y)` in every channel. */
function image(f: (x: number, y: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(4 * 4 * 4);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) data.set([f(x, y), f(x, y), f(x, y), 255], (y * 4 + x) * 4);
  return { width: 4, height: 4, data };
}

describe('Deep SAD input of the audit benchmark', () => {
  it('box-averages the luma to 2×2 and min-max scales it per image', () => {
    // quadrant means: top-left 0, top-right 100, bottom-left 50, bottom-right (100+200)/2 = 150
    const img = image((x, y) => (x < 2 ? (y < 2 ? 0 : 50) : y < 2 ? 100 : x === 2 ? 100 : 200));
    const g = grayResized(img, 2, 2);
    expect(Array.from(g)).toEqual([0, 100 / 150, 50 / 150, 1].map((v) => expect.closeTo(v, 5)));
    expect(Array.from(grayResized(image(() => 77), 2, 2))).toEqual([0, 0, 0, 0]);
    // weights of Rec. 601 luma: a pure red pixel counts 0.299
    const red = image(() => 0);
    red.data.set([200, 0, 0, 255], 0);
    red.data.set([0, 200, 0, 255], 4 * 2);
    const gr = grayResized(red, 2, 2);
    expect(gr[0]).toBeCloseTo(0.299 / 0.587, 5);
    expect(gr[1]).toBeCloseTo(1, 5);
    expect(() => grayResized(image(() => 0), 3, 3)).toThrow(/multiple/);
  });

  it('interleaves map and image (2 channels) or multiplies them (1 channel)', () => {
    const imgs = [image((x, y) => (x < 2 && y < 2 ? 200 : 0)), image((x) => (x < 2 ? 0 : 90))];
    const maps = Float32Array.from([0.5, 1, 0, 0.25, 1, 0, 0.5, 0.75]);
    expect(deepSadInput('heatmap', maps, imgs, 2, 2)).toBe(maps);
    expect(inputChannels('heatmap-image')).toBe(2);
    expect(Array.from(deepSadInput('heatmap-image', maps, imgs, 2, 2))).toEqual([0.5, 1, 1, 0, 0, 0, 0.25, 0, 1, 0, 0, 1, 0.5, 0, 0.75, 1]);
    expect(Array.from(deepSadInput('heatmap-x-image', maps, imgs, 2, 2))).toEqual([0.5, 0, 0, 0, 0, 0, 0, 0.75]);
  });
});

describe('heatmap-peak input', () => {
  /** An 8×8 image whose pixel (x, y) is (10x, 10y, 7) in RGB. */
  const coords: RgbaImage = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4) };
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) coords.data.set([10 * x, 10 * y, 7, 255], (y * 8 + x) * 4);

  it('stacks the map and the core peak patch as 4 channels', () => {
    const map = new Float32Array(16);
    map[5] = 0.8;
    const x = deepSadInput('heatmap-peak', Float32Array.from([...map, ...map]), [coords, coords], 4, 4);
    expect(inputChannels('heatmap-peak')).toBe(4);
    expect(x).toHaveLength(2 * 16 * 4);
    const p = peakPatch(coords, map, 4, 4);
    for (const i of [0, 1]) {
      expect(x[(i * 16 + 5) * 4]).toBeCloseTo(0.8, 6);
      expect(Array.from(x.subarray((i * 16 + 7) * 4 + 1, (i * 16 + 7) * 4 + 4))).toEqual(Array.from(p.subarray(21, 24)));
    }
  });
});
