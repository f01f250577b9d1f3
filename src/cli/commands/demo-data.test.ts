import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInsulatorSet } from '../../core/data/insulator';
import { CliError } from '../errors';
import { main } from '../main';
import { parseDemoDataOptions } from './demo-data';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'apexp-demo-data-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs the CLI, capturing stderr. */
async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const chunks: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((c: string | Uint8Array) => (chunks.push(String(c)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(args), stderr: chunks.join('') };
  } finally {
    process.stderr.write = write;
  }
}

describe('apexp demo-data', () => {
  it('writes the PNGs the generator renders, truth.csv and tags.csv with boxes', async () => {
    const out = join(root, 'set');
    const { code } = await run(['demo-data', '--out', out, '--n', '7', '--seed', '4', '--split', 'test']);
    expect(code).toBe(0);
    const expected = generateInsulatorSet({ n: 7, seed: 4, split: 'test' });
    expect((await readdir(join(out, 'test'))).sort()).toEqual(expected.map((s) => s.id.slice(5)).sort());
    const truth = (await readFile(join(out, 'truth.csv'), 'utf8')).trim().split('\n');
    expect(truth[0]).toBe('id,class');
    expect(truth.slice(1)).toEqual(expected.map((s) => `${s.id},${s.cls}`));
    const tags = (await readFile(join(out, 'tags.csv'), 'utf8')).trim().split('\n');
    expect(tags[0]).toBe('id,tag,tag_x0,tag_y0,tag_x1,tag_y1,defect_x0,defect_y0,defect_x1,defect_y1');
    tags.slice(1).forEach((row, i) => {
      const s = expected[i];
      const cells = row.split(',');
      expect(cells).toHaveLength(10);
      expect(cells[0]).toBe(s.id);
      expect(cells[1]).toBe(s.tag ? '1' : '0');
      expect(cells.slice(2, 6)).toEqual(s.tagBox ? [s.tagBox.x0, s.tagBox.y0, s.tagBox.x1, s.tagBox.y1].map(String) : ['', '', '', '']);
      expect(cells.slice(6)).toEqual(s.defectBox ? [s.defectBox.x0, s.defectBox.y0, s.defectBox.x1, s.defectBox.y1].map(String) : ['', '', '', '']);
    });
    // The PNG holds exactly the rendered RGB bytes (lossless).
    const { data, info } = await sharp(join(out, expected[5].id)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([64, 64, 3]);
    const rgba = expected[5].image.data;
    for (let p = 0; p < 64 * 64; p++) for (let c = 0; c < 3; c++) expect(data[p * 3 + c]).toBe(rgba[p * 4 + c]);
    const settings = JSON.parse(await readFile(join(out, 'demo-data.json'), 'utf8'));
    expect(settings).toMatchObject({ n: 7, seed: 4, split: 'test', size: 64, tagBias: null });
    expect((await readdir(root)).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('honours --size and --split', async () => {
    const out = join(root, 'ref');
    expect((await run(['demo-data', '--out', out, '--n', '3', '--split', 'reference', '--size', '96'])).code).toBe(0);
    const files = await readdir(join(out, 'reference'));
    expect(files.sort()).toEqual(['00000_good.png', '00001_broken.png', '00002_flashover.png']);
    expect((await sharp(join(out, 'reference', files[0])).metadata()).width).toBe(96);
  });

  it('fails with one line and exit code 2 on bad input, writing nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['--n', '5'], /^apexp: --out DIR is required\n$/],
      [['--out', join(root, 'x'), '--n', 'ten'], /^apexp: --n must be an integer in \[1, 100000\], got 'ten'\n$/],
      [['--out', join(root, 'x'), '--n', '0'], /--n must be an integer/],
      [['--out', join(root, 'x'), '--split', 'val'], /^apexp: --split must be one of train, reference, test, got 'val'\n$/],
      [['--out', join(root, 'x'), '--size', '512'], /--size must be an integer in \[32, 128\]/],
      [['--out', join(root, 'x'), '--seed', '1.5'], /--seed must be an integer/],
    ];
    for (const [args, msg] of cases) {
      const r = await run(['demo-data', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    const full = join(root, 'full');
    await mkdir(full);
    await writeFile(join(full, 'keep.txt'), 'x');
    const r = await run(['demo-data', '--out', full, '--n', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`apexp: --out ${full} already exists and is not empty; choose a new directory\n`);
    expect(await readdir(full)).toEqual(['keep.txt']);
    expect(await readdir(root)).not.toContain('x');
  });

  it('parses options into numbers', () => {
    expect(parseDemoDataOptions({ out: 'd', n: '12', seed: '-3', split: 'train', size: '64' })).toEqual({ out: 'd', n: 12, seed: -3, split: 'train', size: 64 });
    expect(() => parseDemoDataOptions({ n: '1', seed: '0', split: 'test', size: '64' })).toThrow(CliError);
  });
});
