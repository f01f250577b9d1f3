/**
 * The auditor: one live Deep SAD loop over a growing set of explanations, hosted by the detector
 * worker, `apexp audit` and the benchmarks alike.
 *
 * - A full training (`train`) fits the base detectors on every map with labels ignored (Deep SVDD),
 *   so the analyst's labels can be held out honestly later.
 * - A label change re-ranks at once (`rank`: no network pass, ranking.ts), then `update` runs a
 *   bounded, warm-started fine-tune in the background: from the base weights (never stacked on the
 *   last update, so an undone label is unlearnt), a fixed number of steps over every labeled map and
 *   a fresh sample of unlabeled ones, then one embedding pass over all maps.
 * - `agreement` measures the detector against the analyst on labels it has not seen (k-fold).
 * - `labelNext` picks the unlabeled images whose label would teach the detector most.
 *
 * tfjs work is serialised inside (one chain), so a host can call `rank` at any time while an update runs.
 */
import { loadDetector } from '../deepsad/serialize';
import { trainDeepSad } from '../deepsad/train';
import { fineTuneSteps } from '../deepsad/update';
import type { DeepSadModel } from '../deepsad/detector';
import type { DetectorBundle, TrainHooks } from '../deepsad/types';
import { fractionalRanks } from '../metrics/ranks';
import { createRng, permutation } from '../random';
import { inputChannels } from './detector-input';
import { percentileOf, reviewFlags } from './flags';
import { centerDistances, fitRankingModel, labelVotes, priorModel, rankImages, scoreWith, type MemberEmbeddings, type Ranking, type RankingSignals } from './ranking';
import { detectorConfig, memberSeed, type AuditorSettings } from './settings';

/** Progress of a long auditor job, for hosts that show it. */
export interface AuditorHooks extends TrainHooks {
  /** Before each ensemble member's training starts (0-based), and the member count. */
  onMember?: (member: number, members: number) => void;
}

/** The ranking of every image, aligned with `ids`. */
export interface AuditScores extends Ranking {
  ids: string[];
}

/** How one labeled image fares when the detector has not seen its label. */
export interface HeldOutLabel {
  id: string;
  label: 'normal' | 'anomalous';
  /** Its percentile among unlabeled images under the detector trained without it (1 = above all). */
  percentile: number;
}

/** The detector against the analyst, on held-out labels. */
export interface LabelAgreement {
  folds: number;
  /** The budget the verdicts below are at. */
  budget: number;
  heldOut: HeldOutLabel[];
  /** Anomalous labels ranked inside the budget when unseen. */
  anomalousCaught: number;
  nAnomalous: number;
  /** Normal labels ranked outside the budget when unseen. */
  normalCleared: number;
  nNormal: number;
  /** Ids where the unseen detector disagrees with the analyst (anomalous outside the budget, normal inside). */
  disagreements: string[];
  /** The budget that maximises F1 on the held-out labels (null without both kinds). */
  bestF1Budget: number | null;
}

/** An update stopped by its signal (internal: `update` resolves false). */
class UpdateAborted extends Error {}

interface Member {
  base: DetectorBundle;
  current: DeepSadModel;
  /** capacity·repDim, NaN rows not embedded by `current`. */
  embeddings: Float32Array;
}

const REFERENCE_SAMPLE = 512;
/** Maps embedded per forward chunk; the host's `pause` runs between chunks. */
const EMBED_CHUNK = 1024;

/** How an auditor shares its thread. */
export interface AuditorOptions {
  /**
   * Awaited between optimizer steps and embedding chunks. On the wasm backend tfjs never yields to the
   * event loop, so a worker passes a macrotask pause here: a label that arrives mid-update is then
   * handled within one step instead of after the whole update.
   */
  pause?: () => Promise<void>;
}

/** Deterministic 32-bit mix of small integers (update batches depend on the label counts, not on history). */
function mix(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
  return h;
}

