import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { runCli } from './cli-fixtures';

/** Runs the CLI in-process (cli-fixtures.ts). */
const run = (...argv: string[]) => runCli(argv);

const AUDIT = ['--train-steps', '3', '--ae-steps', '0', '--ensemble', '1', '--batch-size', '8', '--update-steps', '2'];
const N = 20;
let dir: string;
const ids = Array.from({ length: N }, (_, i) => `maps/m${String(i).padStart(2, '0')}.png`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apexp-byo-cli-'));
  await mkdir(join(dir, 'h', 'maps'), { recursive: true });
  // 20 heatmap PNGs of 48×40 under h/maps/ (ids are paths relative to h/), as another pipeline would write them: a blob at the centre, except the
  // last four, whose blob sits in the corner (the "odd" explanations).
  for (let i = 0; i < N; i++) {
    const [cy, cx] = i >= 16 ? [6, 6] : [20 + (i % 3), 24 + (i % 4)];
    const px = Buffer.from(Array.from({ length: 40 * 48 }, (_, p) => Math.round(255 * Math.exp(-(((Math.floor(p / 48) - cy) ** 2 + ((p % 48) - cx) ** 2) / 50)))));
    await sharp(px, { raw: { width: 48, height: 40, channels: 1 } }).png().toFile(join(dir, 'h', ids[i]));
  }
  await writeFile(join(dir, 'h', 'maps', 'notes.png'), 'not a png');
  await writeFile(join(dir, 'predictions.csv'), `id,predicted,confidence\n${ids.map((id, i) => `${id},${i % 2 ? 'good' : 'broken'},${(0.6 + 0.02 * i).toFixed(2)}`).join('\n')}\n`);
  await writeFile(join(dir, 'truth.csv'), `id,class\n${ids.map((id, i) => `${id},${i >= 16 ? 'flashover' : i % 2 ? 'good' : 'broken'}`).join('\n')}\n`);
  await writeFile(join(dir, 'labels.csv'), `id,label\n${ids[16]},anomalous\n${ids[0]},normal\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('auditing maps made elsewhere (no tfjs model)', () => {
  it('audit --heatmaps DIR --predictions --truth --labels: confidence baseline, no faithfulness, accuracy from the predictions', async () => {
    const out = join(dir, 'audit');
    const r = await run('audit', '--heatmaps', join(dir, 'h'), '--predictions', join(dir, 'predictions.csv'), '--truth', join(dir, 'truth.csv'), '--labels', join(dir, 'labels.csv'), '--budget', '0.2', '--out', out, ...AUDIT);
    expect(r.err).toMatch(/skipping maps\/notes\.png/);
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['detector', 'report.json', 'report.md', 'scores.csv']);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.n_images).toBe(N);
    expect(report.n_skipped).toBe(1);
    expect(report.n_labeled).toBe(2);
    expect(Object.keys(report.detectors).sort()).toEqual(['confidence', 'deepsad', 'random']);
    expect(report.settings.format).toBe('png');
    expect(report.settings.input).toBe('heatmap'); // no patches in maps made elsewhere
    expect(report.settings.faithfulness).toBeNull();
    // 18 evaluated, the 3 unlabeled corner maps are misclassified (flashover predicted as broken/good)
    expect(report.accuracy_before).toBeCloseTo(15 / 18, 6);
    expect(Object.keys(report.per_class).sort()).toEqual(['broken', 'flashover', 'good']);
    const scores = (await readFile(join(out, 'scores.csv'), 'utf8')).trim().split('\n');
    expect(scores).toHaveLength(N + 1);
    expect(await readFile(join(out, 'report.md'), 'utf8')).not.toMatch(/\| faithfulness \|/);
  });

  it('train on the PNG folder, score a .npy of the same maps with that detector', async () => {
    const det = join(dir, 'det');
    const t = await run('train', '--explanations', join(dir, 'h'), '--out', det, '--n-epochs', '1', '--ae-n-epochs', '1', '--batch-size', '8', '--ae-batch-size', '8');
    expect(t.code).toBe(0);
    expect(t.err).toMatch(/trained on 20 heatmap\(s\) \(0 labeled, input heatmap; skipped 1\)/);
    const s = await run('score', '--detector', det, '--explanations', join(import.meta.dirname, '..', 'fixtures', 'byo', 'maps-u1.npy'), '--out', join(dir, 's.csv'));
    expect(s.code).toBe(0);
    const rows = (await readFile(join(dir, 's.csv'), 'utf8')).trim().split('\n');
    expect(rows.slice(1).map((l) => l.split(',')[0])).toEqual(['set/map-0.png', 'set/map-1.png', 'set/map-2.png', 'set/map-3.png']);
    for (const l of rows.slice(1)) expect(Number(l.split(',')[1])).toBeGreaterThan(0);
  });

  it('bad combinations and files: one line each, non-zero exit', async () => {
    const bad = async (argv: string[], re: RegExp) => {
      const r = await run(...argv);
      expect(r.code).not.toBe(0);
      expect(r.err.trim().split('\n').filter((l) => l.startsWith('apexp:'))).toEqual([expect.stringMatching(re)]);
    };
    await bad(['audit', '--heatmaps', join(dir, 'h'), '--truth', join(dir, 'truth.csv'), '--out', join(dir, 'x1'), ...AUDIT], /needs --predictions/);
    await bad(['audit', '--heatmaps', join(dir, 'h'), '--model', 'm', '--out', join(dir, 'x2')], /leave out --model and --images/);
    await bad(['audit', '--heatmaps', join(dir, 'h'), '--input', 'heatmap-peak', '--out', join(dir, 'x3'), ...AUDIT], /holds no peak patches.*--input heatmap/);
    await writeFile(join(dir, 'short.csv'), `id,predicted,confidence\n${ids[0]},good,0.9\n`);
    await bad(['audit', '--heatmaps', join(dir, 'h'), '--predictions', join(dir, 'short.csv'), '--out', join(dir, 'x4'), ...AUDIT], /short\.csv: no row for 19 of the 20 maps/);
    await bad(['train', '--explanations', join(dir, 'h'), '--labels', join(dir, 'truth.csv'), '--out', join(dir, 'x5')], /truth\.csv/);
    for (const x of ['x1', 'x2', 'x3', 'x4', 'x5']) expect((await readdir(dir)).includes(x)).toBe(false);
  });
});
