/**
 * Small file helpers of the CLI: atomic writes (temp name, then rename, so a crash never leaves a
 * complete-looking partial file), CSV with a header, and explanations.jsonl.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import Papa from 'papaparse';
import { HeatmapFileError, parseCsvText } from '../core/audit/heatmap-files';
import { CliError } from './errors';

/** A temp path beside `path` (same directory, so the final rename stays on one file system). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now().toString(36)}`);
}

/** Writes `content` to `path` through a temp file and a rename. @throws CliError on an I/O failure */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new CliError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * Puts the finished directory `tmp` in place of `target` by rename. rename cannot replace a non-empty
 * directory, so when `aside` is given (target exists) the old one is moved there first and dropped after.
 * @param aside a free path beside `target` (same file system), or null when `target` does not exist
 */
export async function replaceDir(tmp: string, target: string, aside: string | null): Promise<void> {
  if (aside) {
    await rename(target, aside);
    await rename(tmp, target);
    await rm(aside, { recursive: true, force: true });
  } else {
    await rename(tmp, target);
  }
}

/** Reads a text file. @throws CliError naming the file when it cannot be read */
export async function readText(path: string, what: string): Promise<string> {
  return readFile(path, 'utf8').catch((err: unknown) => {
    throw new CliError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  });
}

/**
 * Parses a CSV with a header row into records keyed by column name (core's {@link parseCsvText}, the
 * app's parser too); checks the header has `columns`.
 * @throws CliError for a parse error or a missing column
 */
export function parseCsv(text: string, path: string, columns: readonly string[]): Record<string, string>[] {
  try {
    return parseCsvText(text, path, columns);
  } catch (err) {
    if (err instanceof HeatmapFileError) throw new CliError(err.message);
    throw err;
  }
}

/** Formats rows as CSV with a header (quoting where needed), ending in a newline. */
export function toCsv(header: readonly string[], rows: readonly (string | number)[][]): string {
  return `${Papa.unparse({ fields: [...header], data: rows.map((r) => [...r]) }, { newline: '\n' })}\n`;
}

/**
 * Refuses a CSV that names one id on two rows: reading it into a map would keep the last row and
 * silently drop the other (a label, a class, a prediction), so the file says two things about an image.
 * @throws CliError naming the file, the id and both rows
 */
export function checkUniqueIds(rows: readonly Record<string, string>[], path: string): void {
  const first = new Map<string, number>();
  rows.forEach((r, i) => {
    const seen = first.get(r.id);
    if (seen !== undefined) throw new CliError(`${path}: row ${i + 2}: id ${JSON.stringify(r.id)} is already on row ${seen + 2}`);
    first.set(r.id, i);
  });
}

/** Throws a one-line CliError listing ids that are not among the known ones. */
export function checkKnownIds(ids: Iterable<string>, known: ReadonlySet<string>, path: string): void {
  const unknown = [...ids].filter((id) => !known.has(id));
  if (unknown.length) {
    const shown = unknown.slice(0, 5).map((s) => JSON.stringify(s)).join(', ');
    throw new CliError(`${path}: ${unknown.length} id(s) not among the images/explanations: ${shown}${unknown.length > 5 ? ', …' : ''}`);
  }
}
