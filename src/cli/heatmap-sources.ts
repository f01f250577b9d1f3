/**
 * Where the CLI's detector stages read heatmaps from: our own explanations.jsonl, or maps made
 * elsewhere with no tfjs model: a folder of grayscale PNGs (any size) or a .npy array [N, H, W] with an
 * ids file. Maps from elsewhere are resized to the detector's side and normalised as ours are
 * (core/audit/heatmap-import.ts); a file that cannot be read is skipped and named, the rest carries on.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { parse as parseNpy } from 'npyjs';
import sharp from 'sharp';
import { HeatmapImportError, importHeatmaps } from '../core/audit/heatmap-import';
import { CliError } from './errors';
import { readExplanations } from './explanations';
import { listImages } from './images';
import { checkKnownIds, checkUniqueIds, parseCsv, readText } from './io';

/** Heatmaps of n images, in one order, ready for the detector. */
export interface HeatmapSet {
  ids: string[];
  size: [number, number];
  /** n·h·w values in [0, 1]. */
  heatmaps: Float32Array;
  /** n·h·w·3 peak patches (explanations.jsonl only), else null. */
  patches: Float32Array | null;
  /** The CAM method when the source says (explanations.jsonl), else null. */
  method: string | null;
  /** What the maps came from: `explanations`, `png` or `npy`. */
  format: 'explanations' | 'png' | 'npy';
  /** Files that could not be read, and why (PNG folders). */
  skipped: { id: string; reason: string }[];
}

/** How to read a source: the side maps from elsewhere are resized to, and the ids file of a .npy. */
export interface HeatmapSourceOptions {
  /** [h, w] for PNG and .npy maps; explanations.jsonl keeps its own. */
  size: [number, number];
  /** Ids of a .npy's maps, one per line; default `ids.txt` beside it. */
  ids?: string;
}

const firstLine = (err: unknown): string => ((err as Error)?.message ?? String(err)).split('\n')[0];

/**
 * Reads explanations.jsonl, a folder of heatmap PNGs, or a .npy (by what `path` is).
 * @throws CliError naming the file
 */
export async function readHeatmapSet(path: string, o: HeatmapSourceOptions): Promise<HeatmapSet> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new CliError(`${path}: no such file or directory`);
  if (info.isDirectory()) return readPngFolder(path, o.size);
  if (extname(path).toLowerCase() === '.npy') return readNpy(path, o.ids ?? join(dirname(path), 'ids.txt'), o.size);
  const ex = await readExplanations(path);
  return { ids: ex.records.map((r) => r.id), size: ex.size, heatmaps: ex.heatmaps, patches: ex.patches, method: ex.records[0].method ?? 'gradcam', format: 'explanations', skipped: [] };
}

async function readPngFolder(dir: string, size: [number, number]): Promise<HeatmapSet> {
  const { images } = await listImages([dir]);
  const ids: string[] = [];
  const maps: Float32Array[] = [];
  const skipped: HeatmapSet['skipped'] = [];
  for (const e of images) {
    try {
      const { data, info } = await sharp(e.path).removeAlpha().greyscale().raw().toBuffer({ resolveWithObject: true });
      // greyscale() of an RGB file still reports 3 channels in raw output: keep the first.
      const gray = info.channels === 1 ? data : Uint8Array.from({ length: info.width * info.height }, (_, i) => data[i * info.channels]);
      maps.push(importHeatmaps(gray, 1, info.height, info.width, size));
      ids.push(e.id);
    } catch (err) {
      const reason = err instanceof HeatmapImportError ? err.message : firstLine(err);
      skipped.push({ id: e.id, reason });
      process.stderr.write(`warning: skipping ${e.id}: ${reason}\n`);
    }
  }
  if (ids.length === 0) throw new CliError(`${dir}: none of its ${images.length} file(s) is a readable heatmap image`);
  const heatmaps = new Float32Array(ids.length * size[0] * size[1]);
  maps.forEach((m, i) => heatmaps.set(m, i * m.length));
  return { ids, size, heatmaps, patches: null, method: null, format: 'png', skipped };
}

async function readNpy(path: string, idsPath: string, size: [number, number]): Promise<HeatmapSet> {
  const buf = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`${path}: cannot read it (${err.code})`);
  });
  let arr: ReturnType<typeof parseNpy>;
  try {
    arr = parseNpy(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  } catch (err) {
    throw new CliError(`${path}: not a .npy array (${firstLine(err)})`);
  }
  const shape = arr.shape;
  const squeezed = shape.length === 4 && shape[3] === 1 ? shape.slice(0, 3) : shape;
  if (squeezed.length !== 3 || !squeezed.every((s) => Number.isInteger(s) && s > 0)) throw new CliError(`${path}: shape [${shape.join(', ')}], expected [N, H, W] (or [N, H, W, 1])`);
  if (arr.fortranOrder) throw new CliError(`${path}: Fortran order; save it C-contiguous (np.ascontiguousarray)`);
  if (!/^([iu][124]|f[248])$/.test(arr.dtype)) throw new CliError(`${path}: dtype ${arr.dtype}, expected a float or integer array`);
  const [n, h, w] = squeezed;
  const data = arr.data as unknown as ArrayLike<number>;
  if (data.length !== n * h * w) throw new CliError(`${path}: holds ${data.length} values, its header says ${n}×${h}×${w}`);
  const ids = (await readText(idsPath, 'ids'))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (ids.length !== n) throw new CliError(`${idsPath}: ${ids.length} id(s) for the ${n} maps of ${path}`);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new CliError(`${idsPath}: duplicate id ${JSON.stringify(id)}`);
    seen.add(id);
  }
  try {
    return { ids, size, heatmaps: importHeatmaps(data, n, h, w, size), patches: null, method: null, format: 'npy', skipped: [] };
  } catch (err) {
    if (err instanceof HeatmapImportError) throw new CliError(`${path}: ${err.message}`);
    throw err;
  }
}

/** One row of predictions.csv: the classifier's class (name or index, as written) and its confidence. */
export interface Prediction {
  predicted: string;
  confidence: number;
}

/**
 * Reads predictions.csv (`id,predicted,confidence`, confidence in [0, 1]) for maps made elsewhere:
 * it feeds the confidence baseline and, with truth.csv, the misclassified images.
 * @throws CliError for a bad row or an id not among `known`
 */
export async function readPredictions(path: string, known: ReadonlySet<string>): Promise<Map<string, Prediction>> {
  const rows = parseCsv(await readText(path, 'predictions'), path, ['id', 'predicted', 'confidence']);
  checkUniqueIds(rows, path);
  const out = new Map<string, Prediction>();
  rows.forEach((r, i) => {
    const c = Number(r.confidence);
    if (!(r.confidence ?? '').trim() || !(c >= 0 && c <= 1)) throw new CliError(`${path}: row ${i + 2}: confidence must be a number in [0, 1], got ${JSON.stringify(r.confidence)}`);
    if (!(r.predicted ?? '').trim()) throw new CliError(`${path}: row ${i + 2}: predicted is empty`);
    out.set(r.id, { predicted: r.predicted.trim(), confidence: c });
  });
  checkKnownIds(out.keys(), known, path);
  return out;
}
