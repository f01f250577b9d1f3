/**
 * What a worker does with one job, without the queue: explain a shard with the same loop as
 * `apexp explain` (explain-run.ts), or score an explained shard with a detector as `apexp score` does.
 * The model and the detector are loaded once and kept (one of each), so a worker's memory is one
 * model, one detector and `concurrency` shards, whatever the size of the audit.
 */
import { joinBatches } from '../../core/audit/explainer';
import { detectorInput } from '../../core/audit/detector-input';
import type { Classifier } from '../../core/classifier/types';
import type { Explainer } from '../../core/audit/explainer';
import type { DeepSadDetector } from '../../core/deepsad/types';
import { NODE_BACKENDS, selectBackend } from '../../core/tf/backend';
import { asCliError, explainEntries, explainerFor, loadModelForCli } from '../commands/explain-run';
import { inputChannels } from '../../core/audit/detector-input';
import { centerDistances } from '../../core/audit/ranking';
import { loadDetectorsForCli } from '../commands/train-run';
import { CliError } from '../errors';
import { FleetError } from './errors';
import type { ExplainJob, ScoreJob } from './job-schema';
import { decodeExplained, decodeScored, encodeExplained, encodeScored, readShard, shardPath, writeShard, type ExplainedShard } from './shard-file';
import { modelHash } from './shards';

/** A job's progress: images handled so far of its total. */
export type ShardProgress = (done: number, total: number) => void | Promise<void>;

/** Runs `f` after every earlier call has settled: tfjs work of concurrent jobs must not interleave. */
function serialiser() {
  let chain: Promise<unknown> = Promise.resolve();
  return <T>(f: () => Promise<T>): Promise<T> => {
    const next = chain.then(f);
    chain = next.catch(() => undefined);
    return next;
  };
}

/** @throws CliError when the maps do not fit the detector (a detector of another input kind or size). */
function checkDetectorInput(members: readonly DeepSadDetector[], size: [number, number], channels: number): void {
  for (const d of members) {
    const [a, b, c] = d.config.inputShape;
    if (a * b * c !== size[0] * size[1] * channels) throw new CliError(`the detector takes ${a * b * c} values per map (${a}×${b}×${c}), these maps are ${size[0]}×${size[1]}×${channels}`);
  }
}

/** The loaded model and detector of one worker process, reused across its jobs. Call `dispose()`. */
export class ShardRunner {
  private model: { key: string; classifier: Classifier; explainer: Explainer } | null = null;
  private detector: { hash: string; members: DeepSadDetector[] } | null = null;
  private readonly tensors = serialiser();

  /**
   * Explains a shard into `explain-<key>.json` in its outDir; a shard whose file is already there is
   * not redone. Undecodable images are skipped and named in the file, as `apexp explain` does.
   * @returns images explained and skipped
   */
  async explain(job: ExplainJob, progress?: ShardProgress): Promise<{ n: number; skipped: number; cached: boolean }> {
    const path = shardPath(job.outDir, 'explain', job.key);
    const done = await readShard(path, decodeExplained, job.key);
    if (done) return { n: done.ids.length, skipped: done.skipped.length, cached: true };
    const backend = await selectBackend(NODE_BACKENDS);
    const { classifier, explainer } = await this.modelFor(job);
    const total = job.entries.length;
    let handled = 0;
    const serial: Explainer = { ...explainer, explain: (images) => this.tensors(() => explainer.explain(images)) };
    const r = await explainEntries(serial, job.entries, job.settings.batch, {
      onTick: (n) => {
        handled += n;
        void progress?.(handled, total);
      },
    });
    const all = joinBatches(r.batches, { size: job.settings.size, layer: explainer.layer, method: explainer.method, numClasses: classifier.classNames.length });
    const shard: ExplainedShard = {
      key: job.key,
      ids: r.ids,
      skipped: r.skipped,
      classNames: classifier.classNames,
      layer: all.layer,
      method: all.method,
      size: [job.settings.size[0], job.settings.size[1]],
      normalization: explainer.normalization,
      backend,
      numClasses: all.numClasses,
      heatmaps: all.heatmaps,
      predicted: all.predicted,
      targets: all.targets,
      probs: all.probs,
      faithfulness: all.faithfulness,
      patches: all.patches,
    };
    await writeShard(path, encodeExplained(shard));
    return { n: r.ids.length, skipped: r.skipped.length, cached: false };
  }

  /** Scores an explained shard with the job's detector into `score-<key>.json`: the mean member distance per image. */
  async score(job: ScoreJob): Promise<{ n: number; cached: boolean }> {
    const path = shardPath(job.outDir, 'score', job.key);
    const done = await readShard(path, decodeScored, job.key);
    if (done) return { n: done.ids.length, cached: true };
    const explainKey = /explain-([0-9a-f]+)\.json$/.exec(job.explained)?.[1] ?? '';
    const ex = await readShard(job.explained, decodeExplained, explainKey);
    if (!ex) throw new FleetError('shard-missing', `explained shard ${job.explained} is missing or unreadable`);
    const members = await this.detectorFor(job);
    const n = ex.ids.length;
    const distance = new Float32Array(n);
    if (n > 0) {
      const x = detectorInput(job.input, ex.heatmaps, ex.patches, n, ex.size);
      checkDetectorInput(members, ex.size, inputChannels(job.input));
      // Embed, then the ranking's own distance (ranking.ts), summed in the same order: the same numbers
      // as the coordinator's auditor gets, not merely close ones.
      for (const d of members) {
        const embeddings = await this.tensors(() => d.embed(x, n));
        centerDistances({ embeddings, c: d.c }, n).forEach((v, i) => (distance[i] += v / members.length));
      }
    }
    await writeShard(path, encodeScored({ key: job.key, ids: ex.ids, distance }));
    return { n, cached: false };
  }

  /** Loads (or reuses) the job's model; serialised, so concurrent jobs never load it twice. */
  private modelFor(job: ExplainJob): Promise<{ classifier: Classifier; explainer: Explainer }> {
    return this.tensors(() => this.loadModel(job));
  }

  private async loadModel(job: ExplainJob): Promise<{ classifier: Classifier; explainer: Explainer }> {
    const key = `${job.modelHash}\0${JSON.stringify(job.settings)}`;
    if (this.model?.key === key) return this.model;
    const hash = await modelHash(job.model);
    if (hash !== job.modelHash) throw new FleetError('model-changed', `${job.model} is not the model the audit started with (its files changed, or this machine sees other files)`);
    this.disposeModel();
    const classifier = await loadModelForCli(job.model);
    try {
      this.model = { key, classifier, explainer: explainerFor(classifier, job.settings) };
    } catch (err) {
      classifier.dispose();
      throw asCliError(err);
    }
    return this.model;
  }

  private detectorFor(job: ScoreJob): Promise<DeepSadDetector[]> {
    return this.tensors(() => this.loadDetector(job));
  }

  private async loadDetector(job: ScoreJob): Promise<DeepSadDetector[]> {
    if (this.detector?.hash === job.detector.hash) return this.detector.members;
    this.disposeDetector();
    this.detector = { hash: job.detector.hash, members: await loadDetectorsForCli(job.detector.dir) };
    return this.detector.members;
  }

  private disposeModel(): void {
    this.model?.explainer.dispose();
    this.model?.classifier.dispose();
    this.model = null;
  }

  private disposeDetector(): void {
    for (const d of this.detector?.members ?? []) d.dispose();
    this.detector = null;
  }

  dispose(): void {
    this.disposeModel();
    this.disposeDetector();
  }
}
