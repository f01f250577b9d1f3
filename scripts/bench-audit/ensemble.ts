/**
 * An ensemble of Deep SAD detectors that differ only in their init seed. One detector's scores move a
 * lot with its seed (bench-results/audit-validation.txt), and averaging independent runs should cut
 * that variance. Each member's scores are turned into fractional ranks over the test set before
 * averaging, not z-scores: Deep SAD scores are squared distances to c, heavy-tailed and on a scale
 * that differs from member to member, so one member's few far-out maps would inflate its standard
 * deviation and its z-scores would dominate (or vanish from) the mean; ranks are scale-free, bounded
 * and what the budget flagging (top fraction) and the combined score use anyway.
 */
import { fractionalRanks } from '../../src/core/metrics/ranks';

/** Init seed of member j (0-based) of an ensemble run at pipeline seed `seed`: seed, seed + 100, … (member 0 is the single detector). */
export const memberSeed = (seed: number, j: number): number => seed + 100 * j;

/**
 * Ensemble score of n test images: the mean over `members` (each n scores, higher = more anomalous) of
 * their fractional ranks in [0, 1] (ties share their mean rank). One member gives its ranks.
 */
export function ensembleScores(members: readonly Float32Array[]): Float32Array {
  if (members.length === 0) throw new Error('an ensemble needs at least one member');
  const n = members[0].length;
  if (members.some((m) => m.length !== n)) throw new Error(`ensemble members score different numbers of images: ${members.map((m) => m.length).join(', ')}`);
  const out = new Float32Array(n);
  for (const m of members) {
    const r = fractionalRanks(m);
    for (let i = 0; i < n; i++) out[i] += r[i] / members.length;
  }
  return out;
}
