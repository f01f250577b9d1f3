/** explanations.jsonl (DESIGN.md): one Grad-CAM explanation per line, and the label/truth CSVs that refer to it. */
import { CliError } from './errors';
import { checkKnownIds, checkUniqueIds, parseCsv, readText } from './io';

/** One line of explanations.jsonl. */
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

/** Rounds to `digits` decimals for a compact file (heatmaps at 1e-4 are far finer than any detector needs). */
function round(values: ArrayLike<number>, digits: number): number[] {
  const f = 10 ** digits;
  return Array.from(values, (v) => Math.round(v * f) / f);
}

/** One explanations.jsonl line (with its newline). Heatmaps are written with 4 decimals, probabilities with 6, a patch (RGB in [0, 1]) as integers 0–255. */
export function formatExplanation(r: { id: string; predicted: number; probs: ArrayLike<number>; target: number; layer: string; method: string; size: [number, number]; heatmap: ArrayLike<number>; patch?: ArrayLike<number> }): string {
  const rec: ExplanationRecord = { id: r.id, predicted: r.predicted, probs: round(r.probs, 6), target: r.target, layer: r.layer, method: r.method, size: [r.size[0], r.size[1]], heatmap: round(r.heatmap, 4) };
  if (r.patch) rec.patch = Array.from(r.patch, (v) => Math.round(v * 255));
  return `${JSON.stringify(rec)}\n`;
}

/** explanations.jsonl as read back: the records and all heatmaps as one n·h·w array. */
export interface Explanations {
  records: ExplanationRecord[];
  size: [number, number];
  heatmaps: Float32Array;
  /** n·h·w·3 RGB in [0, 1] when every line has a patch, else null. */
  patches: Float32Array | null;
}

function bad(path: string, line: number, why: string): never {
  throw new CliError(`${path}:${line}: ${why}`);
}

/**
 * Reads and validates explanations.jsonl: every line an object with the contract's fields, one heatmap
 * size throughout, h·w finite values in [0, 1], unique ids.
 * @throws CliError naming the file and line
 */
export async function readExplanations(path: string): Promise<Explanations> {
  const lines = (await readText(path, 'explanations')).split('\n');
  const records: ExplanationRecord[] = [];
  const ids = new Set<string>();
  let size: [number, number] | undefined;
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let r: ExplanationRecord;
    try {
      r = JSON.parse(line) as ExplanationRecord;
    } catch {
      bad(path, i + 1, 'not a JSON object');
    }
    if (!r || typeof r !== 'object' || typeof r.id !== 'string') bad(path, i + 1, 'missing "id"');
    if (!Array.isArray(r.size) || r.size.length !== 2 || !r.size.every((s) => Number.isInteger(s) && s > 0)) bad(path, i + 1, '"size" must be [h, w]');
    if (size && (size[0] !== r.size[0] || size[1] !== r.size[1])) bad(path, i + 1, `heatmap size ${r.size.join('×')} differs from ${size.join('×')} on earlier lines`);
    size = [r.size[0], r.size[1]];
    if (!Array.isArray(r.heatmap) || r.heatmap.length !== size[0] * size[1]) bad(path, i + 1, `"heatmap" must hold ${size[0] * size[1]} numbers`);
    if (!r.heatmap.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) bad(path, i + 1, 'heatmap values must be numbers in [0, 1]');
    if (records.length > 0 && (r.patch === undefined) !== (records[0].patch === undefined)) bad(path, i + 1, `${r.patch === undefined ? 'no "patch"' : 'a "patch"'}, unlike line 1's explanation: patches must be on every line or on none`);
    if (r.patch !== undefined && (!Array.isArray(r.patch) || r.patch.length !== size[0] * size[1] * 3 || !r.patch.every((v) => Number.isInteger(v) && v >= 0 && v <= 255))) bad(path, i + 1, `"patch" must hold ${size[0] * size[1] * 3} integers in 0…255`);
    // Deep SAD learns what one method's maps look like: a file that mixes methods would mix two notions of normal.
    if (r.method !== undefined && typeof r.method !== 'string') bad(path, i + 1, '"method" must be a string');
    if (records.length > 0 && (r.method ?? 'gradcam') !== (records[0].method ?? 'gradcam')) bad(path, i + 1, `method ${r.method ?? 'gradcam'} differs from line 1's ${records[0].method ?? 'gradcam'}: explain each method into its own file`);
    if (ids.has(r.id)) bad(path, i + 1, `duplicate id ${JSON.stringify(r.id)}`);
    ids.add(r.id);
    records.push(r);
  });
  if (!size || records.length === 0) throw new CliError(`${path} holds no explanations`);
  const hw = size[0] * size[1];
  const heatmaps = new Float32Array(records.length * hw);
  records.forEach((r, i) => heatmaps.set(r.heatmap, i * hw));
  let patches: Float32Array | null = null;
  if (records[0].patch) {
    patches = new Float32Array(records.length * hw * 3);
    records.forEach((r, i) => (r.patch as number[]).forEach((v, j) => (patches![i * hw * 3 + j] = v / 255)));
  }
  return { records, size, heatmaps, patches };
}

/**
 * Reads labels.csv (`id,label`, label `normal` or `anomalous`) into Deep SAD semi-targets (+1 / −1).
 * @throws CliError for a bad label or an id that is not among `known`
 */
export async function readLabels(path: string, known: ReadonlySet<string>): Promise<Map<string, 1 | -1>> {
  const rows = parseCsv(await readText(path, 'labels'), path, ['id', 'label']);
  checkUniqueIds(rows, path);
  const out = new Map<string, 1 | -1>();
  rows.forEach((r, i) => {
    const label = (r.label ?? '').trim().toLowerCase();
    if (label !== 'normal' && label !== 'anomalous') throw new CliError(`${path}: row ${i + 2}: label must be normal or anomalous, got ${JSON.stringify(r.label)}`);
    out.set(r.id, label === 'normal' ? 1 : -1);
  });
  checkKnownIds(out.keys(), known, path);
  return out;
}

/**
 * Reads truth.csv (`id,class`, class an index or a class name) into class indices.
 * @throws CliError for an unknown class or an id that is not among `known`
 */
export async function readTruth(path: string, known: ReadonlySet<string>, classNames: readonly string[]): Promise<Map<string, number>> {
  const rows = parseCsv(await readText(path, 'truth'), path, ['id', 'class']);
  checkUniqueIds(rows, path);
  const out = new Map<string, number>();
  rows.forEach((r, i) => {
    const c = (r.class ?? '').trim();
    let k = classNames.indexOf(c);
    if (k < 0 && /^\d+$/.test(c) && Number(c) < classNames.length) k = Number(c);
    if (k < 0) throw new CliError(`${path}: row ${i + 2}: class ${JSON.stringify(r.class)} is neither an index < ${classNames.length} nor one of ${classNames.join(', ')}`);
    out.set(r.id, k);
  });
  checkKnownIds(out.keys(), known, path);
  return out;
}
