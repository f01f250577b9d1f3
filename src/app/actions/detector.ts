/**
 * Deep SAD intents, hosted by the detector worker (src/workers/detector.*): every explanation is sent
 * there as it arrives, every label change at once (the worker answers with an immediate re-rank, then
 * moves the ranking again when its bounded update finishes), and a training runs beside explaining
 * instead of blocking it. Rankings reach the store through a throttle, except the one that answers a
 * label, which is applied at once.
 */
import type { LabelAgreement } from '../../core/audit/auditor';
import { DEFAULT_AUDITOR_SETTINGS, type AuditorSettings } from '../../core/audit/settings';
import type { BackendName } from '../../core/tf/backend';
import { cancelDetectorJob, detectorBackendFor, onDetectorBroadcast, runDetectorJob, startDetectorWorker } from '../../workers/detector.client';
import type { DetectorEvent, DetectorReply, DetectorRows, RankingMessage } from '../../workers/detector-protocol';
import { WorkerJobError } from '../../workers/job-client';
import type { ExplainBatch } from '../../workers/protocol';
import { explanationConfidence, semiTargetsOf } from '../state/derive';
import { useAppStore } from '../state/store';
import type { Explanation } from '../state/types';
import { onDetectorMoved } from './map';
import { persistSoon } from './persist';
import { reportError } from './run';

/** Shortest gap between two rankings applied to the store while images stream in (ms). */
export const RANKING_FLUSH_MS = 250;

let pendingRanking: RankingMessage | null = null;
let rankingTimer: ReturnType<typeof setTimeout> | null = null;
let lastApplied = -Infinity;

function applyRanking(r: RankingMessage): void {
  pendingRanking = null;
  if (rankingTimer) clearTimeout(rankingTimer);
  rankingTimer = null;
  lastApplied = performance.now();
  useAppStore.getState().setRanking({ ids: r.ids, score: r.score, deepsad: r.deepsad, model: r.model, next: r.next, updating: r.updating, cause: r.cause });
  // A reload shows the latest ranking at once, before the detector is restored.
  persistSoon();
  onDetectorMoved(r.cause);
}

/** A ranking from the worker: the answer to a label (or a training, a restore) at once, the rest at most every RANKING_FLUSH_MS. */
export function onRanking(r: RankingMessage): void {
  if (r.cause === 'labels' || r.cause === 'train' || r.cause === 'restore' || r.cause === 'update') return applyRanking(r);
  pendingRanking = r;
  const wait = lastApplied + RANKING_FLUSH_MS - performance.now();
  if (wait <= 0) applyRanking(r);
  else rankingTimer ??= setTimeout(() => pendingRanking && applyRanking(pendingRanking), wait);
}

function onEvent(ev: DetectorEvent | DetectorReply): void {
  const s = useAppStore.getState();
  if (ev.type === 'ranking') onRanking(ev);
  else if (ev.type === 'agreement') s.setAgreement(ev.agreement as LabelAgreement | null);
  else if (ev.type === 'epoch') s.addLoss({ stage: ev.stage, epoch: ev.epoch, loss: ev.loss });
  else if (ev.type === 'progress') useAppStore.setState({ trainProgress: { done: ev.done, total: ev.total, label: ev.label } });
  else if (ev.type === 'detector') {
    s.setDetectors(ev.bundles);
    detectorsAt = new Date();
    persistSoon();
  } else if (ev.type === 'error') reportError(new Error(ev.message), 'the detector');
}

/** When the store's detectors were trained in this page (null: restored from the browser or a file, or none). */
let detectorsAt: Date | null = null;

/** When the current detectors were trained in this page, or null when they came from elsewhere (a reload, a file). */
export function detectorsTrainedAt(): Date | null {
  return useAppStore.getState().detectors.length ? detectorsAt : null;
}

/** True when `err` is the detector worker dying: the recovery (detector-recovery.ts) reports it, once. */
export function isDetectorCrash(err: unknown): boolean {
  return err instanceof WorkerJobError && err.code === 'detector-crash';
}

/** The settings this session can train with: map + patch needs every explanation to carry its patch (older sessions do not). */
export function sessionSettings(): AuditorSettings {
  const s = useAppStore.getState();
  const missing = s.settings.input === 'heatmap-peak' && s.imageIds.some((id) => s.explanations[id] && !s.explanations[id].patch);
  return missing ? { ...s.settings, input: 'heatmap' } : s.settings;
}

