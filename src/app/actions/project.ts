/**
 * The project file: one zip (fflate) holding images' thumbnails, heatmaps and peak patches,
 * predictions, labels, scores, the base detectors and settings. Opening it replaces the session (or,
 * when the user asks, merges it into this one), and hands everything to the workers.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { DEFAULT_AUDITOR_SETTINGS } from '../../core/audit/settings';
import { crc32, zipCrcs } from '../../core/data/zip-crc';
import type { DetectorBundle } from '../../core/deepsad/types';
import { explainOptionsFrom } from '../../workers/protocol';
import { checkProjectJson } from './project-schema';
import { useAppStore } from '../state/store';
import type { ImportedSource } from '../state/images.slice';
import type { Explanation, ImageRecord, Label } from '../state/types';
import { download } from './export';
import { persistNow } from './persist';
import { syncWorker } from './session';

const FORMAT = 'apexp-project';
/** v2 adds the peak patches and a list of detectors (an ensemble); v1 files still open (map-only detector). */
const VERSION = 2;

/** Why a project file was rejected. */
export class ProjectFileError extends Error {
  override name = 'ProjectFileError';
  readonly code = 'bad-project' as const;
}

/** Builds the project zip. */
export async function buildProject(): Promise<Uint8Array> {
  const s = useAppStore.getState();
  const files: Record<string, Uint8Array> = {};
  const [h, w] = s.heatmapSize;
  const explained = s.imageIds.filter((id) => s.explanations[id]);
  const heat = new Uint8Array(explained.length * h * w);
  const patches = new Uint8Array(explained.length * h * w * 3);
  explained.forEach((id, i) => {
    heat.set(s.explanations[id].heatmap, i * h * w);
    const p = s.explanations[id].patch;
    if (p) patches.set(p, i * h * w * 3);
  });
  files['heatmaps.bin'] = heat;
  files['patches.bin'] = patches;
  for (const [i, id] of s.imageIds.entries()) files[`thumbs/${i}.jpg`] = new Uint8Array(await s.images[id].thumb.arrayBuffer());
  const detectors = s.detectors.map((d, j) => {
    const { weightData, ...rest } = d;
    files[`detector-${j}.bin`] = new Uint8Array(weightData);
    return rest;
  });
  const project = {
    format: FORMAT,
    version: VERSION,
    images: s.imageIds.map((id) => {
      const { thumb: _thumb, ...meta } = s.images[id];
      return meta;
    }),
    explained,
    hasPatch: explained.map((id) => (s.explanations[id].patch ? 1 : 0)),
    explanations: explained.map((id) => {
      const e = s.explanations[id];
      return { predicted: e.predicted, target: e.target, probs: Array.from(e.probs), faithfulness: Number.isFinite(e.faithfulness) ? e.faithfulness : null, ...(e.confidence !== undefined ? { confidence: e.confidence } : {}) };
    }),
    heatmapSize: s.heatmapSize,
    models: s.models,
    activeModel: s.activeModel,
    explainOptions: s.explainOptions,
    source: s.source,
    labels: s.labels,
    scores: s.scores,
    budget: s.budget,
    settings: s.settings,
    losses: s.losses,
    detectors,
  };
  files['project.json'] = strToU8(JSON.stringify(project));
  return zipSync(files, { level: 1 });
}

/** Downloads the project file. */
export async function exportProject(): Promise<void> {
  const zip = await buildProject();
  download(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), 'apexp-project.zip');
}

/** A project file's contents in store shape. @throws ProjectFileError */
export async function readProject(file: File) {
  let files: Record<string, Uint8Array>;
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    files = unzipSync(bytes);
  } catch {
    throw new ProjectFileError(`${file.name} is not a zip file`);
  }
  // unzipSync does not check the CRCs: a flipped byte in detector-0.bin would open as other weights.
  const crcs = zipCrcs(bytes);
  for (const [name, data] of Object.entries(files)) {
    if (crcs?.get(name) !== crc32(data)) throw new ProjectFileError(`${file.name}: ${name} is damaged (its checksum does not match)`);
  }
  if (!files['project.json']) throw new ProjectFileError(`${file.name} has no project.json: not an APEXP project`);
  const text = strFromU8(files['project.json']);
  const head = (() => {
    try {
      return JSON.parse(text) as { format?: unknown; version?: unknown };
    } catch {
      return null;
    }
  })();
  if (head && (head.format !== FORMAT || (head.version !== 1 && head.version !== VERSION))) throw new ProjectFileError(`${file.name}: unsupported project format ${String(head.format)} v${String(head.version)}`);
  const checked = checkProjectJson(text);
  if (!checked.ok) throw new ProjectFileError(`${file.name}: ${checked.problem}`);
  const p = checked.project;
  const [h, w] = p.heatmapSize;
  const heat = files['heatmaps.bin'] ?? new Uint8Array();
  const patches = files['patches.bin'];
  // The binary parts must hold what project.json says, or the file was cut or mixed: reject it whole.
  if (heat.length !== p.explained.length * h * w) throw new ProjectFileError(`${file.name}: heatmaps.bin holds ${heat.length} bytes, project.json needs ${p.explained.length * h * w}`);
  if (patches && p.hasPatch?.some(Boolean) && patches.length !== p.explained.length * h * w * 3) throw new ProjectFileError(`${file.name}: patches.bin holds ${patches.length} bytes, project.json needs ${p.explained.length * h * w * 3}`);
  const missingThumb = p.images.findIndex((_, i) => !files[`thumbs/${i}.jpg`]);
  if (missingThumb >= 0) throw new ProjectFileError(`${file.name}: thumbs/${missingThumb}.jpg is missing`);
  const images: Record<string, ImageRecord> = {};
  p.images.forEach((m, i) => {
    images[m.id] = { ...m, thumb: new Blob([files[`thumbs/${i}.jpg`] as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }) };
  });
  const explanations: Record<string, Explanation> = {};
  p.explained.forEach((id, i) => {
    const e = p.explanations[i];
    const patch = patches && p.hasPatch?.[i] ? patches.slice(i * h * w * 3, (i + 1) * h * w * 3) : undefined;
    explanations[id] = { predicted: e.predicted, target: e.target, probs: Float32Array.from(e.probs), faithfulness: e.faithfulness ?? NaN, heatmap: heat.slice(i * h * w, (i + 1) * h * w), ...(patch ? { patch } : {}), ...(e.confidence !== undefined ? { confidence: e.confidence } : {}) };
  });
  // The config is checked in full when the detector worker loads the bundle (validateConfig).
  const headers = (p.version === 1 ? (p.detector ? [p.detector] : []) : (p.detectors ?? [])) as unknown as Omit<DetectorBundle, 'weightData'>[];
  const detectors: DetectorBundle[] = headers.map((d, j) => {
    const name = p.version === 1 ? 'detector.bin' : `detector-${j}.bin`;
    const bin = files[name];
    const want = 4 * d.weightSpecs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
    if (!bin || bin.length !== want) throw new ProjectFileError(`${file.name}: ${name} ${bin ? `holds ${bin.length} bytes, its weights need ${want}` : 'is missing'}`);
    return { ...d, weightData: bin.slice().buffer };
  });
  return {
    imageIds: p.images.map((m) => m.id),
    images,
    explanations,
    heatmapSize: [h, w] as [number, number],
    models: p.models,
    activeModel: p.activeModel,
    explainOptions: explainOptionsFrom(p.explainOptions),
    source: p.source,
    labels: p.labels as Record<string, Label>,
    scores: p.scores as Record<string, number>,
    budget: p.budget,
    settings: { ...DEFAULT_AUDITOR_SETTINGS, ...(p.version === 1 ? {} : p.settings) },
    losses: p.losses,
    detectors,
  };
}

