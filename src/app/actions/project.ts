/**
 * The project file: one zip (fflate) holding images' thumbnails, heatmaps, predictions, labels, scores,
 * the detector and settings. Importing it restores the session exactly (and hands heatmaps and detector
 * to the worker), so an audit can be shared or re-opened elsewhere.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { DetectorBundle } from '../../core/deepsad/types';
import { DEFAULT_EXPLAIN_OPTIONS } from '../../workers/protocol';
import { useAppStore } from '../state/store';
import type { Explanation, ImageRecord } from '../state/types';
import { download } from './export';
import { persistNow } from './persist';
import { syncWorker } from './session';

const FORMAT = 'apexp-project';

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
  explained.forEach((id, i) => heat.set(s.explanations[id].heatmap, i * h * w));
  files['heatmaps.bin'] = heat;
  for (const [i, id] of s.imageIds.entries()) files[`thumbs/${i}.jpg`] = new Uint8Array(await s.images[id].thumb.arrayBuffer());
  let detector: Omit<DetectorBundle, 'weightData'> | null = null;
  if (s.detector) {
    const { weightData, ...rest } = s.detector;
    detector = rest;
    files['detector.bin'] = new Uint8Array(weightData);
  }
  const project = {
    format: FORMAT,
    version: 1,
    images: s.imageIds.map((id) => {
      const { thumb: _thumb, ...meta } = s.images[id];
      return meta;
    }),
    explained,
    explanations: explained.map((id) => {
      const e = s.explanations[id];
      return { predicted: e.predicted, target: e.target, probs: Array.from(e.probs), faithfulness: Number.isFinite(e.faithfulness) ? e.faithfulness : null };
    }),
    heatmapSize: s.heatmapSize,
    models: s.models,
    activeModel: s.activeModel,
    explainOptions: s.explainOptions,
    source: s.source,
    labels: s.labels,
    scores: s.scores,
    budget: s.budget,
    threshold: s.threshold,
    settings: s.settings,
    losses: s.losses,
    detector,
  };
  files['project.json'] = strToU8(JSON.stringify(project));
  return zipSync(files, { level: 1 });
}

/** Downloads the project file. */
export async function exportProject(): Promise<void> {
  const zip = await buildProject();
  download(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), 'apexp-project.zip');
}

/** Reads a project file into the store (replacing the session) and the worker. */
export async function importProject(file: File): Promise<void> {
  const s = useAppStore.getState();
  try {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(new Uint8Array(await file.arrayBuffer()));
    } catch {
      throw new ProjectFileError(`${file.name} is not a zip file`);
    }
    if (!files['project.json']) throw new ProjectFileError(`${file.name} has no project.json: not an APEXP project`);
    const p = JSON.parse(strFromU8(files['project.json']));
    if (p.format !== FORMAT || p.version !== 1) throw new ProjectFileError(`${file.name}: unsupported project format ${p.format} v${p.version}`);
    const images: Record<string, ImageRecord> = {};
    (p.images as Omit<ImageRecord, 'thumb'>[]).forEach((m, i) => {
      images[m.id] = { ...m, thumb: new Blob([(files[`thumbs/${i}.jpg`] ?? new Uint8Array()) as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }) };
    });
    const [h, w] = p.heatmapSize as [number, number];
    const heat = files['heatmaps.bin'] ?? new Uint8Array();
    const explanations: Record<string, Explanation> = {};
    (p.explained as string[]).forEach((id, i) => {
      const e = p.explanations[i];
      explanations[id] = { predicted: e.predicted, target: e.target, probs: Float32Array.from(e.probs), faithfulness: e.faithfulness ?? NaN, heatmap: heat.slice(i * h * w, (i + 1) * h * w) };
    });
    const detector: DetectorBundle | null = p.detector && files['detector.bin'] ? { ...p.detector, weightData: files['detector.bin'].slice().buffer } : null;
    useAppStore.setState({
      imageIds: (p.images as { id: string }[]).map((m) => m.id),
      images,
      explanations,
      heatmapSize: [h, w],
      models: p.models,
      activeModel: p.activeModel,
      explainOptions: p.explainOptions ?? DEFAULT_EXPLAIN_OPTIONS,
      source: p.source,
      labels: p.labels,
      scores: p.scores,
      scoresVersion: useAppStore.getState().scoresVersion + 1,
      budget: p.budget,
      threshold: p.threshold,
      settings: p.settings,
      losses: p.losses,
      detector,
      history: [],
      labelsDirty: false,
      trainStatus: detector ? 'done' : 'idle',
      selectedIds: [],
      focusId: null,
    });
    await syncWorker();
    await persistNow();
    s.notify('info', `Opened project ${file.name}: ${Object.keys(images).length} images.`);
  } catch (err) {
    s.notify('error', `Could not open ${file.name}: ${(err as Error).message}`);
  }
}
