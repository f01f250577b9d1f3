/**
 * The message protocol between the page and the detector worker, which hosts the auditor (core/audit:
 * Deep SAD training, the immediate label-aware re-rank, the bounded update, held-out agreement,
 * label-next). Unions keyed on `type`; replies echo the request `id`; id 0 is a broadcast (the
 * background update's new ranking and agreement). Typed arrays are transferred.
 */
import type { AuditorSettings } from '../core/audit/settings';
import type { LabelAgreement } from '../core/audit/auditor';
import type { RankingModel } from '../core/audit/ranking';
import type { DetectorBundle } from '../core/deepsad/types';
import type { BackendName } from '../core/tf/backend';

/** One batch of explanations for the detector: quantised maps and patches, and the classifier's unconfidence. */
export interface DetectorRows {
  ids: string[];
  size: [number, number];
  /** n·h·w, 0..255. */
  heatmaps: Uint8Array;
  /** n·h·w·3 RGB 0..255 (the patch under each map's peak); null when the session has none (map-only input). */
  patches: Uint8Array | null;
  /** 1 − max softmax per image. */
  unconfidence: Float32Array;
  /** The classifier's predicted class per image (the ranking learns an offset per class). */
  predicted: Int32Array;
}

/** Why a ranking was sent: new rows, new labels (immediate re-rank), a finished update, a training, a restore. */
export type RankingCause = 'add' | 'labels' | 'budget' | 'update' | 'train' | 'restore';

/** The ranking of every row the worker holds, aligned with `ids` (NaN = not scored yet). */
export interface RankingMessage {
  cause: RankingCause;
  ids: string[];
  /** The review score (higher = review first). */
  score: Float32Array;
  /** Mean Deep SAD distance rank in [0, 1]. */
  deepsad: Float32Array;
  /** How the score weighed Deep SAD, the classifier's confidence, the label vote and the predicted class. */
  model: RankingModel;
  /** Unlabeled ids whose label would teach the detector most, best first. */
  next: string[];
  /** True while a bounded update for newer labels is still running (the ranking will move again). */
  updating: boolean;
}

export type DetectorRequest =
  | { type: 'init'; id: number; backend: BackendName }
  /** (Re)starts with `settings` for maps of `size`: drops every row and detector. */
  | { type: 'configure'; id: number; settings: AuditorSettings; size: [number, number] }
  /** Adds rows (or replaces those whose id exists); with a detector they are scored at once. */
  | ({ type: 'add'; id: number } & DetectorRows)
  /** Replaces every label (+1 normal, −1 anomalous): an immediate re-rank, then a bounded update in the background. */
  | { type: 'labels'; id: number; ids: string[]; targets: Int8Array; budget: number }
  | { type: 'budget'; id: number; budget: number }
  /** Full training from scratch on every row, with `settings` (same detector input); the current detector keeps ranking until it is done. */
  | { type: 'train'; id: number; settings: AuditorSettings }
  /** Installs saved base detectors (a reload or an import) and updates them with the labels. */
  | { type: 'restore'; id: number; bundles: DetectorBundle[] }
  /**
   * A one-off detector for another model's explanations (the model comparison): a fresh auditor trained
   * on `rows` with these labels, as `apexp audit` does, answers `scores` and is freed; the live loop is untouched.
   */
  | ({ type: 'rankOnce'; id: number; settings: AuditorSettings; labelIds: string[]; labelTargets: Int8Array } & DetectorRows)
  /**
   * A 2-D map of the current detector's embeddings (the map of explanations), computed in the worker
   * with UMAP (core/projection). A newer request stops an older one (it answers `result {cancelled}`).
   */
  | { type: 'projection'; id: number }
  | { type: 'cancel'; id: number }
  /** Test hook (fault injection): throws an uncaught error inside the worker, as a backend abort (out of memory) would. */
  | { type: 'crash'; id: number };

export type DetectorReply =
  | { type: 'ready'; id: number; backend: BackendName }
  | { type: 'progress'; id: number; done: number; total: number; label: string }
  | { type: 'epoch'; id: number; stage: 'pretrain' | 'train'; epoch: number; epochs: number; loss: number; member: number }
  | ({ type: 'ranking'; id: number } & RankingMessage)
  | { type: 'agreement'; id: number; agreement: LabelAgreement | null }
  /** The base detectors after a training (what the page persists and exports). */
  | { type: 'detector'; id: number; bundles: DetectorBundle[] }
  /** The review score of every row of a `rankOnce` (higher = review first; NaN = not scored), aligned with `ids`. */
  | { type: 'scores'; id: number; ids: string[]; score: Float32Array }
  /** The map of a `projection`: `xy` ids.length·2 positions in [0, 1]² (x, y per id); ids are the embedded rows (none without a detector). */
  | { type: 'projection'; id: number; ids: string[]; xy: Float32Array }
  | { type: 'result'; id: number; cancelled?: boolean }
  | { type: 'error'; id: number; name: string; code: string; message: string };

/** Replies that belong to a job (everything but result and error). */
export type DetectorEvent = Exclude<DetectorReply, { type: 'result' } | { type: 'error' }>;

/** Buffers of a reply, for the transfer list (detector bundles are copied: the worker keeps them). */
export function detectorTransferables(msg: DetectorReply): Transferable[] {
  if (msg.type === 'scores') return [msg.score.buffer as ArrayBuffer];
  if (msg.type === 'projection') return [msg.xy.buffer as ArrayBuffer];
  return msg.type === 'ranking' ? [msg.score.buffer as ArrayBuffer, msg.deepsad.buffer as ArrayBuffer] : [];
}