/**
 * Two sessions of maps made elsewhere merged: the file's predicted classes re-indexed into this
 * session's class names (extended in order of first appearance).
 */
function mergeImported(mine: ImportedSource, theirs: ImportedSource, explanations: Record<string, Explanation>): { source: ImportedSource; explanations: Record<string, Explanation> } {
  const names = [...mine.classNames];
  const index = theirs.classNames.map((c) => (names.includes(c) ? names.indexOf(c) : names.push(c) - 1));
  const at = (k: number) => (k >= 0 ? (index[k] ?? -1) : -1);
  const out: Record<string, Explanation> = {};
  for (const [id, e] of Object.entries(explanations)) out[id] = { ...e, predicted: at(e.predicted), target: at(e.target) };
  return { source: { ...mine, classNames: names, predictions: mine.predictions || theirs.predictions }, explanations: out };
}

/**
 * Opens a project file. `replace` (the default) makes it the session; `merge` adds its images,
 * explanations and labels to this one (this session's win where both have an image) and trains a
 * fresh detector on the union. A bad file changes nothing.
 */
export async function importProject(file: File, mode: 'replace' | 'merge' = 'replace'): Promise<void> {
  const s = useAppStore.getState();
  try {
    const p = await readProject(file);
    if (mode === 'merge' && s.imageIds.length) {
      const [h, w] = s.heatmapSize;
      // Maps made elsewhere and a classifier's explanations are never mixed (ingest-heatmaps.ts).
      if ((s.source?.kind === 'imported') !== (p.source?.kind === 'imported')) throw new ProjectFileError(`${file.name} holds ${p.source?.kind === 'imported' ? 'heatmaps made elsewhere' : "a classifier's explanations"}, this session ${s.source?.kind === 'imported' ? 'heatmaps made elsewhere' : "a classifier's explanations"}: they are not merged`);
      if (p.heatmapSize[0] !== h || p.heatmapSize[1] !== w) throw new ProjectFileError(`${file.name} has ${p.heatmapSize.join('×')} heatmaps, this session ${h}×${w}: they cannot be merged`);
      const fresh = p.imageIds.filter((id) => !s.images[id]);
      const imported = s.source?.kind === 'imported' && p.source?.kind === 'imported' ? mergeImported(s.source, p.source, p.explanations) : null;
      useAppStore.setState({
        imageIds: [...s.imageIds, ...fresh],
        images: { ...p.images, ...s.images },
        explanations: { ...(imported?.explanations ?? p.explanations), ...s.explanations },
        ...(imported ? { source: imported.source } : {}),
        labels: { ...p.labels, ...s.labels },
        detectors: [],
        scores: {},
        history: [],
        comparison: null,
      });
      await syncWorker({ from: file.name });
      await persistNow();
      s.notify('info', `Merged ${file.name}: ${fresh.length} new image(s); training the detector on all ${s.imageIds.length + fresh.length}.`);
      return;
    }
    useAppStore.setState({
      ...p,
      scoresVersion: useAppStore.getState().scoresVersion + 1,
      history: [],
      agreement: null,
      nextIds: [],
      trainStatus: p.detectors.length ? 'done' : 'idle',
      selectedIds: [],
      focusId: null,
      comparison: null,
    });
    await syncWorker({ from: file.name });
    await persistNow();
    s.notify('info', `Opened project ${file.name}: ${Object.keys(p.images).length} images.`);
  } catch (err) {
    s.notify('error', `Could not open ${file.name}: ${(err as Error).message}`);
  }
}
