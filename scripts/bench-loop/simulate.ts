/**
 * The simulated analyst of `npm run bench:loop`: it starts with no labels, reviews `perRound` images of
 * the current ranking each round and labels them from the ground truth (anomalous = misclassified or
 * shortcut, else normal), and the detector updates as the app's does (core/audit's Auditor: the
 * immediate label-aware re-rank plus the bounded update from the base). Counts what the review found.
 */
import { Auditor } from '../../src/core/audit/auditor';
import type { AuditorSettings } from '../../src/core/audit/settings';
import type { DetectorBundle } from '../../src/core/deepsad/types';
import type { LoopSession } from './session';

/** The strategies the benchmark compares. */
export const STRATEGIES = ['loop', 'loop_next', 'loop_full', 'ranking_unlabeled', 'deepsad_unlabeled', 'confidence', 'random'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Cumulative finds after each round. */
export interface Curve {
  found: number[];
  shortcut_found: number[];
}

/** Detector inputs (map + patch, /255) of a session, NHWC. */
export function sessionInput(s: LoopSession, channels: number): Float32Array {
  const cells = s.size[0] * s.size[1];
  const x = new Float32Array(s.n * cells * channels);
  for (let j = 0; j < s.n * cells; j++) {
    x[j * channels] = s.heatmaps[j] / 255;
    if (channels === 4) for (let c = 0; c < 3; c++) x[j * 4 + 1 + c] = s.patches[j * 3 + c] / 255;
  }
  return x;
}

/** Ids of a session: its image indices as strings. */
const idsOf = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i));

/** An auditor holding the session's explanations. */
export function sessionAuditor(s: LoopSession, settings: AuditorSettings): Auditor {
  const a = new Auditor(settings, s.size);
  a.upsert(idsOf(s.n), sessionInput(s, a.rowLength / (s.size[0] * s.size[1])), s.unconfidence, s.predicted);
  return a;
}

/** The cumulative curve of reviewing `order` (indices) `perRound` at a time for `rounds` rounds. */
export function staticCurve(order: readonly number[], s: LoopSession, rounds: number, perRound: number): Curve {
  const c: Curve = { found: [], shortcut_found: [] };
  let f = 0;
  let sc = 0;
  for (let r = 0; r < rounds; r++) {
    for (const i of order.slice(r * perRound, (r + 1) * perRound)) {
      f += s.truth.anomalous[i];
      sc += s.truth.shortcut[i];
    }
    c.found.push(f);
    c.shortcut_found.push(sc);
  }
  return c;
}

/** Indices by descending `score` (NaN last, ties by index). */
export function descending(score: ArrayLike<number>): number[] {
  return Array.from({ length: score.length }, (_, i) => i).sort((a, b) => (Number.isNaN(score[b]) ? -1 : Number.isNaN(score[a]) ? 1 : score[b] - score[a] || a - b));
}

/** The expected curve of reviewing uniformly random images (no replacement). */
export function randomCurve(s: LoopSession, rounds: number, perRound: number): Curve {
  const rate = s.truth.anomalous.reduce((a, b) => a + b, 0) / s.n;
  const sRate = s.truth.shortcut.reduce((a, b) => a + b, 0) / s.n;
  return { found: Array.from({ length: rounds }, (_, r) => rate * perRound * (r + 1)), shortcut_found: Array.from({ length: rounds }, (_, r) => sRate * perRound * (r + 1)) };
}

/**
 * The loop: each round the analyst reviews the top `perRound` unreviewed images of the auditor's
 * ranking (`loop_next`: half of them from the auditor's label-next picks instead), labels them from the
 * truth, and the detector updates: the bounded update (`loop`, `loop_next`, as in the app) or a full
 * retraining with every label (`loop_full`, the comparison the bounded update must stay close to).
 * Starts from the given base detectors (trained once per session and setting).
 */
export async function loopCurve(kind: 'loop' | 'loop_next' | 'loop_full', s: LoopSession, settings: AuditorSettings, bases: DetectorBundle[], rounds: number, perRound: number, budget = 0.15): Promise<Curve> {
  const a = sessionAuditor(s, settings);
  try {
    await a.restore(bases);
    const labels = new Map<string, number>();
    const order: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const ranking = a.rank();
      const picks: number[] = [];
      const take = (i: number): void => {
        if (!labels.has(String(i)) && !picks.includes(i)) picks.push(i);
      };
      if (kind === 'loop_next') for (const id of a.labelNext(perRound, budget, ranking)) if (picks.length < Math.floor(perRound / 2)) take(Number(id));
      for (const i of descending(ranking.score)) {
        if (picks.length >= perRound) break;
        take(i);
      }
      for (const i of picks) {
        labels.set(String(i), s.truth.anomalous[i] ? -1 : 1);
        order.push(i);
      }
      a.setLabels(labels);
      if (kind === 'loop_full') await a.train({}, { withLabels: true });
      else await a.update();
    }
    return staticCurve(order, s, rounds, perRound);
  } finally {
    a.dispose();
  }
}

/**
 * Base detectors of a session under `settings` (labels ignored), their Deep SAD distance ranks (Deep SAD
 * without labels) and the auditor's ranking before any label (with a learnt ranking: its prior, Deep SAD
 * and confidence combined).
 */
export async function trainBase(s: LoopSession, settings: AuditorSettings): Promise<{ bases: DetectorBundle[]; unlabeled: Float32Array; ranking: Float32Array }> {
  const a = sessionAuditor(s, settings);
  try {
    await a.train();
    const r = a.rank();
    return { bases: a.bundles(), unlabeled: r.deepsad, ranking: r.score };
  } finally {
    a.dispose();
  }
}
