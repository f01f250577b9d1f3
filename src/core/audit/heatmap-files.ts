/**
 * The files a user brings heatmaps in, parsed from their bytes or text: explanations.jsonl (ours), a
 * .npy array [N, H, W] with its ids file, and predictions.csv. Pure: the CLI reads the files from disk,
 * the app from a drop; both call these, so both accept and refuse the same files with the same words.
 * Every error names the file (and the line or row), so a host can report it in one line.
 */
import { parse as parseNpy } from 'npyjs';
import Papa from 'papaparse';
import { HeatmapImportError, importHeatmaps } from './heatmap-import';

/** A heatmap file that cannot be used; the message starts with the file's name. */
export class HeatmapFileError extends Error {
  override name = 'HeatmapFileError';
  readonly code = 'bad-heatmap-file' as const;
}

const firstLine = (err: unknown): string => ((err as Error)?.message ?? String(err)).split('\n')[0];

/** One line of explanations.jsonl (DESIGN.md). */
export interface ExplanationRecord {
  /** Image path relative to the images root. */
  id: string;
  predicted: number;
  /** Class probabilities (the model output when it does not end in softmax). */
  probs: number[];
  /** The explained class. */
  target: number;
  layer: string;
  /** The CAM method (core/gradcam/cam-methods.ts); absent in files written before methods existed, which are Grad-CAM. */
  method?: string;
  /** [h, w] of the heatmap. */
  size: [number, number];
  /** h·w values in [0, 1], row-major. */
  heatmap: number[];
  /**
   * Optional (`explain --peak-patches`, `audit --input heatmap-peak`): the image patch under the map's
   * peak resampled to h×w, RGB as h·w·3 integers 0–255, interleaved (src/core/audit/peak-patch.ts).
   */
  patch?: number[];
}

/** explanations.jsonl as parsed: the good records, all their heatmaps as one n·h·w array, and the bad lines. */
export interface ParsedExplanations {
  records: ExplanationRecord[];
  size: [number, number];
  /** n·h·w values in [0, 1]. */
  heatmaps: Float32Array;
  /** n·h·w·3 RGB in [0, 1] when every line has a patch, else null. */
  patches: Float32Array | null;
  /** Lines that were left out (1-based), each with a one-line message `name:line: why`. */
  bad: { line: number; message: string }[];
}

function checkLine(r: ExplanationRecord, first: ExplanationRecord | undefined, size: [number, number] | undefined, ids: ReadonlySet<string>): string | null {
  if (!r || typeof r !== 'object' || typeof r.id !== 'string') return 'missing "id"';
  if (!Array.isArray(r.size) || r.size.length !== 2 || !r.size.every((s) => Number.isInteger(s) && s > 0)) return '"size" must be [h, w]';
  if (size && (size[0] !== r.size[0] || size[1] !== r.size[1])) return `heatmap size ${r.size.join('×')} differs from ${size.join('×')} on earlier lines`;
  const hw = r.size[0] * r.size[1];
  if (!Array.isArray(r.heatmap) || r.heatmap.length !== hw) return `"heatmap" must hold ${hw} numbers`;
  if (!r.heatmap.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) return 'heatmap values must be numbers in [0, 1]';
  if (first && (r.patch === undefined) !== (first.patch === undefined)) return `${r.patch === undefined ? 'no "patch"' : 'a "patch"'}, unlike line 1's explanation: patches must be on every line or on none`;
  if (r.patch !== undefined && (!Array.isArray(r.patch) || r.patch.length !== hw * 3 || !r.patch.every((v) => Number.isInteger(v) && v >= 0 && v <= 255))) return `"patch" must hold ${hw * 3} integers in 0…255`;
  // Deep SAD learns what one method's maps look like: a file that mixes methods would mix two notions of normal.
  if (r.method !== undefined && typeof r.method !== 'string') return '"method" must be a string';
  if (first && (r.method ?? 'gradcam') !== (first.method ?? 'gradcam')) return `method ${r.method ?? 'gradcam'} differs from line 1's ${first.method ?? 'gradcam'}: explain each method into its own file`;
  if (ids.has(r.id)) return `duplicate id ${JSON.stringify(r.id)}`;
  return null;
}

/**
 * Parses explanations.jsonl: every line an object with the contract's fields, one heatmap size
 * throughout, h·w finite values in [0, 1], unique ids. A bad line is left out and listed in `bad`
 * (the CLI refuses the file on the first; the app loads the rest and names each).
 * @throws HeatmapFileError when no line is usable
 */
