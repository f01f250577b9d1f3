/**
 * Deep SAD intents: train from scratch, and fine-tune after each batch of new labels (debounced), with
 * every epoch's loss and every re-scoring written to the store as it arrives.
 */
import { runJob, WorkerJobError } from '../../workers/tf.client';
import type { JobEvent, LabelSet } from '../../workers/protocol';
import { useAppStore } from '../state/store';
import { reportError, runVisible } from './run';
import { persistSoon } from './persist';

/** Milliseconds of label quiet before a fine-tune starts (one batch of labels = one fine-tune). */
export const FINE_TUNE_DEBOUNCE_MS = 400;
/** Epochs per fine-tune. */
export const FINE_TUNE_EPOCHS = 1;

/** The current labels as Deep SAD semi-targets. */
export function currentLabelSet(): LabelSet {
  const { labels } = useAppStore.getState();
  const ids = Object.keys(labels);
  return { ids, targets: Int8Array.from(ids.map((id) => (labels[id] === 'normal' ? 1 : -1))) };
}

function onTrainEvent(ev: JobEvent, stage: 'train' | 'fineTune'): void {
  const s = useAppStore.getState();
  if (ev.type === 'epoch') s.addLoss({ stage: ev.stage === 'pretrain' ? 'pretrain' : stage, epoch: ev.epoch, loss: ev.loss });
  else if (ev.type === 'scores') s.setScores(ev.ids, ev.scores);
  else if (ev.type === 'detector') s.setDetector(ev.bundle);
}

function onTrainError(err: unknown): void {
  const s = useAppStore.getState();
  if (err instanceof WorkerJobError && err.code === 'diverged') {
    s.setTrainStatus('diverged', `Training stopped: the loss became NaN. The last good detector is kept. (${err.message})`);
    s.notify('error', 'Training diverged (NaN): stopped and kept the last good detector.');
  } else {
    s.setTrainStatus('error', err instanceof Error ? err.message : String(err));
    reportError(err, 'training failed');
  }
}

/** "Train": Deep SAD from scratch on every heatmap, with the current labels. */
export async function startTraining(): Promise<void> {
  const s = useAppStore.getState();
  if (s.run.kind !== 'idle') {
    s.notify('info', 'Busy: wait for the current job to finish or cancel it.');
    return;
  }
  if (!Object.keys(s.explanations).length) {
    s.notify('error', 'Nothing to train on yet: load images and a model first.');
    return;
  }
  s.setTrainStatus('training');
  s.markLabelsSeen();
  try {
    const { cancelled } = await runVisible('train', { type: 'train', settings: s.settings, labels: currentLabelSet() }, (ev) => onTrainEvent(ev, 'train'));
    useAppStore.getState().setTrainStatus(cancelled ? 'cancelled' : 'done', cancelled ? 'Training cancelled; the last good detector is kept.' : '');
  } catch (err) {
    onTrainError(err);
  }
  persistSoon();
  if (useAppStore.getState().labelsDirty) scheduleFineTune();
}

let timer: ReturnType<typeof setTimeout> | null = null;
let fineTuning = false;

/** Runs a fine-tune with the current labels now (waits for nothing; skipped when no detector exists). */
export async function fineTuneNow(): Promise<void> {
  const s = useAppStore.getState();
  if (!s.detector || fineTuning || s.run.kind === 'train') return;
  fineTuning = true;
  s.markLabelsSeen();
  s.setTrainStatus('fineTuning');
  try {
    await runJob({ type: 'fineTune', labels: currentLabelSet(), nEpochs: FINE_TUNE_EPOCHS }, (ev) => onTrainEvent(ev, 'fineTune')).done;
    useAppStore.getState().setTrainStatus('done');
  } catch (err) {
    onTrainError(err);
  } finally {
    fineTuning = false;
  }
  persistSoon();
  if (useAppStore.getState().labelsDirty) scheduleFineTune();
}

/** Called after labels change: fine-tunes and re-scores once the analyst pauses. */
export function scheduleFineTune(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    void fineTuneNow();
  }, FINE_TUNE_DEBOUNCE_MS);
}
