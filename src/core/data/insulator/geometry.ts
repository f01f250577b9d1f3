/**
 * Where the insulator string lies in the crop and what its shells are made of. Coordinates: image
 * pixels (x right, y down); each shell has a local frame (u along the string axis, v across it, in
 * pixels from the shell's centre), so defects and tags can be placed on a shell whatever the rotation.
 */
import type { Rgb } from './canvas';
import type { Rng } from './prng';

/** Glass (translucent green/blue) or porcelain (opaque, glazed brown or white). */
export type MaterialKind = 'glass' | 'porcelain';

/** How a shell looks: base colour, opacity at its centre (glass < 1), and highlight strength. */
export interface Material {
  kind: MaterialKind;
  color: Rgb;
  /** Opacity at the shell's centre in (0, 1]; glass gets more opaque toward its rim. */
  opacity: number;
  /** Specular highlight strength, 0–1. */
  gloss: number;
}

/** The string: an axis through the crop with shells stacked along it, drawn in index order. */
export interface StringGeometry {
  size: number;
  /** Centre of the string in pixels. */
  cx: number;
  cy: number;
  /** Unit vector along the axis (drawing order runs toward +u: a shell covers the one before it). */
  ax: number;
  ay: number;
  /** Shell half-width across the axis, pixels. */
  radius: number;
  /** Shell half-thickness along the axis (the disc seen obliquely), pixels; < spacing. */
  half: number;
  /** Centre offsets of the shells along the axis from (cx, cy), pixels, ascending. */
  offsets: number[];
  /** Indices of shells whose centre lies well inside the crop: defects and tags go there. */
  inner: number[];
  material: Material;
  /** Unit light direction in the shell frame (v, u, toward the camera). */
  light: [number, number, number];
}

const GLASS_COLORS: readonly Rgb[] = [
  [0.3, 0.62, 0.48],
  [0.28, 0.55, 0.62],
  [0.4, 0.66, 0.56],
];
const PORCELAIN_COLORS: readonly Rgb[] = [
  [0.48, 0.26, 0.13],
  [0.4, 0.22, 0.12],
  [0.88, 0.87, 0.83],
  [0.8, 0.8, 0.78],
];

/** Draws a random string geometry for a size×size crop. */
export function sampleGeometry(size: number, rng: Rng): StringGeometry {
  const angle = rng.uniform(0, 2 * Math.PI);
  const radius = size * rng.uniform(0.2, 0.3);
  const half = radius * rng.uniform(0.28, 0.4);
  const spacing = Math.max(half * 1.2, radius * rng.uniform(0.45, 0.6));
  const count = rng.int(5, 9);
  const cx = size * (0.5 + rng.uniform(-0.08, 0.08));
  const cy = size * (0.5 + rng.uniform(-0.08, 0.08));
  const shift = rng.uniform(-0.5, 0.5) * spacing;
  const offsets: number[] = [];
  for (let k = 0; k < count; k++) offsets.push((k - (count - 1) / 2) * spacing + shift);
  const ax = Math.cos(angle);
  const ay = Math.sin(angle);
  const lo = size * 0.22;
  const hi = size * 0.78;
  const inner = offsets
    .map((o, k) => ({ k, x: cx + o * ax, y: cy + o * ay }))
    .filter((p) => p.x >= lo && p.x <= hi && p.y >= lo && p.y <= hi)
    .map((p) => p.k);
  const glass = rng.chance(0.5);
  const material: Material = glass
    ? { kind: 'glass', color: rng.pick(GLASS_COLORS), opacity: rng.uniform(0.55, 0.75), gloss: rng.uniform(0.6, 1) }
    : { kind: 'porcelain', color: rng.pick(PORCELAIN_COLORS), opacity: 1, gloss: rng.uniform(0.3, 0.7) };
  const lv = rng.uniform(-0.6, 0.6);
  const lu = rng.uniform(-0.6, 0.6);
  const lz = Math.sqrt(Math.max(0.2, 1 - lv * lv - lu * lu));
  const ln = Math.hypot(lv, lu, lz);
  return { size, cx, cy, ax, ay, radius, half, offsets, inner, material, light: [lv / ln, lu / ln, lz / ln] };
}

/** The local (u, v) of pixel centre (x + 0.5, y + 0.5) relative to shell k's centre, in pixels. */
export function toShellFrame(g: StringGeometry, k: number, x: number, y: number): [number, number] {
  const dx = x + 0.5 - g.cx;
  const dy = y + 0.5 - g.cy;
  return [dx * g.ax + dy * g.ay - g.offsets[k], -dx * g.ay + dy * g.ax];
}

/** The image position (pixels) of local point (u, v) on shell k. */
export function fromShellFrame(g: StringGeometry, k: number, u: number, v: number): [number, number] {
  const along = g.offsets[k] + u;
  return [g.cx + along * g.ax - v * g.ay, g.cy + along * g.ay + v * g.ax];
}