export function parseExplanationsJsonl(text: string, name: string): ParsedExplanations {
  const records: ExplanationRecord[] = [];
  const bad: ParsedExplanations['bad'] = [];
  const ids = new Set<string>();
  let size: [number, number] | undefined;
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let r: ExplanationRecord;
    try {
      r = JSON.parse(line) as ExplanationRecord;
    } catch {
      bad.push({ line: i + 1, message: `${name}:${i + 1}: not a JSON object` });
      return;
    }
    const why = checkLine(r, records[0], size, ids);
    if (why) {
      bad.push({ line: i + 1, message: `${name}:${i + 1}: ${why}` });
      return;
    }
    size = [r.size[0], r.size[1]];
    ids.add(r.id);
    records.push(r);
  });
  if (!size || records.length === 0) throw new HeatmapFileError(bad.length ? bad[0].message : `${name} holds no explanations`);
  const hw = size[0] * size[1];
  const heatmaps = new Float32Array(records.length * hw);
  records.forEach((r, i) => heatmaps.set(r.heatmap, i * hw));
  let patches: Float32Array | null = null;
  if (records[0].patch) {
    const p = new Float32Array(records.length * hw * 3);
    records.forEach((r, i) => (r.patch as number[]).forEach((v, j) => (p[i * hw * 3 + j] = v / 255)));
    patches = p;
  }
  return { records, size, heatmaps, patches, bad };
}

/** A .npy's maps as stored: n maps of h×w, image-major, row-major. */
export interface NpyMaps {
  n: number;
  h: number;
  w: number;
  data: ArrayLike<number>;
}

/**
 * Decodes a .npy holding heatmaps: shape [N, H, W] or [N, H, W, 1], C order, an integer or float dtype.
 * @throws HeatmapFileError naming the file
 */
export function decodeNpyMaps(buf: ArrayBuffer, name: string): NpyMaps {
  let arr: ReturnType<typeof parseNpy>;
  try {
    arr = parseNpy(buf);
  } catch (err) {
    throw new HeatmapFileError(`${name}: not a .npy array (${firstLine(err)})`);
  }
  const shape = arr.shape;
  const squeezed = shape.length === 4 && shape[3] === 1 ? shape.slice(0, 3) : shape;
  if (squeezed.length !== 3 || !squeezed.every((s) => Number.isInteger(s) && s > 0)) throw new HeatmapFileError(`${name}: shape [${shape.join(', ')}], expected [N, H, W] (or [N, H, W, 1])`);
  if (arr.fortranOrder) throw new HeatmapFileError(`${name}: Fortran order; save it C-contiguous (np.ascontiguousarray)`);
  if (!/^([iu][124]|f[248])$/.test(arr.dtype)) throw new HeatmapFileError(`${name}: dtype ${arr.dtype}, expected a float or integer array`);
  const [n, h, w] = squeezed;
  const data = arr.data as unknown as ArrayLike<number>;
  if (data.length !== n * h * w) throw new HeatmapFileError(`${name}: holds ${data.length} values, its header says ${n}×${h}×${w}`);
  return { n, h, w, data };
}

/**
 * The ids of a .npy's n maps: one per line (blank lines ignored), as many as maps, unique.
 * @throws HeatmapFileError naming the ids file
 */
export function parseIds(text: string, name: string, n: number, npyName: string): string[] {
  const ids = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (ids.length !== n) throw new HeatmapFileError(`${name}: ${ids.length} id(s) for the ${n} maps of ${npyName}`);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new HeatmapFileError(`${name}: duplicate id ${JSON.stringify(id)}`);
    seen.add(id);
  }
  return ids;
}

/**
 * A .npy's maps with their ids, brought to the detector's `size` (core's normalisation).
 * @returns ids and n·size[0]·size[1] maps in [0, 1]
 * @throws HeatmapFileError naming the file
 */
export function npyHeatmaps(maps: NpyMaps, ids: string[], name: string, size: [number, number]): { ids: string[]; heatmaps: Float32Array } {
  try {
    return { ids, heatmaps: importHeatmaps(maps.data, maps.n, maps.h, maps.w, size) };
  } catch (err) {
    if (err instanceof HeatmapImportError) throw new HeatmapFileError(`${name}: ${err.message}`);
    throw err;
  }
}

