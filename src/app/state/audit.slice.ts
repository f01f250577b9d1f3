import type { StateCreator } from 'zustand';
import type { LabelAgreement } from '../../core/audit/auditor';
import type { RankingModel } from '../../core/audit/ranking';
import type { AppStore } from './store';
import type { Label } from './types';

/** One undoable step: the labels the given ids had before it (undefined = unlabeled). */
export type LabelChange = { id: string; before: Label | undefined }[];

/** Analyst labels, the auditor's ranking and the review budget. */
export interface AuditSlice {
  labels: Record<string, Label>;
  /** Undo stack, most recent last. */
  history: LabelChange[];
  /** The review score per image id (the auditor's ranking: higher = review first). */
  scores: Record<string, number>;
  /** Mean Deep SAD distance rank per image id, in [0, 1] (shown beside the review score). */
  deepsadRanks: Record<string, number>;
  /** How the ranking weighed its signals in the last score set (null before the first). */
  rankingModel: RankingModel | null;
  /** Bumped on every new score set, so the UI can show "re-ranked". */
  scoresVersion: number;
  /** What the last score set came from: an immediate re-rank after labels, or a finished update. */
  rankedBy: 'labels' | 'update' | 'train' | 'add' | 'restore' | 'budget' | null;
  /** A bounded update for newer labels is running: the ranking will move again. */
  updating: boolean;
  /** Unlabeled images whose label would teach the detector most, best first. */
  nextIds: string[];
  /** The detector against the analyst, on labels it has not seen (null until measured). */
  agreement: LabelAgreement | null;
  /** Fraction of the unlabeled scored images to flag for review (the review budget), in (0, 1]. */
  budget: number;
  /** Sets (or clears, with null) the label of `ids`, as one undoable step. */
  setLabels: (ids: string[], label: Label | null) => void;
  undo: () => void;
  setRanking: (r: { ids: string[]; score: Float32Array; deepsad: Float32Array; model: RankingModel; next: string[]; updating: boolean; cause: AuditSlice['rankedBy'] }) => void;
  setAgreement: (a: LabelAgreement | null) => void;
  setBudget: (budget: number) => void;
}

/** Creates the audit slice. */
export const createAuditSlice: StateCreator<AppStore, [], [], AuditSlice> = (set) => ({
  labels: {},
  history: [],
  scores: {},
  deepsadRanks: {},
  rankingModel: null,
  scoresVersion: 0,
  rankedBy: null,
  updating: false,
  nextIds: [],
  agreement: null,
  budget: 0.15,
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
      return { labels, history: [...s.history, change].slice(-200) };
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
      return { labels, history: s.history.slice(0, -1) };
    }),
  setRanking: (r) =>
    set((s) => {
      const scores: Record<string, number> = {};
      const deepsadRanks: Record<string, number> = {};
      r.ids.forEach((id, i) => {
        if (Number.isFinite(r.score[i])) {
          scores[id] = r.score[i];
          deepsadRanks[id] = r.deepsad[i];
        }
      });
      return { scores, deepsadRanks, rankingModel: r.model, nextIds: r.next, updating: r.updating, rankedBy: r.cause, scoresVersion: s.scoresVersion + 1 };
    }),
  setAgreement: (agreement) => set({ agreement }),
  setBudget: (budget) => set({ budget: Math.min(1, Math.max(0.001, budget)) }),
});
