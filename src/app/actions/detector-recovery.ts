/**
 * When the detector worker dies (an uncaught error inside it, a browser that kills it, an abort out of
 * memory), every job it held rejects: the app starts a new worker on the same backend, hands it every
 * explanation and label again, restores the last good detector (the one in the store: a training's
 * detector only reaches the store when the training finishes) and says so in one line. Nothing the
 * user did is dropped; a training that was running is lost and can be started again.
 */
import type { BackendName } from '../../core/tf/backend';
import { onDetectorCrash, startDetectorWorker } from '../../workers/detector.client';
import { useAppStore } from '../state/store';
import { detectorsTrainedAt, holdDetectorInput, releaseHeld, syncDetector } from './detector';
import { reportError } from './run';

/** Restarts beyond this many within {@link RESTART_WINDOW_MS} are not attempted: a worker that keeps dying is reported instead. */
export const MAX_RESTARTS = 3;
export const RESTART_WINDOW_MS = 60_000;

let restarts: number[] = [];
let recovering: Promise<void> | null = null;

/** The one line that tells the user what happened and what they have now. */
export function restartNotice(reason: string, trainedAt: Date | null, hadDetector: boolean, wasTraining: boolean): string {
  const from = !hadDetector ? 'with no detector yet (press Train)' : trainedAt ? `from the detector trained at ${trainedAt.toLocaleTimeString()}` : 'from the saved detector';
  return `The detector worker stopped (${reason}); restarted it ${from}. Labels and explanations are kept${wasTraining ? '; the training that was running is lost, train again when ready' : ''}.`;
}

/** Whether another restart is allowed at `now`, given the restart times so far (pure: the caller records `now`). */
export function mayRestart(times: readonly number[], now: number, max = MAX_RESTARTS, windowMs = RESTART_WINDOW_MS): boolean {
  return times.filter((t) => now - t < windowMs).length < max;
}

async function recover(backend: BackendName, err: Error): Promise<void> {
  const s = useAppStore.getState();
  const wasTraining = s.trainStatus === 'training';
  const trainedAt = detectorsTrainedAt();
  const now = Date.now();
  if (!mayRestart(restarts, now)) {
    s.notify('error', `The detector worker stopped again (${err.message}); not restarting it (${MAX_RESTARTS} restarts within a minute). Reload the page to try again; your data is saved.`);
    return;
  }
  restarts = [...restarts.filter((t) => now - t < RESTART_WINDOW_MS), now];
  holdDetectorInput();
  try {
    const got = await startDetectorWorker(backend);
    useAppStore.setState({ detectorBackend: got });
    const restored = await syncDetector({ train: false });
    useAppStore.getState().notify('info', restartNotice(err.message, trainedAt, restored, wasTraining));
  } catch (e) {
    reportError(e, 'the detector worker stopped and could not be restarted');
  } finally {
    releaseHeld();
  }
}

/** Watches the detector worker from now on: each death starts one recovery (a death during a recovery fails that recovery, which says so). */
export function watchDetectorWorker(backend: BackendName): void {
  onDetectorCrash((err) => {
    if (recovering) return;
    recovering = recover(backend, err).finally(() => {
      recovering = null;
    });
  });
}
