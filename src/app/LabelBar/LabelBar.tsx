import { labelMisclassified, labelNext, labelSelected, undoLabel } from '../actions/label';
import { useAppStore } from '../state/store';

/** Label buttons (they act on the selected cards), undo, and "label misclassified as anomalous". */
export function LabelBar({ order }: { order: string[] }) {
  const nSel = useAppStore((s) => s.selectedIds.length);
  const canUndo = useAppStore((s) => s.history.length > 0);
  const nNext = useAppStore((s) => s.nextIds.filter((id) => !s.labels[id]).length);
  const counts = useAppStore((s) => {
    let n = 0;
    let a = 0;
    for (const l of Object.values(s.labels)) {
      if (l === 'normal') n++;
      else a++;
    }
    return `${n}/${a}`;
  });
  const [nNormal, nAnom] = counts.split('/');
  return (
    <div className="label-bar" role="toolbar" aria-label="Labeling">
      <span>{nSel} selected</span>
      <button type="button" data-testid="label-normal" onClick={() => labelSelected('normal', order)} title="Label normal (n)">
        Normal <kbd>n</kbd>
      </button>
      <button type="button" data-testid="label-anomalous" onClick={() => labelSelected('anomalous', order)} title="Label anomalous (a)">
        Anomalous <kbd>a</kbd>
      </button>
      <button type="button" data-testid="label-clear" onClick={() => labelSelected(null, order)} title="Clear label (c)">
        Clear <kbd>c</kbd>
      </button>
      <button type="button" data-testid="undo" disabled={!canUndo} onClick={undoLabel} title="Undo (u, Ctrl+Z)">
        Undo <kbd>u</kbd>
      </button>
      <button type="button" data-testid="label-next" onClick={labelNext} disabled={!nNext} title="Show the images whose label would teach the detector most, and focus the first (s)">
        Label next ({nNext}) <kbd>s</kbd>
      </button>
      <button type="button" data-testid="label-misclassified" onClick={() => labelMisclassified()}>
        Label misclassified as anomalous
      </button>
      <span className="label-counts" data-testid="label-counts">
        {nNormal} normal · {nAnom} anomalous
      </span>
    </div>
  );
}
