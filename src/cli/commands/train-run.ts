/** The body of `apexp train` and `apexp score` (and the detector stage of `apexp audit`), loaded lazily. */
import '@tensorflow/tfjs-backend-wasm';
import { defaultConfig, validateConfig } from '../../core/deepsad/config';
import { DeepSadConfigError, DeepSadDataError, DeepSadDivergedError, DetectorFormatError } from '../../core/deepsad/errors';
import { loadDetector } from '../../core/deepsad/serialize';
import { trainDeepSad } from '../../core/deepsad/train';
import type { DeepSadConfig, DeepSadDetector, NetName, TrainEvent } from '../../core/deepsad/types';
import { NODE_BACKENDS, selectBackend } from '../../core/tf/backend';
import { saveDetectorDir, loadDetectorMembers } from '../detector-dir';
import { CliError } from '../errors';
import { readLabels } from '../explanations';
import { readHeatmapSet, type HeatmapSet } from '../heatmap-sources';
import { DEFAULT_DETECTOR_INPUT, detectorInput as coreDetectorInput, DetectorInputError, inputChannels, inputKindOf, type DetectorInputKind } from '../../core/audit/detector-input';
import { toCsv, writeFileAtomic } from '../io';
import { createProgress, type Progress } from '../progress';

/**
 * The detector input shape for heatmaps of `size` with `channels` values per cell (1: the map; 4: map
 * + peak patch): heatmap_LeNet [32, 32, channels], mlp [1, 1, h·w·channels].
 * @throws CliError when the LeNet gets another size
 */
export function detectorShape(net: NetName, size: [number, number], channels = 1): [number, number, number] {
  if (net === 'mlp') return [1, 1, size[0] * size[1] * channels];
  if (size[0] !== 32 || size[1] !== 32) throw new CliError(`--net lenet takes 32×32 heatmaps, these are ${size[0]}×${size[1]}: explain with --size 32, or use --net mlp`);
  return [32, 32, channels];
}

/** The resolved training config: engine defaults for `net`, then the command-line overrides. @throws CliError */
export function trainingConfig(net: NetName, size: [number, number], overrides: Partial<DeepSadConfig>, channels = 1): DeepSadConfig {
  try {
    return validateConfig({ ...defaultConfig(net, detectorShape(net, size, channels)), ...overrides });
  } catch (err) {
    if (err instanceof DeepSadConfigError) throw new CliError(err.message);
    throw err;
  }
}

/** Progress of a training run: one bar per stage over all its batches, one line per epoch. */
function trainingReporter(cfg: DeepSadConfig) {
  const epochs = { pretrain: cfg.aeNEpochs, train: cfg.nEpochs };
  let bar: Progress | null = null;
  let stage: TrainEvent['stage'] | null = null;
  return {
    onBatch(s: TrainEvent['stage'], _done: number, total: number) {
      if (stage !== s) {
        bar?.done();
        bar = createProgress({ label: s, total: Math.max(1, epochs[s] * total) });
        stage = s;
      }
      bar?.tick();
    },
    onEpoch(e: TrainEvent) {
      const line = `${e.stage} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(4)} (${e.seconds.toFixed(1)} s)`;
      if (bar) bar.log(line);
      else process.stderr.write(`${line}\n`);
    },
    close() {
      bar?.done();
    },
  };
}

/**
 * Trains Deep SAD on heatmaps (n·h·w) with semi-targets (0 unlabeled, +1 normal, −1 anomalous).
 * @throws CliError for bad data or a diverged run
 */
export async function trainOnHeatmaps(heatmaps: Float32Array, n: number, semiTargets: Int8Array, cfg: DeepSadConfig): Promise<DeepSadDetector> {
  await selectBackend(NODE_BACKENDS);
  const reporter = trainingReporter(cfg);
  try {
    return await trainDeepSad({ x: heatmaps, n, semiTargets }, cfg, { onBatch: reporter.onBatch, onEpoch: reporter.onEpoch });
  } catch (err) {
    if (err instanceof DeepSadDivergedError) {
      err.detector?.dispose();
      throw new CliError(`${err.message}; try a smaller --lr`);
    }
    if (err instanceof DeepSadDataError || err instanceof DeepSadConfigError) throw new CliError(err.message);
    throw err;
  } finally {
    reporter.close();
  }
}

/**
 * The detector input of n explanations (core/audit/detector-input.ts); `source` names the file for the error.
 * @throws CliError when the patches are needed and missing
 */
export function detectorInput(kind: DetectorInputKind, heatmaps: Float32Array, patches: Float32Array | null | undefined, n: number, size: [number, number], source: string): Float32Array {
  try {
    return coreDetectorInput(kind, heatmaps, patches, n, size);
  } catch (err) {
    if (err instanceof DetectorInputError) throw new CliError(`${source} holds no peak patches, which a map + patch detector needs: explain with --peak-patches, or use --input heatmap`);
    throw err;
  }
}

/**
 * The detector input a source gets when `--input` is not given: map + peak patch for our own
 * explanations (DEFAULT_DETECTOR_INPUT), the map alone for maps made elsewhere, which carry no patches.
 */
export function inputFor(set: HeatmapSet, asked: DetectorInputKind | undefined): DetectorInputKind {
  if (asked) return asked;
  return set.format === 'explanations' ? DEFAULT_DETECTOR_INPUT : 'heatmap';
}

