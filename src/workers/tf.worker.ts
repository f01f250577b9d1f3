/// <reference lib="webworker" />
/**
 * The one tfjs worker. It hosts Grad-CAM, faithfulness and Deep SAD together because they share one
 * GPU context: the heatmaps Deep SAD trains on are made here and stay here (no round trip), and a second
 * WebGPU device/WebGL context would double GPU memory on small machines. Jobs run one at a time, in
 * arrival order; `cancel` is handled at once. This file is only the switch; the work is in `*.shared.ts`.
 */
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { WorkerRequest } from './protocol';
import { handle } from './handlers';
import { post, state } from './worker-state';

declare const self: DedicatedWorkerGlobalScope;

let queue: Promise<void> = Promise.resolve();

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  if (req.type === 'cancel') {
    state.jobs.get(req.id)?.abort();
    return;
  }
  const ctrl = new AbortController();
  state.jobs.set(req.id, ctrl);
  const run = async (): Promise<void> => {
    try {
      const r = await handle(req, ctrl.signal);
      post({ type: 'result', id: req.id, cancelled: r?.cancelled });
    } catch (err) {
      const e = err as Error & { code?: string };
      if (e?.name === 'JobCancelledError' || ctrl.signal.aborted) post({ type: 'result', id: req.id, cancelled: true });
      else post({ type: 'error', id: req.id, name: e?.name ?? 'Error', code: e?.code ?? 'internal', message: e?.message ?? String(err) });
    } finally {
      state.jobs.delete(req.id);
    }
  };
  // A device is lost whenever the GPU says so, not between jobs: the test hook acts at once, beside the running job.
  if (req.type === 'loseDevice') void run();
  else queue = queue.then(run);
};
