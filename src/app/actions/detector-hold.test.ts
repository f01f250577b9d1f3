import { describe, expect, it, vi } from 'vitest';
import type { ExplainBatch } from '../../workers/protocol';

const sent = vi.hoisted(() => ({ reqs: [] as { type: string; ids?: string[] }[] }));

// The worker seam: record what would reach the detector worker.
vi.mock('../../workers/detector.client', () => ({
  runDetectorJob: (req: { type: string; ids?: string[] }) => {
    sent.reqs.push(req);
    return { id: sent.reqs.length, done: Promise.resolve({ cancelled: false }) };
  },
  cancelDetectorJob: vi.fn(),
  onDetectorBroadcast: vi.fn(),
  startDetectorWorker: vi.fn(),
  detectorBackendFor: vi.fn(),
}));

const { holdDetectorInput, releaseHeld, sendBatch } = await import('./detector');

const batch = (ids: string[]): ExplainBatch => ({
  ids,
  predicted: new Int32Array(ids.length),
  targets: new Int32Array(ids.length),
  numClasses: 2,
  probs: new Float32Array(ids.length * 2).fill(0.5),
  size: [2, 2],
  heatmaps: new Uint8Array(ids.length * 4),
  patches: new Uint8Array(ids.length * 12),
  faithfulness: new Float32Array(ids.length),
});

describe('explained batches while the detector worker restarts', () => {
  it('are held, not sent to the restarting worker, and sent in order once it has its rows back', () => {
    sendBatch(batch(['a']));
    holdDetectorInput();
    sendBatch(batch(['b']));
    sendBatch(batch(['c', 'd']));
    expect(sent.reqs.map((r) => r.ids)).toEqual([['a']]);
    releaseHeld();
    expect(sent.reqs.map((r) => [r.type, r.ids])).toEqual([['add', ['a']], ['add', ['b']], ['add', ['c', 'd']]]);
    // Released once: later batches go straight through.
    releaseHeld();
    sendBatch(batch(['e']));
    expect(sent.reqs.map((r) => r.ids)).toEqual([['a'], ['b'], ['c', 'd'], ['e']]);
  });
});