/**
 * Parses a CSV with a header row into records keyed by column name; checks the header has `columns`.
 * @throws HeatmapFileError for a parse error or a missing column
 */
export function parseCsvText(text: string, name: string, columns: readonly string[]): Record<string, string>[] {
  const res = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  if (res.errors.length) {
    const e = res.errors[0];
    throw new HeatmapFileError(`${name}: ${e.message}${e.row !== undefined ? ` (row ${e.row + 2})` : ''}`);
  }
  const fields = res.meta.fields ?? [];
  for (const c of columns) if (!fields.includes(c)) throw new HeatmapFileError(`${name}: missing column "${c}" (header must be ${columns.join(',')})`);
  return res.data;
}

/** One row of predictions.csv: the classifier's class (name or index, as written) and its confidence in [0, 1]. */
export interface Prediction {
  predicted: string;
  confidence: number;
}

/** predictions.csv as parsed: the good rows by id, and one message per bad row or unknown id. */
export interface ParsedPredictions {
  predictions: Map<string, Prediction>;
  /** One line each, naming the file and the row (`name: row 3: …`), or listing the unknown ids. */
  bad: string[];
}

/**
 * Parses predictions.csv (`id,predicted,confidence`, confidence in [0, 1]) for maps made elsewhere:
 * it feeds the confidence baseline and, with truth, the misclassified images. A bad row, or rows of ids
 * not among `known`, are left out and named in `bad` (the CLI refuses the file on the first).
 * @throws HeatmapFileError when the CSV cannot be parsed or lacks a column
 */
export function parsePredictionRows(text: string, name: string, known: ReadonlySet<string>): ParsedPredictions {
  const rows = parseCsvText(text, name, ['id', 'predicted', 'confidence']);
  const predictions = new Map<string, Prediction>();
  const bad: string[] = [];
  const unknown: string[] = [];
  // First row of each id: an id on two rows is refused by row, never silently decided by the last one.
  const firstRow = new Map<string, number>();
  rows.forEach((r, i) => {
    const c = Number(r.confidence);
    const seen = firstRow.get(r.id);
    if (seen === undefined) firstRow.set(r.id, i);
    if (seen !== undefined) bad.push(`${name}: row ${i + 2}: id ${JSON.stringify(r.id)} is already on row ${seen + 2}`);
    else if (!(r.confidence ?? '').trim() || !(c >= 0 && c <= 1)) bad.push(`${name}: row ${i + 2}: confidence must be a number in [0, 1], got ${JSON.stringify(r.confidence)}`);
    else if (!(r.predicted ?? '').trim()) bad.push(`${name}: row ${i + 2}: predicted is empty`);
    else if (!known.has(r.id)) unknown.push(r.id);
    else predictions.set(r.id, { predicted: r.predicted.trim(), confidence: c });
  });
  if (unknown.length) {
    const shown = unknown.slice(0, 5).map((s) => JSON.stringify(s)).join(', ');
    bad.push(`${name}: ${unknown.length} id(s) not among the images/explanations: ${shown}${unknown.length > 5 ? ', …' : ''}`);
  }
  return { predictions, bad };
}

/**
 * {@link parsePredictionRows}, strict: the whole file or nothing.
 * @throws HeatmapFileError for the first bad row, or ids not among `known`
 */
export function parsePredictions(text: string, name: string, known: ReadonlySet<string>): Map<string, Prediction> {
  const { predictions, bad } = parsePredictionRows(text, name, known);
  if (bad.length) throw new HeatmapFileError(bad[0]);
  return predictions;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether a file's first bytes (at least 8) are the PNG signature. */
export function isPng(head: Uint8Array): boolean {
  return head.length >= 8 && PNG_SIGNATURE.every((b, i) => head[i] === b);
}

/**
 * Whether a file's first bytes are a PNG of one gray channel (colour type 0, or 4 with alpha): what
 * pytorch-grad-cam users write (`cv2.imwrite` of a 2-D uint8 map). `head`: at least the first 26 bytes.
 */
export function isGrayscalePng(head: Uint8Array): boolean {
  if (head.length < 26 || !isPng(head)) return false;
  // IHDR is the first chunk: length (4), "IHDR" (4), width (4), height (4), bit depth (1), colour type (1).
  return head[25] === 0 || head[25] === 4;
}
