import type { StateCreator } from 'zustand';
import type { AppStore } from './store';
import type { Label } from './types';

/** One undoable step: the labels the given ids had before it (undefined = unlabeled). */
export type LabelChange = { id: string; before: Label | undefined }[];

/** Analyst labels, Deep SAD scores and the flagging rule. */
export interface AuditSlice {
  labels: Record<string, Label>;
  /** Undo stack, most recent last. */
  history: LabelChange[];
  /** Labels changed since the detector last saw them (drives fine-tuning). */
  labelsDirty: boolean;
  /** Deep SAD score per image id (higher = more anomalous). */
  scores: Record<string, number>;
  /** Bumped on every new score set, so the UI can show "re-ranked". */
  scoresVersion: number;
  /** Fraction of images to flag for review (the review budget), in (0, 1]. */
  budget: number;
  /** Explicit score threshold; null = derived from the budget. */
  threshold: number | null;
  /** Sets (or clears, with null) the label of `ids`, as one undoable step. */
  setLabels: (ids: string[], label: Label | null) => void;
  undo: () => void;
  markLabelsSeen: () => void;
  setScores: (ids: string[], scores: Float32Array) => void;
  setBudget: (budget: number) => void;
  setThreshold: (t: number | null) => void;
}

/** Creates the audit slice. */
export const createAuditSlice: StateCreator<AppStore, [], [], AuditSlice> = (set) => ({
  labels: {},
  history: [],
  labelsDirty: false,
  scores: {},
  scoresVersion: 0,
  budget: 0.15,
  threshold: null,
  setLabels: (ids, label) =>
    set((s) => {
      const change: LabelChange = [];
      const labels = { ...s.labels };
      for (const id of ids) {
        if ((labels[id] ?? null) === label) continue;
        change.push({ id, before: labels[id] });
        if (label) labels[id] = label;
        else delete labels[id];
      }
      if (!change.length) return {};
      return { labels, history: [...s.history, change].slice(-200), labelsDirty: true };
    }),
  undo: () =>
    set((s) => {
      const last = s.history[s.history.length - 1];
      if (!last) return {};
      const labels = { ...s.labels };
      for (const { id, before } of last) {
        if (before) labels[id] = before;
        else delete labels[id];
      }
      return { labels, history: s.history.slice(0, -1), labelsDirty: true };
    }),
  markLabelsSeen: () => set({ labelsDirty: false }),
  setScores: (ids, scores) =>
    set((s) => {
      const next: Record<string, number> = {};
      ids.forEach((id, i) => (next[id] = scores[i]));
      return { scores: next, scoresVersion: s.scoresVersion + 1 };
    }),
  setBudget: (budget) => set({ budget: Math.min(1, Math.max(0.001, budget)), threshold: null }),
  setThreshold: (threshold) => set({ threshold }),
});
