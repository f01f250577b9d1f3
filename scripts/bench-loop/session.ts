/**
 * The analyst's session of the loop benchmark: one classifier's unbiased insulator test set, explained
 * as the app explains it (core/audit's explainer: map + peak patch, quantised to bytes as the worker
 * sends them to the detector), with the counterfactual ground truth (scripts/bench-lib/truth.ts).
 * Explaining thousands of images dominates a run, so a session is cached under bench-results/tmp.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createExplainer } from '../../src/core/audit/explainer';
import type { Classifier } from '../../src/core/classifier/types';
import { planInsulatorSet, renderPlanned, type InsulatorSetItem } from '../../src/core/data/insulator';
import { benchTruth, type BenchTruth } from '../bench-lib/truth';

/** One explained test set: n images, 32×32 maps, everything the auditor and the truth need. */
export interface LoopSession {
  n: number;
  size: [number, number];
  /** n·h·w maps, 0..255 (as the worker quantises them). */
  heatmaps: Uint8Array;
  /** n·h·w·3 peak patches, 0..255. */
  patches: Uint8Array;
  /** 1 − max softmax per image. */
  unconfidence: Float32Array;
  predicted: Int32Array;
  truth: Pick<BenchTruth, 'misclassified' | 'shortcut' | 'anomalous'>;
}

/** Images per explain batch, and per rendered slice (bounds memory at tens of thousands of images). */
const SLICE = 256;

const toBytes = (v: Float32Array): Uint8Array => Uint8Array.from(v, (x) => Math.round(Math.min(1, Math.max(0, x || 0)) * 255));

/** Explains the `test` split of `seed` (n images) with `classifier` and derives its truth. */
export async function explainSession(classifier: Classifier, seed: number, n: number): Promise<LoopSession> {
  const plans = planInsulatorSet({ n, seed, split: 'test' });
  const size: [number, number] = [32, 32];
  const cells = size[0] * size[1];
  const s: LoopSession = { n, size, heatmaps: new Uint8Array(n * cells), patches: new Uint8Array(n * cells * 3), unconfidence: new Float32Array(n), predicted: new Int32Array(n), truth: { misclassified: new Uint8Array(n), shortcut: new Uint8Array(n), anomalous: new Uint8Array(n) } };
  const ex = createExplainer(classifier, { size, faithfulness: false });
  try {
    for (let b = 0; b < n; b += SLICE) {
      const items: InsulatorSetItem[] = plans.slice(b, b + SLICE).map((p) => renderPlanned(p));
      const r = await ex.explain(items.map((x) => x.image));
      s.heatmaps.set(toBytes(r.heatmaps), b * cells);
      s.patches.set(toBytes(r.patches as Float32Array), b * cells * 3);
      s.predicted.set(r.predicted, b);
      for (let i = 0; i < r.n; i++) s.unconfidence[b + i] = 1 - Math.max(...r.probs.subarray(i * r.numClasses, (i + 1) * r.numClasses));
      const t = await benchTruth(classifier, items, r.predicted);
      s.truth.misclassified.set(t.misclassified, b);
      s.truth.shortcut.set(t.shortcut, b);
      s.truth.anomalous.set(t.anomalous, b);
    }
  } finally {
    ex.dispose();
  }
  return s;
}

const FIELDS = ['heatmaps', 'patches', 'unconfidence', 'predicted', 'misclassified', 'shortcut', 'anomalous'] as const;

/** The session from the cache, or explained and cached (`dir`, one file per classifier, seed and n). */
export async function cachedSession(dir: string, name: string, classifier: () => Promise<Classifier>, seed: number, n: number): Promise<LoopSession> {
  const file = join(dir, `loop-session-${name}-${seed}-${n}.bin`);
  const parts = (s: LoopSession) => [s.heatmaps, s.patches, s.unconfidence, s.predicted, s.truth.misclassified, s.truth.shortcut, s.truth.anomalous];
  try {
    const buf = await readFile(file);
    const header = JSON.parse(buf.subarray(4, 4 + buf.readUInt32LE(0)).toString('utf8')) as { n: number; lengths: number[] };
    let at = 4 + buf.readUInt32LE(0);
    const take = <T>(len: number, make: (b: ArrayBuffer) => T): T => {
      const copy = buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + len);
      at += len;
      return make(copy);
    };
    const [heatmaps, patches, unconf, predicted, mis, sc, an] = header.lengths;
    return {
      n: header.n,
      size: [32, 32],
      heatmaps: take(heatmaps, (b) => new Uint8Array(b)),
      patches: take(patches, (b) => new Uint8Array(b)),
      unconfidence: take(unconf, (b) => new Float32Array(b)),
      predicted: take(predicted, (b) => new Int32Array(b)),
      truth: { misclassified: take(mis, (b) => new Uint8Array(b)), shortcut: take(sc, (b) => new Uint8Array(b)), anomalous: take(an, (b) => new Uint8Array(b)) },
    };
  } catch {
    const c = await classifier();
    let s: LoopSession;
    try {
      s = await explainSession(c, seed, n);
    } finally {
      c.dispose();
    }
    const arrays = parts(s).map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    const header = Buffer.from(JSON.stringify({ n, fields: FIELDS, lengths: arrays.map((a) => a.byteLength) }));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length);
    await mkdir(dir, { recursive: true });
    await writeFile(file, Buffer.concat([len, header, ...arrays]));
    return s;
  }
}
