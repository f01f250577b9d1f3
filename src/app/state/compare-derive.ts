/**
 * The comparison of the active model (A) with a second one (B) as the app shows it: both models' review
 * flags at the same budget with the same labels (core's flag rule), joined by core's compareFlags (the
 * same table `apexp audit --model A --model B` writes to comparison.json).
 */
import { compareFlags, type AuditComparison } from '../../core/audit/comparison';
import { deepSadFlags } from './derive';
import type { AppStore } from './store';

/** The store fields the comparison reads. */
export type CompareInput = Pick<AppStore, 'imageIds' | 'explanations' | 'scores' | 'labels' | 'budget' | 'models' | 'activeModel' | 'comparison'>;

/** A's and B's flags over the images each explained and scored, and the joined table; null until B's detector has scored. */
export function modelComparisonOf(s: CompareInput): AuditComparison | null {
  const c = s.comparison;
  if (!c || c.status !== 'ready' || !s.activeModel || c.against !== s.activeModel) return null;
  const namesOf = (model: string) => s.models.find((m) => m.name === model)?.classNames ?? [];
  const side = (name: string, ids: string[], scores: Record<string, number>, predicted: (id: string) => number, classNames: string[]) => ({
    name,
    ids,
    flagged: deepSadFlags({ imageIds: ids, scores, labels: s.labels, budget: s.budget }).flags,
    evaluated: Uint8Array.from(ids, (id) => (!s.labels[id] && Number.isFinite(scores[id]) ? 1 : 0)),
    predicted: ids.map((id) => classNames[predicted(id)] ?? String(predicted(id))),
  });
  const a = side(s.activeModel, s.imageIds.filter((id) => s.explanations[id]), s.scores, (id) => s.explanations[id].predicted, namesOf(s.activeModel));
  const b = side(c.model, s.imageIds.filter((id) => c.explanations[id]), c.scores, (id) => c.explanations[id].predicted, namesOf(c.model));
  return compareFlags(a, b, s.budget);
}
