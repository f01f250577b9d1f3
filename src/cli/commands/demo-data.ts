import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import sharp from 'sharp';
import type { InsulatorSetItem, InsulatorSplit } from '../../core/data/insulator';
import { DEFAULT_TAG_BIAS, INSULATOR_SPLITS, MAX_INSULATOR_SIZE, MIN_INSULATOR_SIZE, planInsulatorSet, renderPlanned, TEST_TAG_RATE } from '../../core/data/insulator';
import { CliError } from '../errors';
import { createProgress } from '../progress';

/** Parsed options of `apexp demo-data`. */
export interface DemoDataOptions {
  /** Output directory; must not exist or be empty. */
  out: string;
  n: number;
  seed: number;
  split: InsulatorSplit;
  size: number;
}

/** Largest --n accepted (≈ 0.2 GB of pixels at 128×128). */
const MAX_N = 100_000;

function integer(v: string, flag: string, lo: number, hi: number): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isInteger(x) || x < lo || x > hi) throw new CliError(`${flag} must be an integer in [${lo}, ${hi}], got '${v}'`);
  return x;
}

/** Validates the raw commander options. @throws CliError with a one-line message. */
export function parseDemoDataOptions(raw: { out?: string; n: string; seed: string; split: string; size: string }): DemoDataOptions {
  if (!raw.out) throw new CliError('--out DIR is required');
  if (!(INSULATOR_SPLITS as readonly string[]).includes(raw.split)) throw new CliError(`--split must be one of ${INSULATOR_SPLITS.join(', ')}, got '${raw.split}'`);
  return {
    out: raw.out,
    n: integer(raw.n, '--n', 1, MAX_N),
    seed: integer(raw.seed, '--seed', -(2 ** 31), 2 ** 31 - 1),
    split: raw.split as InsulatorSplit,
    size: integer(raw.size, '--size', MIN_INSULATOR_SIZE, MAX_INSULATOR_SIZE),
  };
}

const csvBox = (b: { x0: number; y0: number; x1: number; y1: number } | null): string => (b ? `${b.x0},${b.y0},${b.x1},${b.y1}` : ',,,');

/** One `tags.csv` row: id, tag (0/1), tag box, defect box (empty cells when absent). */
function tagsRow(s: InsulatorSetItem): string {
  return `${s.id},${s.tag ? 1 : 0},${csvBox(s.tagBox)},${csvBox(s.defectBox)}`;
}

/**
 * Writes the set: `<out>/<split>/<index>_<class>.png`, `truth.csv` (id,class), `tags.csv` (boxes in
 * pixels, x1/y1 exclusive) and `demo-data.json` (the generator settings). Everything is written to
 * a sibling temp directory first and renamed into place, so a failed run leaves no half set behind.
 */
export async function writeDemoData(opts: DemoDataOptions, progressStream?: NodeJS.WritableStream & { isTTY?: boolean }): Promise<void> {
  const out = resolve(opts.out);
  const existing = await readdir(out).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw new CliError(`--out ${opts.out} is not a writable directory (${e.code})`);
  });
  if (existing && existing.length > 0) throw new CliError(`--out ${opts.out} already exists and is not empty; choose a new directory`);
  const plans = planInsulatorSet({ n: opts.n, seed: opts.seed, split: opts.split });
  const tmp = `${out}.partial-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(join(tmp, opts.split), { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`cannot create ${dirname(out)}/… (${e.code})`);
  });
  const truth = ['id,class'];
  const tags = ['id,tag,tag_x0,tag_y0,tag_x1,tag_y1,defect_x0,defect_y0,defect_x1,defect_y1'];
  const progress = createProgress({ label: 'demo-data', total: plans.length, ...(progressStream ? { stream: progressStream } : {}) });
  try {
    for (const plan of plans) {
      const s = renderPlanned(plan, opts.size);
      const png = await sharp(Buffer.from(s.image.data.buffer, s.image.data.byteOffset, s.image.data.byteLength), {
        raw: { width: s.image.width, height: s.image.height, channels: 4 },
      })
        .removeAlpha()
        .png()
        .toBuffer();
      await writeFile(join(tmp, s.id), png);
      truth.push(`${s.id},${s.cls}`);
      tags.push(tagsRow(s));
      progress.tick();
    }
    await writeFile(join(tmp, 'truth.csv'), `${truth.join('\n')}\n`);
    await writeFile(join(tmp, 'tags.csv'), `${tags.join('\n')}\n`);
    const settings = { generator: 'apexp demo-data', n: opts.n, seed: opts.seed, split: opts.split, size: opts.size, tagBias: opts.split === 'test' ? null : DEFAULT_TAG_BIAS, testTagRate: opts.split === 'test' ? TEST_TAG_RATE : null };
    await writeFile(join(tmp, 'demo-data.json'), `${JSON.stringify(settings, null, 2)}\n`);
    if (existing) await rmdir(out);
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    progress.done();
  }
}

/** Registers `apexp demo-data`: the synthetic insulator images of the demo, with ground truth. */
export function registerDemoData(program: Command): void {
  program
    .command('demo-data')
    .description('write synthetic insulator-shell images (good / broken / flashover, some with ID tags) with truth.csv and tags.csv')
    .option('--out <dir>', 'output directory (new or empty)')
    .option('--n <n>', 'number of images (classes balanced)', '300')
    .option('--seed <s>', 'set seed (integer)', '0')
    .option('--split <split>', `train | reference (tags biased toward '${DEFAULT_TAG_BIAS.faulty}') | test (tags independent of class)`, 'test')
    .option('--size <px>', `image side in pixels, ${MIN_INSULATOR_SIZE}–${MAX_INSULATOR_SIZE}`, '64')
    .action(async (raw: { out?: string; n: string; seed: string; split: string; size: string }) => {
      const opts = parseDemoDataOptions(raw);
      await writeDemoData(opts);
      process.stderr.write(`wrote ${opts.n} images, truth.csv and tags.csv to ${opts.out}\n`);
    });
}
