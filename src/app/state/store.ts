/**
 * The one app store: typed slices combined in one `create` (zustand slices pattern; style.md §7–8).
 * It holds data only (ids, numbers, typed arrays, Blobs); the worker client lives in `../actions`,
 * which writes here through `useAppStore.setState/getState` from outside React.
 */
import { create } from 'zustand';
import { createAuditSlice, type AuditSlice } from './audit.slice';
import { createComparisonSlice, type ComparisonSlice } from './comparison.slice';
import { createExplanationsSlice, type ExplanationsSlice } from './explanations.slice';
import { createImagesSlice, type ImagesSlice } from './images.slice';
import { createMapSlice, type MapSlice } from './map.slice';
import { createTrainingSlice, type TrainingSlice } from './training.slice';
import { createUiSlice, type UiSlice } from './ui.slice';

/** Everything the app knows. */
export type AppStore = ImagesSlice & ExplanationsSlice & TrainingSlice & AuditSlice & UiSlice & ComparisonSlice & MapSlice;

/** Builds a fresh store (tests make one per case through {@link resetAppStore}). */
function initialState(...a: Parameters<typeof createImagesSlice>): AppStore {
  return {
    ...createImagesSlice(...a),
    ...createExplanationsSlice(...a),
    ...createTrainingSlice(...a),
    ...createAuditSlice(...a),
    ...createUiSlice(...a),
    ...createComparisonSlice(...a),
    ...createMapSlice(...a),
  };
}

export const useAppStore = create<AppStore>()((...a) => initialState(...a));

const pristine = useAppStore.getState();

/** Puts the store back to its initial state (tests; "new project"). */
export function resetAppStore(): void {
  useAppStore.setState(pristine, true);
}
