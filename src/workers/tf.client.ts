import type { BackendName } from '../core/tf/backend';
import type { WorkerReply } from './protocol';

/**
 * Starts the tfjs worker and resolves with the backend it activated (webgpu → webgl → cpu, or the
 * forced one first).
 */
export function startTfWorker(forced?: BackendName): Promise<{ worker: Worker; backend: BackendName }> {
  const worker = new Worker(new URL('./tf.worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = (ev: MessageEvent<WorkerReply>) => {
      const msg = ev.data;
      if (msg.type === 'ready') resolve({ worker, backend: msg.backend });
      else reject(new Error(msg.message));
    };
    worker.onerror = (ev) => reject(new Error(ev.message || 'the tfjs worker failed to start'));
    worker.postMessage({ type: 'init', id: 1, backend: forced });
  });
}
