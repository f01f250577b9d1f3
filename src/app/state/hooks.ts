/** React hooks over the store: derived gallery order and flags, memoised on the slices they read. */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from './store';
import { flagsOf, galleryOrder } from './derive';

/** The store fields that flags and the gallery order derive from (one shallow-compared selection). */
function useFlagInputs() {
  return useAppStore(
    useShallow((s) => ({
      imageIds: s.imageIds,
      images: s.images,
      explanations: s.explanations,
      labels: s.labels,
      scores: s.scores,
      budget: s.budget,
      threshold: s.threshold,
    })),
  );
}

/** Flags of Deep SAD and the baselines at the current budget/threshold. */
export function useFlags() {
  const inputs = useFlagInputs();
  return useMemo(() => flagsOf(inputs), [inputs]);
}

/** The gallery's ids in display order (filter + sort). */
export function useGalleryOrder(): string[] {
  const inputs = useFlagInputs();
  const { imageIds, images, explanations, labels, scores } = inputs;
  const sortBy = useAppStore((s) => s.sortBy);
  const sortDesc = useAppStore((s) => s.sortDesc);
  const filter = useAppStore((s) => s.filter);
  const flags = useFlags();
  return useMemo(
    () => galleryOrder(inputs, sortBy, sortDesc, filter, flags.deepsad),
    // labels only matter to the order through label filters; re-sorting on every label would move cards under the cursor.
    [imageIds, images, explanations, filter === 'all' || filter === 'flagged' || filter === 'misclassified' || filter.startsWith('class:') ? null : labels, scores, sortBy, sortDesc, filter, flags],
  );
}

const NO_CLASSES: string[] = [];

/** Class names of the active classifier (a stable empty array when none is loaded). */
export function useClassNames(): string[] {
  return useAppStore((s) => s.models.find((m) => m.name === s.activeModel)?.classNames ?? NO_CLASSES);
}
