/**
 * Intents that bring data in: the insulator demo, dropped/picked image files and folders, and models.
 */
import type { ModelSource } from '../../workers/protocol';
import { ingestSink } from './ingest-sink';
import { useAppStore } from '../state/store';
import { reportError, runVisible } from './run';
import { persistNow, persistSoon, savePendingRun } from './persist';
import { dropDetector, trainIfNeeded } from './detector';
import { annotatedCrops, browserCropper, cropsSummary, readAnnotationFiles, splitAnnotationFiles } from './annotated-crops';
import { INSULATOR_CLASSES } from '../../core/data/insulator/types';
import { isGrayscalePng, isPng } from '../../core/audit/heatmap-files';
import { namesSayHeatmaps, sortHeatmapDrop } from './heatmap-drop';
import { ingestHeatmaps } from './ingest-heatmaps';

/** The classifiers bundled under `public/models/<name>/` (model.json, weights, metadata.json). */
export const BUNDLED_MODELS: readonly string[] = ['vgg_small', 'resnet_small'];

const IMAGE_EXT = /\.(png|jpe?g|webp|gif|bmp)$/i;
const MODEL_EXT = /\.(json|bin)$/i;

/** A file with the path it had in a dropped folder ('' for loose files). */
export interface PathedFile {
  file: File;
  path: string;
}

function isBusy(): boolean {
  if (useAppStore.getState().run.kind === 'idle') return false;
  useAppStore.getState().notify('info', 'Busy: wait for the current job to finish or cancel it.');
  return true;
}

/** True (after saying so in one line) when this session holds heatmaps made elsewhere, which a classifier's explanations never join. */
function importedSession(): boolean {
  const s = useAppStore.getState();
  if (s.source?.kind !== 'imported' || !s.imageIds.length) return false;
  s.notify('error', `This session holds ${s.imageIds.length} heatmap(s) made elsewhere: images and models are not mixed in. Start a new session for them (New session).`);
  return true;
}

/** How a failed load names the model: dropped files by their names, since some errors (short weights) name none. */
export function modelLabel(source: ModelSource): string {
  if (source.kind !== 'files') return `model "${source.name}"`;
  const names = source.files.map((f) => f.name);
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  return `model "${source.name}" (${shown})`;
}

/** Loads one classifier in the worker and records it; resolves false (after telling the user why) when it fails. */
export async function loadModel(source: ModelSource, activate = true): Promise<boolean> {
  try {
    await runVisible('model', { type: 'loadModel', source, activate }, (ev) => {
      if (ev.type === 'model') useAppStore.getState().addModel(ev.info, activate);
    });
    return true;
  } catch (err) {
    reportError(err, `${modelLabel(source)} could not be loaded`);
    return false;
  }
}

/**
 * "Try the insulator demo": loads the bundled classifiers, then generates and explains `n` images.
 * `skip`: ids explained before a reload (resume.ts): they are neither sent again nor explained again.
 */
export async function loadDemo(n: number, seed = 7, size = 64, skip?: string[]): Promise<void> {
  if (isBusy() || importedSession()) return;
  // Recorded before anything starts, so a reload at any point finds it and resumes it.
  await savePendingRun({ kind: 'demo', n, seed, size });
  const base = document.baseURI;
  const s = useAppStore.getState();
  for (const name of BUNDLED_MODELS) {
    if (s.models.some((m) => m.name === name)) continue;
    const url = new URL(`models/${name}/model.json`, base).href;
    // A bundled model that fails is reported by loadModel; the demo goes on with the others.
    await loadModel({ kind: 'url', url, name }, !useAppStore.getState().activeModel);
  }
  if (!useAppStore.getState().models.length) return savePendingRun(null);
  useAppStore.getState().setSource({ kind: 'demo', n, seed, size });
  const sink = ingestSink();
  try {
    await runVisible('ingest', { type: 'demo', n, seed, size, options: useAppStore.getState().explainOptions, skip }, sink.onEvent);
  } catch (err) {
    reportError(err, 'the demo could not be generated');
  } finally {
    sink.flush();
  }
  await persistNow();
  await savePendingRun(null);
  void trainIfNeeded();
}

