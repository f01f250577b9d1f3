/**
 * "Compare with another model": the second classifier explains the same images (the tfjs worker
 * switches to it for one explain job and back), its maps are kept beside the active model's, and a
 * detector of its own, trained in the detector worker on its maps with the same labels (a one-off,
 * `rankOnce`, the live loop untouched), scores them. The flags of both at the same budget are then
 * joined in the store's derivation (state/compare-derive.ts).
 */
import { runDetectorJob } from '../../workers/detector.client';
import type { DetectorRows } from '../../workers/detector-protocol';
import type { ExplainBatch } from '../../workers/protocol';
import { semiTargetsOf } from '../state/derive';
import { useAppStore } from '../state/store';
import { sessionSettings, unconfidence } from './detector';
import { reportError, runVisible } from './run';

/** Counts comparisons started, so an older one that ends late does not overwrite a newer one. */
let runs = 0;

/** Joins explain batches into detector rows (maps, patches, 1 − max softmax). */
function rowsOf(batches: readonly ExplainBatch[]): DetectorRows {
  const ids = batches.flatMap((b) => b.ids);
  const [h, w] = batches[0].size;
  const heatmaps = new Uint8Array(ids.length * h * w);
  const patches = new Uint8Array(ids.length * h * w * 3);
  const unconf = new Float32Array(ids.length);
  const predicted = new Int32Array(ids.length);
  let at = 0;
  for (const b of batches) {
    heatmaps.set(b.heatmaps, at * h * w);
    patches.set(b.patches, at * h * w * 3);
    unconf.set(unconfidence(b.probs, b.ids.length, b.numClasses), at);
    predicted.set(b.predicted, at);
    at += b.ids.length;
  }
  return { ids, size: [h, w], heatmaps, patches, unconfidence: unconf, predicted };
}

/**
 * Explains every image with `other` and trains its own detector, for the side-by-side comparison with
 * the active model. Tells the user (and drops the comparison) when something fails.
 */
export async function compareWith(other: string): Promise<void> {
  const s = useAppStore.getState();
  const run = ++runs;
  // A newer comparison, or one dropped meanwhile (new explanations, another model), owns the store now.
  const stale = (): boolean => run !== runs || useAppStore.getState().comparison?.model !== other;
  if (s.run.kind !== 'idle') {
    s.notify('info', 'Busy: wait for the current job to finish or cancel it.');
    return;
  }
  const active = s.activeModel;
  if (!active || other === active || !s.models.some((m) => m.name === other)) {
    s.notify('error', 'Pick a second loaded model to compare with the active one.');
    return;
  }
  if (!s.imageIds.some((id) => s.explanations[id])) {
    s.notify('error', 'Explain images with the active model first.');
    return;
  }
  s.setComparison({ model: other, against: active, explanations: {}, heatmapSize: s.heatmapSize, scores: {}, nLabels: 0, status: 'explaining' });
  const batches: ExplainBatch[] = [];
  try {
    try {
      await runVisible('model', { type: 'useModel', name: other }, () => {});
      // Its own default layer and predicted class; the CAM method is the analyst's, as for the active model.
      const method = s.explainOptions.method;
      await runVisible('explain', { type: 'explain', options: { target: 'predicted', ...(method ? { method } : {}) } }, (ev) => {
        if (ev.type === 'explained') batches.push(ev.batch);
      });
    } finally {
      await runVisible('model', { type: 'useModel', name: active }, () => {});
    }
    if (!batches.length) throw new Error(`${other} explained no image`);
    const explanations: Record<string, { predicted: number; heatmap: Uint8Array }> = {};
    for (const b of batches) {
      const cells = b.size[0] * b.size[1];
      b.ids.forEach((id, i) => (explanations[id] = { predicted: b.predicted[i], heatmap: b.heatmaps.slice(i * cells, (i + 1) * cells) }));
    }
    if (stale()) return;
    const { labels, imageIds } = useAppStore.getState();
    const labelIds = imageIds.filter((id) => labels[id] && explanations[id]);
    useAppStore.getState().patchComparison({ explanations, heatmapSize: batches[0].size, nLabels: labelIds.length, status: 'training' });
    const rows = rowsOf(batches);
    const scores: Record<string, number> = {};
    await runDetectorJob({ type: 'rankOnce', settings: sessionSettings(), labelIds, labelTargets: semiTargetsOf(labelIds, labels), ...rows }, (ev) => {
      if (ev.type === 'scores') ev.ids.forEach((id, i) => (scores[id] = ev.score[i]));
    }).done;
    if (stale()) return;
    if (!Object.keys(scores).length) throw new Error(`the detector of ${other} was not trained`);
    useAppStore.getState().patchComparison({ scores, status: 'ready' });
  } catch (err) {
    if (!stale()) useAppStore.getState().setComparison(null);
    reportError(err, `the comparison with ${other} failed`);
  }
}

/** Drops the comparison (its maps and detector scores). */
export function clearComparison(): void {
  useAppStore.getState().setComparison(null);
}
