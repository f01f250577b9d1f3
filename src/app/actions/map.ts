/**
 * Map intents: open the map of explanations, and keep its layout current. The layout is computed in
 * the detector worker (a `projection` request: UMAP over the detector's embeddings); it is asked for
 * when the map opens and again, throttled, whenever the detector moves (a training, a finished update,
 * a restore) while the map is open.
 */
import { runDetectorJob } from '../../workers/detector.client';
import { useAppStore } from '../state/store';
import { reportError } from './run';

/** Shortest gap between two layouts asked for because the detector moved (ms): UMAP takes seconds. */
export const PROJECTION_THROTTLE_MS = 3000;

let running = false;
let again = false;
let timer: ReturnType<typeof setTimeout> | null = null;
let lastStart = -Infinity;

/** Asks the detector worker for a new layout now (or right after the running one). */
export function requestProjection(): void {
  if (running) {
    again = true;
    return;
  }
  running = true;
  again = false;
  lastStart = performance.now();
  useAppStore.getState().setProjectionBusy(true);
  const job = runDetectorJob({ type: 'projection' }, (ev) => {
    if (ev.type === 'projection') useAppStore.getState().setProjection({ ids: ev.ids, xy: ev.xy });
  });
  void job.done
    .catch((err) => reportError(err, 'the map of explanations could not be computed'))
    .finally(() => {
      running = false;
      useAppStore.getState().setProjectionBusy(false);
      if (again) requestProjectionSoon();
    });
}

/** Asks for a new layout at most every PROJECTION_THROTTLE_MS (the detector moved). */
export function requestProjectionSoon(): void {
  if (timer) return;
  const wait = Math.max(0, lastStart + PROJECTION_THROTTLE_MS - performance.now());
  timer = setTimeout(() => {
    timer = null;
    requestProjection();
  }, wait);
}

/** The detector moved (a ranking with this cause arrived): the open map follows, throttled. */
export function onDetectorMoved(cause: string): void {
  if (!useAppStore.getState().mapOpen) return;
  if (cause === 'train' || cause === 'update' || cause === 'restore') requestProjectionSoon();
}

/** Opens (computing the layout when there is none) or closes the map. */
export function openMap(open: boolean): void {
  const s = useAppStore.getState();
  s.setMapOpen(open);
  if (open && !s.projection) requestProjection();
}
