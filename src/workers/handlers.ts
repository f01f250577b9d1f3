/**
 * One function per request type of the tfjs worker. Each runs to a result or throws a typed error;
 * long loops check the cancel signal between batches and yield so `cancel` gets through.
 */
import * as tf from '@tensorflow/tfjs';
import type { RgbaImage } from '../core/data/image';
import { BROWSER_BACKENDS, selectBackend, type BackendName } from '../core/tf/backend';
import { describeBackend } from './backend-info';
import { EXPLAIN_BATCH, activeClassifier, explainImages, loadModel, modelInfo, reloadModels } from './explain.shared';
import { DEMO_CHUNK, decodeFile, demoChunk, demoChunkSources, reread, resizeTo, rgbaToCanvas, thumbnail } from './ingest.shared';
import type { ExplainBatch, ExplainOptions, ImageMeta, WorkerRequest } from './protocol';
import { checkCancelled, post, state, yieldToEvents, type ImageSource } from './worker-state';

/** What a handler may tell the loop (absent = finished normally). */
export type HandlerResult = { cancelled?: boolean } | void;

/** Bumped when the WebGPU device is lost: a batch that ran across a loss is thrown away and explained again. */
let deviceLosses = 0;
/** Settles once the backend that replaces a lost device is up (null when none is being started). */
let fallback: Promise<void> | null = null;

const NEVER = new Promise<void>(() => {});
/** Settles when the device being watched is lost (never while none is). */
let onLoss: Promise<void> = NEVER;

/** Watches a WebGPU device: when it is lost, fall back to WebGL (then CPU) and reload what lived on it. */
function watchDevice(): void {
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  if (!device) return;
  onLoss = device.lost.then((info) => {
    deviceLosses++;
    fallback = switchBackend(info).finally(() => {
      fallback = null;
      onLoss = NEVER;
    });
  });
}

async function switchBackend(info: GPUDeviceLostInfo): Promise<void> {
  try {
    const b = await selectBackend(BROWSER_BACKENDS.filter((x) => x !== 'webgpu'));
    state.backend = b;
    await reloadModels();
    post({ type: 'backend', id: 0, backend: b, reason: `the WebGPU device was lost (${info.message || info.reason}); continuing on ${b}` });
  } catch (err) {
    post({ type: 'backend', id: 0, backend: 'cpu', reason: `the WebGPU device was lost and no fallback started: ${(err as Error).message}` });
  }
}

/** How long a batch that failed on WebGPU waits for the device's loss to be reported before it counts as a plain failure. */
const LOSS_GRACE_MS = 2000;

/** Tries per batch: the first, and one after each of at most two device losses. */
const BATCH_TRIES = 3;

/**
 * Explains one batch so that a device lost under it costs nothing: a batch that failed or ran while the
 * device went away is explained again on the fallback backend, and only a batch made wholly on a live
 * backend is returned (so every image is posted exactly once, with a real map).
 */
async function explainSurvivingLoss(ids: string[], pixels: RgbaImage[], options?: ExplainOptions): Promise<ExplainBatch> {
  for (let attempt = 1; ; attempt++) {
    const losses = deviceLosses;
    const loss = onLoss;
    let failure: unknown = null;
    let batch: ExplainBatch | null = null;
    try {
      const work = explainImages(ids, pixels, options);
      // A read from a destroyed device may never settle: the loss itself ends the wait (the abandoned batch is dropped).
      work.catch(() => undefined);
      batch = await Promise.race([work, loss.then(() => null)]);
    } catch (err) {
      failure = err;
    }
    // A loss is reported through device.lost, some time after the failure it causes.
    if (failure && state.backend === 'webgpu') await Promise.race([loss, new Promise((r) => setTimeout(r, LOSS_GRACE_MS))]);
    else await yieldToEvents();
    const lost = losses !== deviceLosses || fallback !== null;
    if (!lost) {
      if (failure) throw failure;
      return batch!;
    }
    if (attempt >= BATCH_TRIES) throw failure ?? new Error('the GPU device kept being lost');
    await fallback;
  }
}

async function init(forced?: BackendName): Promise<BackendName> {
  const order = forced ? [forced, ...BROWSER_BACKENDS.filter((b) => b !== forced)] : BROWSER_BACKENDS;
  state.backend = await selectBackend(order);
  if (state.backend === 'webgpu') watchDevice();
  return state.backend;
}

/** Explains the given images (ids + pixels at the input size) in batches, posting each batch. */
async function explainPending(id: number, ids: string[], pixels: RgbaImage[], options?: ExplainOptions): Promise<void> {
  for (let i = 0; i < ids.length; i += EXPLAIN_BATCH) {
    const batch = await explainSurvivingLoss(ids.slice(i, i + EXPLAIN_BATCH), pixels.slice(i, i + EXPLAIN_BATCH), options);
    post({ type: 'explained', id, batch });
  }
}

function addSource(imageId: string, src: ImageSource): void {
  if (!state.sources.has(imageId)) state.ids.push(imageId);
  state.sources.set(imageId, src);
}

