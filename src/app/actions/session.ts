/** Startup: the worker and its backend, then the saved session (restored into the store and the worker). */
import type { BackendName } from '../../core/tf/backend';
import { onBackendChange, runJob, startTfWorker } from '../../workers/tf.client';
import { useAppStore } from '../state/store';
import { BUNDLED_MODELS } from './ingest';
import { restoreSession } from './persist';
import { reportError } from './run';

const FORCEABLE: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

/** The backend forced by `?backend=`, if any. */
export function forcedBackend(search: string = location.search): BackendName | undefined {
  const b = new URLSearchParams(search).get('backend');
  return FORCEABLE.find((x) => x === b);
}

/** Hands the store's heatmaps and detector to the worker (after a restore or a project import). */
export async function syncWorker(): Promise<void> {
  const s = useAppStore.getState();
  const ids = s.imageIds.filter((id) => s.explanations[id]);
  const [h, w] = s.heatmapSize;
  const heatmaps = new Uint8Array(ids.length * h * w);
  ids.forEach((id, i) => heatmaps.set(s.explanations[id].heatmap, i * h * w));
  await runJob({ type: 'restore', ids, size: s.heatmapSize, heatmaps, detector: s.detector ?? undefined }, () => {}, [heatmaps.buffer]).done;
  // Bundled classifiers reload from the site itself; dropped ones must be dropped again.
  const base = document.baseURI;
  for (const m of s.models) {
    if (!BUNDLED_MODELS.includes(m.name)) continue;
    const url = new URL(`models/${m.name}/model.json`, base).href;
    await runJob({ type: 'loadModel', source: { kind: 'url', url, name: m.name }, activate: m.name === s.activeModel }).done;
  }
}

let started = false;

/** Starts the worker, shows the backend, restores a saved session. Idempotent. */
export async function startSession(): Promise<void> {
  if (started) return;
  started = true;
  const s = useAppStore.getState();
  onBackendChange((backend, reason) => {
    useAppStore.getState().setBackend(backend);
    useAppStore.getState().notify('info', `Switched to ${backend}: ${reason}`);
  });
  try {
    const { backend } = await startTfWorker(forcedBackend());
    s.setBackend(backend);
  } catch (err) {
    s.setBackend('unavailable');
    reportError(err, 'no tfjs backend');
    return;
  }
  try {
    if (await restoreSession()) {
      await syncWorker();
      useAppStore.getState().notify('info', 'Restored your previous session from this browser.');
    }
  } catch (err) {
    reportError(err, 'the saved session could not be restored');
  }
}
