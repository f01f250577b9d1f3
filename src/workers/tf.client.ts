/**
 * The page-side facade of the tfjs worker: owns the one `Worker`, numbers requests, routes each reply to
 * the job that asked for it, and turns `error` replies back into typed errors. Nothing here touches React
 * or the store; `src/app/actions` call these functions and write the store themselves.
 */
import type { BackendName } from '../core/tf/backend';
import type { JobEvent, WorkerReply, WorkerRequest } from './protocol';

/** An error raised inside the worker, rebuilt on the page with its original `name` and `code`. */
export class WorkerJobError extends Error {
  readonly code: string;
  constructor(name: string, code: string, message: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

/** A request without its id: the client assigns one. */
export type JobRequest = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** A running job: its id (for {@link cancelJob}) and a promise that settles with its `result`. */
export interface Job {
  id: number;
  /** Resolves when the worker answers `result` (`cancelled` when it stopped early); rejects with a {@link WorkerJobError}. */
  done: Promise<{ cancelled: boolean }>;
}

interface Pending {
  onEvent: (ev: JobEvent) => void;
  resolve: (r: { cancelled: boolean }) => void;
  reject: (e: Error) => void;
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();
const backendListeners = new Set<(b: BackendName, reason: string) => void>();

function handle(msg: WorkerReply): void {
  if (msg.type === 'backend') {
    for (const l of backendListeners) l(msg.backend, msg.reason);
    return;
  }
  const p = pending.get(msg.id);
  if (!p) return;
  if (msg.type === 'result') {
    pending.delete(msg.id);
    p.resolve({ cancelled: !!msg.cancelled });
  } else if (msg.type === 'error') {
    pending.delete(msg.id);
    p.reject(new WorkerJobError(msg.name, msg.code, msg.message));
  } else if (msg.type !== 'ready') {
    p.onEvent(msg);
  }
}

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function getWorker(): Worker {
  if (worker) return worker;
  if (typeof Worker === 'undefined') throw new WorkerJobError('WorkerUnavailableError', 'no-worker', 'this browser has no Web Workers');
  worker = new Worker(new URL('./tf.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (ev: MessageEvent<WorkerReply>) => handle(ev.data);
  worker.onerror = (ev) => failAll(new WorkerJobError('WorkerCrashError', 'worker-crash', ev.message || 'the tfjs worker crashed'));
  return worker;
}

/**
 * Starts the worker and resolves with the backend it activated (the forced one first, then
 * webgpu → webgl → cpu).
 */
export function startTfWorker(forced?: BackendName): Promise<{ backend: BackendName }> {
  const w = getWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onReady = (ev: MessageEvent<WorkerReply>) => {
      const msg = ev.data;
      if (msg.id !== id) return;
      if (msg.type === 'ready') {
        w.removeEventListener('message', onReady);
        resolve({ backend: msg.backend });
      } else if (msg.type === 'error') {
        w.removeEventListener('message', onReady);
        reject(new WorkerJobError(msg.name, msg.code, msg.message));
      }
    };
    w.addEventListener('message', onReady);
    w.postMessage({ type: 'init', id, backend: forced } satisfies WorkerRequest);
  });
}

/** Subscribes to backend changes the worker reports later (e.g. a lost WebGPU device). Returns an unsubscribe. */
export function onBackendChange(cb: (backend: BackendName, reason: string) => void): () => void {
  backendListeners.add(cb);
  return () => backendListeners.delete(cb);
}

/**
 * Sends a request; `onEvent` receives its progress/epoch/scores/... replies in order.
 * `transfer` lists buffers to move rather than copy.
 */
export function runJob(req: JobRequest, onEvent: (ev: JobEvent) => void = () => {}, transfer: Transferable[] = []): Job {
  const w = getWorker();
  const id = nextId++;
  const done = new Promise<{ cancelled: boolean }>((resolve, reject) => {
    pending.set(id, { onEvent, resolve, reject });
  });
  w.postMessage({ ...req, id } as WorkerRequest, transfer);
  return { id, done };
}

/** Asks the worker to stop job `id` at its next batch; the job then resolves with `cancelled: true`. */
export function cancelJob(id: number): void {
  worker?.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
}
