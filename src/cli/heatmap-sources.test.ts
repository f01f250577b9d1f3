import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseNpy } from 'npyjs';
import sharp from 'sharp';
import { importHeatmaps } from '../core/audit/heatmap-import';
import { readHeatmapSet, readPredictions } from './heatmap-sources';

/** Written by fixtures/byo/make.py with numpy's own np.save. */
const BYO = join(import.meta.dirname, 'fixtures', 'byo');
const SIZE: [number, number] = [32, 32];
let dir: string;
let u1: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apexp-byo-'));
  const b = await readFile(join(BYO, 'maps-u1.npy'));
  u1 = parseNpy(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)).data as Uint8Array;
  // The same four 16×24 maps as grayscale PNGs (named as ids.txt names them), one as RGBA, plus a broken file.
  await mkdir(join(dir, 'png', 'set'), { recursive: true });
  for (let i = 0; i < 4; i++) {
    const gray = Buffer.from(u1.subarray(i * 384, (i + 1) * 384));
    const img = i === 2 ? sharp(Buffer.from(Array.from(gray).flatMap((v) => [v, v, v, 255])), { raw: { width: 24, height: 16, channels: 4 } }) : sharp(gray, { raw: { width: 24, height: 16, channels: 1 } });
    await img.png().toFile(join(dir, 'png', 'set', `map-${i}.png`));
  }
  await writeFile(join(dir, 'png', 'set', 'broken.png'), 'not a png');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('heatmaps made elsewhere', () => {
  it('a .npy from numpy (uint8) and the same maps as PNGs (gray or RGBA) read the same: resized to 32×32, max 1', async () => {
    const npy = await readHeatmapSet(join(BYO, 'maps-u1.npy'), { size: SIZE });
    expect(npy.format).toBe('npy');
    expect(npy.ids).toEqual(['set/map-0.png', 'set/map-1.png', 'set/map-2.png', 'set/map-3.png']);
    expect(npy.heatmaps).toEqual(importHeatmaps(u1, 4, 16, 24, SIZE));
    for (let i = 0; i < 4; i++) expect(Math.max(...npy.heatmaps.subarray(i * 1024, (i + 1) * 1024))).toBeGreaterThan(0.9);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const png = await readHeatmapSet(join(dir, 'png'), { size: SIZE });
    stderr.mockRestore();
    expect(png.format).toBe('png');
    expect(png.ids).toEqual(npy.ids);
    expect(png.skipped.map((s) => s.id)).toEqual(['set/broken.png']);
    let d = 0;
    png.heatmaps.forEach((v, i) => (d = Math.max(d, Math.abs(v - npy.heatmaps[i]))));
    expect(d).toBeLessThan(1e-6);
  });

  it('float32 with negatives, and float64 [N, H, W, 1], are ReLU-ed and divided by their maximum', async () => {
    const f4 = await readHeatmapSet(join(BYO, 'maps-f4.npy'), { size: SIZE });
    const expected = importHeatmaps(Float32Array.from(u1, (v) => Math.max(0, (v / 255) * 3 - 0.5)), 4, 16, 24, SIZE);
    let d = 0;
    f4.heatmaps.forEach((v, i) => (d = Math.max(d, Math.abs(v - expected[i]))));
    expect(d).toBeLessThan(1e-6);
    const f8 = await readHeatmapSet(join(BYO, 'maps-f8-nhw1.npy'), { size: SIZE, ids: join(BYO, 'ids.txt') });
    d = 0;
    f8.heatmaps.forEach((v, i) => (d = Math.max(d, Math.abs(v - importHeatmaps(u1, 4, 16, 24, SIZE)[i]))));
    expect(d).toBeLessThan(1e-6);
  });

  it('refuses, naming the file: a 2-D array, Fortran order, a short ids file, duplicate ids, a file that is no .npy', async () => {
    await expect(readHeatmapSet(join(BYO, 'maps-2d.npy'), { size: SIZE, ids: join(BYO, 'ids.txt') })).rejects.toThrow(/maps-2d\.npy: shape \[16, 24\], expected \[N, H, W\]/);
    await expect(readHeatmapSet(join(BYO, 'maps-fortran.npy'), { size: SIZE, ids: join(BYO, 'ids.txt') })).rejects.toThrow(/maps-fortran\.npy: Fortran order/);
    await writeFile(join(dir, 'three.txt'), 'a\nb\nc\n');
    await expect(readHeatmapSet(join(BYO, 'maps-u1.npy'), { size: SIZE, ids: join(dir, 'three.txt') })).rejects.toThrow(/three\.txt: 3 id\(s\) for the 4 maps of .*maps-u1\.npy/);
    await writeFile(join(dir, 'dup.txt'), 'a\nb\na\nc\n');
    await expect(readHeatmapSet(join(BYO, 'maps-u1.npy'), { size: SIZE, ids: join(dir, 'dup.txt') })).rejects.toThrow(/dup\.txt: duplicate id "a"/);
    await writeFile(join(dir, 'fake.npy'), 'hello');
    await expect(readHeatmapSet(join(dir, 'fake.npy'), { size: SIZE, ids: join(dir, 'three.txt') })).rejects.toThrow(/fake\.npy: not a \.npy array/);
    // cut in half: the header promises more values than the file holds
    const b = await readFile(join(BYO, 'maps-f4.npy'));
    await writeFile(join(dir, 'half.npy'), b.subarray(0, 3000));
    await copyFile(join(BYO, 'ids.txt'), join(dir, 'ids.txt'));
    await expect(readHeatmapSet(join(dir, 'half.npy'), { size: SIZE })).rejects.toThrow(/half\.npy: /);
    await expect(readHeatmapSet(join(dir, 'nothing-here'), { size: SIZE })).rejects.toThrow(/nothing-here: no such file or directory/);
  });

  it('reads predictions.csv, refusing a bad confidence or an unknown id', async () => {
    const known = new Set(['a', 'b']);
    await writeFile(join(dir, 'p.csv'), 'id,predicted,confidence\na,good,0.9\nb,broken,0.55\n');
    expect(await readPredictions(join(dir, 'p.csv'), known)).toEqual(new Map([['a', { predicted: 'good', confidence: 0.9 }], ['b', { predicted: 'broken', confidence: 0.55 }]]));
    await writeFile(join(dir, 'p2.csv'), 'id,predicted,confidence\na,good,1.5\n');
    await expect(readPredictions(join(dir, 'p2.csv'), known)).rejects.toThrow(/p2\.csv: row 2: confidence must be a number in \[0, 1\], got "1\.5"/);
    await writeFile(join(dir, 'p3.csv'), 'id,predicted,confidence\nzzz,good,0.5\n');
    await expect(readPredictions(join(dir, 'p3.csv'), known)).rejects.toThrow(/zzz/);
  });
});
