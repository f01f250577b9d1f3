/**
 * `apexp audit --redis`: the explain and score stages on the fleet. The coordinator cuts the images
 * into shards named by content (shards.ts), queues them (shard-queue.ts), and joins the workers' shard
 * files in plan order into what `runExplain` returns and the per-image distances `apexp score` gives,
 * so the rest of the audit (Deep SAD, ranking, flags, report: audit-run.ts) runs unchanged. The shard
 * files live in a directory beside --out that outlives a failed run: re-running resumes.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Queue } from 'bullmq';
import { joinBatches, type ExplanationBatch } from '../../core/audit/explainer';
import type { DetectorInputKind } from '../../core/audit/detector-input';
import type { DetectorBundle } from '../../core/deepsad/types';
import { saveDetectorMembers } from '../detector-dir';
import { CliError } from '../errors';
import { listImages } from '../images';
import { tempPathFor } from '../io';
import { modelJsonPath } from '../model-dir';
import { asCliError, batchLine, explainerFor, explainResult, loadModelForCli, type ExplainOptions, type ExplainResult } from '../commands/explain-run';
import { NODE_BACKENDS, selectBackend } from '../../core/tf/backend';
import { checkRedis, DEFAULT_QUEUE } from './connection';
import { JOB_VERSION, type ExplainJob, type ExplainSettings, type ScoreJob } from './job-schema';
import { decodeExplained, decodeScored, readShard, shardPath, type ExplainedShard } from './shard-file';
import { openQueue, runShards } from './shard-queue';
import { contentKey, explainShardKey, modelHash, planShards, scoreShardKey } from './shards';

/** Where and how the fleet runs. */
export interface FleetOptions {
  redis: string;
  queue?: string;
  /** Images per shard. */
  shardSize: number;
}

/** The shard directory of an audit: beside --out, so it survives a failed run (resume) and is removed after a complete one. */
export function shardDirFor(out: string): string {
  const target = resolve(out);
  return join(dirname(target), `.${basename(target)}.shards`);
}

/** An open fleet: the queue and the shard directory. */
export interface Fleet {
  redis: string;
  queue: Queue;
  dir: string;
  shardSize: number;
  /** The explained shards, in plan order (set by the explain stage, read by the score stage). */
  explained: { key: string; path: string; shard: ExplainedShard }[];
}

/**
 * Checks Redis, opens the queue, creates the shard directory. Close with {@link closeFleet}.
 * @throws FleetError('redis-unreachable')
 */
export async function openFleet(o: FleetOptions, out: string): Promise<Fleet> {
  await checkRedis(o.redis);
  const dir = shardDirFor(out);
  await mkdir(dir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`cannot create the shard directory ${dir}: ${err.code}`);
  });
  return { redis: o.redis, queue: openQueue(o.redis, o.queue ?? DEFAULT_QUEUE), dir, shardSize: o.shardSize, explained: [] };
}

/**
 * Closes the queue; with `complete`, removes the shard directory (the audit is in --out now), else
 * keeps it for a re-run unless it is empty.
 */
export async function closeFleet(f: Fleet, complete: boolean): Promise<void> {
  await f.queue.close();
  if (complete) await rm(f.dir, { recursive: true, force: true });
  else await rmdir(f.dir).catch(() => undefined);
}

/**
 * The explain stage on the fleet: what `runExplain` returns, from the workers' shards; writes
 * explanations.jsonl to `o.out` line for line as `runExplain` would.
 * @throws FleetError, CliError
 */
