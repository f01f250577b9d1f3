import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { runCli, saveModelDir, tinyClassifier, writeImages } from './cli-fixtures';
import graphFixture from '../../core/gradcam/fixtures/graph-skip.model.json';

let dir: string;
let model: string;
let images: string;
let ids: string[];

/** Runs the CLI in-process (cli-fixtures.ts). */
const run = (...argv: string[]) => runCli(argv);

const exists = (p: string) => stat(p).then(() => true, () => false);
const TRAIN = ['--n-epochs', '1', '--ae-n-epochs', '1', '--batch-size', '8', '--ae-batch-size', '8'];
/** The auditor's short schedule for tests: 2 Deep SAD steps, no pretraining, one detector, 2 update steps. */
const AUDIT = ['--train-steps', '2', '--ae-steps', '0', '--ensemble', '1', '--batch-size', '8', '--update-steps', '2'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apexp-cli-'));
  model = await saveModelDir(tinyClassifier(), join(dir, 'model'), { labels: ['left', 'right'] });
  images = join(dir, 'images');
  const made = await writeImages(join(images, 'set'), 12);
  ids = made.map((m) => `set/${m.id}`);
  await writeFile(join(images, 'set', 'corrupt.png'), 'not an image');
  // truth: flip two labels so the tiny model is "wrong" on them
  const truth = made.map((m, i) => `set/${m.id},${(m.left !== (i === 1 || i === 4)) ? 'left' : 'right'}`);
  await writeFile(join(dir, 'truth.csv'), `id,class\n${truth.join('\n')}\n`);
  await writeFile(join(dir, 'labels.csv'), `id,label\n${ids[1]},anomalous\n${ids[2]},normal\n${ids[3]},normal\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('apexp explain → train → score → audit', () => {
  it('writes explanations.jsonl in the contract format, skipping the unreadable file', async () => {
    const out = join(dir, 'explanations.jsonl');
    const r = await run('explain', '--model', model, '--images', images, '--out', out, '--batch', '5', '--no-peak-patches');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/skipping set\/corrupt\.png/);
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(ids);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(['heatmap', 'id', 'layer', 'method', 'predicted', 'probs', 'size', 'target']);
      expect(l.method).toBe('gradcam');
      expect(l.size).toEqual([32, 32]);
      expect(l.layer).toBe('pool');
      expect(l.heatmap).toHaveLength(1024);
      expect(Math.min(...l.heatmap)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...l.heatmap)).toBeLessThanOrEqual(1);
      expect(l.probs[0] + l.probs[1]).toBeCloseTo(1, 4);
      expect(l.target).toBe(l.predicted);
    }
    // the tiny model calls "left" the images whose left half is bright
    expect(lines.map((l) => l.predicted)).toEqual(ids.map((_, i) => (i % 3 !== 0 ? 0 : 1)));
  });

  it('trains a detector with labels.csv and scores every explanation', async () => {
    const ex = join(dir, 'explanations.jsonl');
    const det = join(dir, 'det');
    expect((await run('train', '--explanations', ex, '--labels', join(dir, 'labels.csv'), '--out', det, '--input', 'heatmap', ...TRAIN)).code).toBe(0);
    expect(await readdir(det)).toEqual(expect.arrayContaining(['detector.json', 'weights.bin']));
    const scores = join(dir, 'scores.csv');
    expect((await run('score', '--detector', det, '--explanations', ex, '--out', scores)).code).toBe(0);
    const rows = (await readFile(scores, 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('id,score');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(ids);
    for (const r of rows.slice(1)) expect(Number.isFinite(Number(r.split(',')[1]))).toBe(true);
  });

  it('explains with another CAM method (--method layercam): recorded per line, other maps, and a file that mixes methods is refused', async () => {
    const out = join(dir, 'explanations-layercam.jsonl');
    const r = await run('explain', '--model', model, '--images', images, '--out', out, '--method', 'layercam', '--no-peak-patches');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/with layercam at layer pool/);
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const grad = (await readFile(join(dir, 'explanations.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.every((l) => l.method === 'layercam')).toBe(true);
    // the same images, predictions and targets; maps that differ somewhere (LayerCAM weighs each cell by its own positive gradient)
    expect(lines.map((l) => l.predicted)).toEqual(grad.map((l) => l.predicted));
    const diff = Math.max(...lines.flatMap((l, i) => l.heatmap.map((v: number, j: number) => Math.abs(v - grad[i].heatmap[j]))));
    expect(diff).toBeGreaterThan(0.01);
    const mixed = join(dir, 'mixed.jsonl');
    await writeFile(mixed, `${JSON.stringify(grad[0])}\n${JSON.stringify(lines[1])}\n`);
    const t = await run('train', '--explanations', mixed, '--out', join(dir, 'det-mixed'), '--input', 'heatmap', ...TRAIN);
    expect(t.code).not.toBe(0);
    expect(t.err).toMatch(/mixed\.jsonl:2: method layercam differs from line 1's gradcam/);
    const bad = await run('explain', '--model', model, '--images', images, '--out', join(dir, 'x.jsonl'), '--method', 'scorecam');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--method must be one of gradcam, gradcam\+\+, hirescam, xgradcam, layercam, got 'scorecam'/);
  });

  it('audits with truth.csv: every file, report.json in the contract shape', async () => {
    const out = join(dir, 'audit');
    const r = await run('audit', '--model', model, '--images', images, '--truth', join(dir, 'truth.csv'), '--out', out, '--budget', '0.25', '--input', 'heatmap', ...AUDIT);
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['detector', 'explanations.jsonl', 'report.json', 'report.md', 'scores.csv']);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    for (const k of ['n_images', 'n_skipped', 'budget', 'flagged_fraction', 'threshold', 'accuracy_before', 'accuracy_after', 'per_class', 'detectors', 'settings']) expect(report).toHaveProperty(k);
    expect(report.n_images).toBe(12);
    expect(report.n_skipped).toBe(1);
    expect(report.budget).toBe(0.25);
    expect(report.settings.method).toBe('gradcam');
    expect(report.accuracy_before).toBeCloseTo(10 / 11, 6); // one of the two wrong images was labeled and left out
    expect(report.n_labeled).toBe(1); // ratio 0.5 of 2 misclassified
    for (const d of ['deepsad', 'faithfulness']) for (const k of ['f1', 'precision', 'recall', 'threshold']) expect(report.detectors[d]).toHaveProperty(k);
    expect(Object.keys(report.per_class).sort()).toEqual(['left', 'right']);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toMatch(/# APEXP audit report/);
    // The learnt ranking (the default) says what it learnt from the one label: [intercept, Deep SAD, unconfidence, vote, left, right].
    expect(report.settings.auditor.ranking.learn).toEqual({ precision: 1, byClass: true });
    expect(report.settings.ranking_model.weights).toHaveLength(6);
    expect(report.settings.ranking_model.n_labels).toBe(1);
    expect(report.settings.ranking_model.summary).toMatch(/^The ranking weighs the classifier's unconfidence .*; predicted (left|right) [+−]\d\.\d, (left|right) [+−]\d\.\d \(learnt from 1 label\)\.$/);
  });

  it('audits on map + peak patch by default; apexp score rescores the detector distances from the patches in explanations.jsonl', async () => {
    const out = join(dir, 'audit-peak');
    const r = await run('audit', '--model', model, '--images', images, '--truth', join(dir, 'truth.csv'), '--out', out, '--ranking', 'deepsad', ...AUDIT);
    expect(r.code).toBe(0);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.settings.input).toBe('heatmap-peak');
    // --ranking deepsad: the distance rank alone, nothing learnt.
    expect(report.settings.auditor.ranking).toEqual({ deepsad: 1, vote: 0, bandwidth: 0.25, confidence: 0, learn: null });
    expect(report.settings.ranking_model).toEqual({ weights: [0, 1, 0, 0], n_labels: 0, summary: expect.stringMatching(/no labels yet/) });
    const badRanking = await run('audit', '--model', model, '--images', images, '--out', join(dir, 'bad-ranking'), '--ranking', 'vote');
    expect(badRanking.code).toBe(2);
    expect(badRanking.err).toMatch(/--ranking must be one of learnt, deepsad, got 'vote'/);
    expect(report.settings.detector.inputShape).toEqual([32, 32, 4]);
    const detector = JSON.parse(await readFile(join(out, 'detector', 'detector.json'), 'utf8'));
    expect(detector.config.inputShape).toEqual([32, 32, 4]);
    const lines = (await readFile(join(out, 'explanations.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    for (const l of lines) {
      expect(l.patch).toHaveLength(32 * 32 * 3);
      expect(l.patch.every((v: number) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
    }
    const rows = (await readFile(join(out, 'scores.csv'), 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('id,score,distance');
    const auditScores = rows.slice(1).map((l) => Number(l.split(',')[2]));
    expect(auditScores).toHaveLength(12);
    expect(new Set(auditScores).size).toBeGreaterThan(1); // not one constant score
    expect(new Set(rows.slice(1).map((l) => l.split(',')[1])).size).toBeGreaterThan(1);
    // The report says how far the detector agrees with the truth-derived label it did not see (one of two misclassified).
    expect(report.agreement).toBeNull(); // a single label: nothing to hold out against
    // apexp score reads the patches back: the detector's distances up to the file's rounding of the maps (1e-4).
    const rescored = join(dir, 'peak-scores.csv');
    expect((await run('score', '--detector', join(out, 'detector'), '--explanations', join(out, 'explanations.jsonl'), '--out', rescored)).code).toBe(0);
    const again = (await readFile(rescored, 'utf8')).trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    again.forEach((v, i) => expect(v).toBeCloseTo(auditScores[i], 2));
    // explanations without patches cannot feed it: one line naming the fix.
    const s = await run('score', '--detector', join(out, 'detector'), '--explanations', join(dir, 'explanations.jsonl'), '--out', join(dir, 'never-scores.csv'));
    expect(s.code).toBe(2);
    expect(s.err.trim().split('\n').filter((l) => l.startsWith('apexp:'))).toEqual([expect.stringMatching(/holds no peak patches.*--peak-patches/)]);
    expect(await exists(join(dir, 'never-scores.csv'))).toBe(false);
    const bad = await run('audit', '--model', model, '--images', images, '--out', join(dir, 'never'), '--input', 'pixels');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--input must be one of heatmap-peak, heatmap, got 'pixels'/);
  });

  it('audits with the analyst\'s labels: held-out agreement in the report, an ensemble written member by member', async () => {
    const out = join(dir, 'audit-labels');
    const r = await run('audit', '--model', model, '--images', images, '--labels', join(dir, 'labels.csv'), '--out', out, ...AUDIT, '--ensemble', '2');
    expect(r.code).toBe(0);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.n_labeled).toBe(3);
    expect(report.n_evaluated).toBe(9);
    expect(report.agreement.nAnomalous).toBe(1);
    expect(report.agreement.nNormal).toBe(2);
    expect(report.agreement.held_out).toHaveLength(3);
    expect(report.agreement.summary).toMatch(/^Of your 1 anomalous label, the detector ranks [01] inside the review budget when it has not seen it; of your 2 normal labels, it keeps [012] outside\.$/);
    expect(r.err).toMatch(/Of your 1 anomalous label/);
    expect((await readdir(join(out, 'detector'))).sort()).toEqual(['member-1', 'member-2']);
    const rescored = join(dir, 'ens-scores.csv');
    expect((await run('score', '--detector', join(out, 'detector'), '--explanations', join(out, 'explanations.jsonl'), '--out', rescored)).code).toBe(0);
    const want = (await readFile(join(out, 'scores.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
    const got = (await readFile(rescored, 'utf8')).trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 2));
  });

  it('explain (with peak patches by default) → train --input heatmap-peak → score', async () => {
    const ex = join(dir, 'explanations-peak.jsonl');
    expect((await run('explain', '--model', model, '--images', images, '--out', ex)).code).toBe(0);
    const det = join(dir, 'det-peak');
    expect((await run('train', '--explanations', ex, '--input', 'heatmap-peak', '--out', det, ...TRAIN)).code).toBe(0);
    expect(JSON.parse(await readFile(join(det, 'detector.json'), 'utf8')).config.inputShape).toEqual([32, 32, 4]);
    expect((await run('score', '--detector', det, '--explanations', ex, '--out', join(dir, 'scores-peak.csv'))).code).toBe(0);
    expect((await readFile(join(dir, 'scores-peak.csv'), 'utf8')).trim().split('\n')).toHaveLength(13); // header + 12 images
    // train --input heatmap-peak on a file without patches, and a file with patches on some lines only
    const plain = await run('train', '--explanations', join(dir, 'explanations.jsonl'), '--input', 'heatmap-peak', '--out', join(dir, 'never-det'), ...TRAIN);
    expect(plain.err).toMatch(/holds no peak patches/);
    const [first, second] = (await readFile(ex, 'utf8')).trim().split('\n');
    const mixed = join(dir, 'mixed.jsonl');
    const noPatch = JSON.parse(second);
    delete noPatch.patch;
    await writeFile(mixed, `${first}\n${JSON.stringify(noPatch)}\n`);
    const m = await run('train', '--explanations', mixed, '--input', 'heatmap-peak', '--out', join(dir, 'never-det'), ...TRAIN);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/mixed\.jsonl:2: no "patch", unlike line 1's explanation/);
    expect(await exists(join(dir, 'never-det'))).toBe(false);
  });
});

describe('apexp explain on a GraphModel', () => {
  it('explains through graph nodes, loaded from model.json + weights.bin', async () => {
    const gdir = join(dir, 'graph');
    await cp(join(dir, 'model'), gdir, { recursive: true }); // any directory; the files are replaced below
    const specs = graphFixture.weightSpecs as { name: string; dtype: string }[];
    const w = graphFixture.weights as Record<string, number[]>;
    const parts = specs.map((sp) => Buffer.from((sp.dtype === 'int32' ? new Int32Array(w[sp.name]) : new Float32Array(w[sp.name])).buffer));
    await writeFile(join(gdir, 'weights.bin'), Buffer.concat(parts));
    await rm(join(gdir, 'metadata.json'));
    await writeFile(join(gdir, 'model.json'), JSON.stringify({ format: 'graph-model', modelTopology: graphFixture.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] }));
    const out = join(dir, 'graph.jsonl');
    const r = await run('explain', '--model', gdir, '--images', join(images, 'set', 'img-000.png'), join(images, 'set', 'img-001.png'), '--out', out, '--layer', 'relu2', '--size', '8');
    expect(r.code).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['img-000.png', 'img-001.png']);
    expect(lines[0].layer).toBe('relu2');
    expect(lines[0].heatmap).toHaveLength(64);
    expect(lines[0].probs).toHaveLength(3);
  });
});

describe('bad input: one line, non-zero exit, no output left behind', () => {
  it('names a missing weight file', async () => {
    const broken = join(dir, 'no-weights');
    await cp(join(dir, 'model'), broken, { recursive: true });
    await rm(join(broken, 'weights.bin'));
    const out = join(dir, 'never.jsonl');
    const r = await run('explain', '--model', broken, '--images', images, '--out', out);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/weights\.bin/);
    expect(r.err.trim().split('\n').filter((l) => l.startsWith('apexp:'))).toHaveLength(1);
    expect(await exists(out)).toBe(false);
    expect((await readdir(dir)).some((f) => f.includes('.tmp-'))).toBe(false);
  });

  it('rejects a model that cannot take images', async () => {
    const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 2, activation: 'softmax' })] });
    const path = await saveModelDir(dense, join(dir, 'dense'));
    const r = await run('explain', '--model', path, '--images', images, '--out', join(dir, 'x.jsonl'));
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/cannot take images/);
  });

  it('lists the candidates for an unknown layer', async () => {
    const r = await run('explain', '--model', model, '--images', images, '--out', join(dir, 'x.jsonl'), '--layer', 'nope');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/no layer "nope".*candidates: conv, pool/);
  });

  it('rejects labels with unknown ids', async () => {
    await writeFile(join(dir, 'bad-labels.csv'), 'id,label\nset/img-000.png,normal\nmissing.png,anomalous\n');
    const r = await run('train', '--explanations', join(dir, 'explanations.jsonl'), '--labels', join(dir, 'bad-labels.csv'), '--out', join(dir, 'det2'), '--input', 'heatmap', ...TRAIN);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/not among the images\/explanations: "missing\.png"/);
    expect(await exists(join(dir, 'det2'))).toBe(false);
  });
});
