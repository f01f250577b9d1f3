import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobEvent } from '../../workers/protocol';
import type { JobRequest } from '../../workers/tf.client';
import type { DetectorJobRequest } from '../../workers/detector.client';
import { seedStore } from '../test/fixtures';
import { useAppStore } from '../state/store';
import { modelComparisonOf } from '../state/compare-derive';

const worker = vi.hoisted(() => ({ calls: [] as { type: string; name?: string }[], detector: [] as { type: string }[], fail: false }));

// The tfjs worker seam: model B predicts class 1 for every image, with a map that differs from A's.
vi.mock('../../workers/tf.client', async () => {
  const { scriptedRunJob } = await import('../test/fixtures');
  return {
    WorkerJobError: class extends Error {},
    runJob: (req: JobRequest, onEvent?: (ev: JobEvent) => void) => {
      worker.calls.push(req as { type: string; name?: string });
      return scriptedRunJob((r): JobEvent[] => {
        if (r.type !== 'explain') return [];
        if (worker.fail) throw new Error('the GPU ran away');
        const ids = ['img0', 'img1', 'img2', 'img3', 'img4', 'img5'];
        return [{ type: 'explained', id: 1, batch: { ids, predicted: Int32Array.from(ids, () => 1), targets: Int32Array.from(ids, () => 1), numClasses: 3, probs: Float32Array.from(ids.flatMap(() => [0.2, 0.7, 0.1])), size: [2, 2], heatmaps: Uint8Array.from(ids.flatMap(() => [255, 0, 0, 0])), patches: new Uint8Array(ids.length * 12), faithfulness: new Float32Array(ids.length) } }];
      }).runJob(req, onEvent);
    },
    cancelJob: vi.fn(),
  };
});
// The detector worker seam: B's one-off detector scores img0 highest, then img5, img4, …
vi.mock('../../workers/detector.client', () => ({
  runDetectorJob: (req: DetectorJobRequest, onEvent: (ev: unknown) => void = () => {}) => {
    worker.detector.push(req);
    const done = Promise.resolve().then(() => {
      if (req.type === 'rankOnce') onEvent({ type: 'scores', id: 1, ids: req.ids, score: Float32Array.from(req.ids, (id) => (id === 'img0' ? 10 : Number(id.slice(3)))) });
      return { cancelled: false };
    });
    return { id: worker.detector.length, done };
  },
  cancelDetectorJob: vi.fn(),
  onDetectorBroadcast: vi.fn(() => () => {}),
  startDetectorWorker: vi.fn(),
  detectorBackendFor: vi.fn(),
}));

const { compareWith } = await import('./compare');

beforeEach(() => {
  seedStore(6);
  worker.calls = [];
  worker.detector = [];
  worker.fail = false;
  const s = useAppStore.getState();
  s.addModel({ name: 'b', inputShape: [64, 64, 3], classNames: ['good', 'broken', 'flashover'], layer: 'c', layers: ['c'] }, false);
  // A's ranking: img5 highest, img4, …; img1 labeled normal, img3 anomalous
  useAppStore.setState({ scores: { img0: 0, img1: 1, img2: 2, img3: 3, img4: 4, img5: 5 }, labels: { img1: 'normal', img3: 'anomalous' }, budget: 0.5 });
});

describe('compareWith: a second model side by side', () => {
  it('explains with B and switches back to A, trains B\'s own detector with the labels, and joins both models\' flags', async () => {
    await compareWith('b');
    expect(worker.calls.map((c) => (c.type === 'useModel' ? `useModel ${c.name}` : c.type))).toEqual(['useModel b', 'explain', 'useModel m']);
    expect(useAppStore.getState().activeModel).toBe('m');
    const rank = worker.detector.find((r) => r.type === 'rankOnce') as Extract<DetectorJobRequest, { type: 'rankOnce' }>;
    expect(rank.ids).toHaveLength(6);
    expect(rank.labelIds).toEqual(['img1', 'img3']);
    expect(Array.from(rank.labelTargets)).toEqual([1, -1]);
    expect(rank.heatmaps).toHaveLength(6 * 4);
    const s = useAppStore.getState();
    expect(s.comparison).toMatchObject({ model: 'b', against: 'm', status: 'ready', nLabels: 2, heatmapSize: [2, 2] });
    expect(Array.from(s.comparison!.explanations.img2.heatmap)).toEqual([255, 0, 0, 0]);
    // Unlabeled: img0, img2, img4, img5; budget 50 % → A flags img5, img4; B flags img0, img5.
    const c = modelComparisonOf(s)!;
    expect(c.models).toEqual(['m', 'b']);
    expect(c.n_images).toBe(4);
    expect(c.both_flagged.ids).toEqual(['img5']);
    expect(c.only_a.ids).toEqual(['img4']);
    expect(c.only_b.ids).toEqual(['img0']);
    expect(c.neither.ids).toEqual(['img2']);
    expect(c.agreement).toBe(0.5);
    // A predicts i mod 3, B always 1: they agree on img1 and img4
    expect(c.prediction_agreement).toEqual({ n_images: 6, same: 2, fraction: 2 / 6 });
  });

  it('a failure says why, drops the comparison and still switches back to the active model', async () => {
    worker.fail = true;
    await compareWith('b');
    expect(worker.calls.map((c) => (c.type === 'useModel' ? `useModel ${c.name}` : c.type))).toEqual(['useModel b', 'explain', 'useModel m']);
    expect(useAppStore.getState().comparison).toBeNull();
    expect(useAppStore.getState().notices.at(-1)).toMatchObject({ kind: 'error', message: 'the comparison with b failed: the GPU ran away' });
  });

  it('another active model or new explanations drop the comparison', async () => {
    await compareWith('b');
    expect(modelComparisonOf(useAppStore.getState())).not.toBeNull();
    useAppStore.getState().setActiveModel('b');
    expect(useAppStore.getState().comparison).toBeNull();
  });
});
