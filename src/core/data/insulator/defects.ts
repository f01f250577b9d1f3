/**
 * The two defect kinds, as `ShellDamage` in shell-local coordinates:
 * - broken: a chip bitten out of one shell's rim: the dark cavity inside the shell shows through the
 *   gap, ringed by the exposed fracture surface (the darker core; the light unglazed body in brown
 *   porcelain, where a dark core would not show), with a dark crack running toward the centre;
 * - flashover: a burn track along the string across 2–4 consecutive shells (dark, with a dull
 *   scorched halo where the glaze is damaged) and burn spots near it.
 */
import type { Rgb } from './canvas';
import type { StringGeometry } from './geometry';
import type { Rng } from './prng';
import type { DamageAt, ShellDamage } from './shells';
import type { InsulatorClass } from './types';

/** The shadowed inside of a broken shell (cement, pin), seen through the gap. */
const CAVITY: Rgb = [0.1, 0.09, 0.08];
/** Fracture surface on light shells (white porcelain, glass): rough, greyer than the glaze. */
const CORE: Rgb = [0.3, 0.28, 0.26];
/** Unglazed ceramic body: what a chip in dark (brown) porcelain exposes; dark core would not show there. */
const BODY: Rgb = [0.72, 0.69, 0.63];
const BURN: Rgb = [0.09, 0.07, 0.05];
const SCORCH: Rgb = [0.32, 0.27, 0.22];

/** The damage for a class (null for `good`); the damaged shells are among `g.inner`. */
export function sampleDamage(cls: InsulatorClass, g: StringGeometry, rng: Rng): ShellDamage | null {
  if (cls === 'broken') return brokenChip(g, rng);
  if (cls === 'flashover') return flashoverTrack(g, rng);
  return null;
}

function brokenChip(g: StringGeometry, rng: Rng): ShellDamage {
  const shell = rng.pick(g.inner);
  const R = g.radius;
  const B = g.half;
  // The chip sits on the rim on the side the next shell does not cover (u ≤ ~0).
  const alpha = rng.uniform(0.6 * Math.PI, 1.4 * Math.PI);
  // Slightly inside the rim, so most of the chip lies on the shell's visible face.
  const cu = 0.85 * B * Math.cos(alpha);
  const cv = 0.85 * R * Math.sin(alpha);
  const rho = R * rng.uniform(0.42, 0.58);
  const p1 = rng.uniform(0, 2 * Math.PI);
  const p2 = rng.uniform(0, 2 * Math.PI);
  // The crack: from the chip toward the centre, with a wobble, over 55–90% of the way.
  const crackLen = rng.uniform(0.55, 0.9);
  const crackWobble = rng.uniform(-0.25, 0.25) * R;
  const crackWidth = Math.max(0.55, R * 0.045);
  const [mr, mg, mb] = g.material.color;
  const core = 0.3 * mr + 0.59 * mg + 0.11 * mb < 0.45 && g.material.kind === 'porcelain' ? BODY : CORE;
  return {
    shells: new Set([shell]),
    at(_k: number, u: number, v: number, out: DamageAt): void {
      const du = u - cu;
      const dv = v - cv;
      const d = Math.hypot(du, dv);
      const th = Math.atan2(dv, du);
      const edge = rho * (1 + 0.22 * Math.sin(5 * th + p1) + 0.12 * Math.sin(9 * th + p2));
      if (d < edge * 0.55) {
        out.tint = CAVITY;
        out.tintAlpha = 1;
        return;
      }
      if (d < edge) {
        out.tint = core;
        out.tintAlpha = 0.9;
        return;
      }
      // Distance from (u, v) to the crack segment chip → centre (bent by the wobble at midway).
      const t = -(du * cu + dv * cv) / (cu * cu + cv * cv);
      if (t < 0 || t > crackLen) return;
      const bend = crackWobble * Math.sin(Math.PI * t / crackLen);
      const lu = cu * (1 - t);
      const lv = cv * (1 - t) + bend;
      const off = Math.hypot(u - lu, v - lv);
      if (off < crackWidth + 0.5) {
        out.tint = CORE;
        out.tintAlpha = 0.85 * Math.min(1, crackWidth + 0.5 - off);
      }
    },
  };
}

function flashoverTrack(g: StringGeometry, rng: Rng): ShellDamage {
  const R = g.radius;
  const first = rng.pick(g.inner);
  const run = rng.int(2, 4);
  const lo = Math.max(0, Math.min(first, g.offsets.length - run));
  const shells = new Set<number>();
  for (let k = lo; k < lo + run; k++) shells.add(k);
  const v0 = rng.uniform(-0.45, 0.45) * R;
  const amp = rng.uniform(0.05, 0.2) * R;
  const freq = rng.uniform(0.1, 0.3);
  const phase = rng.uniform(0, 2 * Math.PI);
  const width = R * rng.uniform(0.09, 0.15);
  const spots: { k: number; u: number; v: number; r: number }[] = [];
  const nSpots = rng.int(2, 5);
  for (let s = 0; s < nSpots; s++) {
    spots.push({
      k: lo + rng.int(0, run - 1),
      u: rng.uniform(-0.6, 0.2) * g.half,
      v: v0 + rng.uniform(-0.5, 0.5) * R,
      r: R * rng.uniform(0.07, 0.13),
    });
  }
  return {
    shells,
    at(k: number, u: number, v: number, out: DamageAt): void {
      const along = g.offsets[k] + u;
      const centre = v0 + amp * Math.sin(along * freq + phase);
      const w = width * (1 + 0.35 * Math.sin(along * 0.9 + phase * 2));
      const dv = Math.abs(v - centre);
      if (dv < w) {
        out.tint = BURN;
        out.tintAlpha = 0.9;
        return;
      }
      for (const s of spots) {
        if (s.k === k && Math.hypot(u - s.u, v - s.v) < s.r) {
          out.tint = BURN;
          out.tintAlpha = 0.85;
          return;
        }
      }
      if (dv < w * 2.6) {
        out.tint = SCORCH;
        out.tintAlpha = 0.45 * (1 - (dv - w) / (w * 1.6));
      }
    },
  };
}
