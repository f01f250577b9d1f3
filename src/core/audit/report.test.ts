import { describe, expect, it } from 'vitest';
import { buildAuditReport, auditMarkdown, type AuditInput } from './report';
import { pickKnownAnomalies } from './known-anomalies';

function input(over: Partial<AuditInput> = {}): AuditInput {
  // 10 images, classes a/b; images 0, 1, 2 are misclassified. Deep SAD ranks 0 and 1 highest, then 5.
  return {
    ids: Array.from({ length: 10 }, (_, i) => `img${i}`),
    classNames: ['a', 'b'],
    predicted: [1, 0, 1, 0, 0, 1, 1, 0, 1, 0],
    truth: [0, 1, 0, 0, 0, 1, 1, 0, 1, 0],
    probs: [0.4, 0.6, 0.9, 0.1, 0.45, 0.55, 0.8, 0.2, 0.7, 0.3, 0.1, 0.9, 0.2, 0.8, 0.95, 0.05, 0.3, 0.7, 0.99, 0.01],
    numClasses: 2,
    deepsad: [0.9, 0.8, 0.1, 0.2, 0.3, 0.7, 0.15, 0.25, 0.05, 0.35],
    faithfulness: [0.1, 0.2, 0.9, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.05],
    semiTargets: new Int8Array(10),
    budget: 0.2,
    seed: 1,
    skipped: [{ id: 'bad.png', reason: 'not an image' }],
    settings: { model: 'm' },
    ...over,
  };
}

describe('buildAuditReport', () => {
  it('flags at the budget and scores every detector against the misclassified images', () => {
    const r = buildAuditReport(input());
    expect(r.threshold_mode).toBe('budget');
    expect(r.threshold).toBe(0.8); // the 2nd highest of 10 scores at a 20% budget
    expect(r.flagged_fraction).toBe(0.2);
    expect(r.flagged_ids).toEqual(['img0', 'img1']);
    expect(r.detectors.deepsad).toMatchObject({ flagged: 2, precision: 1, recall: 2 / 3, f1: 0.8 });
    // Deep SAD ranks: misclassified {0,1,2} at ranks 1,2,9 of 10 → AUC = (7+7+1)/21
    expect(r.detectors.deepsad.auc).toBeCloseTo(15 / 21, 10);
    // faithfulness flags its top 2 (img2 0.9, img8 0.8): one misclassified
    expect(r.detectors.faithfulness).toMatchObject({ flagged: 2, precision: 0.5, recall: 1 / 3 });
    // confidence = 1 − max prob: img2 (0.45→0.55) and img0 (0.6) are the least confident
    expect(r.detectors.confidence).toMatchObject({ flagged: 2, precision: 1 });
    expect(r.accuracy_before).toBeCloseTo(0.7, 10);
    expect(r.accuracy_after).toBeCloseTo(0.9, 10);
    expect(r.per_class).toEqual({
      a: { n: 6, accuracy_before: 4 / 6, accuracy_after: 5 / 6 },
      b: { n: 4, accuracy_before: 3 / 4, accuracy_after: 1 },
    });
    expect(r.n_skipped).toBe(1);
    const md = auditMarkdown(r);
    expect(md).toMatch(/\| deepsad \| 2 \| 0\.800 \| 1\.000 \| 0\.667 \|/);
    expect(md).toMatch(/bad\.png: not an image/);
  });

  it('uses best F1 on the labels when they hold both kinds, and leaves the labeled images out', () => {
    const semi = new Int8Array(10);
    semi[0] = -1; // anomalous, score 0.9
    semi[3] = 1; // normal, score 0.2
    semi[5] = 1; // normal, score 0.7
    const r = buildAuditReport(input({ semiTargets: semi }));
    expect(r.threshold_mode).toBe('best-f1');
    expect(r.threshold).toBe(0.9);
    expect(r.n_evaluated).toBe(7);
    expect(r.n_labeled).toBe(3);
    expect(r.detectors.deepsad.flagged).toBe(0); // no evaluated image scores ≥ 0.9
    expect(r.flagged_fraction).toBe(0);
  });

  it('flags nothing when every image was a training label', () => {
    const r = buildAuditReport(input({ semiTargets: new Int8Array(10).fill(-1) }));
    expect(r.n_evaluated).toBe(0);
    expect(r.threshold).toBe(Infinity);
    expect(r.flagged_ids).toEqual([]);
    expect(r.detectors.faithfulness.flagged).toBe(0);
  });

  it('reports no accuracy or quality without truth', () => {
    const r = buildAuditReport(input({ truth: undefined }));
    expect(r.accuracy_before).toBeUndefined();
    expect(r.detectors.deepsad.f1).toBeUndefined();
    expect(r.detectors.deepsad.flagged).toBe(2);
  });
});

describe('pickKnownAnomalies', () => {
  it('labels round(ratio·m) misclassified images, deterministically', () => {
    const mis = [1, 0, 1, 1, 0, 1, 0, 1, 1, 0];
    const a = pickKnownAnomalies(mis, 0.5, 3);
    expect(a.reduce((s, v) => s + v, 0)).toBe(3);
    a.forEach((v, i) => expect(v && !mis[i]).toBeFalsy());
    expect(Array.from(pickKnownAnomalies(mis, 0.5, 3))).toEqual(Array.from(a));
    expect(pickKnownAnomalies(mis, 0, 3).every((v) => v === 0)).toBe(true);
    expect(pickKnownAnomalies(mis, 1, 3).reduce((s, v) => s + v, 0)).toBe(6);
  });
});
