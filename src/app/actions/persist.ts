/**
 * IndexedDB persistence (idb): thumbnails, heatmaps and peak patches, labels, scores, the base
 * detectors and settings, so a reload restores the session. Writes are debounced and incremental (only images and
 * explanations not yet saved are written).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DetectorBundle } from '../../core/deepsad/types';
import { useAppStore, type AppStore } from '../state/store';
import type { Explanation, ImageRecord, Label, ModelInfo } from '../state/types';
import type { LossPoint } from '../state/training.slice';
import { explainOptionsFrom, type ExplainOptions } from '../../workers/protocol';
import { DEFAULT_AUDITOR_SETTINGS, type AuditorSettings } from '../../core/audit/settings';

/** The small records kept under one key each. */
interface Meta {
  imageIds: string[];
  source: AppStore['source'];
  heatmapSize: [number, number];
  models: ModelInfo[];
  activeModel: string | null;
  /** Absent in sessions saved before the class picker existed. */
  explainOptions?: ExplainOptions;
  labels: Record<string, Label>;
  scores: Record<string, number>;
  budget: number;
  losses: LossPoint[];
  skipped: { name: string; reason: string }[];
  /** The auditor settings (absent in sessions saved before they existed: defaults then). */
  settings?: AuditorSettings;
}

/**
 * A run that was explaining when the page went away (kv 'run'): written before the run starts, deleted
 * when it ends, so a reload finds it and resumes it (resume.ts). A demo is remade from its seed; dropped
 * images are kept as the files themselves (a reload has no other way to read them again), with the
 * model that explained them.
 */
export type PendingRun =
  | { kind: 'demo'; n: number; seed: number; size: number }
  | { kind: 'ingest'; files: File[]; ids: string[]; truths: number[]; model: string | null };

interface ApexpDb extends DBSchema {
  images: { key: string; value: ImageRecord };
  explanations: { key: string; value: Explanation };
  /** 'meta'; 'detector': the base detectors (one bundle, not a list, in sessions saved before ensembles); 'run': a {@link PendingRun}. */
  kv: { key: string; value: Meta | DetectorBundle[] | DetectorBundle | PendingRun | null };
}

const DB_NAME = 'apexp';
let dbPromise: Promise<IDBPDatabase<ApexpDb>> | null = null;

function db(): Promise<IDBPDatabase<ApexpDb>> {
  dbPromise ??= openDB<ApexpDb>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('images');
      d.createObjectStore('explanations');
      d.createObjectStore('kv');
    },
  });
  return dbPromise;
}

const savedImages = new Set<string>();
const savedExplanations = new WeakMap<Explanation, true>();
let savedDetectors: DetectorBundle[] | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let chain: Promise<void> = Promise.resolve();

/** Writes what changed since the last save. Resolves when written. */
export function persistNow(): Promise<void> {
  chain = chain.then(write, write);
  return chain;
}

/** Records per IndexedDB transaction: each put clones on the main thread, so big sessions are written in slices. */
const WRITE_SLICE = 100;

async function write(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  const s = useAppStore.getState();
  try {
    const d = await db();
    const pending = s.imageIds.filter((id) => !savedImages.has(id) || (s.explanations[id] && !savedExplanations.has(s.explanations[id])));
    for (let i = 0; i < pending.length; i += WRITE_SLICE) {
      const tx = d.transaction(['images', 'explanations'], 'readwrite');
      for (const id of pending.slice(i, i + WRITE_SLICE)) {
        if (!savedImages.has(id)) {
          void tx.objectStore('images').put(s.images[id], id);
          savedImages.add(id);
        }
        const e = s.explanations[id];
        if (e && !savedExplanations.has(e)) {
          void tx.objectStore('explanations').put(e, id);
          savedExplanations.set(e, true);
        }
      }
      await tx.done;
    }
    const meta: Meta = {
      imageIds: s.imageIds,
      source: s.source,
      heatmapSize: s.heatmapSize,
      models: s.models,
      activeModel: s.activeModel,
      explainOptions: s.explainOptions,
      labels: s.labels,
      scores: s.scores,
      budget: s.budget,
      losses: s.losses,
      skipped: s.skipped,
      settings: s.settings,
    };
    const tx = d.transaction('kv', 'readwrite');
    void tx.store.put(meta, 'meta');
    if (s.detectors !== savedDetectors) {
      void tx.store.put(s.detectors, 'detector');
      savedDetectors = s.detectors;
    }
    await tx.done;
  } catch (err) {
    s.notify('error', `Could not save the session in this browser: ${(err as Error).message}`);
  }
}

