/**
 * The auditor's ranking, from what the detectors already computed: no network pass, so it follows a
 * label at once (the live loop's immediate re-rank). Per image, three signals: the mean over ensemble
 * members of the Deep SAD distance rank, a label vote in embedding space (near a labeled anomaly: up;
 * near a labeled normal: down), and the classifier's unconfidence rank. Ranks, not raw distances:
 * members' distances live on different scales, and the budget only cares about the order.
 *
 * The score is a weighted sum of the signals. With `learn` set, the weights are learnt from the
 * analyst's labels (label-model.ts: logistic regression with a prior centred on the fixed weights),
 * together with an offset per predicted class (where the classifier errs more often), so the ranking
 * trusts each signal as far as the labels so far bear it out.
 */
import { fractionalRanks } from '../metrics/ranks';
import { fitLogistic } from './label-model';
import { RadialIndex } from './radial-index';
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
  const radius = (j: number): number => Math.sqrt(dist[j]);
  const indexes = [new RadialIndex(m.embeddings, d, anom, radius), new RadialIndex(m.embeddings, d, norm, radius)];
  const zi = new Float32Array(d);
  const kernel = (d2: number): number => (d2 === Infinity ? 0 : Math.exp(-d2 / h2));
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(dist[i])) {
      out[i] = NaN;
      continue;
    }
    zi.set(m.embeddings.subarray(i * d, (i + 1) * d));
    const r = radius(i);
    out[i] = kernel(indexes[0].nearest(zi, r, i)) - kernel(indexes[1].nearest(zi, r, i));
  }
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
  /** How the score weighed the signals (learnt from the labels when the settings say so). */
  model: RankingModel;
}

/** The per-image signals the score combines (ranks in [0, 1], votes in [−1, 1]; NaN = not scored). */
export interface RankingSignals {
  deepsad: ArrayLike<number>;
  vote: ArrayLike<number>;
  /** Rank of 1 − max softmax in [0, 1]; NaN where the classifier's output is unknown. */
  unconfidence: ArrayLike<number>;
  /** Predicted class index; −1 where unknown. */
  predicted: ArrayLike<number>;
}

/** Classes beyond this many get no offset of their own (a 1,000-class model would swamp the labels). */
export const MAX_CLASS_OFFSETS = 16;

/** The weights of a ranking model over {@link RankingSignals}: w·[1, d − ½, u − ½, v, onehot(class)]. */
export interface RankingModel {
  weights: Float64Array;
  /** Class offsets in the model (0 = none). */
  classes: number;
  /** Labels the weights were fitted on (0 = the fixed weights). */
  nLabels: number;
}

/** Features of image i: [1, deepsad − ½, unconfidence − ½, vote, one-hot of the predicted class]. */
function features(s: RankingSignals, i: number, classes: number, out: Float64Array, at: number): void {
  const u = s.unconfidence[i];
  out[at] = 1;
  out[at + 1] = s.deepsad[i] - 0.5;
  out[at + 2] = Number.isFinite(u) ? u - 0.5 : 0;
  out[at + 3] = Number.isFinite(s.vote[i]) ? s.vote[i] : 0;
  for (let c = 0; c < classes; c++) out[at + 4 + c] = s.predicted[i] === c ? 1 : 0;
}

/** The fixed weights as a model (the prior mean of a learnt one). */
export function priorModel(w: RankingWeights, classes: number): RankingModel {
  const weights = new Float64Array(4 + classes);
  weights.set([0, w.deepsad, w.confidence, w.vote]);
  return { weights, classes, nLabels: 0 };
}

/**
 * The ranking model for `labels`: the fixed weights of `w`, or with `w.learn` the MAP logistic
 * weights fitted on the labeled images' signals (anomalous = 1), class offsets included when the
 * model has at most {@link MAX_CLASS_OFFSETS} classes.
 * @param labels +1 normal, −1 anomalous, 0 unlabeled, per image
 */
