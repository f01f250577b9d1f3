// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import type { DetectorBundle } from '../../core/deepsad/types';
import type { JobEvent } from '../../workers/protocol';
import { seedStore } from '../test/fixtures';
import { useAppStore } from '../state/store';

const worker = vi.hoisted(() => ({ script: (() => []) as (req: { type: string }) => unknown[] }));

vi.mock('../../workers/tf.client', async () => {
  const { WorkerJobError } = await vi.importActual<{ WorkerJobError: unknown }>('../../workers/tf.client');
  const { scriptedRunJob: make } = await import('../test/fixtures');
  return {
    WorkerJobError,
    runJob: (...a: Parameters<ReturnType<typeof make>['runJob']>) => make((req) => worker.script(req) as JobEvent[]).runJob(...a),
    cancelJob: vi.fn(),
  };
});

const { startTraining, fineTuneNow } = await import('./train');
const { WorkerJobError } = await import('../../workers/tf.client');

const bundle = { format: 'apexp-deepsad', version: 1 } as unknown as DetectorBundle;

describe('startTraining', () => {
  it('streams epochs into the loss chart, stores scores and the detector, and ends done', async () => {
    const ids = seedStore(3);
    useAppStore.getState().setLabels(['img0'], 'anomalous');
    worker.script = (req) => {
      expect(req.type).toBe('train');
      const r = req as unknown as { labels: { ids: string[]; targets: Int8Array } };
      expect(r.labels.ids).toEqual(['img0']);
      expect(Array.from(r.labels.targets)).toEqual([-1]);
      return [
        { type: 'epoch', id: 1, stage: 'train', epoch: 1, epochs: 2, loss: 2.5 },
        { type: 'epoch', id: 1, stage: 'train', epoch: 2, epochs: 2, loss: 1.5 },
        { type: 'detector', id: 1, bundle },
        { type: 'scores', id: 1, ids, scores: Float32Array.from([0.1, 0.9, 0.5]) },
      ];
    };
    await startTraining();
    const s = useAppStore.getState();
    expect(s.losses.map((p) => p.loss)).toEqual([2.5, 1.5]);
    expect(s.scores).toEqual({ img0: expect.closeTo(0.1, 6), img1: expect.closeTo(0.9, 6), img2: expect.closeTo(0.5, 6) });
    expect(s.detector).toBe(bundle);
    expect(s.trainStatus).toBe('done');
    expect(s.labelsDirty).toBe(false);
  });

  it('a NaN stops training, keeps the last good detector, and says so', async () => {
    seedStore(2);
    worker.script = () => {
      throw new WorkerJobError('DeepSadDivergedError', 'diverged', 'loss is NaN at epoch 3');
    };
    await startTraining();
    const s = useAppStore.getState();
    expect(s.trainStatus).toBe('diverged');
    expect(s.trainMessage).toMatch(/NaN.*last good detector/);
    expect(s.notices.at(-1)).toMatchObject({ kind: 'error', message: expect.stringContaining('last good detector') });
  });

  it('refuses to train without explanations, with a message', async () => {
    seedStore(0);
    useAppStore.setState({ explanations: {} });
    worker.script = () => {
      throw new Error('must not be called');
    };
    await startTraining();
    expect(useAppStore.getState().notices.at(-1)?.message).toMatch(/Nothing to train on/);
  });
});

describe('fineTuneNow', () => {
  it('does nothing before a detector exists, then re-scores with the new labels', async () => {
    const ids = seedStore(2);
    let calls = 0;
    worker.script = () => {
      calls++;
      return [{ type: 'scores', id: 1, ids, scores: Float32Array.from([3, 4]) }];
    };
    await fineTuneNow();
    expect(calls).toBe(0);
    useAppStore.setState({ detector: bundle });
    useAppStore.getState().setLabels(['img1'], 'normal');
    await fineTuneNow();
    expect(calls).toBe(1);
    expect(useAppStore.getState().scores).toEqual({ img0: 3, img1: 4 });
    expect(useAppStore.getState().scoresVersion).toBe(1);
  });
});
