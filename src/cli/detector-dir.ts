/**
 * A trained detector on disk: `DIR/detector.json` (format, version, config, c, weightSpecs) plus
 * `DIR/weights.bin` (float32 little-endian, weightSpecs order). Written atomically: everything goes
 * to a temporary directory beside DIR, which then replaces DIR by rename.
 */
import { mkdir, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { BUNDLE_FORMAT, BUNDLE_VERSION } from '../core/deepsad/bundle';
import type { DeepSadDetector, DetectorBundle } from '../core/deepsad/types';
import { CliError } from './errors';
import { replaceDir } from './io';

/** File names inside a detector directory. */
export const DETECTOR_JSON = 'detector.json';
export const WEIGHTS_BIN = 'weights.bin';

/** What detector.json holds: the bundle without its weight bytes, plus where they are. */
interface DetectorJson extends Omit<DetectorBundle, 'weightData'> {
  weightsFile: string;
  weightBytes: number;
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/**
 * Writes `bundle` (or a detector's bundle) to directory `dir`, replacing an earlier detector there.
 * @throws CliError when `dir` exists but is not a detector directory (nothing is overwritten), or on an I/O failure.
 */
export async function saveDetectorDir(dir: string, bundle: DetectorBundle | DeepSadDetector): Promise<void> {
  const b = 'toBundle' in bundle ? await bundle.toBundle() : bundle;
  const target = resolve(dir);
  const existing = await readdir(target).catch((err: unknown) => {
    if (errno(err) === 'ENOENT') return null;
    if (errno(err) === 'ENOTDIR') throw new CliError(`${dir} exists and is not a directory`);
    throw err;
  });
  if (existing && existing.length > 0 && !existing.includes(DETECTOR_JSON)) {
    throw new CliError(`${dir} is not empty and holds no ${DETECTOR_JSON}: refusing to overwrite it`);
  }
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${suffix}`);
  const json: DetectorJson = {
    format: b.format,
    version: b.version,
    config: b.config,
    c: b.c,
    weightSpecs: b.weightSpecs,
    weightsFile: WEIGHTS_BIN,
    weightBytes: b.weightData.byteLength,
  };
  try {
    await mkdir(dirname(target), { recursive: true });
    await mkdir(tmp);
    await writeFile(join(tmp, WEIGHTS_BIN), new Uint8Array(b.weightData));
    await writeFile(join(tmp, DETECTOR_JSON), `${JSON.stringify(json, null, 2)}\n`);
    await replaceDir(tmp, target, existing ? join(dirname(target), `.${basename(target)}.old-${suffix}`) : null);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot write detector to ${dir}: ${(err as Error).message}`);
  }
}

/**
 * Reads a detector directory written by {@link saveDetectorDir} into a bundle (pass it to `loadDetector`).
 * @throws CliError (one line) for a missing directory or file, bad JSON, another format or version, or a weights file of the wrong size.
 */
export async function loadDetectorDir(dir: string): Promise<DetectorBundle> {
  const st = await stat(dir).catch(() => null);
  if (!st) throw new CliError(`detector directory ${dir} does not exist`);
  if (!st.isDirectory()) throw new CliError(`${dir} is not a directory (expected a detector directory with ${DETECTOR_JSON})`);
  const jsonPath = join(dir, DETECTOR_JSON);
  const text = await readFile(jsonPath, 'utf8').catch((err: unknown) => {
    throw new CliError(errno(err) === 'ENOENT' ? `${jsonPath} is missing: ${dir} is not a detector directory` : `cannot read ${jsonPath}: ${(err as Error).message}`);
  });
  let json: DetectorJson;
  try {
    json = JSON.parse(text) as DetectorJson;
  } catch (err) {
    throw new CliError(`${jsonPath} is not valid JSON: ${(err as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || json.format !== BUNDLE_FORMAT) {
    throw new CliError(`${jsonPath}: format is ${JSON.stringify((json as Partial<DetectorJson> | null)?.format ?? null)}, expected "${BUNDLE_FORMAT}"`);
  }
  if (json.version !== BUNDLE_VERSION) {
    throw new CliError(`${jsonPath}: detector version ${JSON.stringify(json.version ?? null)} is not supported by this apexp, expected ${BUNDLE_VERSION}`);
  }
  const binPath = join(dir, typeof json.weightsFile === 'string' ? basename(json.weightsFile) : WEIGHTS_BIN);
  const bin = await readFile(binPath).catch((err: unknown) => {
    throw new CliError(errno(err) === 'ENOENT' ? `${binPath} is missing` : `cannot read ${binPath}: ${(err as Error).message}`);
  });
  if (typeof json.weightBytes === 'number' && bin.byteLength !== json.weightBytes) {
    throw new CliError(`${binPath} has ${bin.byteLength} bytes, ${DETECTOR_JSON} expects ${json.weightBytes}`);
  }
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  return { format: json.format, version: json.version, config: json.config, c: json.c, weightSpecs: json.weightSpecs, weightData };
}

/** Name of ensemble member j's directory inside an audit's detector/ (1-based). */
export const memberDirName = (j: number): string => `member-${j + 1}`;

/**
 * Writes an audit's detectors: one detector directory, or for an ensemble a directory of
 * `member-1`, `member-2`, … detector directories (replacing an earlier one at `dir`).
 * @throws CliError as {@link saveDetectorDir}
 */
export async function saveDetectorMembers(dir: string, bundles: readonly DetectorBundle[]): Promise<void> {
  if (bundles.length === 1) return saveDetectorDir(dir, bundles[0]);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const [j, b] of bundles.entries()) await saveDetectorDir(join(dir, memberDirName(j)), b);
}

/**
 * Reads a detector directory, or an ensemble's directory of member directories (in member order).
 * @throws CliError as {@link loadDetectorDir}
 */
export async function loadDetectorMembers(dir: string): Promise<DetectorBundle[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  if (entries.includes(DETECTOR_JSON) || !entries.includes(memberDirName(0))) return [await loadDetectorDir(dir)];
  const out: DetectorBundle[] = [];
  for (let j = 0; entries.includes(memberDirName(j)); j++) out.push(await loadDetectorDir(join(dir, memberDirName(j))));
  return out;
}
