import { describe, expect, it } from 'vitest';
import { FleetError } from './errors';
import { JOB_VERSION, parseJob } from './job-schema';

const explain = {
  version: JOB_VERSION,
  kind: 'explain',
  key: 'a'.repeat(32),
  shard: 0,
  model: '/m/model.json',
  modelHash: 'b'.repeat(64),
  entries: [{ id: 'x.png', path: '/d/x.png' }],
  settings: { method: 'gradcam', target: 'predicted', size: [32, 32], batch: 32, resize: 'stretch', faithfulness: true, peakPatches: true },
  outDir: '/out/.a.shards',
};
const score = { version: JOB_VERSION, kind: 'score', key: 'c'.repeat(32), shard: 3, explained: '/out/.a.shards/explain-aaa.json', detector: { dir: '/out/.a.shards/detector-1', hash: 'd'.repeat(64) }, input: 'heatmap-peak', outDir: '/out/.a.shards' };

function reason(data: unknown): string {
  try {
    parseJob(data);
  } catch (err) {
    expect(err).toBeInstanceOf(FleetError);
    expect((err as FleetError).code).toBe('bad-job');
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('the job payload schema', () => {
  it('accepts the explain and score payloads the coordinator makes, unchanged', () => {
    expect(parseJob(structuredClone(explain))).toEqual(explain);
    expect(parseJob(structuredClone(score))).toEqual(score);
    expect(parseJob({ ...explain, settings: { ...explain.settings, target: 3, layer: 'conv_3', normalize: 'imagenet', method: 'layercam' } }).kind).toBe('explain');
  });

  it('refuses another version, an unknown kind and a missing field, naming the field', () => {
    expect(reason({ ...explain, version: JOB_VERSION + 1 })).toMatch(/^bad job payload: version: /);
    expect(reason({ ...explain, kind: 'train' })).toMatch(/kind/);
    expect(reason({ ...explain, entries: [] })).toMatch(/entries/);
    expect(reason({ ...explain, entries: [{ id: 'x.png' }] })).toMatch(/entries\.0\.path/);
    expect(reason({ ...explain, settings: { ...explain.settings, method: 'saliency' } })).toMatch(/settings\.method/);
    expect(reason({ ...explain, settings: { ...explain.settings, size: [32] } })).toMatch(/settings\.size/);
    expect(reason({ ...explain, settings: { ...explain.settings, batch: 0 } })).toMatch(/settings\.batch/);
    expect(reason({ ...explain, key: '../../etc' })).toMatch(/key/);
    expect(reason({ ...score, input: 'pixels' })).toMatch(/input/);
    expect(reason({ ...score, detector: { dir: '/d' } })).toMatch(/detector\.hash/);
    expect(reason(null)).toMatch(/bad job payload/);
  });

  it('gives one-line reasons', () => {
    expect(reason({ ...explain, model: '' })).not.toContain('\n');
  });
});
