/** Startup: the two workers and their backends, then the saved session (restored into the store and the workers). */
import { DEFAULT_DETECTOR_INPUT } from '../../core/audit/detector-input';
import type { BackendName } from '../../core/tf/backend';
import { onBackendChange, runJob, startTfWorker } from '../../workers/tf.client';
import { resetAppStore, useAppStore } from '../state/store';
import { dropDetector, startDetector, syncDetector } from './detector';
import { watchDetectorWorker } from './detector-recovery';
import { BUNDLED_MODELS } from './ingest';
import { clearSaved, readPendingRun, restoreSession, type PendingRun } from './persist';
import { resumeRun } from './resume';
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
export async function syncWorker({ train = true, from }: { train?: boolean; from?: string } = {}): Promise<void> {
  const s = useAppStore.getState();
  await runJob({ type: 'reset' }).done;
  await syncDetector({ train, from });
  // Bundled classifiers reload from the site itself; dropped ones must be dropped again.
  const base = document.baseURI;
  for (const m of s.models) {
    if (!BUNDLED_MODELS.includes(m.name)) continue;
    const url = new URL(`models/${m.name}/model.json`, base).href;
    await runJob({ type: 'loadModel', source: { kind: 'url', url, name: m.name }, activate: m.name === s.activeModel }).done;
  }
}

let started = false;

/** Starts the worker, shows the backend, restores a saved session and resumes the run a reload interrupted. Idempotent. */
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
    watchDetectorWorker(await startDetector(backend, software, forcedBackend(location.search, 'deepsad')));
  } catch (err) {
    if (useAppStore.getState().backend === 'starting') s.setBackend('unavailable');
    reportError(err, 'no tfjs backend');
    return;
  }
  let pending: PendingRun | null = null;
  try {
    pending = await readPendingRun();
    if (await restoreSession()) {
      // A run to resume trains once it has explained everything, not on the part restored.
      await syncWorker({ train: !pending });
      useAppStore.getState().notify('info', 'Restored your previous session from this browser.');
    }
  } catch (err) {
    reportError(err, 'the saved session could not be restored');
  }
  if (pending) await resumeRun(pending);
}

/**
 * "New session": forgets the images, maps, labels and detector (here and in this browser's storage),
 * keeping the backends, the loaded classifiers and the settings; the detector worker starts empty.
 */
export async function newSession(): Promise<void> {
  const s = useAppStore.getState();
  if (s.run.kind !== 'idle') {
    s.notify('info', 'Busy: wait for the current job to finish or cancel it.');
    return;
  }
  const { backend, detectorBackend, models, activeModel, explainOptions, budget } = s;
  // Maps made elsewhere forced the map-only input (they carry no patches): the next session starts from the default again.
  const settings = s.source?.kind === 'imported' ? { ...s.settings, input: DEFAULT_DETECTOR_INPUT } : s.settings;
  await clearSaved();
  resetAppStore();
  useAppStore.setState({ backend, detectorBackend, models, activeModel, explainOptions, settings, budget });
  await dropDetector();
  useAppStore.getState().notify('info', 'New session: drop images, a model, or heatmaps made elsewhere.');
}
