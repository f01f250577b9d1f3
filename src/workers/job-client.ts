/**
 * The page side of a job worker, shared by the tfjs worker and the detector worker: owns the one
 * `Worker`, numbers requests, routes each reply to the job that asked for it, hands replies with id 0
 * (broadcasts: a lost GPU device, a background re-rank) to listeners, and turns `error` replies back
 * into typed errors.
 */

/** An error raised inside a worker, rebuilt on the page with its original `name` and `code`. */
export class WorkerJobError extends Error {
  readonly code: string;
  constructor(name: string, code: string, message: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

/** A running job: its id (for `cancel`) and a promise that settles with its `result`. */
export interface Job {
  id: number;
  /** Resolves when the worker answers `result` (`cancelled` when it stopped early); rejects with a {@link WorkerJobError}. */
  done: Promise<{ cancelled: boolean }>;
}

/** The reply shapes every job worker shares. */
type BaseReply = { type: string; id: number } & ({ type: 'result'; cancelled?: boolean } | { type: 'error'; name: string; code: string; message: string } | { type: string });

/** A request without its id: the client assigns one. */
export type WithoutId<R> = R extends { id: number } ? Omit<R, 'id'> : never;

/** A client of one worker script. */
export interface JobClient<Req extends { type: string; id: number }, Reply extends { type: string; id: number }> {
  /** Sends a request; `onEvent` receives its other replies in order. `transfer` lists buffers to move rather than copy. */
  runJob(req: WithoutId<Req>, onEvent?: (ev: Reply) => void, transfer?: Transferable[]): Job;
  /** Asks the worker to stop job `id` at its next batch. */
  cancel(id: number): void;
  /** Subscribes to broadcasts (replies with id 0). Returns an unsubscribe. */
  onBroadcast(cb: (msg: Reply) => void): () => void;
  /** Ends the worker; running jobs reject (the next request starts a new one). */
  terminate(reason: string): void;
  /**
   * Subscribes to the worker's death (an uncaught error inside it, or `terminate`): by then every
   * pending job has rejected and the next request starts a fresh worker. Returns an unsubscribe.
   */
  onCrash(cb: (err: WorkerJobError) => void): () => void;
}

/**
 * Creates the client of the worker `make()` starts (lazily, at the first request). A crashed worker
 * rejects every pending job with `crashCode`.
 */
export function createJobClient<Req extends { type: string; id: number }, Reply extends { type: string; id: number }>(make: () => Worker, crashCode: string, name: string): JobClient<Req, Reply> {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { onEvent: (ev: Reply) => void; resolve: (r: { cancelled: boolean }) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(msg: Reply) => void>();
  const crashListeners = new Set<(err: WorkerJobError) => void>();

  const failAll = (err: Error): void => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const handle = (msg: Reply): void => {
    if (msg.id === 0) {
      for (const l of listeners) l(msg);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    const m = msg as unknown as BaseReply & { cancelled?: boolean; name?: string; code?: string; message?: string };
    if (m.type === 'result') {
      pending.delete(msg.id);
      p.resolve({ cancelled: !!m.cancelled });
    } else if (m.type === 'error') {
      pending.delete(msg.id);
      p.reject(new WorkerJobError(m.name ?? 'Error', m.code ?? 'internal', m.message ?? ''));
    } else p.onEvent(msg);
  };

  const get = (): Worker => {
    if (worker) return worker;
    if (typeof Worker === 'undefined') throw new WorkerJobError('WorkerUnavailableError', 'no-worker', 'this browser has no Web Workers');
    const w = make();
    w.onmessage = (ev: MessageEvent<Reply>) => handle(ev.data);
    // An uncaught error leaves the worker in an unknown state (half-updated variables, a job that will
    // never answer): it is ended and replaced, never trusted again.
    w.onerror = (ev) => {
      ev.preventDefault?.();
      if (worker === w) die(new WorkerJobError('WorkerCrashError', crashCode, ev.message || `the ${name} crashed`));
    };
    worker = w;
    return w;
  };

  const die = (err: WorkerJobError): void => {
    worker?.terminate();
    worker = null;
    failAll(err);
    for (const l of crashListeners) l(err);
  };

  return {
    runJob(req, onEvent = () => {}, transfer = []) {
      const w = get();
      const id = nextId++;
      const done = new Promise<{ cancelled: boolean }>((resolve, reject) => pending.set(id, { onEvent, resolve, reject }));
      w.postMessage({ ...req, id }, transfer);
      return { id, done };
    },
    cancel(id) {
      worker?.postMessage({ type: 'cancel', id });
    },
    onBroadcast(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    terminate(reason) {
      if (worker) die(new WorkerJobError('WorkerCrashError', crashCode, reason));
    },
    onCrash(cb) {
      crashListeners.add(cb);
      return () => crashListeners.delete(cb);
    },
  };
}
