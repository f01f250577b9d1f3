/**
 * The detector worker's work: one Auditor (core/audit/auditor.ts) and the live loop around it. A label
 * change is answered at once with a re-rank from the current embeddings; a bounded update then runs in
 * the background (coalescing label changes that arrive meanwhile), and broadcasts the moved ranking
 * and the held-out agreement. Requests are handled as they arrive, not queued: the auditor serialises
 * its own tensor work, so a label never waits behind a training.
 */
import { Auditor } from '../core/audit/auditor';
import { DEFAULT_AUDITOR_SETTINGS, type AuditorSettings } from '../core/audit/settings';
import { PEAK_INPUT_CHANNELS } from '../core/audit/peak-patch';
import type { BackendName } from '../core/tf/backend';
import { selectBackend } from '../core/tf/backend';
import { alignLayout } from '../core/projection/align-layout';
import { normaliseLayout } from '../core/projection/knn-place';
import { umapLayout } from '../core/projection/umap-layout';
import type { DetectorReply, DetectorRequest, DetectorRows, RankingCause } from './detector-protocol';

/** Label-next suggestions sent with every ranking. */
export const NEXT_COUNT = 30;

/** How a handler posts replies (the worker's postMessage with transfers; a spy in tests). */
export type Post = (msg: DetectorReply) => void;

/** A macrotask pause: lets the worker take the next message (a label) between tensor steps. */
export const yieldToEvents = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** An auditor that shares the worker's thread with incoming labels. */
const makeAuditor = (settings: AuditorSettings, size: [number, number]): Auditor => new Auditor(settings, size, { pause: yieldToEvents });

interface LoopState {
  auditor: Auditor;
  /** The auditor a running training fills; it replaces `auditor` when done (so ranking goes on meanwhile). */
  training: Auditor | null;
  budget: number;
  /** Labels changed since the running update started. */
  dirty: boolean;
  updating: Promise<void> | null;
  /** Stops the running update when newer labels arrive (it restarts with them). */
  updateCtl: AbortController | null;
  /** Stops a running agreement when labels change again (its answer would be stale). */
  agreementCtl: AbortController | null;
  jobs: Map<number, AbortController>;
  /** Counts label messages, so a training can tell whether labels changed while it ran. */
  labelsSeq: number;
  /** Stops the running projection when a newer one is asked for. */
  projectionCtl: AbortController | null;
  /** The last map sent: a new one is fitted onto it, so the map does not turn or flip when the detector moves. */
  lastMap: { ids: string[]; xy: Float32Array } | null;
}

const st: LoopState = {
  auditor: makeAuditor(DEFAULT_AUDITOR_SETTINGS, [32, 32]),
  training: null,
  budget: 0.15,
  dirty: false,
  updating: null,
  updateCtl: null,
  agreementCtl: null,
  jobs: new Map(),
  labelsSeq: 0,
  projectionCtl: null,
  lastMap: null,
};

/** The auditor in use (tests). */
export function currentAuditor(): Auditor {
  return st.auditor;
}

/** Detector inputs of `rows` for the auditor's input kind: maps /255, interleaved with the patch when it takes one. */
export function rowsToInput(rows: DetectorRows, channels: number): Float32Array {
  const cells = rows.size[0] * rows.size[1];
  const n = rows.ids.length;
  const x = new Float32Array(n * cells * channels);
  if (channels === 1) {
    for (let j = 0; j < n * cells; j++) x[j] = rows.heatmaps[j] / 255;
    return x;
  }
  if (channels !== PEAK_INPUT_CHANNELS || !rows.patches) throw Object.assign(new Error('these explanations have no peak patches: explain them again, or train on the map alone'), { name: 'DetectorInputError', code: 'missing-patches' });
  for (let j = 0; j < n * cells; j++) {
    x[j * 4] = rows.heatmaps[j] / 255;
    x[j * 4 + 1] = rows.patches[j * 3] / 255;
    x[j * 4 + 2] = rows.patches[j * 3 + 1] / 255;
    x[j * 4 + 3] = rows.patches[j * 3 + 2] / 255;
  }
  return x;
}

function postRanking(id: number, cause: RankingCause, post: Post): void {
  const a = st.auditor;
  // Without a detector there is nothing to rank: the page keeps what it shows (e.g. during the first training).
  if (!a.hasDetector) return;
  const r = a.rank();
  post({ type: 'ranking', id, cause, ids: r.ids, score: r.score, deepsad: r.deepsad, model: r.model, next: a.hasDetector ? a.labelNext(NEXT_COUNT, st.budget, r) : [], updating: !!st.updating });
}

