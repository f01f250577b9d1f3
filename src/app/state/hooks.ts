/**
 * React hooks over the store: derived gallery order and flags. Each derivation runs once per store state
 * (memoLast), however many components ask: at 10,000 images a flags pass sorts every score and every
 * confidence, and three components used to repeat it on every ingest batch.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from './store';
import { baselineFlags, deepSadFlags, galleryOrder } from './derive';
import type { Explanation, Label, ModelInfo } from './types';
import type { ModelComparison } from './comparison.slice';
import { modelComparisonOf } from './compare-derive';
import { memoLast } from './memo-last';

const sharedDeepSadFlags = memoLast((imageIds: string[], scores: Record<string, number>, labels: Record<string, Label>, budget: number) =>
  deepSadFlags({ imageIds, scores, labels, budget }),
);
const sharedBaselineFlags = memoLast((imageIds: string[], explanations: Record<string, Explanation>, labels: Record<string, Label>, fraction: number) =>
  baselineFlags({ imageIds, explanations, labels }, fraction),
);

/** The auditor's review flags, the score cut-off and the flagged fraction (no re-render when only explanations change). */
export function useDeepSadFlags(): ReturnType<typeof deepSadFlags> {
  const { imageIds, scores, labels, budget } = useAppStore(useShallow((s) => ({ imageIds: s.imageIds, scores: s.scores, labels: s.labels, budget: s.budget })));
  return sharedDeepSadFlags(imageIds, scores, labels, budget);
}

/** Flags of Deep SAD and of the confidence and faithfulness baselines at the same flagged fraction. */
export function useFlags(): { deepsad: Set<string>; confidence: Set<string>; faithfulness: Set<string>; threshold: number | null } {
  const d = useDeepSadFlags();
  const imageIds = useAppStore((s) => s.imageIds);
  const explanations = useAppStore((s) => s.explanations);
  const labels = useAppStore((s) => s.labels);
  const base = sharedBaselineFlags(imageIds, explanations, labels, d.fraction);
  return useMemo(() => ({ deepsad: d.flags, threshold: d.threshold, ...base }), [d, base]);
}

/** The gallery's ids in display order (filter + sort). */
export function useGalleryOrder(): string[] {
  const inputs = useAppStore(
    useShallow((s) => ({ imageIds: s.imageIds, images: s.images, explanations: s.explanations, labels: s.labels, scores: s.scores, budget: s.budget, nextIds: s.nextIds, mapSelection: s.mapSelection })),
  );
  const { imageIds, images, explanations, labels, scores, nextIds, mapSelection } = inputs;
  const sortBy = useAppStore((s) => s.sortBy);
  const sortDesc = useAppStore((s) => s.sortDesc);
  const filter = useAppStore((s) => s.filter);
  const flagged = useDeepSadFlags().flags;
  return useMemo(
    () => galleryOrder(inputs, sortBy, sortDesc, filter, flagged),
    // labels only matter to the order through label filters; re-sorting on every label would move cards under the cursor.
    [imageIds, images, explanations, filter === 'all' || filter === 'flagged' || filter === 'misclassified' || filter.startsWith('class:') || filter === 'selection' ? null : labels, scores, nextIds, sortBy, sortDesc, filter, flagged, mapSelection],
  );
}

const NO_CLASSES: string[] = [];

/** Class names of the active classifier (a stable empty array when none is loaded). */
export function useClassNames(): string[] {
  return useAppStore((s) => s.models.find((m) => m.name === s.activeModel)?.classNames ?? (s.source?.kind === 'imported' ? s.source.classNames : NO_CLASSES));
}

const sharedComparison = memoLast(
  (imageIds: string[], explanations: Record<string, Explanation>, scores: Record<string, number>, labels: Record<string, Label>, budget: number, models: ModelInfo[], activeModel: string | null, comparison: ModelComparison | null) =>
    modelComparisonOf({ imageIds, explanations, scores, labels, budget, models, activeModel, comparison }),
);

/** The active model compared with the second one (flags 2×2, lists, agreement); null when there is no ready comparison. */
export function useModelComparison(): ReturnType<typeof modelComparisonOf> {
  const s = useAppStore(
    useShallow((x) => ({ imageIds: x.imageIds, explanations: x.explanations, scores: x.scores, labels: x.labels, budget: x.budget, models: x.models, activeModel: x.activeModel, comparison: x.comparison })),
  );
  return sharedComparison(s.imageIds, s.explanations, s.scores, s.labels, s.budget, s.models, s.activeModel, s.comparison);
}
