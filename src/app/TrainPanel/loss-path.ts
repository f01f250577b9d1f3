/** Geometry of the live loss chart: SVG polyline points per stage, in a w×h box, shared scales. */
import type { LossPoint } from '../state/training.slice';

/** The three stages, in drawing order. */
export const LOSS_STAGES = ['pretrain', 'train', 'fineTune'] as const;

/** Polyline `points` per stage, and the y range they span; non-finite losses are skipped. */
export function lossPaths(losses: readonly LossPoint[], w: number, h: number): { points: Record<(typeof LOSS_STAGES)[number], string>; lo: number; hi: number; steps: number } {
  const finite = losses.filter((p) => Number.isFinite(p.loss));
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of finite) [lo, hi] = [Math.min(lo, p.loss), Math.max(hi, p.loss)];
  if (!finite.length) [lo, hi] = [0, 1];
  // A flat curve still needs a span; pad it by 1% of its value (or by 1).
  if (hi - lo < 1e-12) [lo, hi] = [lo - (Math.abs(lo) * 0.01 || 1), hi + (Math.abs(hi) * 0.01 || 1)];
  const steps = Math.max(1, ...losses.map((p) => p.step));
  const x = (step: number) => (steps === 1 ? w / 2 : ((step - 1) / (steps - 1)) * w);
  const y = (v: number) => h - ((v - lo) / (hi - lo)) * h;
  const points = { pretrain: '', train: '', fineTune: '' };
  for (const s of LOSS_STAGES) {
    points[s] = finite
      .filter((p) => p.stage === s)
      .map((p) => `${+x(p.step).toFixed(1)},${+y(p.loss).toFixed(1)}`)
      .join(' ');
  }
  return { points, lo, hi, steps };
}