/** `apexp train`: explanations (explanations.jsonl, a PNG folder or a .npy; + labels) → detector directory. */
export async function runTrain(o: { explanations: string; ids?: string; size?: [number, number]; labels?: string; out: string; net: NetName; input?: DetectorInputKind; overrides: Partial<DeepSadConfig> }): Promise<{ n: number; labeled: number; input: DetectorInputKind; skipped: number }> {
  const ex = await readHeatmapSet(o.explanations, { size: o.size ?? [32, 32], ids: o.ids });
  const input = inputFor(ex, o.input);
  const n = ex.ids.length;
  const channels = inputChannels(input);
  const x = detectorInput(input, ex.heatmaps, ex.patches, n, ex.size, o.explanations);
  const cfg = trainingConfig(o.net, ex.size, o.overrides, channels);
  const semi = new Int8Array(n);
  if (o.labels) {
    const labels = await readLabels(o.labels, new Set(ex.ids));
    ex.ids.forEach((id, i) => (semi[i] = labels.get(id) ?? 0));
  }
  const detector = await trainOnHeatmaps(x, n, semi, cfg);
  try {
    await saveDetectorDir(o.out, detector);
  } finally {
    detector.dispose();
  }
  return { n, labeled: semi.reduce((a, s) => a + (s !== 0 ? 1 : 0), 0), input, skipped: ex.skipped.length };
}

/** Loads a detector directory (or an audit's ensemble of member directories). @throws CliError */
export async function loadDetectorsForCli(dir: string): Promise<DeepSadDetector[]> {
  const bundles = await loadDetectorMembers(dir);
  await selectBackend(NODE_BACKENDS);
  const out: DeepSadDetector[] = [];
  try {
    for (const b of bundles) out.push(loadDetector(b));
    return out;
  } catch (err) {
    for (const d of out) d.dispose();
    if (err instanceof DetectorFormatError || err instanceof DeepSadConfigError) throw new CliError(`${dir}: ${err.message}`);
    throw err;
  }
}

/**
 * Scores heatmaps (with `channels` values per cell) with a detector, checking that they fit it.
 * @throws CliError
 */
export async function scoreHeatmaps(detector: DeepSadDetector, heatmaps: Float32Array, n: number, size: [number, number], channels = 1, source?: string): Promise<Float32Array> {
  const shape = detector.config.inputShape;
  const per = shape[0] * shape[1] * shape[2];
  if (per !== size[0] * size[1] * channels) {
    // An mlp detector's shape is [1, 1, h·w]: maps from elsewhere must be resized with the --size it was trained at.
    const hint = shape[0] === 1 ? ' (give the --size the detector was trained at)' : '';
    throw new CliError(`${source ? `${source}: ` : ''}the detector takes ${per} values per heatmap (${shape.join('×')}), these heatmaps are ${size[0]}×${size[1]}${channels > 1 ? `×${channels}` : ''}${hint}`);
  }
  return detector.score(heatmaps, n);
}

/** scores.csv contents: `id,score` (higher = more anomalous), plus `distance` (the mean Deep SAD distance) when given. */
export function scoresCsv(ids: readonly string[], scores: ArrayLike<number>, distance?: ArrayLike<number>): string {
  const p = (v: number) => Number(v.toPrecision(7));
  return distance ? toCsv(['id', 'score', 'distance'], ids.map((id, i) => [id, p(scores[i]), p(distance[i])])) : toCsv(['id', 'score'], ids.map((id, i) => [id, p(scores[i])]));
}

/**
 * `apexp score`: detector(s) + explanations → scores.csv (an ensemble's score is the mean of its
 * members' distances). Maps made elsewhere are resized to the detector's side (a LeNet's 32×32; `size`
 * for an mlp detector).
 */
export async function runScore(o: { detector: string; explanations: string; ids?: string; size?: [number, number]; out: string }): Promise<number> {
  const detectors = await loadDetectorsForCli(o.detector);
  try {
    const shape = detectors[0].config.inputShape;
    const side: [number, number] = shape[0] > 1 ? [shape[0], shape[1]] : (o.size ?? [32, 32]);
    const ex = await readHeatmapSet(o.explanations, { size: side, ids: o.ids });
    const n = ex.ids.length;
    const sum = new Float32Array(n);
    for (const detector of detectors) {
      // A map + patch detector (4 values per cell) reads the file's patches; a map detector the maps alone.
      const shape = detector.config.inputShape;
      const per = shape[0] * shape[1] * shape[2];
      const channels = per % (ex.size[0] * ex.size[1]) === 0 ? per / (ex.size[0] * ex.size[1]) : 1;
      const kind = channels === 1 || channels === 4 ? inputKindOf(channels) : 'heatmap';
      const scores = await scoreHeatmaps(detector, detectorInput(kind, ex.heatmaps, ex.patches, n, ex.size, o.explanations), n, ex.size, inputChannels(kind), o.explanations);
      scores.forEach((v, i) => (sum[i] += v / detectors.length));
    }
    await writeFileAtomic(o.out, scoresCsv(ex.ids, sum));
    return n;
  } finally {
    for (const d of detectors) d.dispose();
  }
}
