/**
 * A typed test API on `window.__apexp` (e2e setup and the app benchmark), installed only with `?e2e=1`.
 * It exposes the same actions the UI calls; tests still drive the UI for what they assert.
 */
import type { AuditorSettings } from '../core/audit/settings';
import { createRng } from '../core/random';
import { runJob } from '../workers/tf.client';
import { killDetectorWorker, runDetectorJob } from '../workers/detector.client';
import { labelSelected } from './actions/label';
import { ingestFiles, loadDemo } from './actions/ingest';
import { buildProject, importProject } from './actions/project';
import { startTraining } from './actions/detector';
import { useAppStore } from './state/store';
import { buildReport } from './actions/export';
import type { AuditReport } from '../core/audit/report';
import { explainedTally } from './actions/ingest-sink';
import { restoredExplanationIds } from './actions/persist';
import type { Notice } from './state/ui.slice';

/** What `window.__apexp` offers. */
export interface ApexpTestApi {
  loadDemo: (n: number, seed?: number, size?: number) => Promise<void>;
  /** Trains from scratch, after applying `settings` (e.g. `{trainSteps: 20}`). */
  train: (settings?: Partial<AuditorSettings>) => Promise<void>;
  label: (ids: string[], label: 'normal' | 'anomalous') => void;
  state: () => { n: number; explained: number; scored: number; labels: number; backend: string; detectorBackend: string; trainStatus: string; scoresVersion: number; rankedBy: string | null; updating: boolean; run: string; losses: number };
  scores: () => Record<string, number>;
  /** The analyst's labels by id. */
  labelsMap: () => Record<string, string>;
  loseDevice: () => Promise<void>;
  /** How many times each image id was explained in this page. */
  explainedTally: () => Record<string, number>;
  /** The ids whose explanations the page read back from IndexedDB at startup. */
  restoredIds: () => string[];
  /** Ids that have an explanation with a heatmap in the store. */
  explainedIds: () => string[];
  /** Fault injection: kills the detector worker, by an uncaught error inside it ('throw') or from the page ('terminate'). */
  killDetector: (how: 'throw' | 'terminate') => void;
  /** Sets auditor settings (e.g. a short training) without training. */
  settings: (settings: Partial<AuditorSettings>) => void;
  /** Hands files to the handler a drop or the file pickers call (ingestFiles), as loose files (path '') or with folder paths. */
  ingest: (files: File[], paths?: string[]) => Promise<void>;
  /** Opens a project file through the handler the "Open project" picker calls (importProject, replace). */
  openProject: (file: File) => Promise<void>;
  /** The project file "Export project" would download. */
  project: () => Promise<Uint8Array>;
  imageIds: () => string[];
  /** Names of the loaded classifiers. */
  models: () => string[];
  /** Every notice since the page loaded (the notifier shows only the last five). */
  notices: () => Notice[];
  skipped: () => { name: string; reason: string }[];
  /** Replaces the map's layout with `n` seeded random points over the current images (cycled): the map's draw-time check. */
  mapPoints: (n: number) => void;
  /** The JSON report the "report" export downloads (the CLI's report.json schema). */
  report: () => AuditReport;
}

declare global {
  interface Window {
    __apexp?: ApexpTestApi;
  }
}

/** Installs the API when the URL asks for it. */
export function installTestApi(): void {
  if (new URLSearchParams(location.search).get('e2e') !== '1') return;
  // Notice ids only grow: whatever is above the last logged id is new.
  const log: Notice[] = [];
  useAppStore.subscribe((s) => {
    for (const n of s.notices) if (n.id > (log.at(-1)?.id ?? -1)) log.push(n);
  });
  window.__apexp = {
    settings: (settings) => useAppStore.getState().setSettings(settings),
    ingest: (files, paths) => ingestFiles(files.map((file, i) => ({ file, path: paths?.[i] ?? '' }))),
    openProject: (file) => importProject(file),
    project: () => buildProject(),
    imageIds: () => [...useAppStore.getState().imageIds],
    models: () => useAppStore.getState().models.map((m) => m.name),
    notices: () => [...log],
    skipped: () => [...useAppStore.getState().skipped],
    loadDemo: (n, seed, size) => loadDemo(n, seed, size),
    train: (settings) => {
      if (settings) useAppStore.getState().setSettings(settings);
      return startTraining();
    },
    label: (ids, label) => {
      useAppStore.setState({ selectedIds: ids });
      labelSelected(label);
    },
    state: () => {
      const s = useAppStore.getState();
      return {
        n: s.imageIds.length,
        explained: Object.keys(s.explanations).length,
        scored: Object.keys(s.scores).length,
        labels: Object.keys(s.labels).length,
        backend: s.backend,
        detectorBackend: s.detectorBackend,
        trainStatus: s.trainStatus,
        scoresVersion: s.scoresVersion,
        rankedBy: s.rankedBy,
        updating: s.updating,
        run: s.run.kind,
        losses: s.losses.length,
      };
    },
    scores: () => useAppStore.getState().scores,
    labelsMap: () => useAppStore.getState().labels,
    loseDevice: async () => {
      await runJob({ type: 'loseDevice' }).done;
    },
    report: () => buildReport(),
    explainedTally: () => explainedTally(),
    restoredIds: () => [...restoredExplanationIds()],
    explainedIds: () => {
      const { imageIds, explanations } = useAppStore.getState();
      return imageIds.filter((id) => explanations[id]?.heatmap?.length > 0);
    },
    killDetector: (how) => {
      if (how === 'terminate') killDetectorWorker('terminated by the browser');
      // The request never answers: the worker dies handling it, and its rejection is the recovery's to report.
      else void runDetectorJob({ type: 'crash' }).done.catch(() => undefined);
    },
    mapPoints: (n) => {
      const { imageIds, setProjection } = useAppStore.getState();
      const rng = createRng(5);
      setProjection({ ids: Array.from({ length: n }, (_, i) => imageIds[i % imageIds.length]), xy: Float32Array.from({ length: n * 2 }, () => rng()) });
    },
  };
}
