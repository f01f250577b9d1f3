/** Startup: the two workers and their backends, then the saved session (restored into the store and the workers). */
import type { BackendName } from '../../core/tf/backend';
import { onBackendChange, runJob, startTfWorker } from '../../workers/tf.client';
import { useAppStore } from '../state/store';
import { startDetector, syncDetector } from './detector';
import { BUNDLED_MODELS } from './ingest';
import { restoreSession } from './persist';
import { reportError } from './run';

const FORCEABLE: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

/** The backend forced by `?backend=` (explaining) or `?deepsad=` (the detector worker), if any. */
export function forcedBackend(search: string = location.search, param: 'backend' | 'deepsad' = 'backend'): BackendName | undefined {
  const b = new URLSearchParams(search).get(param);
  return [...FORCEABLE, 'wasm' as const].find((x) => x === b && (param === 'deepsad' || x !== 'wasm'));
}

/**
 * Hands a restored or imported session to the workers: the explanations, labels and detectors to the
 * detector worker (which replaces whatever it held), the bundled classifiers to the tfjs worker.
 * @param from the project file the session came from (for messages), none for a restore
 */
export async function syncWorker(from?: string): Promise<void> {
  const s = useAppStore.getState();
  await runJob({ type: 'reset' }).done;
  await syncDetector(from);
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
    const { backend, software } = await startTfWorker(forcedBackend());
    s.setBackend(backend);
    await startDetector(backend, software, forcedBackend(location.search, 'deepsad'));
  } catch (err) {
    if (useAppStore.getState().backend === 'starting') s.setBackend('unavailable');
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
