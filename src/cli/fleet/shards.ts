/**
 * Cutting an audit into shards and naming them by content, so that a re-run finds the shards it has
 * already done and BullMQ never holds two jobs for the same work (the key is the job id).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ImageEntry } from '../images';
import type { ExplainSettings } from './job-schema';

/** One shard of the plan: consecutive images in id order. */
export interface Shard {
  index: number;
  entries: ImageEntry[];
}

/**
 * Splits `entries` (already in id order) into shards of `size` images, the last one shorter.
 * @param size images per shard, ≥ 1
 */
export function planShards(entries: readonly ImageEntry[], size: number): Shard[] {
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`shard size must be an integer ≥ 1, got ${size}`);
  const out: Shard[] = [];
  for (let s = 0; s < entries.length; s += size) out.push({ index: out.length, entries: entries.slice(s, s + size) });
  return out;
}

/** sha256 of the parts, joined by NUL, as hex; `length` hex digits (default the whole 64). */
export function contentKey(parts: readonly (string | Uint8Array)[], length = 64): string {
  const h = createHash('sha256');
  parts.forEach((p, i) => {
    if (i) h.update('\0');
    h.update(p);
  });
  return h.digest('hex').slice(0, length);
}

/**
 * The key of an explain shard: what the model is (its files' hash), how it is explained and which
 * images (ids and paths). Anything that changes the shard's output changes its key.
 */
export function explainShardKey(modelHash: string, settings: ExplainSettings, entries: readonly ImageEntry[]): string {
  const canonical = JSON.stringify({ ...settings, layer: settings.layer ?? null, normalize: settings.normalize ?? null });
  return contentKey(['explain', modelHash, canonical, ...entries.flatMap((e) => [e.id, resolve(e.path)])], 32);
}

/** The key of a score shard: the explain shard it reads, the detector's hash and the input kind. */
export function scoreShardKey(explainKey: string, detectorHash: string, input: string): string {
  return contentKey(['score', explainKey, detectorHash, input], 32);
}

/**
 * sha256 of a model: model.json, every weight file its manifest names, and metadata.json beside it when
 * there is one. Unreadable files hash as their absence (loading the model names them properly later).
 */
export async function modelHash(jsonPath: string): Promise<string> {
  const text = await readFile(jsonPath, 'utf8').catch(() => '');
  const parts: (string | Uint8Array)[] = [text];
  let paths: string[];
  try {
    paths = ((JSON.parse(text) as { weightsManifest?: { paths: string[] }[] }).weightsManifest ?? []).flatMap((g) => g.paths);
  } catch {
    paths = [];
  }
  for (const p of [...paths, 'metadata.json']) parts.push(p, await readFile(resolve(dirname(jsonPath), p)).catch(() => new Uint8Array(0)));
  return contentKey(parts);
}
