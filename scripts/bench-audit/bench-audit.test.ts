import { describe, expect, it } from 'vitest';
import { combinedScores, faultyAccuracy, fractionalRanks, randomExpected, scoreDetector } from './detectors';
import { analystLabels, auditTruth, cellInBox, peakCell } from './ground-truth';
import { bootstrap, mean } from './stats';

describe('ground truth', () => {
  it('finds the peak cell and tests it against a box dilated by one cell', () => {
    const maps = new Float32Array(2 * 16);
    maps[5] = 1; // image 0: cell (1, 1) of a 4×4 map
    maps[16 + 15] = 0.7; // image 1: cell (3, 3)
    expect(peakCell(maps, 0, 4, 4)).toBe(5);
    expect(peakCell(maps, 1, 4, 4)).toBe(15);
    // 4×4 map over 64 px: cells are 16 px. Cell (1, 1) covers [16, 32)².
    expect(cellInBox(5, 4, 4, 64, { x0: 20, y0: 20, x1: 25, y1: 25 }, 0)).toBe(true);
    expect(cellInBox(5, 4, 4, 64, { x0: 40, y0: 20, x1: 45, y1: 25 }, 0)).toBe(false);
    // dilated by one cell (16 px) the box [40, 45) reaches back to 24 < 32: overlap.
    expect(cellInBox(5, 4, 4, 64, { x0: 40, y0: 20, x1: 45, y1: 25 }, 1)).toBe(true);
    expect(cellInBox(5, 4, 4, 64, { x0: 50, y0: 20, x1: 55, y1: 25 }, 1)).toBe(false);
    expect(cellInBox(5, 4, 4, 64, null)).toBe(false);
  });

  it('splits misclassified, right-for-the-wrong-reason and union', () => {
    const maps = new Float32Array(3 * 16);
    maps[0] = 1; // image 0 peaks in cell 0 (top-left 16×16 px of 64)
    maps[16 + 15] = 1; // image 1 peaks bottom-right, far from the box even dilated by 16 px
    maps[32 + 0] = 1; // image 2 top-left
    const box = { x0: 0, y0: 0, x1: 8, y1: 8 };
    const t = auditTruth(Int32Array.from([1, 1, 0]), Int32Array.from([1, 0, 2]), maps, [4, 4], 64, [box, box, box]);
    expect([...t.misclassified]).toEqual([0, 1, 1]);
    expect([...t.tagFocused]).toEqual([1, 0, 1]);
    expect([...t.shortcut]).toEqual([1, 0, 0]);
    expect([...t.union]).toEqual([1, 1, 1]);
  });

  it('the analyst labels half tag-focused, half misclassified, filling in when one kind runs short', () => {
    const n = 40;
    const t = { misclassified: new Uint8Array(n), tagFocused: new Uint8Array(n), shortcut: new Uint8Array(n), union: new Uint8Array(n) };
    for (let i = 0; i < 10; i++) t.tagFocused[i] = 1;
    for (let i = 10; i < 13; i++) t.misclassified[i] = 1;
    const s = analystLabels(t, 8, 1);
    const picked = [...s.keys()].filter((i) => s[i] === -1);
    expect(picked).toHaveLength(8);
    expect(picked.filter((i) => i < 10)).toHaveLength(5); // only 3 misclassified exist → 5 tag-focused
    expect(picked.filter((i) => i >= 10 && i < 13)).toHaveLength(3);
    expect([...analystLabels(t, 0, 1)].every((v) => v === 0)).toBe(true);
  });
});

describe('detector figures', () => {
  const n = 20;
  const t = { misclassified: new Uint8Array(n), tagFocused: new Uint8Array(n), shortcut: new Uint8Array(n), union: new Uint8Array(n) };
  t.misclassified[0] = 1;
  t.misclassified[1] = 1;
  t.shortcut[2] = 1;
  for (let i = 0; i < 3; i++) t.union[i] = 1;
  const correct = Uint8Array.from(t.misclassified, (m) => 1 - m);
  const faulty = Uint8Array.from({ length: n }, (_, i) => (i < 10 ? 1 : 0));

  it('flags the top budget and scores it by hand-countable cases', () => {
    // Scores rank images 0, 2, 5 highest; a 15% budget of 20 flags 3.
    const scores = Float32Array.from({ length: n }, (_, i) => (i === 0 ? 10 : i === 2 ? 9 : i === 5 ? 8 : 0.01 * i));
    const f = scoreDetector(scores, t, correct, faulty, 0.15);
    expect(f.precision).toBeCloseTo(1 / 3);
    expect(f.recall).toBeCloseTo(1 / 2);
    expect(f.f1).toBeCloseTo(2 / 5);
    expect(f.shortcut_recall).toBe(1);
    expect(f.union_recall).toBeCloseTo(2 / 3);
    // faulty images 0–9: 8 correct before; image 0 flagged and corrected → 9/10.
    expect(faultyAccuracy(correct, faulty)).toBeCloseTo(0.8);
    expect(f.faulty_accuracy_after).toBeCloseTo(0.9);
  });

  it('random flagging has the expected values', () => {
    const r = randomExpected(t, correct, faulty, 0.15);
    expect(r.precision).toBeCloseTo(0.1);
    expect(r.recall).toBe(0.15);
    expect(r.f1).toBeCloseTo((2 * 0.1 * 0.15) / 0.25);
    expect(r.faulty_accuracy_after).toBeCloseTo(0.8 + 0.15 * 0.2);
  });

  it('ranks with ties and combines two rankings', () => {
    const r = fractionalRanks(Float32Array.from([3, 1, 3, 2]));
    [5 / 6, 0, 5 / 6, 1 / 3].forEach((v, i) => expect(r[i]).toBeCloseTo(v, 6));
    const c = combinedScores(Float32Array.from([1, 2, 3]), Float32Array.from([3, 2, 1]));
    expect([...c]).toEqual([0.5, 0.5, 0.5]);
  });
});

describe('stats', () => {
  it('means and bootstrap intervals', () => {
    expect(mean([1, 2, NaN, 3])).toBe(2);
    const c = bootstrap([0.4, 0.4, 0.4]);
    for (const v of [c.mean, c.lo, c.hi]) expect(v).toBeCloseTo(0.4, 12);
    const b = bootstrap([0, 1, 0, 1]);
    expect(b.mean).toBe(0.5);
    expect(b.lo).toBeLessThan(0.5);
    expect(b.hi).toBeGreaterThan(0.5);
    expect(b.lo).toBeGreaterThanOrEqual(0);
  });
});