export async function fleetExplain(f: Fleet, o: ExplainOptions & { out: string }): Promise<ExplainResult> {
  const { images } = await listImages(o.images);
  const model = resolve(await modelJsonPath(o.model));
  const mh = await modelHash(model);
  const settings: ExplainSettings = { layer: o.layer, method: o.method ?? 'gradcam', target: o.target, size: [o.size[0], o.size[1]], batch: o.batch, normalize: o.normalize, resize: o.resize, faithfulness: !!o.faithfulness, peakPatches: !!o.peakPatches };
  await checkModel(model, settings);
  const tasks = planShards(images, f.shardSize).map((s) => {
    const key = explainShardKey(mh, settings, s.entries);
    const job: ExplainJob = { version: JOB_VERSION, kind: 'explain', key, shard: s.index, model, modelHash: mh, entries: s.entries, settings, outDir: f.dir };
    const path = shardPath(f.dir, 'explain', key);
    return { job, n: s.entries.length, path, read: () => readShard(path, decodeExplained, key) };
  });
  const shards = await runShards(f.queue, f.redis, 'explain', tasks);
  f.explained = shards.map((shard, i) => ({ key: tasks[i].job.key, path: tasks[i].path, shard }));
  for (const s of shards) for (const k of s.skipped) process.stderr.write(`warning: skipping ${k.id}: ${k.reason}\n`);
  const kept = shards.filter((s) => s.ids.length > 0);
  if (kept.length === 0) throw new CliError(`none of the ${images.length} image file(s) could be decoded`);
  const batches: ExplanationBatch[] = kept.map((s) => ({ ...s, n: s.ids.length }));
  await writeLines(o.out, kept);
  const first = kept[0];
  const all = joinBatches(batches, { size: o.size, layer: first.layer, method: first.method, numClasses: first.numClasses });
  return explainResult(all, { ids: kept.flatMap((s) => s.ids), skipped: shards.flatMap((s) => s.skipped), classNames: first.classNames, size: o.size, normalization: first.normalization, backend: first.backend });
}

/**
 * Loads the model once here, so a bad model, --layer or --target is the same one-line error (exit 2)
 * as without --redis, before any job is queued, instead of a shard failing on every worker.
 * @throws CliError
 */
async function checkModel(model: string, settings: ExplainSettings): Promise<void> {
  await selectBackend(NODE_BACKENDS);
  const classifier = await loadModelForCli(model);
  try {
    explainerFor(classifier, settings).dispose();
  } catch (err) {
    throw asCliError(err);
  } finally {
    classifier.dispose();
  }
}

/** explanations.jsonl from the shards, through a temp file and a rename. */
async function writeLines(out: string, shards: readonly ExplainedShard[]): Promise<void> {
  const tmp = tempPathFor(out);
  const stream = createWriteStream(tmp);
  try {
    for (const s of shards) {
      const r: ExplanationBatch = { ...s, n: s.ids.length };
      for (const [i, id] of s.ids.entries()) if (!stream.write(batchLine(r, i, id))) await new Promise<void>((res) => stream.once('drain', () => res()));
    }
    await new Promise<void>((res, rej) => stream.end((err?: Error | null) => (err ? rej(err) : res())));
    await rename(tmp, out);
  } finally {
    if (!stream.closed) stream.destroy();
    await rm(tmp, { force: true });
  }
}

/** A content hash of detector members (config, centre and weights). */
export function detectorHash(members: readonly DetectorBundle[]): string {
  return contentKey(members.flatMap((m) => [JSON.stringify({ config: m.config, c: Array.from(m.c), specs: m.weightSpecs }), new Uint8Array(m.weightData)]));
}

/**
 * The score stage on the fleet: every explained shard scored by the detector (saved once into the
 * shard directory under its hash, which the workers load once and keep). Returns the mean member
 * distance per image, in the order of the explain stage's ids.
 * @throws FleetError
 */
export async function fleetScore(f: Fleet, members: readonly DetectorBundle[], input: DetectorInputKind): Promise<Float32Array> {
  const hash = detectorHash(members);
  const dir = join(f.dir, `detector-${hash.slice(0, 16)}`);
  await saveDetectorMembers(dir, members);
  const tasks = f.explained
    .map((e, shard) => ({ e, shard }))
    .filter(({ e }) => e.shard.ids.length > 0)
    .map(({ e, shard }) => {
      const key = scoreShardKey(e.key, hash, input);
      const job: ScoreJob = { version: JOB_VERSION, kind: 'score', key, shard, explained: e.path, detector: { dir, hash }, input, outDir: f.dir };
      const path = shardPath(f.dir, 'score', key);
      return { job, n: e.shard.ids.length, path, read: () => readShard(path, decodeScored, key) };
    });
  const scored = await runShards(f.queue, f.redis, 'score', tasks);
  const out = new Float32Array(scored.reduce((a, s) => a + s.ids.length, 0));
  let at = 0;
  for (const s of scored) {
    out.set(s.distance, at);
    at += s.distance.length;
  }
  return out;
}
