import type { StateCreator } from 'zustand';
import { DEFAULT_AUDITOR_SETTINGS, type AuditorSettings } from '../../core/audit/settings';
import type { DetectorBundle } from '../../core/deepsad/types';
import type { AppStore } from './store';

/** One point of the live loss chart. */
export interface LossPoint {
  /** Running index over all epochs of all runs (the chart's x). */
  step: number;
  stage: 'pretrain' | 'train' | 'fineTune';
  epoch: number;
  loss: number;
}

/** Deep SAD: the auditor's settings, live losses, the base detectors and how the last training ended. */
export interface TrainingSlice {
  /** The same defaults as `apexp audit` and the benchmarks (core/audit/settings.ts). */
  settings: AuditorSettings;
  losses: LossPoint[];
  /** The base detectors of the last training, serialised (persisted and downloadable); empty before it. */
  detectors: DetectorBundle[];
  /** The backend Deep SAD runs on (its own worker). */
  detectorBackend: string;
  trainStatus: 'idle' | 'training' | 'done' | 'diverged' | 'cancelled' | 'error';
  trainMessage: string;
  /** Batches of the running training's current stage (null when none runs). */
  trainProgress: { done: number; total: number; label: string } | null;
  setSettings: (patch: Partial<AuditorSettings>) => void;
  addLoss: (p: Omit<LossPoint, 'step'>) => void;
  setDetectors: (bundles: DetectorBundle[]) => void;
  setTrainStatus: (status: TrainingSlice['trainStatus'], message?: string) => void;
}

/** The app's defaults: the auditor's. */
export const DEFAULT_TRAIN_SETTINGS: AuditorSettings = structuredClone(DEFAULT_AUDITOR_SETTINGS);

/** Creates the training slice. */
export const createTrainingSlice: StateCreator<AppStore, [], [], TrainingSlice> = (set) => ({
  settings: DEFAULT_TRAIN_SETTINGS,
  losses: [],
  detectors: [],
  detectorBackend: '',
  trainStatus: 'idle',
  trainMessage: '',
  trainProgress: null,
  setSettings: (patch) => set((s) => ({ settings: { ...s.settings, ...patch } })),
  addLoss: (p) => set((s) => ({ losses: [...s.losses, { ...p, step: s.losses.length + 1 }] })),
  setDetectors: (detectors) => set({ detectors }),
  setTrainStatus: (trainStatus, trainMessage = '') => set({ trainStatus, trainMessage }),
});
