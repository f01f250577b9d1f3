/**
 * Paints the string: the steel rod, then each shell as a shaded, anti-aliased ellipse (a disc seen
 * obliquely) with concentric ridges, a darker rim and a specular highlight. Glass is composited
 * translucently over what lies below it. A `ShellDamage` may cut material away or tint it; the
 * pixels it visibly changes give the defect's box.
 */
import type { Box } from '../image';
import type { Canvas, Rgb } from './canvas';
import { blendPixel } from './canvas';
import type { StringGeometry } from './geometry';

/** What a defect does to one shell pixel. */
export interface DamageAt {
  /** Fraction of the shell material missing here, 0–1 (what lies below shows through). */
  cut: number;
  /** Colour painted over the shell's own shading. */
  tint: Rgb;
  /** Opacity of `tint`, 0–1. */
  tintAlpha: number;
}

/** A defect, expressed in the local frames of the shells it touches. */
export interface ShellDamage {
  /** Indices of the damaged shells. */
  shells: ReadonlySet<number>;
  /**
   * Damage at local point (u, v) (pixels from the shell centre) of shell k; `out` is reset to no
   * damage before each call and is written in place.
   */
  at(k: number, u: number, v: number, out: DamageAt): void;
}

/** What painting the string produced besides pixels. */
export interface StringPaintResult {
  /** size·size, 1 = shell. */
  shellMask: Uint8Array;
  /** Bounding box of the visibly damaged pixels, or null. */
  damageBox: Box | null;
}

const ROD: Rgb = [0.33, 0.33, 0.35];
/** A pixel counts as damaged when its cut or tint exceeds this (and no later shell hides it). */
const DAMAGE_VISIBLE = 0.2;

/** Paints rod and shells onto `c`, applying `damage` if given. */
export function paintString(c: Canvas, g: StringGeometry, damage: ShellDamage | null): StringPaintResult {
  const { size } = g;
  paintRod(c, g);
  const coverage = new Float32Array(size * size);
  const damaged = new Uint8Array(size * size);
  const hit: DamageAt = { cut: 0, tint: [0, 0, 0], tintAlpha: 0 };
  const color: [number, number, number] = [0, 0, 0];
  const { radius: R, half: B, material: m, light } = g;
  const [lv, lu, lz] = light;
  // Half vector for a camera looking straight down the z axis.
  const hn = Math.hypot(lv, lu, lz + 1);
  const [hv, hu, hz] = [lv / hn, lu / hn, (lz + 1) / hn];
  const reach = Math.hypot(R, B) + 1;
  for (let k = 0; k < g.offsets.length; k++) {
    const px = g.cx + g.offsets[k] * g.ax;
    const py = g.cy + g.offsets[k] * g.ay;
    const x0 = Math.max(0, Math.floor(px - reach));
    const x1 = Math.min(size, Math.ceil(px + reach));
    const y0 = Math.max(0, Math.floor(py - reach));
    const y1 = Math.min(size, Math.ceil(py + reach));
    const isDamaged = damage !== null && damage.shells.has(k);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        // Inlined toShellFrame (this loop is the generator's hot path: no per-pixel allocation).
        const dx = x + 0.5 - g.cx;
        const dy = y + 0.5 - g.cy;
        const u = dx * g.ax + dy * g.ay - g.offsets[k];
        const v = -dx * g.ay + dy * g.ax;
        const s = v / R;
        const t = u / B;
        const r = Math.sqrt(s * s + t * t);
        if (r > 1.2) continue;
        const grad = Math.hypot(v / (R * R), u / (B * B)) / Math.max(r, 1e-6);
        let cov = Math.min(1, Math.max(0, (1 - r) / Math.max(grad, 1e-6) + 0.5));
        if (cov <= 0) continue;
        const rc = Math.min(r, 1);
        const nz = Math.sqrt(1 - rc * rc);
        const diffuse = Math.max(0, s * lv + t * lu + nz * lz);
        const spec = Math.pow(Math.max(0, s * hv + t * hu + nz * hz), 24) * m.gloss;
        const ridge = 1 + 0.08 * Math.cos(rc * Math.PI * 5);
        const rim = 1 - 0.4 * smoothstep(0.8, 1, rc);
        const shade = (0.32 + 0.78 * diffuse) * ridge * rim;
        for (let ch = 0; ch < 3; ch++) color[ch] = m.color[ch] * shade + spec * 0.9;
        let alpha = m.opacity + (1 - m.opacity) * Math.pow(rc, 4);
        const i = y * size + x;
        if (isDamaged) {
          hit.cut = 0;
          hit.tintAlpha = 0;
          damage.at(k, u, v, hit);
          if (hit.tintAlpha > 0) {
            for (let ch = 0; ch < 3; ch++) color[ch] = color[ch] * (1 - hit.tintAlpha) + hit.tint[ch] * hit.tintAlpha;
            // Exposed core and burnt glaze are opaque even in a glass shell.
            alpha = alpha + (1 - alpha) * hit.tintAlpha;
          }
          cov *= 1 - hit.cut;
          if (cov > 0.5 && (hit.cut > DAMAGE_VISIBLE || hit.tintAlpha > DAMAGE_VISIBLE)) damaged[i] = 1;
          else if (cov > 0.5) damaged[i] = 0;
        } else if (cov > 0.5) damaged[i] = 0;
        blendPixel(c, i, color, alpha * cov);
        coverage[i] = Math.max(coverage[i], cov);
      }
    }
  }
  const shellMask = new Uint8Array(size * size);
  for (let i = 0; i < shellMask.length; i++) shellMask[i] = coverage[i] > 0.5 ? 1 : 0;
  return { shellMask, damageBox: boxOf(damaged, size) };
}

function paintRod(c: Canvas, g: StringGeometry): void {
  const { size } = g;
  const half = Math.max(0.8, g.radius * 0.1);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - g.cx;
      const dy = y + 0.5 - g.cy;
      const across = -dx * g.ay + dy * g.ax;
      const cov = Math.min(1, Math.max(0, half - Math.abs(across) + 0.5));
      if (cov > 0) blendPixel(c, y * size + x, ROD, cov);
    }
  }
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

/** Bounding box of the set pixels of a size×size 0/1 mask, or null when none is set. */
export function boxOf(mask: Uint8Array, size: number): Box | null {
  let x0 = size;
  let y0 = size;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!mask[y * size + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}
