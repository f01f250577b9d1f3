/**
 * The page-side facade of the tfjs (explain) worker. Nothing here touches React or the store;
 * `src/app/actions` call these functions and write the store themselves.
 */
import type { BackendName } from '../core/tf/backend';
import { createJobClient, WorkerJobError, type Job, type WithoutId } from './job-client';
import type { JobEvent, WorkerReply, WorkerRequest } from './protocol';

export { WorkerJobError, type Job };

/** A request without its id: the client assigns one. */
export type JobRequest = WithoutId<WorkerRequest>;

const client = createJobClient<WorkerRequest, WorkerReply>(() => new Worker(new URL('./tf.worker.ts', import.meta.url), { type: 'module' }), 'worker-crash', 'tfjs worker');

/** What the worker's backend is: its name, and whether it runs on a software GPU (SwiftShader, a fallback adapter). */
export interface BackendReady {
  backend: BackendName;
  software: boolean;
  adapter: string;
}

/** Starts the worker and resolves with the backend it activated (the forced one first, then webgpu → webgl → cpu). */
export async function startTfWorker(forced?: BackendName): Promise<BackendReady> {
  let ready: BackendReady | null = null;
  await client.runJob({ type: 'init', backend: forced }, (ev) => {
    if (ev.type === 'ready') ready = { backend: ev.backend, software: ev.software, adapter: ev.adapter };
  }).done;
  if (!ready) throw new WorkerJobError('WorkerStartError', 'no-backend', 'the tfjs worker did not report a backend');
  return ready;
}

/** Subscribes to backend changes the worker reports later (e.g. a lost WebGPU device). Returns an unsubscribe. */
export function onBackendChange(cb: (backend: BackendName, reason: string) => void): () => void {
  return client.onBroadcast((msg) => {
    if (msg.type === 'backend') cb(msg.backend, msg.reason);
  });
}

/** Sends a request; `onEvent` receives its progress/explained/... replies in order. */
export function runJob(req: JobRequest, onEvent: (ev: JobEvent) => void = () => {}, transfer: Transferable[] = []): Job {
  return client.runJob(req, onEvent as (ev: WorkerReply) => void, transfer);
}

/** Asks the worker to stop job `id` at its next batch. */
export function cancelJob(id: number): void {
  client.cancel(id);
}
