/**
 * The auditor's ranking, from what the detectors already computed: no network pass, so it follows a
 * label at once (the live loop's immediate re-rank). Per image: the mean over ensemble members of the
 * Deep SAD distance rank, plus a label vote in embedding space (near a labeled anomaly: up; near a
 * labeled normal: down), plus optionally the unconfidence rank. Ranks, not raw distances: members'
 * distances live on different scales, and the budget only cares about the order.
 */
import { fractionalRanks } from '../metrics/ranks';
import type { RankingWeights } from './settings';

/** One detector's view of every image: embeddings φ(x) (n·repDim, NaN rows = not embedded) and its centre c. */
export interface MemberEmbeddings {
  embeddings: Float32Array;
  c: Float32Array;
}

/** Squared distances ||z_i − c||² (NaN for rows not embedded). */
export function centerDistances(m: MemberEmbeddings, n: number): Float32Array {
  const d = m.c.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = m.embeddings[i * d + j] - m.c[j];
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}

function median(values: Float32Array): number {
  const v = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : NaN;
}

/**
 * The label vote of every image: max over labeled anomalies of k(z_i, z_a) minus max over labeled
 * normals of k(z_i, z_b), k = exp(−||z_i − z_j||² / h²), h² = `bandwidth` × the median squared
 * distance to c. An image never votes for itself (a labeled image gets the vote of the other labels).
 * In [−1, 1]; 0 without labels; NaN for rows not embedded.
 * @param labels +1 normal, −1 anomalous, 0 unlabeled, per image
 */
export function labelVotes(m: MemberEmbeddings, n: number, labels: ArrayLike<number>, bandwidth: number, dist = centerDistances(m, n)): Float32Array {
  const d = m.c.length;
  const out = new Float32Array(n);
  const h2 = bandwidth * median(dist);
  const anom: number[] = [];
  const norm: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(dist[i])) continue;
    if (labels[i] === -1) anom.push(i);
    else if (labels[i] === 1) norm.push(i);
  }
  if (!(h2 > 0) || (!anom.length && !norm.length)) return out.map((_, i) => (Number.isFinite(dist[i]) ? 0 : NaN));
  const z = m.embeddings;
  const nearest = (i: number, set: number[]): number => {
    let best = Infinity;
    for (const j of set) {
      if (j === i) continue;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const v = z[i * d + k] - z[j * d + k];
        s += v * v;
      }
      if (s < best) best = s;
    }
    return best === Infinity ? 0 : Math.exp(-best / h2);
  };
  for (let i = 0; i < n; i++) out[i] = Number.isFinite(dist[i]) ? nearest(i, anom) - nearest(i, norm) : NaN;
  return out;
}

/** The ranking of n images and its parts (NaN where an image is not scored). */
export interface Ranking {
  /** The ranking score: higher = review first. */
  score: Float32Array;
  /** Mean Deep SAD distance rank over the members, in [0, 1]. */
  deepsad: Float32Array;
  /** Mean label vote, in [−1, 1]. */
  vote: Float32Array;
  /** Mean Deep SAD distance ||φ(x) − c||² over the members (what `apexp score` gives one image on its own). */
  distance: Float32Array;
}

/**
 * Combines members and labels into the ranking: score = mean_m rank(dist_m) + w.vote · mean_m vote_m +
 * w.confidence · rank(unconfidence).
 * @param unconfidence 1 − max softmax per image (only read when w.confidence > 0)
 */
export function rankImages(members: readonly MemberEmbeddings[], n: number, labels: ArrayLike<number>, w: RankingWeights, unconfidence?: ArrayLike<number>): Ranking {
  const deepsad = new Float32Array(n);
  const vote = new Float32Array(n);
  const distance = new Float32Array(n);
  for (const m of members) {
    const dist = centerDistances(m, n);
    const r = fractionalRanks(dist);
    const v = w.vote !== 0 ? labelVotes(m, n, labels, w.bandwidth, dist) : null;
    for (let i = 0; i < n; i++) {
      deepsad[i] += r[i] / members.length;
      vote[i] += (v ? v[i] : 0) / members.length;
      distance[i] += dist[i] / members.length;
    }
  }
  const conf = w.confidence !== 0 && unconfidence ? fractionalRanks(unconfidence) : null;
  const score = Float32Array.from(deepsad, (r, i) => r + w.vote * vote[i] + (conf ? w.confidence * conf[i] : 0));
  return { score, deepsad, vote, distance };
}
