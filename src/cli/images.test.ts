import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeImage, listImages } from './images';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apexp-img-'));
  await mkdir(join(dir, 'a', 'b'), { recursive: true });
  // 2×1 grey PNG (values 10, 200), RGB JPEG and RGBA WebP
  await sharp(Buffer.from([10, 200]), { raw: { width: 2, height: 1, channels: 1 } }).png().toFile(join(dir, 'a', 'grey.png'));
  const red = Buffer.alloc(8 * 8 * 3);
  for (let i = 0; i < 64; i++) red[i * 3] = 255;
  await sharp(red, { raw: { width: 8, height: 8, channels: 3 } }).jpeg({ quality: 100 }).toFile(join(dir, 'a', 'b', 'rgb.jpg'));
  await sharp(Buffer.from([0, 255, 0, 128]), { raw: { width: 1, height: 1, channels: 4 } }).webp({ lossless: true }).toFile(join(dir, 'x.webp'));
  await writeFile(join(dir, 'a', 'notes.txt'), 'not an image');
  await writeFile(join(dir, '.hidden.png'), 'x');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('listImages', () => {
  it('walks directories for image files; ids are relative to the common root', async () => {
    const { images } = await listImages([dir]);
    expect(images.map((i) => i.id)).toEqual(['a/b/rgb.jpg', 'a/grey.png', 'x.webp']);
    const two = await listImages([join(dir, 'a', 'grey.png'), join(dir, 'a', 'b')]);
    expect(two.images.map((i) => i.id)).toEqual(['b/rgb.jpg', 'grey.png']);
    await expect(listImages([join(dir, 'nope')])).rejects.toThrow(/does not exist/);
  });
});

describe('decodeImage', () => {
  it('decodes grey PNG, JPEG and WebP to RGBA', async () => {
    const grey = await decodeImage(join(dir, 'a', 'grey.png'));
    expect([grey.width, grey.height]).toEqual([2, 1]);
    expect(Array.from(grey.data)).toEqual([10, 10, 10, 255, 200, 200, 200, 255]);
    const rgb = await decodeImage(join(dir, 'a', 'b', 'rgb.jpg'));
    expect(rgb.data.length).toBe(8 * 8 * 4);
    expect(rgb.data[0]).toBeGreaterThan(230); // red stays red (JPEG is lossy)
    expect(rgb.data[1]).toBeLessThan(30);
    expect(rgb.data[3]).toBe(255);
    const webp = await decodeImage(join(dir, 'x.webp'));
    expect(Array.from(webp.data)).toEqual([0, 255, 0, 128]);
    await expect(decodeImage(join(dir, 'a', 'notes.txt'))).rejects.toThrow();
  });
});
