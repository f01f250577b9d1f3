import type { BackendName } from '../core/tf/backend';

/** Requests from the page to a worker. Every request carries an `id` that its replies echo. */
export type WorkerRequest = { type: 'init'; id: number; backend?: BackendName };

/** Replies from a worker to the page. */
export type WorkerReply =
  | { type: 'ready'; id: number; backend: BackendName }
  | { type: 'error'; id: number; code: string; message: string };
