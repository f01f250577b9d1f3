// The workers' jobs without the queue: an explained shard is what runExplain gives for the same images
// (bit for bit), a bad image is skipped and named, a shard done is not redone, a changed model is
// refused, and scoring gives the ranking's own distances.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveModelDir, tinyClassifier, writeImages } from '../commands/cli-fixtures';
import { runExplain } from '../commands/explain-run';
import { listImages } from '../images';
import { saveDetectorMembers } from '../detector-dir';
import { Auditor } from '../../core/audit/auditor';
import { DEFAULT_AUDITOR_SETTINGS } from '../../core/audit/settings';
import { detectorInput } from '../../core/audit/detector-input';
import { NODE_BACKENDS, selectBackend } from '../../core/tf/backend';
import { FleetError } from './errors';
import { JOB_VERSION, type ExplainJob, type ExplainSettings } from './job-schema';
import { decodeExplained, shardPath, type ExplainedShard } from './shard-file';
import { ShardRunner } from './shard-jobs';
import { explainShardKey, modelHash, planShards, scoreShardKey } from './shards';

let dir: string;
let model: string;
let images: string;
const runner = new ShardRunner();
const settings: ExplainSettings = { method: 'gradcam', target: 'predicted', size: [32, 32], batch: 4, resize: 'stretch', faithfulness: true, peakPatches: true };

beforeAll(async () => {
  await selectBackend(NODE_BACKENDS);
  dir = await mkdtemp(join(tmpdir(), 'apexp-shard-jobs-'));
  model = resolve(await saveModelDir(tinyClassifier(), join(dir, 'model'), { labels: ['left', 'right'] }));
  images = join(dir, 'images');
  await writeImages(images, 10);
  await writeFile(join(images, 'img-004b.png'), 'not an image');
});

afterAll(async () => {
  runner.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function jobs(shardSize: number): Promise<ExplainJob[]> {
  const { images: entries } = await listImages([images]);
  const mh = await modelHash(model);
  return planShards(entries, shardSize).map((s) => ({ version: JOB_VERSION, kind: 'explain', key: explainShardKey(mh, settings, s.entries), shard: s.index, model, modelHash: mh, entries: s.entries, settings, outDir: dir }));
}

describe('ShardRunner', () => {
  it('explains shards into files that join to exactly what one runExplain gives, skipping the bad image by name', async () => {
    const one = await runExplain({ model, images: [images], ...settings, faithfulness: true, peakPatches: true });
    const shards: ExplainedShard[] = [];
    const seen: number[] = [];
    for (const job of await jobs(3)) {
      const r = await runner.explain(job, (done) => void seen.push(done));
      expect(r.cached).toBe(false);
      shards.push(decodeExplained(await readFile(shardPath(dir, 'explain', job.key), 'utf8'), job.key)!);
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(shards.flatMap((s) => s.ids)).toEqual(one.ids);
    expect(shards.flatMap((s) => s.skipped)).toEqual(one.skipped);
    expect(one.skipped.map((s) => s.id)).toEqual(['img-004b.png']);
    const cat = (f: (s: ExplainedShard) => Float32Array | Int32Array | null) => shards.flatMap((s) => Array.from(f(s) ?? []));
    expect(cat((s) => s.heatmaps)).toEqual(Array.from(one.heatmaps));
    expect(cat((s) => s.patches)).toEqual(Array.from(one.patches!));
    expect(cat((s) => s.probs)).toEqual(Array.from(one.probs));
    expect(cat((s) => s.faithfulness)).toEqual(Array.from(one.faithfulness!));
    expect(cat((s) => s.predicted)).toEqual(Array.from(one.predicted));
  });

  it('does not redo a shard whose file is there (a retried or duplicated job)', async () => {
    const [job] = await jobs(3);
    expect(await runner.explain(job)).toEqual({ n: 3, skipped: 0, cached: true });
  });

  it('refuses a model whose files are not the ones the audit hashed', async () => {
    const [job] = await jobs(3);
    const err = await runner.explain({ ...job, key: 'f'.repeat(32), modelHash: '0'.repeat(64) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FleetError);
    expect((err as FleetError).code).toBe('model-changed');
  });

  it('scores a shard with a detector fetched once: the distances the auditor ranks by', async () => {
    const [job] = await jobs(20);
    await runner.explain(job);
    const shard = decodeExplained(await readFile(shardPath(dir, 'explain', job.key), 'utf8'), job.key)!;
    const s = { ...structuredClone(DEFAULT_AUDITOR_SETTINGS), trainSteps: 2, aeSteps: 0, batchSize: 4, updateSteps: 0 };
    const auditor = new Auditor(s, [32, 32]);
    try {
      auditor.upsert(shard.ids, detectorInput('heatmap-peak', shard.heatmaps, shard.patches, shard.ids.length, [32, 32]));
      await auditor.train();
      const det = join(dir, 'detector');
      await saveDetectorMembers(det, await auditor.currentBundles());
      const hash = 'a'.repeat(64);
      const key = scoreShardKey(job.key, hash, 'heatmap-peak');
      const r = await runner.score({ version: JOB_VERSION, kind: 'score', key, shard: 0, explained: shardPath(dir, 'explain', job.key), detector: { dir: det, hash }, input: 'heatmap-peak', outDir: dir });
      expect(r).toEqual({ n: shard.ids.length, cached: false });
      const scored = JSON.parse(await readFile(shardPath(dir, 'score', key), 'utf8')) as { ids: string[]; distance: string };
      expect(scored.ids).toEqual(shard.ids);
      const buf = Buffer.from(scored.distance, 'base64');
      expect(Array.from(new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)))).toEqual(Array.from(auditor.rank().distance));
    } finally {
      auditor.dispose();
    }
  });
});
