// Test-only: whole "drone scenes" made from the synthetic insulator generator, with their shell boxes
// written as COCO JSON and as Pascal VOC XML, the formats `apexp crops` reads. Not part of the CLI.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { renderInsulator, type InsulatorClass } from '../../core/data/insulator';

/** One shell box of a scene: the tile the generator rendered, at [x, x + size) × [y, y + size). */
export interface SceneShell {
  cls: InsulatorClass;
  seed: number;
  x: number;
  y: number;
}

/** A scene: its file, its side in pixels, its shells (2 × 2 tiles) and one "string" box per row. */
export interface Scene {
  file: string;
  width: number;
  height: number;
  shells: SceneShell[];
  strings: { x: number; y: number; w: number; h: number }[];
}

const TILE = 64;
const GAP = 8;
const CLASSES: InsulatorClass[] = ['good', 'broken', 'flashover'];

/** The RGB pixels (size·size·3) of a shell as the generator renders it, for comparison with crops. */
export function shellPixels(s: SceneShell): Buffer {
  const img = renderInsulator({ seed: s.seed, cls: s.cls, tag: false, size: TILE }).image;
  const out = Buffer.alloc(TILE * TILE * 3);
  for (let p = 0; p < TILE * TILE; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = img.data[p * 4 + c];
  return out;
}

/**
 * Renders `n` scenes of 2 × 2 shells (classes cycling good, broken, flashover) on a grey sky into
 * `dir/images/scene-<k>.png` and returns them.
 */
export async function writeScenes(dir: string, n: number): Promise<Scene[]> {
  await mkdir(join(dir, 'images'), { recursive: true });
  const side = GAP + 2 * (TILE + GAP);
  const scenes: Scene[] = [];
  for (let k = 0; k < n; k++) {
    const shells: SceneShell[] = [0, 1, 2, 3].map((t) => ({ cls: CLASSES[(4 * k + t) % 3], seed: 500 + 4 * k + t, x: GAP + (t % 2) * (TILE + GAP), y: GAP + Math.floor(t / 2) * (TILE + GAP) }));
    const px = Buffer.alloc(side * side * 3, 170);
    for (const s of shells) {
      const tile = shellPixels(s);
      for (let y = 0; y < TILE; y++) tile.copy(px, ((s.y + y) * side + s.x) * 3, y * TILE * 3, (y + 1) * TILE * 3);
    }
    const file = `scene-${k}.png`;
    await sharp(px, { raw: { width: side, height: side, channels: 3 } }).png().toFile(join(dir, 'images', file));
    const strings = [0, 1].map((r) => ({ x: GAP - 2, y: GAP + r * (TILE + GAP) - 2, w: 2 * TILE + GAP + 4, h: TILE + 4 }));
    scenes.push({ file, width: side, height: side, shells, strings });
  }
  return scenes;
}

/** The scenes' boxes as COCO detection JSON (categories good, broken, flashover, string); annotation ids 1, 2, … */
export function cocoJson(scenes: readonly Scene[]): { images: object[]; categories: object[]; annotations: object[] } {
  const cat = (name: string) => ['good', 'broken', 'flashover', 'string'].indexOf(name) + 1;
  const annotations: object[] = [];
  scenes.forEach((s, k) => {
    for (const b of s.strings) annotations.push({ id: annotations.length + 1, image_id: k + 1, category_id: cat('string'), bbox: [b.x, b.y, b.w, b.h], area: b.w * b.h, iscrowd: 0 });
    for (const sh of s.shells) annotations.push({ id: annotations.length + 1, image_id: k + 1, category_id: cat(sh.cls), bbox: [sh.x, sh.y, TILE, TILE], area: TILE * TILE, iscrowd: 0 });
  });
  return {
    images: scenes.map((s, k) => ({ id: k + 1, file_name: s.file, width: s.width, height: s.height })),
    categories: ['good', 'broken', 'flashover', 'string'].map((name) => ({ id: cat(name), name, supercategory: 'insulator' })),
    annotations,
  };
}

/** One scene's boxes as a Pascal VOC file (1-based, inclusive xmax/ymax: a tile at x..x+63 is xmin x+1, xmax x+64). */
export function vocXml(s: Scene): string {
  const obj = (name: string, x: number, y: number, w: number, h: number) =>
    `  <object>\n    <name>${name}</name>\n    <pose>Unspecified</pose>\n    <truncated>0</truncated>\n    <difficult>0</difficult>\n    <bndbox><xmin>${x + 1}</xmin><ymin>${y + 1}</ymin><xmax>${x + w}</xmax><ymax>${y + h}</ymax></bndbox>\n  </object>\n`;
  return (
    `<annotation>\n  <folder>images</folder>\n  <filename>${s.file}</filename>\n  <size><width>${s.width}</width><height>${s.height}</height><depth>3</depth></size>\n` +
    s.shells.map((sh) => obj(sh.cls, sh.x, sh.y, TILE, TILE)).join('') +
    s.strings.map((b) => obj('string', b.x, b.y, b.w, b.h)).join('') +
    '</annotation>\n'
  );
}

/** Writes `dir/coco.json` and `dir/voc/scene-<k>.xml` for the scenes. */
export async function writeAnnotations(dir: string, scenes: readonly Scene[]): Promise<void> {
  await writeFile(join(dir, 'coco.json'), JSON.stringify(cocoJson(scenes), null, 1));
  await mkdir(join(dir, 'voc'), { recursive: true });
  for (const s of scenes) await writeFile(join(dir, 'voc', s.file.replace(/\.png$/, '.xml')), vocXml(s));
}