/** Held-out agreement for the current labels, broadcast unless labels changed meanwhile. */
async function postAgreement(post: Post): Promise<void> {
  st.agreementCtl?.abort();
  const ctl = new AbortController();
  st.agreementCtl = ctl;
  const auditor = st.auditor;
  const agreement = await auditor.agreement(st.budget, 5, { signal: ctl.signal });
  if (!ctl.signal.aborted && auditor === st.auditor) post({ type: 'agreement', id: 0, agreement });
}

/** Runs bounded updates until the labels stop changing, broadcasting each new ranking, then the agreement. */
function kickUpdate(post: Post): void {
  st.dirty = true;
  st.agreementCtl?.abort();
  st.updateCtl?.abort();
  if (st.updating || !st.auditor.hasDetector) return;
  const auditor = st.auditor;
  st.updating = (async () => {
    try {
      while (st.dirty && auditor === st.auditor) {
        st.dirty = false;
        const ctl = new AbortController();
        st.updateCtl = ctl;
        const done = await auditor.update({ signal: ctl.signal });
        if (auditor !== st.auditor) return;
        if (!done) continue; // newer labels stopped it: the loop runs again with them
        if (!st.dirty) st.updating = null;
        postRanking(0, 'update', post);
      }
    } finally {
      if (auditor === st.auditor) st.updating = null;
    }
    if (auditor === st.auditor) await postAgreement(post);
  })().catch((err: Error) => post({ type: 'error', id: 0, name: err.name, code: (err as { code?: string }).code ?? 'update-failed', message: `the update after your labels failed: ${err.message}` }));
}

/** Replaces the auditor (the old one finishes what it runs, then is freed). */
function replaceAuditor(settings: AuditorSettings, size: [number, number]): void {
  const old = st.auditor;
  for (const c of st.jobs.values()) c.abort();
  st.agreementCtl?.abort();
  st.auditor = makeAuditor(settings, size);
  st.training = null;
  st.updating = null;
  st.dirty = false;
  void old.idle().then(() => old.dispose());
}

/** Handles one request; resolves `{cancelled}` for the final `result`. */
export async function handleDetector(req: DetectorRequest, post: Post): Promise<{ cancelled?: boolean } | void> {
  switch (req.type) {
    case 'init':
      post({ type: 'ready', id: req.id, backend: await selectBackend([req.backend, ...(['wasm', 'cpu'] as BackendName[]).filter((b) => b !== req.backend)]) });
      return;
    case 'configure':
      replaceAuditor(req.settings, req.size);
      return;
    case 'add': {
      const a = st.auditor;
      const r = req;
      if (r.size[0] !== a.size[0] || r.size[1] !== a.size[1]) throw Object.assign(new Error(`maps of ${r.size.join('×')} do not fit this detector's ${a.size.join('×')}`), { name: 'DetectorInputError', code: 'bad-size' });
      const x = rowsToInput(r, a.rowLength / (a.size[0] * a.size[1]));
      a.upsert(r.ids, x, r.unconfidence, r.predicted);
      st.training?.upsert(r.ids, x, r.unconfidence, r.predicted);
      if (a.hasDetector && (await a.embedPending()) > 0 && a === st.auditor) postRanking(req.id, 'add', post);
      return;
    }
    case 'labels': {
      const labels = new Map(req.ids.map((id, i) => [id, req.targets[i]]));
      st.labelsSeq++;
      st.auditor.setLabels(labels);
      st.training?.setLabels(labels);
      st.budget = req.budget;
      // The update starts first, so the immediate ranking says that the ranking will move again.
      kickUpdate(post);
      postRanking(req.id, 'labels', post);
      return;
    }
    case 'budget':
      st.budget = req.budget;
      postRanking(req.id, 'budget', post);
      return;
    case 'train': {
      const ctl = new AbortController();
      st.jobs.set(req.id, ctl);
      const current = st.auditor;
      // A new auditor with the training's settings over the same rows. Without a detector it takes over at
      // once; otherwise the current one keeps ranking (and the new one gets every row and label) until it is done.
      const a = current.withSettings(req.settings);
      if (!current.hasDetector) {
        st.auditor = a;
        void current.idle().then(() => current.dispose());
      } else st.training = a;
      const seq = st.labelsSeq;
      const stale = (): boolean => ctl.signal.aborted || (a !== st.auditor && st.training !== a);
      try {
        let member = 0;
        await a.train({
          signal: ctl.signal,
          onMember: (j) => (member = j),
          onEpoch: (e) => post({ type: 'epoch', id: req.id, stage: e.stage, epoch: e.epoch, epochs: e.epochs, loss: e.loss, member }),
          onBatch: (stage, done, total) => post({ type: 'progress', id: req.id, done, total, label: `${stage === 'pretrain' ? 'pretraining' : 'training'}${a.settings.ensemble > 1 ? ` ${member + 1}/${a.settings.ensemble}` : ''}` }),
        });
      } catch (err) {
        if (a !== st.auditor) a.dispose();
        throw err;
      } finally {
        st.jobs.delete(req.id);
      }
      if (stale() || !a.hasDetector) {
        if (st.training === a) st.training = null;
        if (a !== st.auditor) a.dispose();
        return { cancelled: true };
      }
      if (st.training === a) {
        // The retrained auditor replaces the current one (labels that changed meanwhile are in it already).
        st.training = null;
        const old = st.auditor;
        st.auditor = a;
        st.updating = null;
        void old.idle().then(() => old.dispose());
      }
      post({ type: 'detector', id: req.id, bundles: a.bundles() });
      postRanking(req.id, 'train', post);
      // Labels that arrived during the training may have missed its closing update: run one for them.
      if (st.labelsSeq !== seq) kickUpdate(post);
      else void postAgreement(post).catch(() => undefined);
      return;
    }
    case 'restore': {
      const a = st.auditor;
      await a.restore(req.bundles);
      if (a === st.auditor) postRanking(req.id, 'restore', post);
      void postAgreement(post).catch(() => undefined);
      return;
    }
    case 'rankOnce':
      return rankOnce(req, post);
    case 'projection':
      return projection(req.id, post);
    case 'cancel':
      st.jobs.get(req.id)?.abort();
      return;
    case 'crash':
      // The worker's switch throws before it gets here; elsewhere (Node tests) it is a plain error.
      throw new Error('injected fault: the detector worker crashed');
  }
}

