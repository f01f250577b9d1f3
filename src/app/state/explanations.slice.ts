import type { StateCreator } from 'zustand';
import type { ExplainBatch } from '../../workers/protocol';
import type { AppStore } from './store';
import type { Explanation, ModelInfo } from './types';

/** Classifiers, the active one, and the explanation of every image. */
export interface ExplanationsSlice {
  models: ModelInfo[];
  activeModel: string | null;
  /** Heatmap side [h, w] of every stored heatmap. */
  heatmapSize: [number, number];
  explanations: Record<string, Explanation>;
  addModel: (info: ModelInfo, activate: boolean) => void;
  setActiveModel: (name: string) => void;
  /** Stores a batch of worker results (copies nothing but the per-image slices). */
  addExplanations: (batch: ExplainBatch) => void;
  clearExplanations: () => void;
}

/** Splits a worker batch into per-image explanations. */
export function splitBatch(batch: ExplainBatch): Record<string, Explanation> {
  const [h, w] = batch.size;
  const out: Record<string, Explanation> = {};
  batch.ids.forEach((id, i) => {
    out[id] = {
      predicted: batch.predicted[i],
      target: batch.targets[i],
      probs: batch.probs.slice(i * batch.numClasses, (i + 1) * batch.numClasses),
      heatmap: batch.heatmaps.slice(i * h * w, (i + 1) * h * w),
      faithfulness: batch.faithfulness[i],
    };
  });
  return out;
}

/** Creates the explanations slice. */
export const createExplanationsSlice: StateCreator<AppStore, [], [], ExplanationsSlice> = (set) => ({
  models: [],
  activeModel: null,
  heatmapSize: [32, 32],
  explanations: {},
  addModel: (info, activate) =>
    set((s) => ({
      models: [...s.models.filter((m) => m.name !== info.name), info],
      activeModel: activate || !s.activeModel ? info.name : s.activeModel,
    })),
  setActiveModel: (name) => set({ activeModel: name }),
  addExplanations: (batch) =>
    set((s) => ({ heatmapSize: batch.size, explanations: { ...s.explanations, ...splitBatch(batch) } })),
  clearExplanations: () => set({ explanations: {} }),
});