/** Starts the detector worker on the backend that suits the explain backend (wasm on an emulated GPU), or on `?deepsad=`; resolves with the one it runs on. */
export async function startDetector(explain: BackendName, software: boolean, forced?: BackendName): Promise<BackendName> {
  onDetectorBroadcast(onEvent);
  const backend = await startDetectorWorker(detectorBackendFor(explain, software, forced));
  useAppStore.setState({ detectorBackend: backend });
  await configureDetector();
  return backend;
}

/** The detector input the worker's rows were sent for (a training with another input sends them again); the worker starts with the default. */
let configuredInput: AuditorSettings['input'] = DEFAULT_AUDITOR_SETTINGS.input;

/** (Re)starts the detector worker's auditor with the session's settings: drops its rows and detectors. */
export async function configureDetector(): Promise<void> {
  const settings = sessionSettings();
  if (settings.input !== useAppStore.getState().settings.input) useAppStore.getState().setSettings({ input: settings.input });
  configuredInput = settings.input;
  await runDetectorJob({ type: 'configure', settings, size: useAppStore.getState().heatmapSize }).done;
}

/** 1 − max softmax of each of n images. */
export function unconfidence(probs: Float32Array, n: number, k: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 1 - Math.max(...probs.subarray(i * k, (i + 1) * k)));
}

/** Explained batches held while the detector worker restarts; null while it is up. */
let held: ExplainBatch[] | null = null;

/**
 * Holds the explained batches bound for the detector worker until {@link releaseHeld}: the restart's
 * `configure` drops every row the new worker holds, and a batch may not have reached the store (which
 * the restart re-sends) yet. Labels need no holding: the restart sends the store's labels after `configure`.
 */
export function holdDetectorInput(): void {
  held ??= [];
}

/** Sends the held batches (after the restarted worker has every stored row again: a re-sent row replaces its own). */
export function releaseHeld(): void {
  const h = held ?? [];
  held = null;
  h.forEach(sendBatch);
}

/** Sends a worker batch of explanations to the detector (copies: the store keeps its own). */
export function sendBatch(b: ExplainBatch): void {
  if (held) {
    held.push(b);
    return;
  }
  const rows: DetectorRows = { ids: b.ids, size: b.size, heatmaps: b.heatmaps.slice(), patches: b.patches.slice(), unconfidence: unconfidence(b.probs, b.ids.length, b.numClasses), predicted: Int32Array.from(b.predicted) };
  void runDetectorJob({ type: 'add', ...rows }, onEvent, [rows.heatmaps.buffer, rows.patches!.buffer, rows.unconfidence.buffer, rows.predicted.buffer]).done.catch((err) => isDetectorCrash(err) || reportError(err, 'the detector could not take the new explanations'));
}

/** Sends every explanation in the store (after a restore or an import), in slices. */
export async function sendStoredRows(): Promise<void> {
  const s = useAppStore.getState();
  const [h, w] = s.heatmapSize;
  const ids = s.imageIds.filter((id) => s.explanations[id]);
  const withPatches = sessionSettings().input === 'heatmap-peak';
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const e: Explanation[] = part.map((id) => s.explanations[id]);
    const heatmaps = new Uint8Array(part.length * h * w);
    const patches = withPatches ? new Uint8Array(part.length * h * w * 3) : null;
    e.forEach((x, k) => {
      heatmaps.set(x.heatmap, k * h * w);
      if (patches && x.patch) patches.set(x.patch, k * h * w * 3);
    });
    // NaN where the confidence is unknown (maps made elsewhere without predictions.csv): the ranking leaves it out, as the CLI's.
    const unconf = Float32Array.from(e, (x) => 1 - explanationConfidence(x));
    const predicted = Int32Array.from(e, (x) => x.predicted);
    await runDetectorJob({ type: 'add', ids: part, size: [h, w], heatmaps, patches, unconfidence: unconf, predicted }, onEvent, [heatmaps.buffer, unconf.buffer, predicted.buffer]).done;
  }
}

/** Sends the current labels: the worker re-ranks at once and updates in the background. */
export function sendLabels(): void {
  const { imageIds, labels, budget } = useAppStore.getState();
  const ids = imageIds.filter((id) => labels[id]);
  const targets = semiTargetsOf(ids, labels);
  void runDetectorJob({ type: 'labels', ids, targets, budget }, onEvent).done.catch((err) => isDetectorCrash(err) || reportError(err, 'the labels could not reach the detector'));
}

let budgetTimer: ReturnType<typeof setTimeout> | null = null;

