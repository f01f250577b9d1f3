import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-fixtures';
import { writeDemoData } from './demo-data';
import { modelNames } from './audit-compare';

const run = (...argv: string[]) => runCli(argv);
const MODELS = join(import.meta.dirname, '..', '..', '..', 'public', 'models');
const VGG = join(MODELS, 'vgg_small');
const RESNET = join(MODELS, 'resnet_small', 'model.json');
const AUDIT = ['--train-steps', '3', '--ae-steps', '0', '--ensemble', '1', '--batch-size', '8', '--update-steps', '2', '--budget', '0.25'];
const N = 30;
let dir: string;
let data: string;
let labeled: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apexp-compare-'));
  data = join(dir, 'data');
  await writeDemoData({ out: data, n: N, seed: 7, split: 'test', size: 64 }, { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream);
  const ids = (await readFile(join(data, 'truth.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(',')[0]);
  labeled = [ids[0], ids[1], ids[5]];
  await writeFile(join(dir, 'labels.csv'), `id,label\n${labeled[0]},anomalous\n${labeled[1]},normal\n${labeled[2]},normal\n`);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const json = async (p: string) => JSON.parse(await readFile(p, 'utf8'));
const predictions = async (p: string) => new Map((await readFile(p, 'utf8')).trim().split('\n').map((l) => JSON.parse(l)).map((l) => [l.id as string, l.predicted as number]));

describe('apexp audit --model A --model B: two classifiers side by side', () => {
  it('writes each model\'s audit into its folder and a comparison whose counts match the two reports\' flags', async () => {
    const out = join(dir, 'cmp');
    const r = await run('audit', '--model', VGG, '--model', RESNET, '--images', data, '--truth', join(data, 'truth.csv'), '--labels', join(dir, 'labels.csv'), '--out', out, ...AUDIT);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/auditing with vgg_small \(1\/2\)[\s\S]*auditing with resnet_small \(2\/2\)/);
    expect(r.err).toMatch(/compared vgg_small and resnet_small on 27 image\(s\): both flagged \d+, only vgg_small \d+, only resnet_small \d+, neither \d+/);
    expect((await readdir(out)).sort()).toEqual(['comparison.json', 'comparison.md', 'resnet_small', 'vgg_small']);
    for (const m of ['vgg_small', 'resnet_small']) expect((await readdir(join(out, m))).sort()).toEqual(['detector', 'explanations.jsonl', 'report.json', 'report.md', 'scores.csv']);
    const a = await json(join(out, 'vgg_small', 'report.json'));
    const b = await json(join(out, 'resnet_small', 'report.json'));
    expect(a.settings.model).toBe(VGG);
    expect(b.settings.model).toBe(RESNET);
    const c = await json(join(out, 'comparison.json'));
    // both models share the labels, so both evaluate the same N − 3 images
    const fa = new Set<string>(a.flagged_ids);
    const fb = new Set<string>(b.flagged_ids);
    const both = [...fa].filter((id) => fb.has(id));
    expect(c.models).toEqual(['vgg_small', 'resnet_small']);
    expect(c.n_images).toBe(N - labeled.length);
    expect(c.budget).toBe(0.25);
    expect(c.both_flagged.count).toBe(both.length);
    expect(c.only_a.count).toBe(fa.size - both.length);
    expect(c.only_b.count).toBe(fb.size - both.length);
    expect(c.neither.count).toBe(N - labeled.length - fa.size - fb.size + both.length);
    expect(new Set(c.both_flagged.ids)).toEqual(new Set(both));
    expect(new Set(c.only_a.ids)).toEqual(new Set([...fa].filter((id) => !fb.has(id))));
    expect(new Set(c.only_b.ids)).toEqual(new Set([...fb].filter((id) => !fa.has(id))));
    for (const l of labeled) expect([...c.both_flagged.ids, ...c.only_a.ids, ...c.only_b.ids, ...c.neither.ids]).not.toContain(l);
    expect(c.agreement).toBeCloseTo((c.both_flagged.count + c.neither.count) / c.n_images, 12);
    expect(c.per_model.vgg_small).toMatchObject({ flagged: fa.size, flagged_in_report: fa.size, n_evaluated: a.n_evaluated, accuracy_before: a.accuracy_before });
    expect(c.per_model.resnet_small).toMatchObject({ flagged: fb.size, n_evaluated: b.n_evaluated, accuracy_before: b.accuracy_before });
    expect(fa.size).toBe(a.detectors.deepsad.flagged);
    // prediction agreement from the two explanations.jsonl files
    const pa = await predictions(join(out, 'vgg_small', 'explanations.jsonl'));
    const pb = await predictions(join(out, 'resnet_small', 'explanations.jsonl'));
    const same = [...pa].filter(([id, p]) => pb.get(id) === p).length;
    expect(c.prediction_agreement).toEqual({ n_images: N, same, fraction: same / N });
    const md = await readFile(join(out, 'comparison.md'), 'utf8');
    expect(md).toContain(`| **vgg_small flagged** | ${c.both_flagged.count} | ${c.only_a.count} |`);
    expect(md).toContain(`| **vgg_small not flagged** | ${c.only_b.count} | ${c.neither.count} |`);

    // A single --model run is what it was: the same files as that model's folder, byte for byte.
    const single = join(dir, 'single');
    const s = await run('audit', '--model', VGG, '--images', data, '--truth', join(data, 'truth.csv'), '--labels', join(dir, 'labels.csv'), '--out', single, ...AUDIT);
    expect(s.code).toBe(0);
    expect(s.err).not.toMatch(/compared/);
    expect((await readdir(single)).sort()).toEqual(['detector', 'explanations.jsonl', 'report.json', 'report.md', 'scores.csv']);
    for (const f of ['explanations.jsonl', 'report.json', 'scores.csv', 'report.md']) {
      expect(await readFile(join(single, f), 'utf8'), f).toBe(await readFile(join(out, 'vgg_small', f), 'utf8'));
    }

    // A rerun replaces an earlier comparison.
    const again = await run('audit', '--model', VGG, '--model', RESNET, '--images', data, '--out', out, ...AUDIT);
    expect(again.code).toBe(0);
    expect((await json(join(out, 'comparison.json'))).n_images).toBe(N);
  }, 240_000);

  it('refuses three models, --heatmaps with models and an --out holding something else: one line, exit 2', async () => {
    const bad = async (argv: string[], re: RegExp) => {
      const r = await run('audit', ...argv);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n').filter((l) => l.startsWith('apexp:'))).toEqual([expect.stringMatching(re)]);
    };
    await bad(['--model', VGG, '--model', RESNET, '--model', VGG, '--images', data, '--out', join(dir, 'x1')], /given 3 times: audit compares at most two models/);
    await bad(['--heatmaps', data, '--model', VGG, '--model', RESNET, '--out', join(dir, 'x2')], /leave out --model and --images/);
    await mkdir(join(dir, 'x3'));
    await writeFile(join(dir, 'x3', 'keep.txt'), 'mine');
    await bad(['--model', VGG, '--model', RESNET, '--images', data, '--out', join(dir, 'x3'), ...AUDIT], /x3 is not empty and holds no comparison\.json/);
    expect(await readdir(join(dir, 'x3'))).toEqual(['keep.txt']);
  });

  it('names models by their folder, apart when they clash', () => {
    expect(modelNames(['public/models/vgg_small', 'x/resnet_small/model.json'])).toEqual(['vgg_small', 'resnet_small']);
    expect(modelNames(['a/model/model.json', 'b/model'])).toEqual(['model-1', 'model-2']);
  });
});
