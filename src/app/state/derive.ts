/**
 * Derived views of the store: flags at the review budget for Deep SAD and the baselines, and the
 * gallery's order. Plain functions of store data (memoised by the components that call them).
 */
import type { AppStore } from './store';
import type { FilterKey, SortKey } from './ui.slice';

/** The inputs the derivations read. */
export type DeriveInput = Pick<AppStore, 'imageIds' | 'images' | 'explanations' | 'labels' | 'scores' | 'budget' | 'threshold'>;

/** Max-softmax confidence of an image's prediction (NaN without an explanation). */
export function confidenceOf(s: Pick<AppStore, 'explanations'>, id: string): number {
  const e = s.explanations[id];
  if (!e) return NaN;
  let m = 0;
  for (const p of e.probs) m = Math.max(m, p);
  return m;
}

/** The ids whose `key` is among the top ⌈budget·n⌉ (higher = more suspicious); NaN keys never flag. */
export function topByBudget(ids: string[], key: (id: string) => number, budget: number): Set<string> {
  const scored = ids.map((id) => [id, key(id)] as const).filter(([, v]) => Number.isFinite(v));
  scored.sort((a, b) => b[1] - a[1]);
  const k = Math.ceil(budget * ids.length);
  return new Set(scored.slice(0, k).map(([id]) => id));
}

/** The Deep SAD score threshold in force: the explicit one, else the budget's cut-off; null without scores. */
export function effectiveThreshold(s: Pick<DeriveInput, 'imageIds' | 'scores' | 'budget' | 'threshold'>): number | null {
  const vals = s.imageIds.map((id) => s.scores[id]).filter((v) => Number.isFinite(v));
  if (!vals.length) return null;
  if (s.threshold !== null) return s.threshold;
  vals.sort((a, b) => b - a);
  const k = Math.max(1, Math.ceil(s.budget * s.imageIds.length));
  return vals[Math.min(k, vals.length) - 1];
}

/** Deep SAD's flags (score ≥ the threshold in force), that threshold, and the fraction of images flagged. */
export function deepSadFlags(s: Pick<DeriveInput, 'imageIds' | 'scores' | 'budget' | 'threshold'>): { flags: Set<string>; threshold: number | null; fraction: number } {
  const t = effectiveThreshold(s);
  const flags = new Set(t === null ? [] : s.imageIds.filter((id) => s.scores[id] >= t));
  return { flags, threshold: t, fraction: t === null ? s.budget : flags.size / Math.max(1, s.imageIds.length) };
}

/** The confidence and faithfulness baselines' flags at `fraction` of the images (Deep SAD's flagged fraction). */
export function baselineFlags(s: Pick<DeriveInput, 'imageIds' | 'explanations'>, fraction: number): { confidence: Set<string>; faithfulness: Set<string> } {
  return {
    confidence: topByBudget(s.imageIds, (id) => 1 - confidenceOf(s, id), fraction),
    faithfulness: topByBudget(s.imageIds, (id) => s.explanations[id]?.faithfulness ?? NaN, fraction),
  };
}

/** Flags of each detector: Deep SAD (score ≥ threshold), and the confidence and faithfulness baselines at the same budget. */
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

/** The gallery's ids after `filter`, in `sortBy` order. */
export function galleryOrder(s: DeriveInput, sortBy: SortKey, desc: boolean, filter: FilterKey, flagged: Set<string>): string[] {
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