/** Splits dropped files into images, model files and skipped files. */
export function sortFiles(files: PathedFile[]): { images: PathedFile[]; model: File[]; skipped: { name: string; reason: string }[] } {
  const images: PathedFile[] = [];
  const model: File[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const f of files) {
    const name = f.path || f.file.name;
    if (f.file.type.startsWith('image/') || IMAGE_EXT.test(f.file.name)) images.push(f);
    else if (MODEL_EXT.test(f.file.name)) model.push(f.file);
    else skipped.push({ name, reason: `not an image or model file (${f.file.type || 'unknown type'})` });
  }
  return { images, model, skipped };
}

/** The class a folder name gives, as an index into `classNames` (case-insensitive), or −1. */
export function truthFromPath(path: string, classNames: string[]): number {
  const parts = path.split('/').slice(0, -1).reverse();
  for (const p of parts) {
    const i = classNames.findIndex((c) => c.toLowerCase() === p.toLowerCase());
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * The crops of dropped images boxed by dropped annotation files, at the active model's input size and
 * with its classes as truths (the insulator classes without a model); null after telling the user why not.
 */
async function cropsOf(images: PathedFile[], annotationFiles: PathedFile[]): Promise<{ files: File[]; ids: string[]; truths: number[] } | null> {
  const s = useAppStore.getState();
  const info = s.models.find((m) => m.name === s.activeModel);
  try {
    const set = await readAnnotationFiles(annotationFiles);
    const r = await annotatedCrops(images, set, { classNames: info?.classNames ?? [...INSULATOR_CLASSES], side: info?.inputShape[0] ?? 64, padding: 0.1, square: false }, browserCropper);
    const summary = cropsSummary(r, set.images.length - r.missingImages.length);
    // Nothing cut is a refusal: it names the annotation files, as every refusal names its file.
    const names = annotationFiles.map((f) => f.path || f.file.name);
    s.notify(r.crops.length ? 'info' : 'error', r.crops.length ? summary : `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}: ${summary}`);
    return r.crops.length ? { files: r.crops.map((c) => c.file), ids: r.crops.map((c) => c.id), truths: r.crops.map((c) => c.truth) } : null;
  } catch (err) {
    reportError(err, 'the annotations could not be read');
    return null;
  }
}

/** The .png files of `files` by their headers: those that hold one gray channel, and those that are no PNG at all. */
async function pngHeaders(files: readonly PathedFile[]): Promise<{ gray: Set<PathedFile>; notPng: Set<PathedFile> }> {
  const gray = new Set<PathedFile>();
  const notPng = new Set<PathedFile>();
  for (const f of files) {
    if (!/\.png$/i.test(f.file.name)) continue;
    const head = new Uint8Array(await f.file.slice(0, 26).arrayBuffer());
    if (isGrayscalePng(head)) gray.add(f);
    else if (!isPng(head)) notPng.add(f);
  }
  return { gray, notPng };
}

/**
 * Whether a drop is heatmaps made elsewhere: a heatmaps folder was picked, or it holds a .npy, a
 * .jsonl or predictions.csv, or (with no classifier loaded or dropped, and no annotations) grayscale PNGs.
 */
function isHeatmapDrop(dropped: readonly PathedFile[], gray: ReadonlySet<PathedFile>, mapsOnly: boolean): boolean {
  if (mapsOnly || namesSayHeatmaps(dropped)) return true;
  const classifier = useAppStore.getState().models.length > 0 || dropped.some((f) => f.file.name === 'model.json' || /\.(bin|json|xml)$/i.test(f.file.name));
  return !classifier && gray.size > 0;
}

/**
 * Ingests dropped or picked files: a model (model.json + weights [+ metadata.json]) and/or images, and
 * with the images a detection dataset's annotations (COCO .json or Pascal VOC .xml): then each box of
 * the model's classes is ingested as a crop, with its class as the truth. Heatmaps made elsewhere
 * (ingest-heatmaps.ts) go their own way; `mapsOnly` says every image of the drop is a map.
 */
export async function ingestFiles(dropped: PathedFile[], mapsOnly = false): Promise<void> {
  if (isBusy()) return;
  const { gray, notPng } = await pngHeaders(dropped);
  if (isHeatmapDrop(dropped, gray, mapsOnly)) return ingestHeatmaps(sortHeatmapDrop(dropped, gray, mapsOnly, notPng));
  if (importedSession()) return;
  const { annotations, rest: files } = await splitAnnotationFiles(dropped);
  const { images, model, skipped } = sortFiles(files);
  const store = useAppStore.getState();
  for (const s of skipped) store.addSkipped(s.name, s.reason);
  let explainOld = false;
  if (model.length) {
    const json = model.find((f) => f.name === 'model.json') ?? model.find((f) => f.name.endsWith('.json') && f.name !== 'metadata.json');
    const name = json ? (files.find((f) => f.file === json)?.path.split('/').slice(-2, -1)[0] || 'my-model') : 'my-model';
    // Images dropped before any model was loaded get explained once this one is in.
    explainOld = (await loadModel({ kind: 'files', files: model, name }, true)) && useAppStore.getState().imageIds.length > 0;
  }
  if (annotations.length && !images.length) store.notify('error', `Annotations (${annotations.map((f) => f.path || f.file.name).join(', ')}) need their images: drop both together.`);
  if (!images.length) {
    if (explainOld) await explainAll();
    return;
  }
  const s = useAppStore.getState();
  const classNames = s.models.find((m) => m.name === s.activeModel)?.classNames ?? [];
  const cropped = annotations.length ? await cropsOf(images, annotations) : null;
  if (annotations.length && !cropped) return;
  const batch = cropped ?? { files: images.map((f) => f.file), ids: images.map((f) => f.path || f.file.name), truths: images.map((f) => truthFromPath(f.path, classNames)) };
  const taken = new Set(s.imageIds);
  const ids = batch.ids.map((base) => {
    let id = base;
    for (let k = 2; taken.has(id); k++) id = `${base}#${k}`;
    taken.add(id);
    return id;
  });
  if (s.source?.kind !== 'demo') s.setSource({ kind: 'files' });
  await ingestImages(batch.files, ids, batch.truths);
  if (explainOld) await explainAll();
  else void trainIfNeeded();
}

/**
 * Decodes and explains image files under `ids` as the visible run, recorded as pending until it ends
 * (the files themselves, so a reload can resume with the ones not yet explained: resume.ts).
 */
export async function ingestImages(files: File[], ids: string[], truths: number[]): Promise<void> {
  const s = useAppStore.getState();
  await savePendingRun({ kind: 'ingest', files, ids, truths, model: s.activeModel });
  const sink = ingestSink();
  try {
    await runVisible('ingest', { type: 'ingest', files, ids, truths, options: s.explainOptions }, sink.onEvent);
  } catch (err) {
    reportError(err, 'the images could not be loaded');
  } finally {
    sink.flush();
  }
  await persistNow();
  await savePendingRun(null);
}

/** Switches the active classifier and re-explains every image with it. */
export async function useModelAndExplain(name: string): Promise<void> {
  if (isBusy()) return;
  useAppStore.getState().setActiveModel(name);
  await explainAll();
}

/** Re-explains every image with the active classifier, at the layer and for the class in `explainOptions`. */
export async function explainAll(): Promise<void> {
  if (isBusy()) return;
  const name = useAppStore.getState().activeModel;
  if (!name) {
    useAppStore.getState().notify('error', 'Load a model first (the demo, or drop model.json with its weights).');
    return;
  }
  // The detector learnt the old explanations: it is dropped, and a fresh one trains on the new ones.
  // A comparison with another model was with the old explanations: dropped too.
  useAppStore.getState().setComparison(null);
  const had = useAppStore.getState().detectors.length > 0;
  await dropDetector();
  if (had) useAppStore.getState().notify('info', 'The explanations change, so the detector is trained again on the new ones.');
  const sink = ingestSink();
  try {
    await runVisible('model', { type: 'useModel', name }, () => {});
    await runVisible('explain', { type: 'explain', options: useAppStore.getState().explainOptions }, sink.onEvent);
  } catch (err) {
    reportError(err, 'explaining failed');
  } finally {
    sink.flush();
  }
  persistSoon();
  void trainIfNeeded();
}