/** Tells the detector the review budget (the label-next queue depends on it), after the slider settles. */
export function sendBudgetSoon(): void {
  if (budgetTimer) clearTimeout(budgetTimer);
  budgetTimer = setTimeout(() => {
    budgetTimer = null;
    void runDetectorJob({ type: 'budget', budget: useAppStore.getState().budget }, onEvent).done.catch(() => undefined);
  }, 150);
}

let trainJob: number | null = null;

function onTrainError(err: unknown): void {
  const s = useAppStore.getState();
  if (isDetectorCrash(err)) {
    // The worker died under the training: the recovery restarts it with the last good detector and says so.
    s.setTrainStatus('error', 'The detector worker stopped during training; the last good detector is kept. Train again when ready.');
  } else if (err instanceof WorkerJobError && err.code === 'diverged') {
    s.setTrainStatus('diverged', `Training stopped: the loss became NaN. The last good detector is kept. (${err.message})`);
    s.notify('error', 'Training diverged (NaN): stopped and kept the last good detector.');
  } else {
    s.setTrainStatus('error', err instanceof Error ? err.message : String(err));
    reportError(err, 'training failed');
  }
}

/** "Train": Deep SAD from scratch on every explanation, beside explaining; the labels are applied by the update that follows. */
export async function startTraining(): Promise<void> {
  const s = useAppStore.getState();
  if (trainJob !== null) {
    s.notify('info', 'Already training: wait for it or cancel it.');
    return;
  }
  if (!Object.keys(s.explanations).length) {
    s.notify('error', 'Nothing to train on yet: load images and a model first.');
    return;
  }
  s.setTrainStatus('training');
  try {
    const settings = sessionSettings();
    if (settings.input !== configuredInput) {
      // Another detector input: the worker's rows must be rebuilt (the ranking resumes with the new detector).
      await configureDetector();
      await sendStoredRows();
      sendLabels();
    }
    const job = runDetectorJob({ type: 'train', settings }, onEvent);
    trainJob = job.id;
    const { cancelled } = await job.done;
    useAppStore.getState().setTrainStatus(cancelled ? 'cancelled' : 'done', cancelled ? 'Training cancelled; the last good detector is kept.' : '');
  } catch (err) {
    onTrainError(err);
  } finally {
    trainJob = null;
    useAppStore.setState({ trainProgress: null });
  }
  persistSoon();
}

/** Stops a running training at its next batch (the previous detector stays). */
export function cancelTraining(): void {
  if (trainJob !== null) cancelDetectorJob(trainJob);
}

/** Trains when explanations exist and no detector does yet (after a demo, a drop, a re-explain), so every image gets a score. */
export async function trainIfNeeded(): Promise<void> {
  const s = useAppStore.getState();
  if (s.detectors.length || trainJob !== null || !Object.keys(s.explanations).length) return;
  await startTraining();
}

/**
 * After a restore, an import or a restarted worker: hands the store's explanations, labels and base
 * detectors to the detector worker (the detectors are updated with the labels there), or, with `train`,
 * trains when there are none. Resolves true when saved detectors were restored.
 * @param from the project file they came from, named when its detector cannot be restored
 */
export async function syncDetector({ train = true, from }: { train?: boolean; from?: string } = {}): Promise<boolean> {
  await configureDetector();
  await sendStoredRows();
  sendLabels();
  const { detectors } = useAppStore.getState();
  const fits = detectors.length > 0 && detectors.every((d) => d.config.inputShape[2] === (sessionSettings().input === 'heatmap-peak' ? 4 : 1));
  if (fits) {
    try {
      await runDetectorJob({ type: 'restore', bundles: detectors }, onEvent).done;
      return true;
    } catch (err) {
      if (isDetectorCrash(err)) throw err;
      reportError(err, `the detector ${from ? `in ${from}` : 'saved'} could not be restored${train ? '; training a new one' : ''}`);
    }
  }
  useAppStore.getState().setDetectors([]);
  if (train) await trainIfNeeded();
  return false;
}

/** Drops the detector trained on other explanations (a new model, a re-explain): the next ranking comes from a fresh training. */
export async function dropDetector(): Promise<void> {
  useAppStore.setState({ detectors: [], scores: {}, deepsadRanks: {}, rankingModel: null, nextIds: [], agreement: null, trainStatus: 'idle', scoresVersion: useAppStore.getState().scoresVersion + 1, projection: null });
  await configureDetector();
}
