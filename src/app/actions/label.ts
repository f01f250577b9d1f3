/** Labeling intents: label the selection, undo, move through the gallery, label the misclassified. */
import type { Label } from '../state/types';
import { useAppStore } from '../state/store';
import { scheduleFineTune } from './train';
import { persistSoon } from './persist';

function changed(): void {
  persistSoon();
  scheduleFineTune();
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
