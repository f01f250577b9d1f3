/**
 * The files a worker leaves in the shared output directory: one per explained shard
 * (`explain-<key>.json`) and one per scored shard (`score-<key>.json`). Arrays travel as the bytes of
 * their typed arrays in base64, so the coordinator gets exactly the float32 values the worker computed
 * (explanations.jsonl rounds maps to 4 decimals: fine for a file, not for "the same run"). Written
 * atomically: a file that exists is complete.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io';
import type { ExplainResult } from '../commands/explain-run';

const FORMAT = 'apexp-shard';
const VERSION = 1;

/** An explained shard: the explain stage's output for its images, skipped ones named (absent arrays as null in the file). */
export interface ExplainedShard extends Omit<ExplainResult, 'faithfulness' | 'patches'> {
  key: string;
  faithfulness: Float32Array | null;
  /** n·h·w·3 RGB in [0, 1]. */
  patches: Float32Array | null;
}

/** A scored shard: the mean Deep SAD distance of each image over the detector's members. */
export interface ScoredShard {
  key: string;
  ids: string[];
  distance: Float32Array;
}

type Typed = Float32Array | Int32Array;
type ArrayField = 'heatmaps' | 'predicted' | 'targets' | 'probs' | 'faithfulness' | 'patches';
const b64 = (a: Typed | null) => (a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') : null);
function typed<T extends Typed>(s: string | null, make: (b: ArrayBuffer) => T): T | null {
  if (s === null) return null;
  const buf = Buffer.from(s, 'base64');
  // Copy into a fresh, aligned buffer: a Buffer may sit at any offset in Node's pool.
  return make(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
}
const f32 = (b: ArrayBuffer) => new Float32Array(b);
const i32 = (b: ArrayBuffer) => new Int32Array(b);

/** Path of a shard file in `dir`. */
export function shardPath(dir: string, kind: 'explain' | 'score', key: string): string {
  return join(dir, `${kind}-${key}.json`);
}

/** Serialises an explained shard (exact float32 values). */
export function encodeExplained(s: ExplainedShard): string {
  const { heatmaps, predicted, targets, probs, faithfulness, patches, ...rest } = s;
  return JSON.stringify({ format: FORMAT, version: VERSION, kind: 'explain', ...rest, heatmaps: b64(heatmaps), predicted: b64(predicted), targets: b64(targets), probs: b64(probs), faithfulness: b64(faithfulness), patches: b64(patches) });
}

/** Parses an explained shard; null when the text is not one (or one of another key). */
export function decodeExplained(text: string, key: string): ExplainedShard | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (o?.format !== FORMAT || o.version !== VERSION || o.kind !== 'explain' || o.key !== key || !Array.isArray(o.ids)) return null;
  const s = o as unknown as Omit<ExplainedShard, ArrayField> & Record<ArrayField, string | null>;
  const n = s.ids.length;
  const [h, w] = s.size;
  const out: ExplainedShard = {
    key: s.key,
    ids: s.ids,
    skipped: s.skipped,
    classNames: s.classNames,
    layer: s.layer,
    method: s.method,
    size: s.size,
    normalization: s.normalization,
    backend: s.backend,
    numClasses: s.numClasses,
    heatmaps: typed(s.heatmaps, f32) ?? new Float32Array(0),
    predicted: typed(s.predicted, i32) ?? new Int32Array(0),
    targets: typed(s.targets, i32) ?? new Int32Array(0),
    probs: typed(s.probs, f32) ?? new Float32Array(0),
    faithfulness: typed(s.faithfulness, f32),
    patches: typed(s.patches, f32),
  };
  const sane = out.heatmaps.length === n * h * w && out.predicted.length === n && out.targets.length === n && out.probs.length === n * s.numClasses && (!out.faithfulness || out.faithfulness.length === n) && (!out.patches || out.patches.length === n * h * w * 3);
  return sane ? out : null;
}

/** Serialises a scored shard. */
export function encodeScored(s: ScoredShard): string {
  return JSON.stringify({ format: FORMAT, version: VERSION, kind: 'score', key: s.key, ids: s.ids, distance: b64(s.distance) });
}

/** Parses a scored shard; null when the text is not one (or one of another key). */
export function decodeScored(text: string, key: string): ScoredShard | null {
  try {
    const o = JSON.parse(text) as { format?: string; version?: number; kind?: string; key?: string; ids?: string[]; distance?: string };
    if (o.format !== FORMAT || o.version !== VERSION || o.kind !== 'score' || o.key !== key || !Array.isArray(o.ids) || typeof o.distance !== 'string') return null;
    const distance = typed(o.distance, f32) as Float32Array;
    return distance.length === o.ids.length ? { key, ids: o.ids, distance } : null;
  } catch {
    return null;
  }
}

/** Reads a shard file; null when it is absent, partial or of another key (then the shard is redone). */
export async function readShard<T>(path: string, decode: (text: string, key: string) => T | null, key: string): Promise<T | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  return text === null ? null : decode(text, key);
}

/** Writes a shard file atomically. @throws CliError on an I/O failure */
export async function writeShard(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text);
}
