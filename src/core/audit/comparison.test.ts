import { describe, expect, it } from 'vitest';
import { compareAudits, comparisonMarkdown, type ComparedAudit } from './comparison';
import type { AuditReport } from './report';

function audit(name: string, ids: string[], flagged: string[], evaluated: number[], predicted: string[] | null, budget = 0.2): ComparedAudit {
  const report = { budget, flagged_ids: flagged, n_evaluated: evaluated.filter(Boolean).length, accuracy_before: 0.9, detectors: { deepsad: { threshold: 1, flagged: flagged.length, f1: 0.5 }, random: { threshold: 1, flagged: flagged.length } } } as unknown as AuditReport;
  return { name, report, ids, predicted, evaluated: Uint8Array.from(evaluated) };
}

describe('compareAudits', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  it('fills the 2×2 table on the images both evaluated (and both audited), with agreement and κ', () => {
    // b is labeled for model B (not evaluated there); f was skipped by model B
    const A = audit('A', ids, ['a', 'b', 'c'], [1, 1, 1, 1, 1, 1], ['x', 'y', 'x', 'x', 'y', 'x']);
    const B = audit('B', ['a', 'b', 'c', 'd', 'e'], ['a', 'd'], [1, 0, 1, 1, 1], ['x', 'x', 'x', 'y', 'y']);
    const c = compareAudits(A, B);
    expect(c.models).toEqual(['A', 'B']);
    expect(c.n_images).toBe(4);
    expect(c.both_flagged).toEqual({ count: 1, ids: ['a'] });
    expect(c.only_a).toEqual({ count: 1, ids: ['c'] });
    expect(c.only_b).toEqual({ count: 1, ids: ['d'] });
    expect(c.neither).toEqual({ count: 1, ids: ['e'] });
    expect(c.agreement).toBe(0.5);
    // pa = pb = 0.5: chance agreement 0.5, κ = 0
    expect(c.kappa).toBeCloseTo(0, 12);
    expect(c.per_model.A).toMatchObject({ flagged: 2, flagged_in_report: 3, n_evaluated: 6, deepsad_f1: 0.5 });
    expect(c.per_model.B).toMatchObject({ flagged: 2, flagged_in_report: 2, n_evaluated: 4 });
    // predictions over the 5 images both audited: a, c, e agree
    expect(c.prediction_agreement).toEqual({ n_images: 5, same: 3, fraction: 0.6 });
    const md = comparisonMarkdown(c);
    expect(md).toContain('| **A flagged** | 1 | 1 |');
    expect(md).toContain('## Flagged by B only\n\n- d');
  });

  it('identical flags: agreement 1, κ 1; no predictions: null', () => {
    const c = compareAudits(audit('A', ids, ['a'], [1, 1, 1, 1, 1, 1], null), audit('B', ids, ['a'], [1, 1, 1, 1, 1, 1], null));
    expect(c.agreement).toBe(1);
    expect(c.kappa).toBe(1);
    expect(c.prediction_agreement).toBeNull();
  });

  it('refuses two budgets or one name', () => {
    expect(() => compareAudits(audit('A', ids, [], [1, 1, 1, 1, 1, 1], null, 0.1), audit('B', ids, [], [1, 1, 1, 1, 1, 1], null, 0.2))).toThrow(/budgets differ/);
    expect(() => compareAudits(audit('A', ids, [], [1, 1, 1, 1, 1, 1], null), audit('A', ids, [], [1, 1, 1, 1, 1, 1], null))).toThrow(/both models are called A/);
  });
});
