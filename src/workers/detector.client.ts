/** The page-side facade of the detector worker (detector-protocol.ts). */
import type { BackendName } from '../core/tf/backend';
import type { DetectorEvent, DetectorReply, DetectorRequest } from './detector-protocol';
import { createJobClient, type Job, type WithoutId } from './job-client';

/** A request without its id. */
export type DetectorJobRequest = WithoutId<DetectorRequest>;

const client = createJobClient<DetectorRequest, DetectorReply>(() => new Worker(new URL('./detector.worker.ts', import.meta.url), { type: 'module' }), 'detector-crash', 'detector worker');

/**
 * The backend for Deep SAD: an explicit choice (`?deepsad=`), else wasm where the explain backend runs
 * on an emulated GPU or none (a small network trains ~30× faster there, BENCHMARKS.md), else that GPU backend.
 */
export function detectorBackendFor(explain: BackendName, software: boolean, forced?: BackendName): BackendName {
  if (forced) return forced;
  if (software || explain === 'cpu' || explain === 'wasm') return 'wasm';
  return explain;
}

/** Starts the worker on `backend` (falling back to wasm, then cpu); resolves with the one it runs on. */
export async function startDetectorWorker(backend: BackendName): Promise<BackendName> {
  let got: BackendName | null = null;
  await client.runJob({ type: 'init', backend }, (ev) => {
    if (ev.type === 'ready') got = ev.backend;
  }).done;
  return got ?? backend;
}

/** Sends a request to the detector worker. */
export function runDetectorJob(req: DetectorJobRequest, onEvent: (ev: DetectorEvent) => void = () => {}, transfer: Transferable[] = []): Job {
  return client.runJob(req, onEvent as (ev: DetectorReply) => void, transfer);
}

/** Stops a detector job (a training) at its next batch. */
export function cancelDetectorJob(id: number): void {
  client.cancel(id);
}

/** Subscribes to the worker's death (an uncaught error in it, or {@link killDetectorWorker}); pending jobs have rejected by then. */
export function onDetectorCrash(cb: (err: Error) => void): () => void {
  return client.onCrash(cb);
}

/** Ends the detector worker from the page (as the browser does to a worker it kills): pending jobs reject, crash listeners run. */
export function killDetectorWorker(reason: string): void {
  client.terminate(reason);
}

/** Subscribes to the worker's broadcasts: the background update's rankings and agreement, and its errors. */
export function onDetectorBroadcast(cb: (msg: DetectorReply) => void): () => void {
  return client.onBroadcast(cb);
}
