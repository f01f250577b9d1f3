/** Numbers the audit panel shows: score histogram by label, and ROC/PR against the labels the detector did not see. */
import type { HeldOutLabel } from '../../core/audit/auditor';
import { averagePrecision, histogram, prCurve, rocAuc, rocCurve } from '../../core/metrics';
import type { Label } from '../state/types';

/** One histogram bin, counts split by label. */
export interface HistBin {
  lo: number;
  /** Upper edge (the last bin's is the highest score). */
  hi: number;
  normal: number;
  anomalous: number;
  unlabeled: number;
}

/** Score histogram with counts per label. */
export function scoreHistogram(ids: string[], scores: Record<string, number>, labels: Record<string, Label>, bins = 20): HistBin[] {
  const scored = ids.filter((id) => Number.isFinite(scores[id]));
  if (!scored.length) return [];
  const h = histogram(scored.map((id) => scores[id]), bins);
  const out: HistBin[] = h.counts.map((_, i) => ({ lo: h.edges[i], hi: h.edges[i + 1], normal: 0, anomalous: 0, unlabeled: 0 }));
  const width = h.edges[bins] - h.edges[0];
  for (const id of scored) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor(((scores[id] - h.edges[0]) / width) * bins)));
    out[i][labels[id] ?? 'unlabeled']++;
  }
  return out;
}

/**
 * ROC and PR curves of the held-out percentiles (each label placed by a detector that did not see it,
 * core/audit/auditor.ts `agreement`) against the labels (anomalous = positive); null without both kinds.
 * Curves on the training labels themselves would only show that the detector memorised them.
 */
export function labelCurves(heldOut: readonly HeldOutLabel[]) {
  const lab = heldOut.filter((h) => Number.isFinite(h.percentile));
  const y = lab.map((h) => (h.label === 'anomalous' ? 1 : 0));
  if (!y.includes(0) || !y.includes(1)) return null;
  const s = lab.map((h) => h.percentile);
  const roc = rocCurve(s, y);
  const pr = prCurve(s, y);
  return {
    auc: rocAuc(s, y),
    ap: averagePrecision(s, y),
    roc: roc.fpr.map((f, i) => ({ fpr: f, tpr: roc.tpr[i] })),
    pr: pr.recall.map((r, i) => ({ recall: r, precision: pr.precision[i] })).reverse(),
  };
}
