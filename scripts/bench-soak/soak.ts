/**
 * The analyst's day in the detector worker, for leak checks: `cycles` label → bounded update → agreement
 * rounds through the worker's own handler (src/workers/detector.shared.ts), on the wasm backend in Node. Every
 * `burstEvery`-th round sends a second label change before the first update ends, so the abort path is
 * exercised as well. Shared by the soak test (a few dozen rounds) and `npm run bench:soak` (1,000).
 */
import * as tf from '@tensorflow/tfjs';
import type { AuditorSettings } from '../../src/core/audit/settings';
import { createRng } from '../../src/core/random';
import type { DetectorReply } from '../../src/workers/detector-protocol';
import { handleDetector } from '../../src/workers/detector.shared';

/** n 32×32 maps (every 5th with its blob elsewhere) and their peak patches, as the page sends them (bytes). */
export function soakRows(n: number) {
  const heatmaps = new Uint8Array(n * 1024);
  const patches = new Uint8Array(n * 1024 * 3);
  for (let i = 0; i < n; i++) {
    const [cy, cx] = i % 5 === 4 ? [24, 24] : [8, 8];
    for (let r = 0; r < 32; r++) {
      for (let c = 0; c < 32; c++) {
        const j = i * 1024 + r * 32 + c;
        heatmaps[j] = Math.round(255 * Math.exp(-((r - cy) ** 2 + (c - cx) ** 2) / 40) * (0.7 + (0.3 * ((i * 13 + r * 7 + c) % 11)) / 10));
        patches.fill((i * 31 + r + c) % 256, j * 3, j * 3 + 3);
      }
    }
  }
  return { ids: Array.from({ length: n }, (_, i) => `m${i}`), size: [32, 32] as [number, number], heatmaps, patches, unconfidence: new Float32Array(n).fill(0.2), predicted: new Int32Array(n) };
}

/** One sample of the soak: after round `cycle`, with the worker idle. */
export interface SoakSample {
  cycle: number;
  numTensors: number;
  /** tfjs-held bytes (the wasm backend's tensors). */
  tfBytes: number;
  /** V8 heap used, after a GC when the process runs with --expose-gc. */
  heapMb: number;
  /** Labels held at that point. */
  labels: number;
}

/** What a soak run measured. */
export interface SoakResult {
  samples: SoakSample[];
  /** ms from the label message to the agreement that closes its round, per round. */
  roundMs: number[];
  errors: string[];
}

/**
 * Runs the soak. The worker state is module-global (one detector worker per page), so call this once
 * per process or after a `configure`.
 */
export async function runSoak(o: { n: number; cycles: number; settings: AuditorSettings; burstEvery?: number; sampleEvery?: number; seed?: number; onRound?: (cycle: number) => void; onSample?: (samples: readonly SoakSample[]) => void }): Promise<SoakResult> {
  const posted: DetectorReply[] = [];
  const post = (m: DetectorReply) => void posted.push(m);
  const errors: string[] = [];
  const rng = createRng(o.seed ?? 1);
  const rows = soakRows(o.n);
  let id = 1;
  await handleDetector({ type: 'configure', id: id++, settings: o.settings, size: [32, 32] }, post);
  await handleDetector({ type: 'add', id: id++, ...rows }, post);
  await handleDetector({ type: 'train', id: id++, settings: o.settings }, post);
  const labels = new Map<string, number>();
  const samples: SoakSample[] = [];
  const roundMs: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  /** The analyst's next move: label an unlabeled map (anomalous if it is one of the odd ones), or undo one. */
  const move = () => {
    const i = Math.floor(rng() * o.n);
    const key = `m${i}`;
    if (labels.has(key) && rng() < 0.5) labels.delete(key);
    else labels.set(key, i % 5 === 4 ? -1 : 1);
  };
  const send = () => handleDetector({ type: 'labels', id: id++, ids: [...labels.keys()], targets: Int8Array.from(labels.values()), budget: 0.15 }, post);
  for (let cycle = 1; cycle <= o.cycles; cycle++) {
    posted.length = 0;
    const t0 = performance.now();
    move();
    await send();
    if (o.burstEvery && cycle % o.burstEvery === 0) {
      // a second change while the first update runs: that update is aborted and runs again with both
      await new Promise((r) => setTimeout(r, 5));
      move();
      await send();
    }
    while (!posted.some((m) => m.type === 'agreement' || m.type === 'error')) await new Promise((r) => setTimeout(r, 5));
    roundMs.push(performance.now() - t0);
    for (const m of posted) if (m.type === 'error') errors.push(m.message);
    o.onRound?.(cycle);
    if (cycle === 1 || cycle % (o.sampleEvery ?? 10) === 0 || cycle === o.cycles) {
      gc?.();
      const mem = tf.memory();
      samples.push({ cycle, numTensors: mem.numTensors, tfBytes: mem.numBytes, heapMb: process.memoryUsage().heapUsed / 2 ** 20, labels: labels.size });
      o.onSample?.(samples);
    }
  }
  return { samples, roundMs, errors };
}
