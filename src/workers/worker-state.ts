/**
 * What the tfjs worker holds between requests: loaded classifiers and the ingested images' sources (so
 * they can be re-explained without keeping decoded pixels). Only this worker touches it.
 */
import type { Classifier } from '../core/classifier';
import type { BackendName } from '../core/tf/backend';
import type { ModelSource, WorkerReply } from './protocol';
import { transferables } from './protocol';

/** Where an image's pixels can be read again: the dropped file, or the demo chunk that generated it. */
export type ImageSource = { kind: 'file'; file: File; truth: number } | { kind: 'demo'; chunkSeed: number; chunkN: number; index: number; size: number };

/** The worker's memory. */
export interface WorkerState {
  backend: BackendName | null;
  classifiers: Map<string, { classifier: Classifier; source: ModelSource }>;
  active: string | null;
  /** Ingested image ids, in ingest order. */
  ids: string[];
  sources: Map<string, ImageSource>;
  /** AbortControllers of running jobs, by request id. */
  jobs: Map<number, AbortController>;
}

/** The one state of this worker. */
export const state: WorkerState = {
  backend: null,
  classifiers: new Map(),
  active: null,
  ids: [],
  sources: new Map(),
  jobs: new Map(),
};

/** Posts a reply, transferring its typed-array buffers. */
export function post(msg: WorkerReply): void {
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transferables(msg));
}

/** Thrown when a job sees its cancel signal; the worker answers `result {cancelled: true}`. */
export class JobCancelledError extends Error {
  override name = 'JobCancelledError';
  readonly code = 'cancelled' as const;
}

/** Throws {@link JobCancelledError} when `signal` is aborted (call between batches). */
export function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new JobCancelledError('cancelled');
}

/** Yields to the worker's event loop so a `cancel` message can be handled between batches. */
export function yieldToEvents(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}
