/**
 * The ID tag: a small printed label (white or yellow, a one-pixel margin) with two digits in a 3×5 pixel
 * font, stuck on one shell's visible face. It is the nuisance a classifier can take as a shortcut.
 * Axis-aligned in the image (at 64 px a rotated 3×5 glyph would blur away), scaled with the crop.
 */
import type { Box } from '../image';
import type { Canvas, Rgb } from './canvas';
import type { StringGeometry } from './geometry';
import { fromShellFrame } from './geometry';
import type { Rng } from './prng';

/** 3×5 glyphs for 0–9, rows top to bottom, bit 2 = left column. */
const DIGITS: readonly number[][] = [
  [7, 5, 5, 5, 7],
  [2, 6, 2, 2, 7],
  [7, 1, 7, 4, 7],
  [7, 1, 3, 1, 7],
  [5, 5, 7, 1, 1],
  [7, 4, 7, 1, 7],
  [7, 4, 7, 5, 7],
  [7, 1, 1, 2, 2],
  [7, 5, 7, 5, 7],
  [7, 5, 7, 1, 7],
];

const LABELS: readonly Rgb[] = [
  [0.95, 0.95, 0.92],
  [0.97, 0.9, 0.35],
];
const INK: Rgb = [0.08, 0.08, 0.1];

/** Where a tag may go and what it must avoid. */
export interface TagPlacement {
  /** Shells that may carry it (shells already damaged are excluded by the caller). */
  shells: readonly number[];
  /** A box the tag should not overlap (the defect), if any. */
  avoid: Box | null;
}

/**
 * Paints a tag on one of `place.shells` and returns its box, trying a few positions to stay clear
 * of `place.avoid` (the last try is kept if none is clear).
 */
export function paintTag(c: Canvas, g: StringGeometry, place: TagPlacement, rng: Rng): Box {
  const scale = Math.max(1, Math.floor(g.size / 64));
  const w = 9 * scale;
  const h = 7 * scale;
  let box: Box = { x0: 0, y0: 0, x1: w, y1: h };
  for (let attempt = 0; attempt < 8; attempt++) {
    const k = rng.pick(place.shells);
    // On the part of the face the next shell does not cover (u ≤ 0), away from the rim.
    const [px, py] = fromShellFrame(g, k, rng.uniform(-0.45, 0) * g.half, rng.uniform(-0.4, 0.4) * g.radius);
    const x0 = Math.min(g.size - w, Math.max(0, Math.round(px - w / 2)));
    const y0 = Math.min(g.size - h, Math.max(0, Math.round(py - h / 2)));
    box = { x0, y0, x1: x0 + w, y1: y0 + h };
    if (!place.avoid || !overlaps(box, place.avoid)) break;
  }
  const label = rng.pick(LABELS);
  const digits = [rng.int(0, 9), rng.int(0, 9)];
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const lx = Math.floor((x - box.x0) / scale);
      const ly = Math.floor((y - box.y0) / scale);
      const glyph = lx >= 1 && lx <= 7 && lx !== 4 && ly >= 1 && ly <= 5;
      let ink = false;
      if (glyph) {
        const d = DIGITS[digits[lx < 4 ? 0 : 1]];
        const col = lx < 4 ? lx - 1 : lx - 5;
        ink = ((d[ly - 1] >> (2 - col)) & 1) === 1;
      }
      const color = ink ? INK : label;
      const o = (y * g.size + x) * 3;
      c.rgb[o] = color[0];
      c.rgb[o + 1] = color[1];
      c.rgb[o + 2] = color[2];
    }
  }
  return box;
}

/** Whether two boxes share at least one pixel. */
export function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}
