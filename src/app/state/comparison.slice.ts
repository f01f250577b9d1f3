import type { StateCreator } from 'zustand';
import type { AppStore } from './store';

/** A second model's view of the same images: its maps and predictions, and its own detector's scores. */
export interface ModelComparison {
  /** The second model (model B; model A is the active one). */
  model: string;
  /** The active model it was compared with; the comparison is dropped when that changes. */
  against: string;
  /** Its explanations by id: predicted class index (into its own class names) and quantised heatmap (0..255, h·w). */
  explanations: Record<string, { predicted: number; heatmap: Uint8Array }>;
  /** Side [h, w] of its heatmaps. */
  heatmapSize: [number, number];
  /** Its own Deep SAD detector's review scores by id (higher = review first). */
  scores: Record<string, number>;
  /** How many labels its detector was trained with (later labels move its flags, not its scores). */
  nLabels: number;
  status: 'explaining' | 'training' | 'ready';
}

/** Two classifiers side by side: the second model's maps and detector (not persisted: a session-only view). */
export interface ComparisonSlice {
  comparison: ModelComparison | null;
  setComparison: (c: ModelComparison | null) => void;
  patchComparison: (patch: Partial<ModelComparison>) => void;
}

/** Creates the comparison slice. */
export const createComparisonSlice: StateCreator<AppStore, [], [], ComparisonSlice> = (set) => ({
  comparison: null,
  setComparison: (comparison) => set({ comparison }),
  patchComparison: (patch) => set((s) => (s.comparison ? { comparison: { ...s.comparison, ...patch } } : {})),
});