/** Schedules a save shortly (coalesces bursts of changes). */
export function persistSoon(delayMs = 300): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    void persistNow();
  }, delayMs);
}

/**
 * Schedules a save within `maxDelayMs` without postponing one already scheduled: a run that streams
 * results every few hundred ms is saved as it goes (persistSoon alone would wait for the stream to stop).
 */
export function persistWithin(maxDelayMs = 1000): void {
  timer ??= setTimeout(() => {
    timer = null;
    void persistNow();
  }, maxDelayMs);
}

/** Records `run` as the one in progress (before it starts); null when it ends. */
export async function savePendingRun(run: PendingRun | null): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  try {
    const d = await db();
    if (run) await d.put('kv', run, 'run');
    else await d.delete('kv', 'run');
  } catch (err) {
    useAppStore.getState().notify('error', `Could not save the run's progress in this browser (a reload would not resume it): ${(err as Error).message}`);
  }
}

/** The run a previous page left unfinished, if any. */
export async function readPendingRun(): Promise<PendingRun | null> {
  if (typeof indexedDB === 'undefined') return null;
  const run = (await (await db()).get('kv', 'run')) as PendingRun | undefined;
  if (run?.kind === 'demo') return [run.n, run.seed, run.size].every(Number.isInteger) ? run : null;
  if (run?.kind === 'ingest') return Array.isArray(run.files) && run.files.length === run.ids?.length && run.ids.length === run.truths?.length ? run : null;
  return null;
}

let restoredIds: string[] = [];

/** The ids whose explanations the last restore read back (the e2e checks that a resumed run does not explain them again). */
export function restoredExplanationIds(): readonly string[] {
  return restoredIds;
}

/** Reads the saved session into the store. Resolves true when there was one. */
export async function restoreSession(): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  const d = await db();
  const meta = (await d.get('kv', 'meta')) as Meta | undefined;
  if (!meta || !meta.imageIds.length) return false;
  const saved = (await d.get('kv', 'detector')) as DetectorBundle[] | DetectorBundle | null | undefined;
  const detectors = Array.isArray(saved) ? saved : saved ? [saved] : [];
  const images: Record<string, ImageRecord> = {};
  const explanations: Record<string, Explanation> = {};
  const tx = d.transaction(['images', 'explanations'], 'readonly');
  const [imgs, exps, keys] = await Promise.all([
    tx.objectStore('images').getAll(),
    tx.objectStore('explanations').getAll(),
    tx.objectStore('explanations').getAllKeys(),
  ]);
  for (const r of imgs) {
    images[r.id] = r;
    savedImages.add(r.id);
  }
  keys.forEach((k, i) => {
    explanations[k] = exps[i];
    savedExplanations.set(exps[i], true);
  });
  savedDetectors = detectors;
  restoredIds = keys.filter((k) => images[k]);
  useAppStore.setState({
    imageIds: meta.imageIds.filter((id) => images[id]),
    images,
    explanations,
    source: meta.source,
    heatmapSize: meta.heatmapSize,
    models: meta.models,
    activeModel: meta.activeModel,
    explainOptions: explainOptionsFrom(meta.explainOptions),
    labels: meta.labels,
    scores: meta.scores,
    scoresVersion: 1,
    budget: meta.budget,
    losses: meta.losses,
    skipped: meta.skipped,
    settings: { ...DEFAULT_AUDITOR_SETTINGS, ...meta.settings, ranking: { ...DEFAULT_AUDITOR_SETTINGS.ranking, ...meta.settings?.ranking } },
    detectors,
    trainStatus: detectors.length ? 'done' : 'idle',
  });
  return true;
}

/** Deletes the saved session ("new project"). */
export async function clearSaved(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  const d = await db();
  const tx = d.transaction(['images', 'explanations', 'kv'], 'readwrite');
  await Promise.all([tx.objectStore('images').clear(), tx.objectStore('explanations').clear(), tx.objectStore('kv').clear(), tx.done]);
  savedImages.clear();
  savedDetectors = null;
}
