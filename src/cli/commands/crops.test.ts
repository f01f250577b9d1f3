import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { runCli } from './cli-fixtures';
import { cocoJson, shellPixels, vocXml, writeAnnotations, writeScenes, type Scene } from './scene-fixtures';

const run = (...argv: string[]) => runCli(argv);
const MODEL = join(import.meta.dirname, '..', '..', '..', 'public', 'models', 'vgg_small');
let dir: string;
let scenes: Scene[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apexp-crops-'));
  scenes = await writeScenes(dir, 3);
  await writeAnnotations(dir, scenes);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const csv = async (path: string) => (await readFile(path, 'utf8')).trim().split('\n').map((l) => l.split(','));

/** Every crop is 64×64 and shows exactly the shell the generator rendered for its box. */
async function expectShellCrops(out: string, idOf: (scene: number, shell: number) => string): Promise<void> {
  const truth = await csv(join(out, 'truth.csv'));
  expect(truth[0]).toEqual(['id', 'class']);
  const expected = scenes.flatMap((s, k) => s.shells.map((sh, t) => [idOf(k, t), sh.cls]));
  expect(truth.slice(1).sort()).toEqual(expected.sort());
  for (const [k, s] of scenes.entries()) {
    for (const [t, sh] of s.shells.entries()) {
      const { data, info } = await sharp(join(out, idOf(k, t))).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([64, 64, 3]);
      expect(Buffer.compare(data, shellPixels(sh))).toBe(0);
    }
  }
}

describe('apexp crops: a detection dataset → classifier inputs', () => {
  it('COCO JSON: one 64×64 crop per shell box (the generator\'s own pixels), strings skipped and counted, truth.csv; classes and size from --model', async () => {
    const out = join(dir, 'crops-coco');
    const r = await run('crops', '--annotations', join(dir, 'coco.json'), '--images', join(dir, 'images'), '--out', out, '--padding', '0', '--model', MODEL);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/wrote 12 crop\(s\) of 18 box\(es\) in 3 image\(s\) \(4 good, 4 broken, 4 flashover\); skipped 6 string/);
    // COCO annotation ids: per scene, 2 strings then 4 shells, numbered from 1
    await expectShellCrops(out, (k, t) => `scene-${k}_${6 * k + 3 + t}_${scenes[k].shells[t].cls}.png`);
    const summary = JSON.parse(await readFile(join(out, 'crops.json'), 'utf8'));
    expect(summary.settings).toMatchObject({ size: 64, classes: ['good', 'broken', 'flashover'], padding: 0, square: false });
    expect(summary).toMatchObject({ format: 'coco', n_images: 3, n_boxes: 18, n_crops: 12, per_class: { good: 4, broken: 4, flashover: 4 }, skipped_categories: { string: 6 }, n_clipped: 0, outside: [], missing_images: [] });
    const rows = await csv(join(out, 'crops.csv'));
    expect(rows[0]).toEqual(['id', 'image', 'annotation', 'category', 'class', 'x0', 'y0', 'x1', 'y1', 'clipped']);
    expect(rows[1].slice(1)).toEqual(['scene-0.png', '3', scenes[0].shells[0].cls, scenes[0].shells[0].cls, '8', '8', '72', '72', '0']);
  });

  it('a folder of Pascal VOC XML: the same crops (ids from the object index)', async () => {
    const out = join(dir, 'crops-voc');
    const r = await run('crops', '--annotations', join(dir, 'voc'), '--images', join(dir, 'images'), '--out', out, '--padding', '0');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/wrote 12 crop\(s\) of 18 box\(es\) in 3 image\(s\).*skipped 6 string/);
    await expectShellCrops(out, (k, t) => `scene-${k}_${t}_${scenes[k].shells[t].cls}.png`);
    // one VOC file works too
    const one = await run('crops', '--annotations', join(dir, 'voc', 'scene-1.xml'), '--images', join(dir, 'images'), '--out', join(dir, 'crops-voc1'), '--size', '32', '--square');
    expect(one.code).toBe(0);
    const files = (await readdir(join(dir, 'crops-voc1'))).filter((f) => f.endsWith('.png'));
    expect(files).toHaveLength(4);
    const meta = await sharp(join(dir, 'crops-voc1', files[0])).metadata();
    expect([meta.width, meta.height]).toEqual([32, 32]);
  });

  it('apexp audit --images OUT --truth OUT/truth.csv runs on the crops with a bundled classifier', async () => {
    const out = join(dir, 'crops-coco');
    const audit = join(dir, 'audit');
    const r = await run('audit', '--model', MODEL, '--images', out, '--truth', join(out, 'truth.csv'), '--out', audit, '--train-steps', '3', '--ae-steps', '0', '--ensemble', '1', '--batch-size', '8', '--update-steps', '2');
    expect(r.code).toBe(0);
    const report = JSON.parse(await readFile(join(audit, 'report.json'), 'utf8'));
    expect(report.n_images).toBe(12);
    expect(report.n_skipped).toBe(0);
    expect(Object.keys(report.per_class).sort()).toEqual(['broken', 'flashover', 'good']);
    // untagged shells: the classifier (tag-free accuracy 0.96) gets most of them right
    expect(report.accuracy_before).toBeGreaterThanOrEqual(0.75);
  }, 120_000);

  it('clips a box reaching outside the image and counts it; skips a box wholly outside; a missing image is a warning', async () => {
    const coco = JSON.parse(await readFile(join(dir, 'coco.json'), 'utf8'));
    coco.annotations.push({ id: 100, image_id: 1, category_id: 2, bbox: [120, 120, 64, 64] }, { id: 101, image_id: 2, category_id: 1, bbox: [400, 0, 10, 10] });
    coco.images.push({ id: 9, file_name: 'gone.png', width: 10, height: 10 });
    coco.annotations.push({ id: 102, image_id: 9, category_id: 1, bbox: [0, 0, 5, 5] });
    await writeFile(join(dir, 'edge.json'), JSON.stringify(coco));
    const out = join(dir, 'crops-edge');
    const r = await run('crops', '--annotations', join(dir, 'edge.json'), '--images', join(dir, 'images'), '--out', out);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: skipping gone\.png \(1 box\(es\)\)/);
    expect(r.err).toMatch(/wrote 13 crop\(s\).*1 clipped to the image; 1 outside the image; 1 image\(s\) unreadable/);
    const s = JSON.parse(await readFile(join(out, 'crops.json'), 'utf8'));
    expect(s.n_clipped).toBe(1);
    expect(s.outside).toEqual([`${join(dir, 'edge.json')}: annotations[19] (id 101)`]);
    const meta = await sharp(join(out, 'scene-0_100_broken.png')).metadata();
    expect([meta.width, meta.height]).toEqual([64, 64]);
  });

  it('a malformed annotation: one line naming the file and the entry, exit 2, nothing written', async () => {
    const bad = async (argv: string[], re: RegExp) => {
      const r = await run('crops', ...argv);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n').filter((l) => l.startsWith('apexp:'))).toEqual([expect.stringMatching(re)]);
    };
    const coco = JSON.parse(await readFile(join(dir, 'coco.json'), 'utf8'));
    delete coco.annotations[4].bbox;
    await writeFile(join(dir, 'nobbox.json'), JSON.stringify(coco));
    await bad(['--annotations', join(dir, 'nobbox.json'), '--images', join(dir, 'images'), '--out', join(dir, 'x1')], /nobbox\.json: annotations\[4\] \(id 5\): missing bbox$/);
    coco.annotations[4].bbox = [8, 8, -64, 64];
    await writeFile(join(dir, 'neg.json'), JSON.stringify(coco));
    await bad(['--annotations', join(dir, 'neg.json'), '--images', join(dir, 'images'), '--out', join(dir, 'x2')], /neg\.json: annotations\[4\] \(id 5\): bbox \[8, 8, -64, 64\] has a negative width$/);
    coco.annotations[4].bbox = [8, 8, 64, 64];
    coco.annotations[4].image_id = 77;
    await writeFile(join(dir, 'img.json'), JSON.stringify(coco));
    await bad(['--annotations', join(dir, 'img.json'), '--images', join(dir, 'images'), '--out', join(dir, 'x3')], /img\.json: annotations\[4\] \(id 5\): unknown image_id 77$/);
    await writeFile(join(dir, 'bad.xml'), scenesXmlWithBadObject());
    await bad(['--annotations', join(dir, 'bad.xml'), '--images', join(dir, 'images'), '--out', join(dir, 'x4')], /bad\.xml: object\[1\] \(broken\): xmax 5 < xmin 40 \(negative width\)$/);
    await writeFile(join(dir, 'trunc.json'), '{"images": [');
    await bad(['--annotations', join(dir, 'trunc.json'), '--images', join(dir, 'images'), '--out', join(dir, 'x5')], /trunc\.json: not valid JSON/);
    await bad(['--annotations', join(dir, 'coco.json'), '--images', join(dir, 'images'), '--out', join(dir, 'x6'), '--classes', 'cat,dog'], /coco\.json: no box of the classes cat, dog \(categories seen: string, good, broken, flashover\)/);
    await bad(['--annotations', join(dir, 'coco.json'), '--images', join(dir, 'images'), '--out', join(dir, 'x7'), '--map', 'string=nope'], /--map string=nope: nope is not one of the classes/);
    for (const x of ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7']) expect((await readdir(dir)).some((f) => f.startsWith(x))).toBe(false);
  });
});

