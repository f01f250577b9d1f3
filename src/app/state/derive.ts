/**
 * Derived views of the store: review flags of the auditor and the baselines, and the gallery's order.
 * Plain functions of store data (memoised by the hooks that call them). The flag rule is core's
 * (core/audit/flags.ts), the same as the CLI's report: a labeled anomaly is flagged, a labeled normal
 * never, and the budget is a fraction of the unlabeled scored images.
 */
import { reviewFlags } from '../../core/audit/flags';
import { thresholdAtFraction } from '../../core/audit/evaluate';
import type { AppStore } from './store';
import type { FilterKey, SortKey } from './ui.slice';
import type { Explanation, Label } from './types';

/** The inputs the derivations read. */
export type DeriveInput = Pick<AppStore, 'imageIds' | 'images' | 'explanations' | 'labels' | 'scores' | 'budget' | 'nextIds'>;

/** Max-softmax confidence of an image's prediction (NaN without an explanation, or for a map made elsewhere without predictions.csv). */
export function confidenceOf(s: Pick<AppStore, 'explanations'>, id: string): number {
  const e = s.explanations[id];
  return e ? explanationConfidence(e) : NaN;
}

/** Max class probability of one explanation: from its probabilities, else predictions.csv's confidence, else NaN (unknown). */
export function explanationConfidence(e: Explanation): number {
  if (!e.probs.length) return e.confidence ?? NaN;
  let m = 0;
  for (const p of e.probs) m = Math.max(m, p);
  return m;
}

/** Labels as semi-targets aligned with `ids`: +1 normal, −1 anomalous, 0 unlabeled. */
export function semiTargetsOf(ids: readonly string[], labels: Record<string, Label>): Int8Array {
  return Int8Array.from(ids, (id) => (labels[id] === 'normal' ? 1 : labels[id] === 'anomalous' ? -1 : 0));
}

/** The review flags (flags.ts) of the current ranking, the score cut-off, and the fraction of the candidates flagged. */
export function deepSadFlags(s: Pick<DeriveInput, 'imageIds' | 'scores' | 'labels' | 'budget'>): { flags: Set<string>; threshold: number | null; fraction: number; nCandidates: number } {
  const scores = Float32Array.from(s.imageIds, (id) => s.scores[id] ?? NaN);
  const r = reviewFlags(scores, semiTargetsOf(s.imageIds, s.labels), s.budget);
  const flags = new Set(s.imageIds.filter((_, i) => r.flagged[i]));
  return { flags, threshold: r.nCandidates ? r.threshold : null, fraction: r.nCandidates ? r.nFlaggedByScore / r.nCandidates : s.budget, nCandidates: r.nCandidates };
}

/** The confidence and faithfulness baselines' flags at `fraction` of the unlabeled images (the auditor's flagged fraction). */
export function baselineFlags(s: Pick<DeriveInput, 'imageIds' | 'explanations' | 'labels'>, fraction: number): { confidence: Set<string>; faithfulness: Set<string> } {
  const flag = (value: (id: string) => number): Set<string> => {
    const v = Float32Array.from(s.imageIds, value);
    const evaluated = Uint8Array.from(s.imageIds, (id, i) => (!s.labels[id] && Number.isFinite(v[i]) ? 1 : 0));
    const t = thresholdAtFraction(v, evaluated, fraction);
    return new Set(s.imageIds.filter((_, i) => evaluated[i] && v[i] >= t));
  };
  return { confidence: flag((id) => 1 - confidenceOf(s, id)), faithfulness: flag((id) => s.explanations[id]?.faithfulness ?? NaN) };
}

/** Flags of each detector: the auditor's, and the confidence and faithfulness baselines at the same fraction. */
export function flagsOf(s: DeriveInput): { deepsad: Set<string>; confidence: Set<string>; faithfulness: Set<string> } {
  const d = deepSadFlags(s);
  return { deepsad: d.flags, ...baselineFlags(s, d.fraction) };
}

/** Whether an image is misclassified (its true class is known and differs from the prediction). */
export function isMisclassified(s: Pick<AppStore, 'images' | 'explanations'>, id: string): boolean {
  const t = s.images[id]?.truth ?? -1;
  const e = s.explanations[id];
  return t >= 0 && !!e && e.predicted !== t;
}

/**
 * The gallery's ids after `filter`, in `sortBy` order (the `next` filter keeps the label-next queue's own
 * order; `selection` keeps exactly the ids picked on the map, `s.mapSelection`).
 */
export function galleryOrder(s: DeriveInput & { mapSelection?: readonly string[] }, sortBy: SortKey, desc: boolean, filter: FilterKey, flagged: Set<string>): string[] {
  if (filter === 'next') return s.nextIds.filter((id) => !s.labels[id] && s.images[id]);
  const picked = filter === 'selection' ? new Set(s.mapSelection ?? []) : null;
  const keep = (id: string): boolean => {
    switch (filter) {
      case 'all':
        return true;
      case 'unlabeled':
        return !s.labels[id];
      case 'flagged':
        return flagged.has(id);
      case 'normal':
      case 'anomalous':
        return s.labels[id] === filter;
      case 'misclassified':
        return isMisclassified(s, id);
      case 'selection':
        return picked!.has(id);
      default:
        return s.explanations[id]?.predicted === Number(filter.slice('class:'.length));
    }
  };
  const key = (id: string): number | string => {
    switch (sortBy) {
      case 'score':
        return s.scores[id] ?? -Infinity;
      case 'confidence':
        return confidenceOf(s, id);
      case 'faithfulness':
        return s.explanations[id]?.faithfulness ?? -Infinity;
      case 'name':
        return s.images[id]?.name ?? id;
    }
  };
  const ids = s.imageIds.filter(keep);
  if (sortBy === 'score' && !Object.keys(s.scores).length) return ids;
  const keyed = ids.map((id, i) => ({ id, k: key(id), i }));
  keyed.sort((a, b) => {
    const c = a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i;
    return desc && a.k !== b.k ? -c : c;
  });
  return keyed.map((x) => x.id);
}
