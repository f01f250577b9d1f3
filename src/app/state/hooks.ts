/** React hooks over the store: derived gallery order and flags, memoised on the slices they read. */
import { useMemo } from 'react';
import { useAppStore } from './store';
import { flagsOf, galleryOrder } from './derive';

/** Flags of Deep SAD and the baselines at the current budget/threshold. */
export function useFlags() {
  const imageIds = useAppStore((s) => s.imageIds);
  const images = useAppStore((s) => s.images);
  const explanations = useAppStore((s) => s.explanations);
  const labels = useAppStore((s) => s.labels);
  const scores = useAppStore((s) => s.scores);
  const budget = useAppStore((s) => s.budget);
  const threshold = useAppStore((s) => s.threshold);
  return useMemo(
    () => flagsOf({ imageIds, images, explanations, labels, scores, budget, threshold }),
    [imageIds, images, explanations, labels, scores, budget, threshold],
  );
}

/** The gallery's ids in display order (filter + sort). */
export function useGalleryOrder(): string[] {
  const imageIds = useAppStore((s) => s.imageIds);
  const images = useAppStore((s) => s.images);
  const explanations = useAppStore((s) => s.explanations);
  const labels = useAppStore((s) => s.labels);
  const scores = useAppStore((s) => s.scores);
  const budget = useAppStore((s) => s.budget);
  const threshold = useAppStore((s) => s.threshold);
  const sortBy = useAppStore((s) => s.sortBy);
  const sortDesc = useAppStore((s) => s.sortDesc);
  const filter = useAppStore((s) => s.filter);
  const flags = useFlags();
  return useMemo(
    () => galleryOrder({ imageIds, images, explanations, labels, scores, budget, threshold }, sortBy, sortDesc, filter, flags.deepsad),
    // labels only matter to the order through label filters; re-sorting on every label would move cards under the cursor.
    [imageIds, images, explanations, filter === 'all' || filter === 'flagged' || filter === 'misclassified' || filter.startsWith('class:') ? null : labels, scores, sortBy, sortDesc, filter, flags],
  );
}

const NO_CLASSES: string[] = [];

/** Class names of the active classifier (a stable empty array when none is loaded). */
export function useClassNames(): string[] {
  return useAppStore((s) => s.models.find((m) => m.name === s.activeModel)?.classNames ?? NO_CLASSES);
}
