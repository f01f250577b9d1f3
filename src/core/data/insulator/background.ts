/**
 * Backgrounds a drone sees behind an insulator string: open sky (gradient and clouds), vegetation
 * seen from above (mottled greens and browns), or the steel lattice of the tower against the sky.
 */
import type { Canvas, Rgb } from './canvas';
import { valueNoise } from './canvas';
import type { Rng } from './prng';

/** The background kinds the renderer draws, chosen uniformly. */
export type BackgroundKind = 'sky' | 'vegetation' | 'tower';

/** All background kinds. */
export const BACKGROUND_KINDS: readonly BackgroundKind[] = ['sky', 'vegetation', 'tower'];

/** Fills the canvas with a background of the given kind. */
export function paintBackground(c: Canvas, kind: BackgroundKind, rng: Rng): void {
  if (kind === 'vegetation') paintVegetation(c, rng);
  else {
    paintSky(c, rng);
    if (kind === 'tower') paintLattice(c, rng);
  }
}

function paintSky(c: Canvas, rng: Rng): void {
  const { size, rgb } = c;
  const top: Rgb = [rng.uniform(0.25, 0.5), rng.uniform(0.45, 0.65), rng.uniform(0.75, 0.95)];
  const bottom: Rgb = [rng.uniform(0.7, 0.85), rng.uniform(0.78, 0.9), rng.uniform(0.85, 0.97)];
  const angle = rng.uniform(-0.6, 0.6);
  const gx = Math.sin(angle) / size;
  const gy = Math.cos(angle) / size;
  const clouds = valueNoise(size, rng.int(2, 4), rng);
  const cloudiness = rng.uniform(0, 0.9);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const t = Math.min(1, Math.max(0, 0.5 + (x - size / 2) * gx + (y - size / 2) * gy));
      const cl = Math.max(0, clouds[i] - (1 - cloudiness)) * 2.2 * cloudiness;
      const w = Math.min(1, cl);
      for (let ch = 0; ch < 3; ch++) rgb[i * 3 + ch] = (top[ch] * (1 - t) + bottom[ch] * t) * (1 - w) + 0.93 * w;
    }
  }
}

function paintVegetation(c: Canvas, rng: Rng): void {
  const { size, rgb } = c;
  const coarse = valueNoise(size, rng.int(3, 5), rng);
  const fine = valueNoise(size, Math.max(8, Math.round(size / 4)), rng);
  const base: Rgb = [rng.uniform(0.15, 0.3), rng.uniform(0.3, 0.45), rng.uniform(0.1, 0.2)];
  const soil: Rgb = [rng.uniform(0.35, 0.45), rng.uniform(0.3, 0.38), rng.uniform(0.2, 0.27)];
  const soilShare = rng.uniform(0, 0.35);
  for (let i = 0; i < size * size; i++) {
    const s = coarse[i] < soilShare ? 1 : 0;
    const shade = 0.6 + 0.5 * fine[i] + 0.3 * (coarse[i] - 0.5);
    for (let ch = 0; ch < 3; ch++) rgb[i * 3 + ch] = (base[ch] * (1 - s) + soil[ch] * s) * shade;
  }
}

/** Thick steel members and thinner bracing at random angles, flat grey with a lit edge. */
function paintLattice(c: Canvas, rng: Rng): void {
  const { size } = c;
  const steel = rng.uniform(0.35, 0.6);
  const members = rng.int(2, 4);
  for (let m = 0; m < members; m++) {
    const width = m < 2 ? rng.uniform(0.05, 0.09) * size : rng.uniform(0.02, 0.04) * size;
    const angle = rng.uniform(0, Math.PI);
    const px = rng.uniform(0.1, 0.9) * size;
    const py = rng.uniform(0.1, 0.9) * size;
    drawBar(c, px, py, angle, width, steel * rng.uniform(0.85, 1.1));
  }
}

function drawBar(c: Canvas, px: number, py: number, angle: number, width: number, grey: number): void {
  const { size, rgb } = c;
  const nx = -Math.sin(angle);
  const ny = Math.cos(angle);
  const half = width / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = (x + 0.5 - px) * nx + (y + 0.5 - py) * ny;
      const cov = Math.min(1, Math.max(0, half - Math.abs(d) + 0.5));
      if (cov <= 0) continue;
      // The member's lit side is brighter: an L-profile angle iron seen from the side.
      const g = grey * (d < 0 ? 1.15 : 0.8);
      const i = (y * size + x) * 3;
      for (let ch = 0; ch < 3; ch++) rgb[i + ch] = rgb[i + ch] * (1 - cov) + g * cov;
    }
  }
}