describe('apexp crops on fuzzed annotations: every run ends in time, exit 0 or 2, a refusal is one line naming the file', () => {
  const timed = (...argv: string[]) => runCli(argv, { timeoutMs: 10_000 });
  const values: unknown[] = [undefined, null, 'x', -1, 0, 1e308, [], {}, 'z'.repeat(5_000)];

  /** JSON paths down to `depth` (arrays: their first two entries). */
  function paths(x: unknown, depth: number, at: (string | number)[] = []): (string | number)[][] {
    const out: (string | number)[][] = at.length ? [at] : [];
    if (depth === 0 || !x || typeof x !== 'object') return out;
    const entries = Array.isArray(x) ? x.slice(0, 2).map((v, i) => [i, v] as const) : Object.entries(x);
    for (const [k, v] of entries) out.push(...paths(v, depth - 1, [...at, k]));
    return out;
  }

  async function expectEndsWell(file: string, what: string, k: number): Promise<'ok' | 'refused'> {
    const r = await timed('crops', '--annotations', file, '--images', join(dir, 'images'), '--out', join(dir, 'fuzz', `o${k}`));
    expect(r.code, what).not.toBe('hung');
    expect([0, 2], `${what}: ${r.err}`).toContain(r.code);
    if (r.code === 0) return 'ok';
    const lines = r.err.trim().split('\n').filter((l) => l.startsWith('apexp:'));
    expect(lines, what).toHaveLength(1);
    expect(lines[0], what).not.toMatch(/internal error/);
    expect(lines[0], what).toContain(file.split('/').pop() as string);
    return 'refused';
  }

  it('mutated COCO JSON fields and Pascal VOC elements', async () => {
    await mkdir(join(dir, 'fuzz'), { recursive: true });
    const coco = cocoJson(scenes.slice(0, 1));
    let k = 0;
    const outcomes = { ok: 0, refused: 0 };
    for (const path of paths(coco, 4)) {
      for (const v of values) {
        const copy = structuredClone(coco) as unknown as Record<string | number, unknown>;
        let o = copy;
        for (const key of path.slice(0, -1)) o = o[key] as Record<string | number, unknown>;
        if (v === undefined) delete o[path[path.length - 1]];
        else o[path[path.length - 1]] = v;
        const f = join(dir, 'fuzz', `c${k}.json`);
        await writeFile(f, JSON.stringify(copy));
        outcomes[await expectEndsWell(f, `coco ${path.join('.')} = ${String(v).slice(0, 12)}`, k++)]++;
      }
    }
    const xml = vocXml(scenes[0]);
    const tags = [...new Set([...xml.matchAll(/<(\w+)>/g)].map((m) => m[1]))];
    for (const tag of tags) {
      for (const repl of [null, '', 'x', '-1', '1e308', '<a>1</a>']) {
        const re = new RegExp(`<${tag}>[\\s\\S]*?</${tag}>`);
        const f = join(dir, 'fuzz', `v${k}.xml`);
        await writeFile(f, xml.replace(re, repl === null ? '' : `<${tag}>${repl}</${tag}>`));
        outcomes[await expectEndsWell(f, `voc <${tag}> = ${repl}`, k++)]++;
      }
    }
    for (const cut of [0, 10, xml.length >> 1, xml.length - 3]) {
      const f = join(dir, 'fuzz', `v${k}.xml`);
      await writeFile(f, xml.slice(0, cut));
      outcomes[await expectEndsWell(f, `voc cut at ${cut}`, k++)]++;
    }
    expect(k).toBeGreaterThan(200);
    expect(outcomes.refused).toBeGreaterThan(50);
    expect(outcomes.ok).toBeGreaterThan(20);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  }, 300_000);
});

function scenesXmlWithBadObject(): string {
  return '<annotation><filename>scene-0.png</filename><object><name>good</name><bndbox><xmin>9</xmin><ymin>9</ymin><xmax>72</xmax><ymax>72</ymax></bndbox></object><object><name>broken</name><bndbox><xmin>40</xmin><ymin>9</ymin><xmax>5</xmax><ymax>72</ymax></bndbox></object></annotation>';
}
