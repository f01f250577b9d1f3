/**
 * Runs a worker job on behalf of a user intent: shows it as the current run (progress, ETA, cancel),
 * routes its events, and reports failures through the notifier. Nothing is swallowed: the error is
 * shown and rethrown to the caller.
 */
import { cancelJob, runJob, type JobRequest } from '../../workers/tf.client';
import type { JobEvent } from '../../workers/protocol';
import { useAppStore } from '../state/store';
import { IDLE_RUN } from '../state/ui.slice';
import type { RunState } from '../state/types';

/** Runs `req` as the visible job of kind `kind`; resolves `{cancelled}` when it ends. */
export async function runVisible(
  kind: RunState['kind'],
  req: JobRequest,
  onEvent: (ev: JobEvent) => void,
  transfer: Transferable[] = [],
): Promise<{ cancelled: boolean }> {
  const { setRun } = useAppStore.getState();
  const job = runJob(
    req,
    (ev) => {
      if (ev.type === 'progress') setRun({ stage: ev.label ?? ev.stage, done: ev.done, total: ev.total });
      onEvent(ev);
    },
    transfer,
  );
  setRun({ kind, jobId: job.id, stage: 'starting', done: 0, total: 0, startedAt: performance.now() });
  try {
    return await job.done;
  } finally {
    if (useAppStore.getState().run.jobId === job.id) useAppStore.setState({ run: IDLE_RUN });
  }
}

/** Cancels the visible job, if any (it stops at its next batch). */
export function cancelRun(): void {
  const { run } = useAppStore.getState();
  if (run.jobId) cancelJob(run.jobId);
}

/** Shows `err` in the notifier as one line. */
export function reportError(err: unknown, context: string): void {
  const message = err instanceof Error ? err.message : String(err);
  useAppStore.getState().notify('error', `${context}: ${message}`);
}
