/// <reference lib="webworker" />
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { BROWSER_BACKENDS, selectBackend } from '../core/tf/backend';
import type { WorkerReply, WorkerRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

function reply(msg: WorkerReply): void {
  self.postMessage(msg);
}

self.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  switch (req.type) {
    case 'init': {
      try {
        const order = req.backend ? [req.backend, ...BROWSER_BACKENDS.filter((b) => b !== req.backend)] : BROWSER_BACKENDS;
        reply({ type: 'ready', id: req.id, backend: await selectBackend(order) });
      } catch (err) {
        reply({ type: 'error', id: req.id, code: 'backend', message: (err as Error).message });
      }
      break;
    }
  }
};
