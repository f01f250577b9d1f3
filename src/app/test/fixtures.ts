/** Test helpers: a fresh store with a few images and explanations, and a scripted worker-client mock. */
import type { JobEvent } from '../../workers/protocol';
import type { JobRequest } from '../../workers/tf.client';
import { resetAppStore, useAppStore } from '../state/store';

/** Resets the store and adds `n` images (ids img0…) with explanations; image i predicts class i mod 3, truth 0. */
export function seedStore(n = 4): string[] {
  resetAppStore();
  const ids = Array.from({ length: n }, (_, i) => `img${i}`);
  useAppStore.getState().addImages(ids.map((id) => ({ id, name: `${id}.png`, width: 32, height: 32, truth: 0, thumb: new Blob([]) })));
  useAppStore.getState().addModel({ name: 'm', inputShape: [32, 32, 3], classNames: ['good', 'broken', 'flashover'], layer: 'conv', layers: ['conv'] }, true);
  useAppStore.getState().addExplanations({
    ids,
    predicted: Int32Array.from(ids.map((_, i) => i % 3)),
    targets: Int32Array.from(ids.map((_, i) => i % 3)),
    numClasses: 3,
    probs: Float32Array.from(ids.flatMap((_, i) => [0.5 + i * 0.1, 0.5 - i * 0.1, 0].map((p) => Math.max(0, p)))),
    size: [2, 2],
    heatmaps: Uint8Array.from(ids.flatMap((_, i) => [0, 64, 128, 255 - i])),
    patches: new Uint8Array(ids.length * 4 * 3).fill(100),
    faithfulness: Float32Array.from(ids.map((_, i) => i / 10)),
  });
  return ids;
}

/** A scripted stand-in for the worker: `script(req)` gives the events a request answers with, or throws. */
export function scriptedRunJob(script: (req: JobRequest) => JobEvent[]) {
  let id = 0;
  const calls: JobRequest[] = [];
  const runJob = (req: JobRequest, onEvent: (ev: JobEvent) => void = () => {}) => {
    calls.push(req);
    id++;
    let done: Promise<{ cancelled: boolean }>;
    try {
      const events = script(req);
      done = Promise.resolve().then(() => {
        for (const ev of events) onEvent(ev);
        return { cancelled: false };
      });
    } catch (err) {
      done = Promise.reject(err);
    }
    return { id, done };
  };
  return { runJob, calls };
}
