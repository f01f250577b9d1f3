/**
 * "Bring your own explanations": heatmaps made elsewhere, with no classifier here, become a session
 * of their own. A folder of map images, a .npy [N, H, W] with ids.txt, or an explanations.jsonl, with
 * an optional predictions.csv and the photos the maps were made of. Parsing and normalisation are
 * core's (the CLI's `--heatmaps` reads the same files the same way); decoding is the browser's.
 * A bad file is named in one line and left out; the rest loads; nothing already loaded is lost.
 */
import { HeatmapFileError, decodeNpyMaps, npyHeatmaps, parseExplanationsJsonl, parseIds, parsePredictionRows, type Prediction } from '../../core/audit/heatmap-files';
import { importHeatmaps } from '../../core/audit/heatmap-import';
import { decodeGray, mapPng, photoThumb } from '../lib/decode-image';
import type { ImportedSource } from '../state/images.slice';
import { useAppStore } from '../state/store';
import type { Explanation, ImageRecord } from '../state/types';
import { dropDetector, syncDetector } from './detector';
import { matchPhotos, nameOf, relativeIds, type HeatmapDrop } from './heatmap-drop';
import type { PathedFile } from './ingest';
import { persistSoon } from './persist';

/** Maps read from one source, before predictions and photos: ids, detector-side maps in [0, 1], and what the source itself knew. */
interface ReadMaps {
  format: ImportedSource['format'];
  ids: string[];
  size: [number, number];
  /** n·h·w values in [0, 1]. */
  heatmaps: Float32Array;
  /** n·h·w·3 RGB in [0, 1] (explanations.jsonl with patches), else null. */
  patches: Float32Array | null;
  /** explanations.jsonl's own predictions and probabilities, else null. */
  records: { predicted: number; target: number; probs: number[] }[] | null;
  /** Original [h, w] of each map (for the image record). */
  dims: [number, number][];
}

const firstLine = (err: unknown): string => ((err as Error)?.message ?? String(err)).split('\n')[0];

/** Tells the user one bad file (or line), in one line, and lists it under "skipped". */
function refuse(name: string, reason: string): void {
  const s = useAppStore.getState();
  s.addSkipped(name, reason);
  s.notify('error', `${name}: ${reason}`);
}

function refuseError(err: unknown, name: string): void {
  // HeatmapFileError messages already start with the file's name.
  if (err instanceof HeatmapFileError) {
    const [file, ...rest] = err.message.split(': ');
    refuse(file, rest.join(': '));
  } else refuse(name, firstLine(err));
}

async function readNpy(npy: NonNullable<HeatmapDrop['npy']>, size: [number, number]): Promise<ReadMaps | null> {
  const name = nameOf(npy.file);
  if (!npy.ids) {
    refuse(name, 'needs its ids file (ids.txt, one id per line, in the order of the maps) in the same drop');
    return null;
  }
  try {
    const maps = decodeNpyMaps(await npy.file.file.arrayBuffer(), name);
    const ids = parseIds(await npy.ids.file.text(), nameOf(npy.ids), maps.n, name);
    const { heatmaps } = npyHeatmaps(maps, ids, name, size);
    return { format: 'npy', ids, size, heatmaps, patches: null, records: null, dims: ids.map(() => [maps.h, maps.w]) };
  } catch (err) {
    refuseError(err, name);
    return null;
  }
}

async function readJsonl(file: PathedFile, size: [number, number] | null): Promise<ReadMaps | null> {
  const name = nameOf(file);
  try {
    const ex = parseExplanationsJsonl(await file.file.text(), name);
    for (const b of ex.bad) refuseError(new HeatmapFileError(b.message), name);
    if (size && (size[0] !== ex.size[0] || size[1] !== ex.size[1])) {
      refuse(name, `${ex.size.join('×')} heatmaps, this session's are ${size.join('×')}`);
      return null;
    }
    const records = ex.records.map((r) => ({ predicted: r.predicted, target: r.target, probs: r.probs }));
    return { format: 'explanations', ids: ex.records.map((r) => r.id), size: ex.size, heatmaps: ex.heatmaps, patches: ex.patches, records, dims: ex.records.map(() => ex.size) };
  } catch (err) {
    refuseError(err, name);
    return null;
  }
}

async function readMapImages(files: PathedFile[], size: [number, number]): Promise<ReadMaps | null> {
  const rel = relativeIds(files.map(nameOf));
  const ids: string[] = [];
  const maps: Float32Array[] = [];
  const dims: [number, number][] = [];
  for (const [i, f] of files.entries()) {
    try {
      const g = await decodeGray(f.file);
      maps.push(importHeatmaps(g.data, 1, g.height, g.width, size));
      ids.push(rel[i]);
      dims.push([g.height, g.width]);
    } catch (err) {
      refuse(nameOf(f), `not a decodable heatmap image (${firstLine(err)})`);
    }
  }
  if (!ids.length) return null;
  const heatmaps = new Float32Array(ids.length * size[0] * size[1]);
  maps.forEach((m, i) => heatmaps.set(m, i * m.length));
  return { format: 'png', ids, size, heatmaps, patches: null, records: null, dims };
}

/** predictions.csv's rows for `ids` (bad rows and unknown ids named, the rest kept), or null without one. */
async function readPredictions(file: PathedFile | null, ids: string[]): Promise<Map<string, Prediction> | null> {
  if (!file) return null;
  const name = nameOf(file);
  try {
    const { predictions, bad } = parsePredictionRows(await file.file.text(), name, new Set(ids));
    for (const b of bad) refuseError(new HeatmapFileError(b), name);
    const missing = ids.filter((id) => !predictions.has(id));
    if (missing.length && predictions.size) useAppStore.getState().notify('info', `${name}: no row for ${missing.length} of the ${ids.length} maps (first: ${JSON.stringify(missing[0])}); their confidence is unknown.`);
    return predictions.size ? predictions : null;
  } catch (err) {
    refuseError(err, name);
    return null;
  }
}

