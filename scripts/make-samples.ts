/**
 * `npx tsx scripts/make-samples.ts [--out public/samples]`: the 24 sample crops the app offers for
 * drag-in demos and the browser tests use: 4 per class with an ID tag and 4 without, named for what
 * they show (`broken_tag_03.png`, `good_02.png`), plus `truth.csv` (id,class) and `tags.csv` (the tag
 * and defect boxes, as `apexp demo-data` writes them). Deterministic: rerunning gives the same bytes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { INSULATOR_CLASSES, renderInsulator } from '../src/core/data/insulator';
import { hashSeed } from '../src/core/data/insulator/prng';

/** Seed of the sample set; each file's seed is hashSeed(SAMPLES_SEED, class, tag, index). */
const SAMPLES_SEED = 2025;
const PER_KIND = 4;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'public/samples' } } });
  const out = values.out as string;
  await mkdir(out, { recursive: true });
  const truth = ['id,class'];
  const tags = ['id,tag,tag_x0,tag_y0,tag_x1,tag_y1,defect_x0,defect_y0,defect_x1,defect_y1'];
  const box = (b: { x0: number; y0: number; x1: number; y1: number } | null): string => (b ? `${b.x0},${b.y0},${b.x1},${b.y1}` : ',,,');
  for (const [ci, cls] of INSULATOR_CLASSES.entries()) {
    for (const tag of [false, true]) {
      for (let i = 1; i <= PER_KIND; i++) {
        const s = renderInsulator({ seed: hashSeed(SAMPLES_SEED, ci, tag ? 1 : 0, i) | 0, cls, tag });
        const id = `${cls}${tag ? '_tag' : ''}_${String(i).padStart(2, '0')}.png`;
        const png = await sharp(Buffer.from(s.image.data.buffer), { raw: { width: s.image.width, height: s.image.height, channels: 4 } })
          .removeAlpha()
          .png()
          .toBuffer();
        await writeFile(join(out, id), png);
        truth.push(`${id},${cls}`);
        tags.push(`${id},${tag ? 1 : 0},${box(s.tagBox)},${box(s.defectBox)}`);
      }
    }
  }
  await writeFile(join(out, 'truth.csv'), `${truth.join('\n')}\n`);
  await writeFile(join(out, 'tags.csv'), `${tags.join('\n')}\n`);
  process.stderr.write(`wrote ${truth.length - 1} samples, truth.csv and tags.csv to ${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`make-samples: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
