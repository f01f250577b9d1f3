/** Labeling intents: label the selection, undo, move through the gallery, the label-next queue, label the misclassified. */
import type { Label } from '../state/types';
import { useAppStore } from '../state/store';
import { sendLabels } from './detector';
import { persistSoon } from './persist';

/** After every label change: the detector re-ranks at once (and updates in the background); the session is saved. */
function changed(): void {
  sendLabels();
  persistSoon();
}

/** Labels the selected cards (or the focused one) and moves focus to the next card in `order`. */
export function labelSelected(label: Label | null, order: string[] = []): void {
  const s = useAppStore.getState();
  const ids = s.selectedIds.length ? s.selectedIds : s.focusId ? [s.focusId] : [];
  if (!ids.length) {
    s.notify('info', 'Select a card first (click it, or move with j/k).');
    return;
  }
  s.setLabels(ids, label);
  if (ids.length === 1 && order.length) moveFocus(1, order);
  changed();
}

/** Undoes the last labeling step. */
export function undoLabel(): void {
  if (!useAppStore.getState().history.length) return;
  useAppStore.getState().undo();
  changed();
}

/** Moves the focus `delta` cards along `order` (the gallery's current order). */
export function moveFocus(delta: number, order: string[]): void {
  if (!order.length) return;
  const { focusId, setFocus } = useAppStore.getState();
  const i = focusId ? order.indexOf(focusId) : -1;
  const next = i < 0 ? (delta > 0 ? 0 : order.length - 1) : Math.min(order.length - 1, Math.max(0, i + delta));
  setFocus(order[next]);
}

/** Labels the explanation of every misclassified image (true class known) as a known anomaly, as the paper does. */
export function labelMisclassified(): number {
  const s = useAppStore.getState();
  const ids = s.imageIds.filter((id) => {
    const t = s.images[id]?.truth ?? -1;
    const e = s.explanations[id];
    return t >= 0 && e && e.predicted !== t && !s.labels[id];
  });
  if (!ids.length) {
    s.notify('info', 'No unlabeled misclassified images (the true class must be known).');
    return 0;
  }
  s.setLabels(ids, 'anomalous');
  s.notify('info', `Labeled ${ids.length} misclassified image(s) as anomalous.`);
  changed();
  return ids.length;
}

/** "Label next": shows the queue of images whose label would teach the detector most and focuses its first. */
export function labelNext(): void {
  const s = useAppStore.getState();
  const first = s.nextIds.find((id) => !s.labels[id]);
  if (!first) {
    s.notify('info', s.detectors.length ? 'Nothing to suggest: every scored image is labeled.' : 'Suggestions come with the detector: wait for the training to finish.');
    return;
  }
  s.setFilter('next');
  s.setFocus(first);
}

/** Labels every image picked on the map as one undoable step (the map's bulk label). */
export function labelMapSelection(label: Label): number {
  const s = useAppStore.getState();
  if (!s.mapSelection.length) {
    s.notify('info', 'Pick images on the map first (drag a box or a lasso).');
    return 0;
  }
  s.setLabels(s.mapSelection, label);
  changed();
  return s.mapSelection.length;
}