export function fitRankingModel(s: RankingSignals, labels: ArrayLike<number>, w: RankingWeights): RankingModel {
  if (!w.learn) return priorModel(w, 0);
  let maxClass = -1;
  for (let i = 0; i < labels.length; i++) maxClass = Math.max(maxClass, s.predicted[i]);
  const classes = w.learn.byClass && maxClass + 1 <= MAX_CLASS_OFFSETS ? maxClass + 1 : 0;
  const prior = priorModel(w, classes);
  const d = prior.weights.length;
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if ((labels[i] === 1 || labels[i] === -1) && Number.isFinite(s.deepsad[i])) rows.push(i);
  if (!rows.length) return prior;
  const x = new Float64Array(rows.length * d);
  rows.forEach((i, r) => features(s, i, classes, x, r * d));
  const y = rows.map((i) => (labels[i] === -1 ? 1 : 0));
  // The intercept only follows the labels' base rate (the analyst reviews the top, so it is no prior of ours).
  const precision = Array.from({ length: d }, (_, k) => (k === 0 ? 1e-3 : w.learn!.precision));
  return { weights: fitLogistic(x, y, d, { mean: prior.weights, precision }), classes, nLabels: rows.length };
}

/** Scores of n images under `model` (NaN where not scored). */
export function scoreWith(model: RankingModel, s: RankingSignals, n: number): Float32Array {
  const d = model.weights.length;
  const f = new Float64Array(d);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(s.deepsad[i])) {
      out[i] = NaN;
      continue;
    }
    features(s, i, model.classes, f, 0);
    let t = 0;
    for (let k = 0; k < d; k++) t += f[k] * model.weights[k];
    out[i] = t;
  }
  return out;
}

/** Per-member Deep SAD parts of n images: mean distance rank, mean vote, mean distance. */
function memberParts(members: readonly MemberEmbeddings[], n: number, labels: ArrayLike<number>, w: RankingWeights): Omit<Ranking, 'score' | 'model'> {
  const deepsad = new Float32Array(n);
  const vote = new Float32Array(n);
  const distance = new Float32Array(n);
  const votes = w.vote !== 0 || w.learn !== null;
  for (const m of members) {
    const dist = centerDistances(m, n);
    const r = fractionalRanks(dist);
    const v = votes ? labelVotes(m, n, labels, w.bandwidth, dist) : null;
    for (let i = 0; i < n; i++) {
      deepsad[i] += r[i] / members.length;
      vote[i] += (v ? v[i] : 0) / members.length;
      distance[i] += dist[i] / members.length;
    }
  }
  return { deepsad, vote, distance };
}

/**
 * Combines members, labels and the classifier's output into the ranking (see the file comment).
 * @param unconfidence 1 − max softmax per image (NaN = unknown)
 * @param predicted predicted class per image (−1 = unknown)
 */
export function rankImages(members: readonly MemberEmbeddings[], n: number, labels: ArrayLike<number>, w: RankingWeights, unconfidence?: ArrayLike<number>, predicted?: ArrayLike<number>): Ranking {
  const parts = memberParts(members, n, labels, w);
  const signals: RankingSignals = { deepsad: parts.deepsad, vote: parts.vote, unconfidence: fractionalRanks(unconfidence ?? new Float32Array(n).fill(NaN)), predicted: predicted ?? new Int32Array(n).fill(-1) };
  const model = fitRankingModel(signals, labels, w);
  return { score: scoreWith(model, signals, n), ...parts, model };
}

/**
 * The model in words, for the analyst: how much each signal moves an image up the ranking (logit units
 * per unit of the signal's span) and, with class offsets, which predicted classes the labels found to
 * hold more errors. E.g. "The ranking weighs the classifier's unconfidence 6.1, Deep SAD 3.4, likeness
 * to your labels 2.0; predicted broken +0.9, good −0.6 (learnt from 20 labels)."
 */
export function describeRankingModel(m: RankingModel, classNames: readonly string[] = []): string {
  const [, d, u, v] = m.weights;
  const f = (x: number): string => x.toFixed(1);
  const signed = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;
  const parts = [`the classifier's unconfidence ${f(u)}`, `Deep SAD ${f(d)}`, `likeness to your labels ${f(v)}`];
  let text = `The ranking weighs ${parts.join(', ')}`;
  if (m.classes) {
    const off = Array.from(m.weights.subarray(4, 4 + m.classes));
    const mean = off.reduce((a, b) => a + b, 0) / off.length;
    const order = off.map((o, c) => ({ c, o: o - mean })).sort((a, b) => b.o - a.o);
    text += `; predicted ${order.map(({ c, o }) => `${classNames[c] ?? `class ${c}`} ${signed(o)}`).join(', ')}`;
  }
  return `${text} (${m.nLabels ? `learnt from ${m.nLabels} label${m.nLabels === 1 ? '' : 's'}` : 'the starting weights: no labels yet'}).`;
}
