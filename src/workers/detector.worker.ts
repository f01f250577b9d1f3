/// <reference lib="webworker" />
/**
 * The detector worker: Deep SAD (the auditor) apart from Grad-CAM, so a label is re-ranked while
 * images are still being explained, and so it can run on the backend that suits a small network: the
 * wasm backend where the GPU is emulated, the GPU otherwise (src/app/actions/session.ts decides).
 * This file is only the switch; the work is in detector.shared.ts.
 */
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { detectorTransferables, type DetectorReply, type DetectorRequest } from './detector-protocol';
import { handleDetector } from './detector.shared';

declare const self: DedicatedWorkerGlobalScope;

// The .wasm binaries are bundled assets of this site (CSP: connect-src 'self'), never fetched from a CDN.
setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmUrl, 'tfjs-backend-wasm-simd.wasm': wasmSimdUrl, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl });

const post = (msg: DetectorReply): void => self.postMessage(msg, detectorTransferables(msg));

/** Settles once the backend is up: every other request waits for it (a project opened at startup must not reach a backend still initialising). */
let backendReady: Promise<unknown> = Promise.resolve();

self.onmessage = (ev: MessageEvent<DetectorRequest>) => {
  const req = ev.data;
  // Uncaught on purpose: the page must see the worker die the way a real abort kills it.
  if (req.type === 'crash') throw new Error('injected fault: the detector worker crashed');
  const run = req.type === 'init' ? handleDetector(req, post) : backendReady.then(() => handleDetector(req, post));
  if (req.type === 'init') backendReady = run.catch(() => undefined);
  run.then(
    (r) => {
      if (req.type !== 'cancel') post({ type: 'result', id: req.id, cancelled: r?.cancelled });
    },
    (err: Error & { code?: string }) => post({ type: 'error', id: req.id, name: err?.name ?? 'Error', code: err?.code ?? 'internal', message: err?.message ?? String(err) }),
  );
};
