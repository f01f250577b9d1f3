import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeExplained, decodeScored, encodeExplained, encodeScored, readShard, shardPath, writeShard, type ExplainedShard } from './shard-file';

const n = 3;
const shard: ExplainedShard = {
  key: 'ab12',
  ids: ['a.png', 'b.png', 'c.png'],
  skipped: [{ id: 'bad.png', reason: 'Input buffer contains unsupported image format' }],
  classNames: ['good', 'broken'],
  layer: 'conv_3',
  method: 'gradcam',
  size: [2, 2],
  normalization: 'unit',
  backend: 'wasm',
  numClasses: 2,
  // values a decimal round-trip would not keep exactly
  heatmaps: Float32Array.from({ length: n * 4 }, (_, i) => Math.fround(1 / (i + 3))),
  predicted: Int32Array.from([0, 1, 0]),
  targets: Int32Array.from([0, 1, 1]),
  probs: Float32Array.from({ length: n * 2 }, (_, i) => Math.fround(i / 7)),
  faithfulness: Float32Array.from([0.1, 0.2, 0.3]),
  patches: Float32Array.from({ length: n * 4 * 3 }, (_, i) => Math.fround(i / 48)),
};

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('shard files', () => {
  it('carry an explained shard bit for bit', () => {
    const back = decodeExplained(encodeExplained(shard), 'ab12');
    expect(back).toEqual(shard);
    expect(Array.from(back!.heatmaps)).toEqual(Array.from(shard.heatmaps));
  });

  it('keep an all-skipped shard (no maps) and shards without faithfulness or patches', () => {
    const empty = { ...shard, ids: [], heatmaps: new Float32Array(0), predicted: new Int32Array(0), targets: new Int32Array(0), probs: new Float32Array(0), faithfulness: null, patches: null };
    expect(decodeExplained(encodeExplained(empty), 'ab12')).toEqual(empty);
  });

  it('read as absent when partial, of another key or inconsistent (the shard is then redone)', () => {
    const text = encodeExplained(shard);
    expect(decodeExplained(text.slice(0, text.length / 2), 'ab12')).toBeNull();
    expect(decodeExplained(text, 'other')).toBeNull();
    expect(decodeExplained(encodeExplained({ ...shard, ids: ['a.png'] }), 'ab12')).toBeNull();
    expect(decodeExplained('{"format":"something-else"}', 'ab12')).toBeNull();
  });

  it('carry scored shards, and are written and read back atomically by path', async () => {
    dir = await mkdtemp(join(tmpdir(), 'apexp-shard-'));
    const s = { key: 'cd34', ids: ['a.png', 'b.png'], distance: Float32Array.from([Math.fround(0.1234567), 2]) };
    const p = shardPath(dir, 'score', 'cd34');
    expect(p).toBe(join(dir, 'score-cd34.json'));
    expect(await readShard(p, decodeScored, 'cd34')).toBeNull();
    await writeShard(p, encodeScored(s));
    expect(await readShard(p, decodeScored, 'cd34')).toEqual(s);
    await writeFile(p, '{"format":"apexp-shard"');
    expect(await readShard(p, decodeScored, 'cd34')).toBeNull();
  });
});
