import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_AUDITOR_SETTINGS } from '../core/audit/settings';
import type { DetectorReply } from './detector-protocol';
import { currentAuditor, handleDetector, rowsToInput } from './detector.shared';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

/** n 32×32 maps (every 5th a blob elsewhere) as the page sends them: bytes, no patches. */
function rows(n: number, from = 0) {
  const heatmaps = new Uint8Array(n * 1024);
  for (let i = 0; i < n; i++) {
    const [cy, cx] = (from + i) % 5 === 4 ? [24, 24] : [8, 8];
    for (let r = 0; r < 32; r++) for (let c = 0; c < 32; c++) heatmaps[i * 1024 + r * 32 + c] = Math.round(255 * Math.exp(-((r - cy) ** 2 + (c - cx) ** 2) / 40) * (0.7 + 0.3 * (((from + i) * 13 + r * 7 + c) % 11) / 10));
  }
  return { ids: Array.from({ length: n }, (_, i) => `m${from + i}`), size: [32, 32] as [number, number], heatmaps, patches: null, unconfidence: new Float32Array(n).fill(0.2), predicted: new Int32Array(n) };
}

const settings = { ...DEFAULT_AUDITOR_SETTINGS, input: 'heatmap' as const, batchSize: 16, trainSteps: 6, aeSteps: 0, updateSteps: 4, updateUnlabeled: 8 };

