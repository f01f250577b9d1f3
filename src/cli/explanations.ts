/** explanations.jsonl (DESIGN.md): one Grad-CAM explanation per line, and the label/truth CSVs that refer to it. */
import { HeatmapFileError, parseExplanationsJsonl, type ExplanationRecord, type ParsedExplanations } from '../core/audit/heatmap-files';
import { CliError } from './errors';
import { checkKnownIds, checkUniqueIds, parseCsv, readText } from './io';

/** One line of explanations.jsonl (parsed in core: the app reads the same files). */
export type { ExplanationRecord };

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
export type Explanations = Omit<ParsedExplanations, 'bad'>;

/**
 * Reads and validates explanations.jsonl (core/audit/heatmap-files.ts): every line an object with the
 * contract's fields, one heatmap size throughout, h·w finite values in [0, 1], unique ids.
 * @throws CliError naming the file and the first bad line
 */
export async function readExplanations(path: string): Promise<Explanations> {
  const text = await readText(path, 'explanations');
  try {
    const { bad, ...ex } = parseExplanationsJsonl(text, path);
    if (bad.length) throw new CliError(bad[0].message);
    return ex;
  } catch (err) {
    if (err instanceof HeatmapFileError) throw new CliError(err.message);
    throw err;
  }
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