/** The card pictures: the matching photo's thumbnail, else the map itself. */
async function recordsOf(m: ReadMaps, quantised: Uint8Array[], photos: PathedFile[]): Promise<ImageRecord[]> {
  const matched = matchPhotos(m.ids, photos);
  const used = new Set(matched.values());
  for (const p of photos) if (!used.has(p)) useAppStore.getState().addSkipped(nameOf(p), 'an image no heatmap id matches');
  const out: ImageRecord[] = [];
  for (const [i, id] of m.ids.entries()) {
    const photo = matched.get(id);
    if (photo) {
      try {
        const t = await photoThumb(photo.file);
        out.push({ id, name: id, width: t.width, height: t.height, truth: -1, thumb: t.thumb });
        continue;
      } catch (err) {
        refuse(nameOf(photo), `not a decodable image (${firstLine(err)}); its map is shown alone`);
      }
    }
    out.push({ id, name: id, width: m.dims[i][1], height: m.dims[i][0], truth: -1, thumb: await mapPng(quantised[i], m.size[0], m.size[1]), noPhoto: true });
  }
  return out;
}

/**
 * Loads a drop of heatmaps made elsewhere into this session, which must be empty or hold imported maps
 * only (never mixed with a classifier's explanations), then trains the detector on every map.
 */
export async function ingestHeatmaps(drop: HeatmapDrop): Promise<void> {
  const s = useAppStore.getState();
  if (s.imageIds.length && s.source?.kind !== 'imported') {
    s.notify('error', `This session holds ${s.imageIds.length} image(s) explained by a classifier: heatmaps made elsewhere are not mixed in. Start a new session for them (New session).`);
    return;
  }
  for (const r of drop.refused) refuse(r.name, r.reason);
  const prior = s.source?.kind === 'imported' ? s.source : null;
  const size: [number, number] = s.heatmapSize;
  const read = drop.npy ? await readNpy(drop.npy, size) : drop.jsonl ? await readJsonl(drop.jsonl, prior ? size : null) : drop.maps.length ? await readMapImages(drop.maps, size) : null;
  if (!read) {
    if (!drop.npy && !drop.jsonl && !drop.maps.length) s.notify('error', 'No heatmaps in this drop: a folder of map images, a .npy with ids.txt, or an explanations.jsonl.');
    return;
  }
  if (prior && prior.format !== read.format) s.notify('info', `Adding ${read.format} maps to a session of ${prior.format} maps.`);
  const taken = new Set(useAppStore.getState().imageIds);
  const dup = read.ids.filter((id) => taken.has(id));
  if (dup.length) refuse(dup[0], `already in this session${dup.length > 1 ? ` (and ${dup.length - 1} more id(s) of this drop)` : ''}: not loaded again`);
  const preds = await readPredictions(drop.predictions, read.ids);
  const classNames = [...(prior?.classNames ?? [])];
  const classOf = (c: string): number => (classNames.includes(c) ? classNames.indexOf(c) : classNames.push(c) - 1);
  const [h, w] = read.size;
  const hw = h * w;
  const keep = read.ids.map((id) => !taken.has(id));
  const quantised = read.ids.map((_, i) => Uint8Array.from(read.heatmaps.subarray(i * hw, (i + 1) * hw), (v) => Math.round(v * 255)));
  const explanations: Record<string, Explanation> = {};
  read.ids.forEach((id, i) => {
    if (!keep[i]) return;
    const r = read.records?.[i];
    const p = preds?.get(id);
    const predicted = p ? classOf(p.predicted) : (r?.predicted ?? -1);
    const patch = read.patches ? Uint8Array.from(read.patches.subarray(i * hw * 3, (i + 1) * hw * 3), (v) => Math.round(v * 255)) : undefined;
    explanations[id] = { predicted, target: p ? predicted : (r?.target ?? -1), probs: Float32Array.from(r?.probs ?? []), heatmap: quantised[i], faithfulness: NaN, ...(patch ? { patch } : {}), ...(p ? { confidence: p.confidence } : {}) };
  });
  const kept: ReadMaps = { ...read, ids: read.ids.filter((_, i) => keep[i]), dims: read.dims.filter((_, i) => keep[i]) };
  const records = await recordsOf(kept, quantised.filter((_, i) => keep[i]), drop.photos);
  if (!records.length) return;
  const cur = useAppStore.getState();
  const images = { ...cur.images };
  for (const r of records) images[r.id] = r;
  const source: ImportedSource = { kind: 'imported', format: read.format, classNames, predictions: !!preds || read.format === 'explanations' || !!prior?.predictions };
  useAppStore.setState({ imageIds: [...cur.imageIds, ...records.map((r) => r.id)], images, explanations: { ...cur.explanations, ...explanations }, heatmapSize: read.size, source });
  const resized = read.dims.some(([a, b]) => a !== h || b !== w) ? ` (resized to ${h}×${w})` : '';
  cur.notify('info', `Loaded ${records.length} heatmap(s) made elsewhere from ${read.format === 'png' ? 'map images' : nameOf((drop.npy?.file ?? drop.jsonl) as PathedFile)}${resized}${preds ? `, with predictions for ${preds.size}` : ''}; training the detector.`);
  persistSoon();
  // New maps change what normal looks like: a fresh detector trains on all of them.
  await dropDetector();
  await syncDetector();
}