describe('the detector worker loop', () => {
  it('answers labels at once, moves the ranking after the bounded update, scores late rows, and measures agreement', async () => {
    const posted: DetectorReply[] = [];
    const post = (m: DetectorReply) => void posted.push(m);
    await handleDetector({ type: 'configure', id: 1, settings, size: [32, 32] }, post);
    await handleDetector({ type: 'add', id: 2, ...rows(40) }, post);
    expect(posted).toHaveLength(0); // no detector yet: nothing to rank
    await handleDetector({ type: 'train', id: 3, settings }, post);
    const trained = posted.find((m) => m.type === 'ranking' && m.cause === 'train') as Extract<DetectorReply, { type: 'ranking' }>;
    expect(posted.some((m) => m.type === 'detector')).toBe(true);
    expect(trained.score.every(Number.isFinite)).toBe(true);
    expect(trained.next.length).toBeGreaterThan(0);

    // Labels: an immediate ranking that says an update runs, then the update's broadcast, then the agreement.
    posted.length = 0;
    await handleDetector({ type: 'labels', id: 4, ids: ['m4', 'm9', 'm0', 'm1'], targets: Int8Array.from([-1, -1, 1, 1]), budget: 0.2 }, post);
    const immediate = posted[0] as Extract<DetectorReply, { type: 'ranking' }>;
    expect(immediate).toMatchObject({ type: 'ranking', id: 4, cause: 'labels', updating: true });
    await expect.poll(() => posted.some((m) => m.type === 'agreement'), { timeout: 60_000, interval: 50 }).toBe(true);
    const update = posted.find((m) => m.type === 'ranking' && m.cause === 'update') as Extract<DetectorReply, { type: 'ranking' }>;
    expect(update.id).toBe(0);
    expect(update.updating).toBe(false);
    expect(Array.from(update.score)).not.toEqual(Array.from(immediate.score));
    expect(update.next.some((id) => ['m4', 'm9', 'm0', 'm1'].includes(id))).toBe(false);
    const ag = posted.find((m) => m.type === 'agreement') as Extract<DetectorReply, { type: 'agreement' }>;
    expect(ag.agreement).toMatchObject({ nAnomalous: 2, nNormal: 2 });

    // Rows that arrive once a detector exists are ranked at once.
    posted.length = 0;
    await handleDetector({ type: 'add', id: 5, ...rows(5, 40) }, post);
    const added = posted.find((m) => m.type === 'ranking') as Extract<DetectorReply, { type: 'ranking' }>;
    expect(added.cause).toBe('add');
    expect(added.ids).toHaveLength(45);
    expect(added.score.every(Number.isFinite)).toBe(true);
  });

  it('projection: a 2-D map of every embedded id, finite, where nearby embeddings land nearby; a newer request stops an older one', async () => {
    const posted: DetectorReply[] = [];
    const post = (m: DetectorReply) => void posted.push(m);
    await handleDetector({ type: 'configure', id: 20, settings, size: [32, 32] }, post);
    await handleDetector({ type: 'add', id: 21, ...rows(60) }, post);
    await handleDetector({ type: 'projection', id: 22 }, post);
    expect(posted.at(-1)).toMatchObject({ type: 'projection', id: 22, ids: [] }); // no detector: an empty map
    await handleDetector({ type: 'train', id: 23, settings }, post);
    posted.length = 0;
    const first = handleDetector({ type: 'projection', id: 24 }, post);
    const second = await handleDetector({ type: 'projection', id: 25 }, post);
    expect(await first).toEqual({ cancelled: true });
    expect(second).toEqual({});
    const map = posted.find((m) => m.type === 'projection') as Extract<DetectorReply, { type: 'projection' }>;
    expect(map.id).toBe(25);
    const e = currentAuditor().embeddingsOf()!;
    expect(map.ids).toEqual(e.ids);
    expect(map.ids).toHaveLength(60);
    expect(map.xy).toHaveLength(120);
    expect(map.xy.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
    // Each point's 3 nearest neighbours in the embedding are much closer on the map than a random pair.
    const n = e.ids.length;
    const d = e.dim;
    const dist2 = (i: number, j: number) => Math.hypot(map.xy[i * 2] - map.xy[j * 2], map.xy[i * 2 + 1] - map.xy[j * 2 + 1]);
    let near = 0;
    let all = 0;
    for (let i = 0; i < n; i++) {
      const byEmb = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i).sort((a, b) => {
        const da = e.embeddings.subarray(a * d, a * d + d).reduce((s, v, k) => s + (v - e.embeddings[i * d + k]) ** 2, 0);
        const db = e.embeddings.subarray(b * d, b * d + d).reduce((s, v, k) => s + (v - e.embeddings[i * d + k]) ** 2, 0);
        return da - db;
      });
      near += byEmb.slice(0, 3).reduce((s, j) => s + dist2(i, j), 0) / 3;
      all += byEmb.reduce((s, j) => s + dist2(i, j), 0) / (n - 1);
    }
    expect(near / all).toBeLessThan(0.5);
    // `cancel {id}` and a new configuration stop a running projection.
    const cancelled = handleDetector({ type: 'projection', id: 26 }, post);
    await handleDetector({ type: 'cancel', id: 26 }, post);
    expect(await cancelled).toEqual({ cancelled: true });
    const dropped = handleDetector({ type: 'projection', id: 27 }, post);
    await handleDetector({ type: 'configure', id: 28, settings, size: [32, 32] }, post);
    expect(await dropped).toEqual({ cancelled: true });
  });

  it('rankOnce: a one-off detector for another model\'s maps answers scores and leaves the live loop alone', async () => {
    const posted: DetectorReply[] = [];
    const post = (m: DetectorReply) => void posted.push(m);
    const before = currentAuditor();
    const r = await handleDetector({ type: 'rankOnce', id: 9, settings, labelIds: ['m4', 'm0'], labelTargets: Int8Array.from([-1, 1]), ...rows(30) }, post);
    expect(r).toEqual({});
    const scores = posted.find((m) => m.type === 'scores') as Extract<DetectorReply, { type: 'scores' }>;
    expect(scores.id).toBe(9);
    expect(scores.ids).toEqual(rows(30).ids);
    expect(scores.score.every(Number.isFinite)).toBe(true);
    expect(posted.some((m) => m.type === 'ranking' || m.type === 'detector')).toBe(false);
    expect(currentAuditor()).toBe(before);
  });

  it('interleaves the map and the patch for a map + patch detector, and refuses rows without patches', () => {
    const r = { ...rows(1), heatmaps: new Uint8Array(1024).fill(255), patches: new Uint8Array(3072).fill(51) };
    const x = rowsToInput(r, 4);
    expect(Array.from(x.subarray(0, 4))).toEqual([1, 0.2, 0.2, 0.2].map((v) => expect.closeTo(v, 6)));
    expect(() => rowsToInput(rows(1), 4)).toThrow(/no peak patches/);
  });
});