/** The Deep SAD audit loop over explanations. Owns tfjs variables: call `dispose()`. */
export class Auditor {
  readonly settings: AuditorSettings;
  readonly size: [number, number];
  /** Values per explanation: h·w·channels. */
  readonly rowLength: number;
  private idList: string[] = [];
  private index = new Map<string, number>();
  private x = new Float32Array(0);
  private unconf = new Float32Array(0);
  private predictedArr = new Int32Array(0);
  private labelArr = new Int8Array(0);
  private embedded = new Uint8Array(0);
  private members: Member[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly pause: () => Promise<void>;

  constructor(settings: AuditorSettings, size: [number, number], opts: AuditorOptions = {}) {
    this.pause = opts.pause ?? (() => Promise.resolve());
    this.settings = structuredClone(settings);
    this.size = [size[0], size[1]];
    this.rowLength = size[0] * size[1] * inputChannels(settings.input);
  }

  /** Image ids in the order they were added. */
  get ids(): readonly string[] {
    return this.idList;
  }

  get n(): number {
    return this.idList.length;
  }

  /** Whether trained detectors exist (so every added image gets scored). */
  get hasDetector(): boolean {
    return this.members.length > 0;
  }

  private grow(n: number): void {
    const cap = this.unconf.length;
    if (n <= cap) return;
    const next = Math.max(n, Math.ceil(cap * 1.5), 64);
    const resize = <T extends Float32Array | Int8Array | Uint8Array | Int32Array>(a: T, len: number, make: (k: number) => T, fill?: number): T => {
      const b = make(len);
      if (fill !== undefined) (b as Float32Array).fill(fill);
      (b as Float32Array).set(a);
      return b;
    };
    this.x = resize(this.x, next * this.rowLength, (k) => new Float32Array(k));
    this.unconf = resize(this.unconf, next, (k) => new Float32Array(k), NaN);
    this.predictedArr = resize(this.predictedArr, next, (k) => new Int32Array(k), -1);
    this.labelArr = resize(this.labelArr, next, (k) => new Int8Array(k));
    this.embedded = resize(this.embedded, next, (k) => new Uint8Array(k));
    for (const m of this.members) m.embeddings = resize(m.embeddings, next * m.current.c.length, (k) => new Float32Array(k), NaN);
  }

  /**
   * Adds explanations, or replaces those whose id exists (a re-explained image: its embedding is
   * stale until the next `embedPending`).
   * @param x ids.length · rowLength detector inputs (detector-input.ts), NHWC
   * @param unconfidence 1 − max softmax per image (the ranking's confidence signal)
   * @param predicted the classifier's predicted class per image (the ranking's class offsets)
   */
  upsert(ids: readonly string[], x: Float32Array, unconfidence?: ArrayLike<number>, predicted?: ArrayLike<number>): void {
    if (x.length !== ids.length * this.rowLength) throw new RangeError(`expected ${ids.length} explanations of ${this.rowLength} values, got ${x.length}`);
    this.grow(this.n + ids.length);
    ids.forEach((id, k) => {
      let i = this.index.get(id);
      if (i === undefined) {
        i = this.idList.length;
        this.idList.push(id);
        this.index.set(id, i);
      }
      this.x.set(x.subarray(k * this.rowLength, (k + 1) * this.rowLength), i * this.rowLength);
      this.unconf[i] = unconfidence ? unconfidence[k] : NaN;
      this.predictedArr[i] = predicted ? predicted[k] : -1;
      this.embedded[i] = 0;
      for (const m of this.members) m.embeddings.fill(NaN, i * m.current.c.length, (i + 1) * m.current.c.length);
    });
  }

  /**
   * A new auditor with other settings over the same explanations and labels, without detectors (a
   * retraining that runs while this one keeps ranking). The detector input must stay the same.
   */
  withSettings(settings: AuditorSettings): Auditor {
    if (inputChannels(settings.input) !== inputChannels(this.settings.input)) throw new RangeError(`the detector input changes (${this.settings.input} → ${settings.input}): add the explanations again`);
    const next = new Auditor(settings, this.size, { pause: this.pause });
    next.upsert(this.idList, this.x.subarray(0, this.n * this.rowLength), this.unconf.subarray(0, this.n), this.predictedArr.subarray(0, this.n));
    next.labelArr.set(this.labelArr.subarray(0, this.n));
    return next;
  }

  /** Replaces every label: +1 normal, −1 anomalous; ids not given (or unknown) are unlabeled. */
  setLabels(labels: ReadonlyMap<string, number>): void {
    this.labelArr.fill(0);
    for (const [id, y] of labels) {
      const i = this.index.get(id);
      if (i !== undefined && (y === 1 || y === -1)) this.labelArr[i] = y;
    }
  }

  /** The labels as semi-targets, aligned with `ids`. */
  labels(): Int8Array {
    return this.labelArr.slice(0, this.n);
  }

  /** Resolves when the tensor work queued so far has finished (successfully or not). */
  idle(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  private run<T>(f: () => Promise<T>): Promise<T> {
    const next = this.chain.then(() => {
      if (this.disposed) throw new Error('Auditor used after dispose()');
      return f();
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** `hooks` with the host's pause after every batch. */
  private paced<H extends TrainHooks>(hooks: H): H {
    return {
      ...hooks,
      onBatch: async (stage, done, total) => {
        await hooks.onBatch?.(stage, done, total);
        await this.pause();
      },
    };
  }

  /** Embeddings of the n rows `x` under `det`, in chunks with a pause between them. */
  private async embedRows(det: DeepSadModel, x: Float32Array, n: number): Promise<Float32Array> {
    const d = det.c.length;
    const out = new Float32Array(n * d);
    for (let s = 0; s < n; s += EMBED_CHUNK) {
      const b = Math.min(EMBED_CHUNK, n - s);
      out.set(await det.embed(x.subarray(s * this.rowLength, (s + b) * this.rowLength), b), s * d);
      await this.pause();
    }
    return out;
  }

  private data(semiTargets: Int8Array) {
    return { x: this.x.subarray(0, this.n * this.rowLength), n: this.n, semiTargets };
  }

  /**
   * Trains every ensemble member from scratch on all maps (labels ignored, unless `withLabels`: the
   * paper's full Deep SAD, the benchmarks' full-retrain comparison), then updates with the labels.
   * @throws DeepSadDivergedError (the auditor keeps its previous detectors), DeepSadDataError
   */
  train(hooks: AuditorHooks = {}, opts: { withLabels?: boolean } = {}): Promise<void> {
    return this.run(async () => {
      const n = this.n;
      if (n === 0) throw new RangeError('no explanations to train on');
      const semi = opts.withLabels ? this.labels() : new Int8Array(n);
      const bases: DetectorBundle[] = [];
      for (let j = 0; j < this.settings.ensemble; j++) {
        hooks.onMember?.(j, this.settings.ensemble);
        const det = await trainDeepSad(this.data(semi), detectorConfig(this.settings, this.size, n, j), this.paced(hooks));
        try {
          bases.push(await det.toBundle());
        } finally {
          det.dispose();
        }
        if (hooks.signal?.aborted) return;
      }
      await this.install(bases, !opts.withLabels, hooks);
    });
  }

  /** Restores base detectors (a reload, an import, a lost GPU device) and updates them with the current labels. */
  restore(bases: readonly DetectorBundle[], hooks: AuditorHooks = {}): Promise<void> {
    return this.run(() => this.install(bases, true, hooks));
  }

  /** Base detectors, serialised (what a session persists). */
  bundles(): DetectorBundle[] {
    return this.members.map((m) => m.base);
  }

  /** The current detectors (bases updated with the labels), serialised: what `apexp audit` writes to detector/. */
  currentBundles(): Promise<DetectorBundle[]> {
    return this.run(() => Promise.all(this.members.map((m) => m.current.toBundle())));
  }

  private async install(bases: readonly DetectorBundle[], fineTune: boolean, hooks: AuditorHooks): Promise<void> {
    this.members = await this.refreshed(bases, fineTune ? this.labels() : new Int8Array(this.n), hooks);
  }

  /**
   * New members from `bases`: each fine-tuned from its base on `semi` (bounded) and every map embedded.
   * The current members are replaced (and disposed) by the caller only when all of this succeeded.
   */
  private async refreshed(bases: readonly DetectorBundle[], semi: Int8Array, hooks: TrainHooks): Promise<Member[]> {
    const n = this.n;
    const next: Member[] = [];
    try {
      for (const [j, base] of bases.entries()) {
        const current = await this.tunedFromBase(base, semi, j, hooks);
        const embeddings = new Float32Array(Math.max(this.unconf.length, n) * current.c.length).fill(NaN);
        next.push({ base, current, embeddings });
        embeddings.set(await this.embedRows(current, this.x.subarray(0, n * this.rowLength), n));
        if (hooks.signal?.aborted) throw new UpdateAborted();
      }
    } catch (err) {
      for (const m of next) m.current.dispose();
      throw err;
    }
    for (const m of this.members) m.current.dispose();
    this.embedded.fill(1, 0, n);
    return next;
  }

  /**
   * A detector loaded from `base` and fine-tuned for `updateSteps` steps on `semi`: each step takes every
   * labeled map (at most `updateLabeled`) and a fresh sample of `updateUnlabeled` unlabeled ones (from
   * `pool` when given). Without labels it is the base itself.
   */
  private async tunedFromBase(base: DetectorBundle, semi: Int8Array, member: number, hooks: TrainHooks, pool?: readonly number[]): Promise<DeepSadModel> {
    const s = this.settings;
    const labeled: number[] = [];
    const unlabeled: number[] = [];
    for (let i = 0; i < semi.length; i++) (semi[i] !== 0 ? labeled : unlabeled).push(i);
    const det = loadDetector(base);
    if (!labeled.length || s.updateSteps <= 0) return det;
    const from = pool ? pool.filter((i) => semi[i] === 0) : unlabeled;
    const rng = createRng(mix(memberSeed(s.seed, member), labeled.length, semi.reduce((a, v) => a + (v < 0 ? 1 : 0), 0), from.length));
    const pick = (): Uint32Array => {
      const lab = labeled.length > s.updateLabeled ? Array.from(permutation(labeled.length, rng).subarray(0, s.updateLabeled), (k) => labeled[k]) : labeled;
      const unl = Array.from(permutation(from.length, rng).subarray(0, Math.min(from.length, s.updateUnlabeled)), (k) => from[k]);
      return Uint32Array.from([...lab, ...unl]);
    };
    try {
      await fineTuneSteps(det, this.data(semi), pick, { steps: s.updateSteps }, this.paced(hooks));
    } catch (err) {
      det.dispose();
      throw err;
    }
    return det;
  }

  /**
   * The bounded update after a label change: every member restarts from its base, fine-tunes on the
   * current labels and re-embeds every map. Resolves false (the detectors unchanged) without
   * detectors or when `hooks.signal` aborted it (newer labels: the host starts another update).
   */
  update(hooks: TrainHooks = {}): Promise<boolean> {
    return this.run(async () => {
      if (!this.members.length || hooks.signal?.aborted) return false;
      try {
        this.members = await this.refreshed(this.bundles(), this.labels(), hooks);
        return true;
      } catch (err) {
        if (err instanceof UpdateAborted) return false;
        throw err;
      }
    });
  }

  /** Embeds the maps added (or replaced) since the last update, so they are ranked too. Resolves to how many. */
  embedPending(): Promise<number> {
    return this.run(async () => {
      const todo: number[] = [];
      for (let i = 0; i < this.n; i++) if (!this.embedded[i]) todo.push(i);
      if (!todo.length || !this.members.length) return 0;
      const x = new Float32Array(todo.length * this.rowLength);
      todo.forEach((i, k) => x.set(this.x.subarray(i * this.rowLength, (i + 1) * this.rowLength), k * this.rowLength));
      for (const m of this.members) {
        const d = m.current.c.length;
        const e = await this.embedRows(m.current, x, todo.length);
        todo.forEach((i, k) => m.embeddings.set(e.subarray(k * d, (k + 1) * d), i * d));
      }
      for (const i of todo) this.embedded[i] = 1;
      return todo.length;
    });
  }

  private views(): MemberEmbeddings[] {
    return this.members.map((m) => ({ embeddings: m.embeddings.subarray(0, this.n * m.current.c.length), c: m.current.c }));
  }

  /**
   * The first member's embeddings of every embedded image (a copy), for the map of explanations:
   * `ids` (k of them, in add order; rows not embedded yet are left out) and `embeddings` k·dim row-major
   * (dim = the detector's repDim). Null without a detector.
   */
  embeddingsOf(): { ids: string[]; dim: number; embeddings: Float32Array } | null {
    const m = this.members[0];
    if (!m) return null;
    const d = m.current.c.length;
    const rows: number[] = [];
    for (let i = 0; i < this.n; i++) if (this.embedded[i] && Number.isFinite(m.embeddings[i * d])) rows.push(i);
    const embeddings = new Float32Array(rows.length * d);
    rows.forEach((i, k) => embeddings.set(m.embeddings.subarray(i * d, (i + 1) * d), k * d));
    return { ids: rows.map((i) => this.idList[i]), dim: d, embeddings };
  }

  /** The ranking of every image with the current detectors and labels (immediate: no network pass). NaN = not scored yet. */
  rank(): AuditScores {
    const n = this.n;
    if (!this.members.length) {
      const nan = new Float32Array(n).fill(NaN);
      return { ids: [...this.idList], score: nan, deepsad: nan.slice(), vote: nan.slice(), distance: nan.slice(), model: priorModel(this.settings.ranking, 0) };
    }
    const r = rankImages(this.views(), n, this.labels(), this.settings.ranking, this.unconf.subarray(0, n), this.predictedArr.subarray(0, n));
    return { ids: [...this.idList], ...r };
  }

  /**
   * Ranks explanations that are not part of the audited set (the audit benchmark's test images) with
   * the current detectors and the labels of this set: distance ranks among the new images, votes from
   * this set's labeled images, and the ranking model fitted on this set's labels.
   */
  rankExternal(x: Float32Array, n: number, unconfidence?: ArrayLike<number>, predicted?: ArrayLike<number>): Promise<Ranking> {
    return this.run(async () => {
      if (!this.members.length) throw new Error('no detector yet: train first');
      const labeled: number[] = [];
      for (let i = 0; i < this.n; i++) if (this.labelArr[i] !== 0 && this.embedded[i]) labeled.push(i);
      const labels = new Int8Array(n + labeled.length);
      labeled.forEach((i, k) => (labels[n + k] = this.labelArr[i]));
      const deepsad = new Float32Array(n);
      const vote = new Float32Array(n);
      const distance = new Float32Array(n);
      for (const m of this.members) {
        const d = m.current.c.length;
        const emb = new Float32Array((n + labeled.length) * d);
        emb.set(await m.current.embed(x, n));
        labeled.forEach((i, k) => emb.set(m.embeddings.subarray(i * d, (i + 1) * d), (n + k) * d));
        const view = { embeddings: emb, c: m.current.c };
        const dist = centerDistances(view, n + labeled.length);
        const r = fractionalRanks(dist.subarray(0, n));
        const v = labelVotes(view, n + labeled.length, labels, this.settings.ranking.bandwidth, dist);
        for (let i = 0; i < n; i++) {
          deepsad[i] += r[i] / this.members.length;
          vote[i] += v[i] / this.members.length;
          distance[i] += dist[i] / this.members.length;
        }
      }
      const own = this.rank();
      const ownSignals: RankingSignals = { deepsad: own.deepsad, vote: own.vote, unconfidence: fractionalRanks(this.unconf.subarray(0, this.n)), predicted: this.predictedArr.subarray(0, this.n) };
      const model = fitRankingModel(ownSignals, this.labels(), this.settings.ranking);
      const signals: RankingSignals = { deepsad, vote, unconfidence: fractionalRanks(unconfidence ?? new Float32Array(n).fill(NaN)), predicted: predicted ?? new Int32Array(n).fill(-1) };
      return { score: scoreWith(model, signals, n), deepsad, vote, distance, model };
    });
  }

  /**
   * The detector against the analyst on labels it has not seen: the labeled images are split into
   * `folds` folds (stratified, seeded); for each fold every member restarts from its base and is
   * fine-tuned on the other folds' labels, and each held-out image is placed among a fixed sample of
   * unlabeled images. Null with fewer than 2 labels or no detector.
   */
  agreement(budget: number, folds = 5, hooks: TrainHooks = {}): Promise<LabelAgreement | null> {
    return this.run(async () => {
      const n = this.n;
      const semi = this.labels();
      const labeled: number[] = [];
      for (let i = 0; i < n; i++) if (semi[i] !== 0) labeled.push(i);
      if (labeled.length < 2 || !this.members.length) return null;
      const rng = createRng(mix(this.settings.seed, labeled.length, 0xa9));
      const unl: number[] = [];
      for (let i = 0; i < n; i++) if (semi[i] === 0) unl.push(i);
      const ref = Array.from(permutation(unl.length, rng).subarray(0, Math.min(REFERENCE_SAMPLE, unl.length)), (k) => unl[k]).sort((a, b) => a - b);
      // Stratified folds: each kind shuffled, then dealt round-robin.
      const k = Math.min(folds, labeled.length);
      const foldOf = new Map<number, number>();
      let deal = 0;
      for (const kind of [-1, 1]) {
        const rows = labeled.filter((i) => semi[i] === kind);
        for (const p of permutation(rows.length, rng)) foldOf.set(rows[p], deal++ % k);
      }
      const rows = Uint32Array.from([...ref, ...labeled]);
      const percentile = new Map<number, number>();
      for (let f = 0; f < k; f++) {
        const trainSemi = Int8Array.from(semi, (y, i) => (foldOf.get(i) === f ? 0 : y));
        const views: MemberEmbeddings[] = [];
        for (const [j, m] of this.members.entries()) {
          const probe = await this.tunedFromBase(m.base, trainSemi, j, hooks, ref);
          try {
            const x = new Float32Array(rows.length * this.rowLength);
            rows.forEach((i, r) => x.set(this.x.subarray(i * this.rowLength, (i + 1) * this.rowLength), r * this.rowLength));
            views.push({ embeddings: await this.embedRows(probe, x, rows.length), c: Float32Array.from(probe.c) });
          } finally {
            probe.dispose();
          }
          if (hooks.signal?.aborted) return null;
        }
        const subLabels = Int8Array.from(rows, (i) => trainSemi[i]);
        const unconf = Float32Array.from(rows, (i) => this.unconf[i]);
        const predicted = Int32Array.from(rows, (i) => this.predictedArr[i]);
        const r = rankImages(views, rows.length, subLabels, this.settings.ranking, unconf, predicted);
        const refScores = r.score.subarray(0, ref.length);
        rows.forEach((i, p) => {
          if (foldOf.get(i) === f) percentile.set(i, percentileOf(r.score[p], refScores));
        });
      }
      return summariseAgreement(labeled.map((i) => ({ id: this.idList[i], label: semi[i] === -1 ? 'anomalous' : 'normal', percentile: percentile.get(i) ?? NaN })), k, budget);
    });
  }

  /**
   * The unlabeled images whose label would teach the detector most, best first: near the review
   * threshold (the ranking is unsure) and where Deep SAD and the classifier's confidence disagree.
   */
  labelNext(count: number, budget: number, ranking: AuditScores = this.rank()): string[] {
    const n = this.n;
    const cand: number[] = [];
    for (let i = 0; i < n; i++) if (this.labelArr[i] === 0 && Number.isFinite(ranking.score[i])) cand.push(i);
    if (!cand.length) return [];
    const q = fractionalRanks(Float32Array.from(cand, (i) => ranking.score[i]));
    const u = fractionalRanks(Float32Array.from(cand, (i) => this.unconf[i]));
    const cut = 1 - budget;
    const priority = cand.map((i, k) => ({ i, p: (Number.isFinite(u[k]) ? Math.abs(ranking.deepsad[i] - u[k]) : 0) - Math.abs(q[k] - cut) }));
    priority.sort((a, b) => b.p - a.p || a.i - b.i);
    return priority.slice(0, count).map((e) => this.idList[e.i]);
  }

  /** Flags at `budget` over the current ranking (flags.ts). */
  flags(budget: number, ranking: AuditScores = this.rank()) {
    return reviewFlags(ranking.score, this.labels(), budget);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const m of this.members) m.current.dispose();
    this.members = [];
  }
}

/** Verdicts on held-out labels at `budget`: inside the budget = percentile ≥ 1 − budget. */
export function summariseAgreement(heldOut: HeldOutLabel[], folds: number, budget: number): LabelAgreement {
  const cut = 1 - budget;
  const anom = heldOut.filter((h) => h.label === 'anomalous');
  const norm = heldOut.filter((h) => h.label === 'normal');
  const caught = anom.filter((h) => h.percentile >= cut);
  const cleared = norm.filter((h) => h.percentile < cut);
  let bestF1Budget: number | null = null;
  if (anom.length && norm.length) {
    let best = -1;
    for (const t of [...new Set(heldOut.map((h) => h.percentile))].filter(Number.isFinite).sort((a, b) => b - a)) {
      const tp = anom.filter((h) => h.percentile >= t).length;
      const fp = norm.filter((h) => h.percentile >= t).length;
      const f1 = (2 * tp) / (2 * tp + fp + (anom.length - tp));
      if (f1 > best) [best, bestF1Budget] = [f1, Math.min(1, Math.max(0, 1 - t))];
    }
  }
  return {
    folds,
    budget,
    heldOut,
    anomalousCaught: caught.length,
    nAnomalous: anom.length,
    normalCleared: cleared.length,
    nNormal: norm.length,
    disagreements: [...anom.filter((h) => !(h.percentile >= cut)), ...norm.filter((h) => h.percentile >= cut)].map((h) => h.id),
    bestF1Budget,
  };
}
