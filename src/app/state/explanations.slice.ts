import type { StateCreator } from 'zustand';
import { DEFAULT_EXPLAIN_OPTIONS, type ExplainBatch, type ExplainOptions } from '../../workers/protocol';
import type { AppStore } from './store';
import type { Explanation, ModelInfo } from './types';

/** Classifiers, the active one, and the explanation of every image. */
export interface ExplanationsSlice {
  models: ModelInfo[];
  activeModel: string | null;
  /** Heatmap side [h, w] of every stored heatmap. */
  heatmapSize: [number, number];
  explanations: Record<string, Explanation>;
  /** Layer and explained class for the next explain, demo or drop (reset when the active model changes). */
  explainOptions: ExplainOptions;
  setExplainOptions: (patch: Partial<ExplainOptions>) => void;
  addModel: (info: ModelInfo, activate: boolean) => void;
  setActiveModel: (name: string) => void;
  /** Stores one or more batches of worker results in one update (copies nothing but the per-image slices). */
  addExplanations: (batch: ExplainBatch | readonly ExplainBatch[]) => void;
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
      patch: batch.patches.slice(i * h * w * 3, (i + 1) * h * w * 3),
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
  explainOptions: DEFAULT_EXPLAIN_OPTIONS,
  setExplainOptions: (patch) => set((s) => ({ explainOptions: { ...s.explainOptions, ...patch } })),
  addModel: (info, activate) =>
    set((s) => {
      const activeModel = activate || !s.activeModel ? info.name : s.activeModel;
      return {
        models: [...s.models.filter((m) => m.name !== info.name), info],
        activeModel,
        explainOptions: activeModel === s.activeModel ? s.explainOptions : DEFAULT_EXPLAIN_OPTIONS,
      };
    }),
  // Layer names and class indices belong to one model: another model starts from the defaults.
  // A layer or class index belongs to one model; the CAM method is the analyst's choice and stays.
  // A comparison is with the active model's explanations: another model, or new explanations, drop it.
  setActiveModel: (name) => set((s) => (name === s.activeModel ? {} : { activeModel: name, explainOptions: { ...DEFAULT_EXPLAIN_OPTIONS, method: s.explainOptions.method }, comparison: null })),
  addExplanations: (batch) =>
    set((s) => {
      const batches = Array.isArray(batch) ? (batch as readonly ExplainBatch[]) : [batch as ExplainBatch];
      if (!batches.length) return {};
      const explanations = { ...s.explanations };
      for (const b of batches) Object.assign(explanations, splitBatch(b));
      return { heatmapSize: batches[batches.length - 1].size, explanations };
    }),
  clearExplanations: () => set({ explanations: {}, comparison: null }),
});
