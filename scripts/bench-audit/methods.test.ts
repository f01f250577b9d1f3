import { describe, expect, it } from 'vitest';
import { parseMethods, renderMethods, type MethodRow } from './methods';
import type { DetectorFigures } from './detectors';

const fig = (union: number): DetectorFigures => ({ f1: union / 2, precision: 0.5, recall: union, shortcut_recall: 0.25, union_recall: union, roc_auc: 0.7, pr_auc: 0.3, faulty_accuracy_after: 0.9 });
const row = (seed: number, method: MethodRow['method'], union: number, cost: number): MethodRow => ({
  seed,
  classifier: 'vgg_small',
  method,
  explain_ms_per_image: 2 * cost,
  cost_vs_gradcam: cost,
  n_misclassified: 10,
  n_shortcut: 3,
  deepsad: fig(union),
  deepsad_unlabeled: fig(union / 2),
});

describe('the CAM-method study', () => {
  it('always runs Grad-CAM first (the cost baseline), once, and rejects unknown names', () => {
    expect(parseMethods('hirescam,layercam')).toEqual(['gradcam', 'hirescam', 'layercam']);
    expect(parseMethods('layercam,gradcam,layercam')).toEqual(['gradcam', 'layercam']);
    expect(() => parseMethods('gradcam,scorecam')).toThrow(/unknown method "scorecam"/);
  });

  it('renders means over seeds per classifier and method, the cost ratio and the rule', () => {
    const rows = [row(1001, 'gradcam', 0.4, 1), row(1002, 'gradcam', 0.6, 1), row(1001, 'hirescam', 0.5, 0.9), row(1002, 'hirescam', 0.7, 1.1)];
    const { json, markdown } = renderMethods(rows, { command: 'npm run bench:audit -- --methods hirescam', seconds: 12.4, rule: 'RULE' });
    expect(markdown).toContain('Decision rule, written before the run: RULE');
    expect(markdown).toContain('Seeds 1001, 1002');
    // gradcam: union (40 + 60) / 2 = 50.0, F1 25.0; hirescam: 60.0, cost (0.9 + 1.1) / 2 = 1.00×
    expect(markdown).toMatch(/\| gradcam \| 1\.00× \| 25\.0 \[20\.0, 30\.0\] \| 50\.0 \[40\.0, 60\.0\] \|/);
    expect(markdown).toMatch(/\| hirescam \| 1\.00× \| 30\.0 \[25\.0, 35\.0\] \| 60\.0 \[50\.0, 70\.0\] \|/);
    expect((json as { rows: MethodRow[] }).rows).toHaveLength(4);
  });
});