/** A one-off auditor over another model's explanations: upsert, labels, train, rank (as `apexp audit`), then freed. */
async function rankOnce(req: Extract<DetectorRequest, { type: 'rankOnce' }>, post: Post): Promise<{ cancelled?: boolean }> {
  const ctl = new AbortController();
  st.jobs.set(req.id, ctl);
  const a = makeAuditor(req.settings, req.size);
  try {
    a.upsert(req.ids, rowsToInput(req, a.rowLength / (req.size[0] * req.size[1])), req.unconfidence, req.predicted);
    a.setLabels(new Map(req.labelIds.map((id, i) => [id, req.labelTargets[i]])));
    await a.train({
      signal: ctl.signal,
      onBatch: (stage, done, total) => post({ type: 'progress', id: req.id, done, total, label: `${stage === 'pretrain' ? 'pretraining' : 'training'} the second model's detector` }),
    });
    if (ctl.signal.aborted || !a.hasDetector) return { cancelled: true };
    const r = a.rank();
    post({ type: 'scores', id: req.id, ids: r.ids, score: r.score });
    return {};
  } finally {
    st.jobs.delete(req.id);
    void a.idle().then(() => a.dispose());
  }
}

/**
 * The map of the current detector's embeddings (core/projection/umap-layout.ts: seeded, fitted on at
 * most 1,000 points, the rest placed among their neighbours), epoch by epoch with pauses so labels keep
 * flowing, then fitted onto the last map sent (align-layout.ts) so that it moves only where the detector did. A newer request, its `cancel`, or a new auditor (configure) makes it answer cancelled.
 */
async function projection(id: number, post: Post): Promise<{ cancelled?: boolean }> {
  st.projectionCtl?.abort();
  const ctl = new AbortController();
  st.projectionCtl = ctl;
  st.jobs.set(id, ctl);
  const a = st.auditor;
  const e = a.embeddingsOf();
  try {
    if (!e) {
      post({ type: 'projection', id, ids: [], xy: new Float32Array(0) });
      return {};
    }
    const fresh = await umapLayout(e.embeddings, e.dim, { seed: 1, pause: yieldToEvents, signal: ctl.signal });
    if (!fresh || a !== st.auditor) return { cancelled: true };
    const xy = st.lastMap ? normaliseLayout(alignLayout(e.ids, fresh, st.lastMap.ids, st.lastMap.xy)) : fresh;
    st.lastMap = { ids: e.ids, xy: xy.slice() };
    post({ type: 'projection', id, ids: e.ids, xy });
    return {};
  } finally {
    st.jobs.delete(id);
    if (st.projectionCtl === ctl) st.projectionCtl = null;
  }
}