async function demo(id: number, n: number, seed: number, size: number, options: ExplainOptions | undefined, skipIds: string[] | undefined, signal: AbortSignal): Promise<HandlerResult> {
  const c = activeClassifier();
  const chunks = Math.ceil(n / DEMO_CHUNK);
  const skip = new Set(skipIds);
  let done = 0;
  for (let k = 0; k < chunks; k++) {
    checkCancelled(signal);
    const known = demoChunkSources(n, seed, size, k);
    // A resumed run: what was explained before the reload is only registered (for a later re-explain).
    for (const x of known) if (skip.has(x.id)) addSource(x.id, x.source);
    if (known.every((x) => skip.has(x.id))) {
      done += known.length;
      post({ type: 'progress', id, stage: 'running', done, total: n, label: c ? 'explaining' : 'generating' });
      continue;
    }
    const imgs = demoChunk(n, seed, size, k).filter((d) => !skip.has(d.id));
    done += known.length - imgs.length;
    const metas: ImageMeta[] = [];
    const pixels: RgbaImage[] = [];
    for (const d of imgs) {
      const canvas = rgbaToCanvas(d.image);
      metas.push({ id: d.id, name: d.id, width: d.image.width, height: d.image.height, truth: d.truth, thumb: await thumbnail(canvas), tag: d.tag });
      if (c) pixels.push(c.inputShape[0] === d.image.height && c.inputShape[1] === d.image.width ? d.image : resizeTo(canvas, c.inputShape[1], c.inputShape[0]));
      addSource(d.id, d.source);
    }
    post({ type: 'images', id, images: metas });
    if (c) {
      for (let i = 0; i < metas.length; i += EXPLAIN_BATCH) {
        checkCancelled(signal);
        await explainPending(id, metas.slice(i, i + EXPLAIN_BATCH).map((m) => m.id), pixels.slice(i, i + EXPLAIN_BATCH), options);
        done += Math.min(EXPLAIN_BATCH, metas.length - i);
        post({ type: 'progress', id, stage: 'running', done, total: n, label: 'explaining' });
        await yieldToEvents();
      }
    } else {
      done += metas.length;
      post({ type: 'progress', id, stage: 'running', done, total: n, label: 'generating' });
    }
  }
  return {};
}

async function ingest(id: number, files: File[], ids: string[], truths: number[], options: ExplainOptions | undefined, signal: AbortSignal): Promise<HandlerResult> {
  const c = activeClassifier();
  for (let i = 0; i < files.length; i += EXPLAIN_BATCH) {
    checkCancelled(signal);
    const metas: ImageMeta[] = [];
    const pixels: RgbaImage[] = [];
    for (let j = i; j < Math.min(files.length, i + EXPLAIN_BATCH); j++) {
      let bmp: ImageBitmap;
      try {
        bmp = await decodeFile(files[j]);
      } catch (err) {
        post({ type: 'skipped', id, name: ids[j], reason: (err as Error).message });
        continue;
      }
      try {
        metas.push({ id: ids[j], name: files[j].name, width: bmp.width, height: bmp.height, truth: truths[j], thumb: await thumbnail(bmp) });
        if (c) pixels.push(resizeTo(bmp, c.inputShape[1], c.inputShape[0]));
      } finally {
        bmp.close();
      }
      const src: ImageSource = { kind: 'file', file: files[j], truth: truths[j] };
      if (!state.sources.has(ids[j])) state.ids.push(ids[j]);
      state.sources.set(ids[j], src);
    }
    if (metas.length) post({ type: 'images', id, images: metas });
    if (c && metas.length) await explainPending(id, metas.map((m) => m.id), pixels, options);
    post({ type: 'progress', id, stage: 'running', done: Math.min(files.length, i + EXPLAIN_BATCH), total: files.length, label: c ? 'explaining' : 'decoding' });
    await yieldToEvents();
  }
  return {};
}

async function explainAll(id: number, options: ExplainOptions | undefined, signal: AbortSignal): Promise<HandlerResult> {
  const c = activeClassifier();
  if (!c) throw Object.assign(new Error('no classifier is loaded'), { name: 'NoModelError', code: 'no-model' });
  const cache = new Map<number, RgbaImage[]>();
  const ids = [...state.ids];
  for (let i = 0; i < ids.length; i += EXPLAIN_BATCH) {
    checkCancelled(signal);
    const batchIds = ids.slice(i, i + EXPLAIN_BATCH).filter((x) => state.sources.has(x));
    const pixels: RgbaImage[] = [];
    for (const x of batchIds) pixels.push(await reread(state.sources.get(x)!, c.inputShape[1], c.inputShape[0], cache));
    if (batchIds.length) await explainPending(id, batchIds, pixels, options);
    post({ type: 'progress', id, stage: 'running', done: Math.min(ids.length, i + EXPLAIN_BATCH), total: ids.length, label: 'explaining' });
    await yieldToEvents();
  }
  return {};
}

/** Runs one request. */
export async function handle(req: WorkerRequest, signal: AbortSignal): Promise<HandlerResult> {
  switch (req.type) {
    case 'init': {
      const backend = await init(req.backend);
      post({ type: 'ready', id: req.id, backend, ...(await describeBackend(backend)) });
      return;
    }
    case 'loadModel': {
      const info = await loadModel(req.source, req.activate, (stage) => post({ type: 'progress', id: req.id, stage, done: 0, total: 1, label: `${stage} ${req.source.name}` }));
      post({ type: 'model', id: req.id, info });
      return;
    }
    case 'useModel':
      if (!state.classifiers.has(req.name)) throw Object.assign(new Error(`model "${req.name}" is not loaded in this session (drop it again)`), { name: 'NoModelError', code: 'no-model' });
      state.active = req.name;
      post({ type: 'model', id: req.id, info: modelInfo(req.name) });
      return;
    case 'demo':
      return demo(req.id, req.n, req.seed, req.size, req.options, req.skip, signal);
    case 'ingest':
      return ingest(req.id, req.files, req.ids, req.truths, req.options, signal);
    case 'explain':
      return explainAll(req.id, req.options, signal);
    case 'reset':
      state.ids = [];
      state.sources.clear();
      return;
    case 'loseDevice': {
      const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
      if (!device) throw Object.assign(new Error(`the ${state.backend} backend has no WebGPU device to lose`), { name: 'NoDeviceError', code: 'no-device' });
      device.destroy();
      return;
    }
    case 'cancel':
      return;
  }
}
