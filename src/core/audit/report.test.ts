import { describe, expect, it } from 'vitest';
import { buildAuditReport, auditMarkdown, type AuditInput } from './report';
import { pickKnownAnomalies } from './known-anomalies';
import { summariseAgreement } from './auditor';

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

  it('flags the budget of the unlabeled images only, and counts a labeled anomaly as the analyst said', () => {
    const semi = new Int8Array(10);
    semi[0] = -1; // anomalous, score 0.9
    semi[3] = 1; // normal, score 0.2
    semi[5] = 1; // normal, score 0.7
    const r = buildAuditReport(input({ semiTargets: semi }));
    expect(r.n_evaluated).toBe(7);
    expect(r.n_labeled).toBe(3);
    // evaluated scores: img1 .8, img9 .35, img4 .3, img7 .25, img6 .15, img2 .1, img8 .05 → 20% of 7 = top 2
    expect(r.threshold).toBe(0.35);
    expect(r.flagged_ids).toEqual(['img1', 'img9']);
    expect(r.flagged_fraction).toBeCloseTo(2 / 7, 10);
    expect(r.agreement).toBeNull();
  });

  it('leaves unscored images out of the budget and the evaluation', () => {
    const deepsad = [0.9, 0.8, NaN, NaN, 0.3, 0.7, 0.15, 0.25, 0.05, 0.35];
    const r = buildAuditReport(input({ deepsad }));
    expect(r.n_evaluated).toBe(8);
    expect(r.flagged_ids).toEqual(['img0', 'img1']);
  });

  it('carries the held-out agreement in plain words', () => {
    const agreement = summariseAgreement(
      [
        { id: 'img0', label: 'anomalous', percentile: 0.95 },
        { id: 'img1', label: 'anomalous', percentile: 0.2 },
        { id: 'img3', label: 'normal', percentile: 0.1 },
      ],
      3,
      0.2,
    );
    const r = buildAuditReport(input({ agreement }));
    expect(r.agreement?.summary).toBe('Of your 2 anomalous labels, the detector ranks 1 inside the review budget when it has not seen them; of your 1 normal label, it keeps 1 outside.');
    expect(r.agreement?.disagreements).toEqual(['img1']);
    // best F1 on the held-out labels: a cut at percentile 0.95 gives F1 2/3 (img0), at 0.2 F1 1 (img0, img1; img3 stays out): budget 0.8
    expect(r.agreement?.bestF1Budget).toBeCloseTo(0.8, 6);
    expect(auditMarkdown(r)).toMatch(/disagrees with you: img1/);
  });

  it('flags nothing when every image was a training label', () => {
    const r = buildAuditReport(input({ semiTargets: new Int8Array(10).fill(-1) }));
    expect(r.n_evaluated).toBe(0);
    expect(r.threshold).toBe(Infinity);
    expect(r.flagged_ids).toEqual([]);
    expect(r.detectors.faithfulness?.flagged).toBe(0);
  });

  it('maps made elsewhere: confidence from predictions.csv, no faithfulness; without predictions only Deep SAD and random', () => {
    const base = input();
    const maxProb = Array.from({ length: 10 }, (_, i) => Math.max(base.probs![2 * i], base.probs![2 * i + 1]));
    const withConf = buildAuditReport(input({ probs: null, numClasses: 0, confidence: maxProb, faithfulness: null }));
    expect(Object.keys(withConf.detectors).sort()).toEqual(['confidence', 'deepsad', 'random']);
    // the confidence baseline is the same whether it comes from the probabilities or from the max alone
    expect(withConf.detectors.confidence).toEqual(buildAuditReport(base).detectors.confidence);
    expect(withConf.accuracy_before).toBeCloseTo(0.7, 10);
    expect(auditMarkdown(withConf)).not.toMatch(/\| faithfulness \|/);
    const bare = buildAuditReport(input({ probs: null, numClasses: 0, faithfulness: null, predicted: null, truth: undefined }));
    expect(Object.keys(bare.detectors).sort()).toEqual(['deepsad', 'random']);
    expect(bare.flagged_ids).toEqual(['img0', 'img1']);
    expect(() => buildAuditReport(input({ predicted: null }))).toThrow(/truth needs the predicted classes/);
  });

  it('a baseline is judged on the images it can score: a confidence unknown for some maps leaves them out', () => {
    const base = input();
    const maxProb = Array.from({ length: 10 }, (_, i) => (i === 3 ? NaN : Math.max(base.probs![2 * i], base.probs![2 * i + 1])));
    const r = buildAuditReport(input({ probs: null, numClasses: 0, confidence: maxProb, faithfulness: null }));
    // img2 and img0 are still the least confident; img3 (unknown) is neither flagged nor counted.
    expect(r.detectors.confidence).toMatchObject({ flagged: 2, precision: 1 });
    expect(r.n_evaluated).toBe(10);
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
