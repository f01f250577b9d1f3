/**
 * Fuzzed inputs of the bring-your-own-heatmaps sources and the CSVs that go with them (issue 14):
 * explanations.jsonl, .npy + ids.txt, folders of heatmap PNGs, predictions.csv and truth.csv. The
 * bulk goes through the parsers the commands call (fast), each bounded in time: a parser either
 * returns everything its file holds (never a silent part) or throws one CliError line naming the
 * file. A sample of each family goes through `apexp score` / `apexp audit` for the exit code (0 or 2)
 * and the one `apexp:` line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { byteMutants, csvMutants, jsonMutants, pngMutants, type Mutant } from '../../core/fuzz/mutants';
import { CliError } from '../errors';
import { readTruth } from '../explanations';
import { readHeatmapSet, readPredictions } from '../heatmap-sources';
import { parseCsv } from '../io';
import { runCli } from './cli-fixtures';

const BYO = join(import.meta.dirname, '..', 'fixtures', 'byo');
const SIZE: [number, number] = [4, 4];
const SEED = 14;
const BOUND_MS = 5000;
const CLASSES = ['good', 'broken', 'flashover'];

let dir: string;
let k = 0;
/** A fresh path under the test folder (each mutant in its own folder, so names never collide). */
const fresh = async (name: string) => {
  const d = join(dir, `c${k++}`);
  await mkdir(d, { recursive: true });
  return join(d, name);
};

/** Resolves to the parser's result, its error, or 'hung' after BOUND_MS (APEXP_FUZZ_LOG=1 prints each outcome). */
async function bounded<T>(p: Promise<T>, what = ''): Promise<{ value: T } | { error: unknown } | 'hung'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const r = await Promise.race([p.then((value) => ({ value }), (error: unknown) => ({ error })), new Promise<'hung'>((res) => (timer = setTimeout(() => res('hung'), BOUND_MS)))]);
  clearTimeout(timer);
  if (process.env.APEXP_FUZZ_LOG) console.log(`${what} → ${r === 'hung' ? r : 'error' in r ? (r.error as Error).message : 'read'}`);
  return r;
}

/** A refusal must be a CliError of one line naming `file`. */
function expectRefusal(error: unknown, file: string, what: string): void {
  expect(error, `${what}: ${String(error)}`).toBeInstanceOf(CliError);
  const m = (error as Error).message;
  expect(m, what).not.toMatch(/\n/);
  expect(m, what).toContain(basename(file));
}

const ids = ['a.png', 'b.png', 'c.png', 'd.png'];
/** A valid explanations.jsonl record of a 4×4 map (with a peak patch). */
const record = (id: string, i: number) => ({ id, predicted: i % 3, probs: [0.2, 0.5, 0.3], target: i % 3, layer: 'conv_2', method: 'gradcam', size: [4, 4], heatmap: Array.from({ length: 16 }, (_, j) => ((i + j) % 5) / 4), patch: Array.from({ length: 48 }, (_, j) => (j * 5) % 256) });
const jsonl = (lines: string[]) => lines.join('\n') + '\n';
const validLines = ids.map((id, i) => JSON.stringify(record(id, i)));

/** A .npy v1 file of float32 [n, h, w] with `header` (a Python dict literal) padded to 64 bytes. */
function npy(header: string, data: Uint8Array): Uint8Array {
  let h = header;
  while ((10 + h.length + 1) % 64) h += ' ';
  h += '\n';
  const out = new Uint8Array(10 + h.length + data.length);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, h.length & 0xff, h.length >> 8]);
  out.set(new TextEncoder().encode(h), 10);
  out.set(data, 10 + h.length);
  return out;
}
const npyHeader = (descr: string, shape: string, fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

let f4: Uint8Array;
let png: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apexp-fuzz-byo-'));
  const b = new Uint8Array(await readFile(join(BYO, 'maps-f4.npy')));
  f4 = b.subarray(b.length - 4 * 16 * 24 * 4); // the data after numpy's header: 4 maps of 16×24 float32
  png = new Uint8Array(await sharp(Buffer.from(Array.from({ length: 16 * 24 }, (_, i) => (i * 7) % 256)), { raw: { width: 24, height: 16, channels: 1 } }).png().toBuffer());
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** explanations.jsonl mutants: one record's fields, and whole-file damage. */
function jsonlMutants(): Mutant<string>[] {
  const fields = jsonMutants(record('b.png', 1), { seed: SEED, count: 80, depth: 2 }).map((m) => ({ what: `line 2 ${m.what}`, value: jsonl([validLines[0], m.value, ...validLines.slice(2)]) }));
  const text = jsonl(validLines);
  return [
    ...fields,
    { what: 'cut mid-line', value: text.slice(0, Math.floor(text.length * 0.6)) },
    { what: 'empty', value: '' },
    { what: 'blank lines only', value: '\n\n\n' },
    { what: 'a duplicated line', value: jsonl([...validLines, validLines[1]]) },
    { what: 'a __proto__ record', value: jsonl([...validLines, '{"__proto__": {"polluted": 1}, "id": "e.png"}']) },
    { what: 'a line "null"', value: jsonl([...validLines, 'null']) },
    { what: 'a line "[]"', value: jsonl([...validLines, '[]']) },
    { what: 'CRLF line ends', value: validLines.join('\r\n') + '\r\n' },
    { what: 'another size on line 3', value: jsonl([...validLines.slice(0, 2), JSON.stringify({ ...record('c.png', 2), size: [2, 8] })]) },
    { what: 'a NaN heatmap value as text', value: jsonl([...validLines, JSON.stringify(record('e.png', 4)).replace(/"heatmap":\[[^,]*/, '"heatmap":[NaN')]) },
  ];
}

/** .npy mutants (with a valid ids.txt unless the mutant is the ids file). */
function npyMutants(): Mutant<{ npy: Uint8Array | null; ids: string | null }>[] {
  const good = npy(npyHeader('<f4', '(4, 16, 24)'), f4);
  const idsTxt = 'set/map-0.png\nset/map-1.png\nset/map-2.png\nset/map-3.png\n';
  const header = (what: string, h: string, data = f4) => ({ what, value: { npy: npy(h, data), ids: idsTxt } });
  const floats = (fill: number) => new Uint8Array(new Float32Array(4 * 16 * 24).fill(fill).buffer);
  const idsOnly = (what: string, text: string | null) => ({ what: `ids.txt ${what}`, value: { npy: good, ids: text } });
  return [
    ...byteMutants(good, { seed: SEED, cuts: 8, flips: 10, label: '.npy' }).map((m) => ({ what: m.what, value: { npy: m.value, ids: idsTxt } })),
    header('shape larger than the data', npyHeader('<f4', '(5, 16, 24)')),
    header('shape smaller than the data', npyHeader('<f4', '(3, 16, 24)')),
    header('shape with a zero', npyHeader('<f4', '(0, 16, 24)'), new Uint8Array()),
    header('a 2-D shape', npyHeader('<f4', '(64, 24)')),
    header('a 4-D shape with 2 channels', npyHeader('<f4', '(2, 16, 12, 2)')),
    header('a huge shape', npyHeader('<f4', '(1000000000, 1000000000, 1000000000)')),
    header('a negative shape', npyHeader('<f4', '(-4, 16, 24)')),
    header('dtype complex', npyHeader('<c8', '(2, 16, 24)')),
    header('dtype object', npyHeader('|O', '(4, 16, 24)')),
    header('dtype string', npyHeader('<U4', '(4, 16, 24)')),
    header('Fortran order', npyHeader('<f4', '(4, 16, 24)', 'True')),
    header('a header that is not a dict', 'hello'),
    header('an empty header', ''),
    header('every value NaN', npyHeader('<f4', '(4, 16, 24)'), floats(NaN)),
    header('every value +Inf', npyHeader('<f4', '(4, 16, 24)'), floats(Infinity)),
    header('every value -Inf', npyHeader('<f4', '(4, 16, 24)'), floats(-Infinity)),
    { what: 'zero bytes', value: { npy: new Uint8Array(), ids: idsTxt } },
    { what: '.npy absent', value: { npy: null, ids: idsTxt } },
    idsOnly('absent', null),
    idsOnly('empty', ''),
    idsOnly('3 ids for 4 maps', 'a\nb\nc\n'),
    idsOnly('5 ids for 4 maps', 'a\nb\nc\nd\ne\n'),
    idsOnly('a duplicate id', 'a\nb\nb\nd\n'),
    idsOnly('a __proto__ id', '__proto__\nb\nc\nd\n'),
    idsOnly('CRLF and blank lines', 'a\r\n\r\nb\r\nc\r\nd\r\n'),
  ];
}

/** PNG folder mutants: four good maps plus one bad file, and folders with nothing readable. */
function pngFolderMutants(): Mutant<Record<string, Uint8Array>>[] {
  const good = Object.fromEntries(ids.map((id) => [id, png]));
  const bad = [...pngMutants(png), ...byteMutants(png, { seed: SEED, cuts: 4, flips: 8, label: 'PNG' })];
  return [
    ...bad.map((m) => ({ what: `one ${m.what}`, value: { ...good, 'x.png': m.value } })),
    { what: 'only a cut PNG', value: { 'x.png': png.slice(0, 40) } },
    { what: 'only text named .png', value: { 'x.png': new TextEncoder().encode('no') } },
    { what: 'no image files at all', value: { 'notes.txt': new TextEncoder().encode('no') } },
    { what: 'a PNG named .jpg', value: { ...good, 'x.jpg': png } },
  ];
}

const PRED = `id,predicted,confidence\n${ids.map((id, i) => `${id},${CLASSES[i % 3]},0.${6 + i}`).join('\n')}\n`;
const TRUTH = `id,class\n${ids.map((id, i) => `${id},${i === 3 ? 2 : CLASSES[i % 3]}`).join('\n')}\n`;
const cell = (csv: string, col: number, v: string) => csv.replace(/\n([^\n]*)\n/, (_, row: string) => `\n${row.split(',').map((c, j) => (j === col ? v : c)).join(',')}\n`);

function predictionMutants(): Mutant<string>[] {
  const conf = ['-0.1', '1.5', 'NaN', 'Infinity', '', ' ', '1e400', 'x', '0x1'].map((v) => ({ what: `confidence ${JSON.stringify(v)}`, value: cell(PRED, 2, v) }));
  return [...csvMutants(PRED, 'x'), ...conf, { what: 'predicted empty', value: cell(PRED, 1, '') }, { what: 'an id twice, the second with another valid row', value: `${PRED}a.png,broken,0.99\n` }];
}

function truthMutants(): Mutant<string>[] {
  const cls = ['-1', '3', '1.5', '', 'unknown', '__proto__', 'GOOD', '1e0'].map((v) => ({ what: `class ${JSON.stringify(v)}`, value: cell(TRUTH, 1, v) }));
  return [...csvMutants(TRUTH, '-1.5'), ...cls, { what: 'an id twice, the second with another valid class', value: `${TRUTH}a.png,flashover\n` }];
}

/** Rows of a CSV that parses (for the completeness check), or null. */
function rowCount(text: string, columns: string[]): number | null {
  try {
    return parseCsv(text, 'x.csv', columns).length;
  } catch {
    return null;
  }
}

describe('bring-your-own heatmaps and CSVs, fuzzed (≥ 200 mutants): whole result or one line naming the file, never a hang', () => {
  // Built after beforeAll has read the fixtures.
  const counts = () => ({ jsonl: jsonlMutants().length, npy: npyMutants().length, png: pngFolderMutants().length, predictions: predictionMutants().length, truth: truthMutants().length });

  it('has at least 200 mutants', () => {
    expect(Object.values(counts()).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(200);
  });

  it('explanations.jsonl', async () => {
    let refused = 0;
    for (const m of jsonlMutants()) {
      const path = await fresh('explanations.jsonl');
      await writeFile(path, m.value);
      const r = await bounded(readHeatmapSet(path, { size: SIZE }), m.what);
      expect(r, m.what).not.toBe('hung');
      if (r === 'hung') continue;
      if ('error' in r) {
        refused++;
        expectRefusal(r.error, path, m.what);
      } else {
        // Every non-blank line is one map: nothing dropped on the way.
        expect(r.value.ids.length, m.what).toBe(m.value.split('\n').filter((l) => l.trim()).length);
        expect(r.value.heatmaps.length, m.what).toBe(r.value.ids.length * r.value.size[0] * r.value.size[1]);
      }
    }
    expect(refused).toBeGreaterThan(counts().jsonl / 2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('.npy with ids.txt', async () => {
    let refused = 0;
    for (const m of npyMutants()) {
      const path = await fresh('maps.npy');
      const idsPath = join(path, '..', 'ids.txt');
      if (m.value.npy) await writeFile(path, m.value.npy);
      if (m.value.ids !== null) await writeFile(idsPath, m.value.ids);
      const r = await bounded(readHeatmapSet(path, { size: SIZE }), m.what);
      expect(r, m.what).not.toBe('hung');
      if (r === 'hung') continue;
      if ('error' in r) {
        refused++;
        const m1 = (r.error as Error).message;
        expect(r.error, `${m.what}: ${m1}`).toBeInstanceOf(CliError);
        expect(m1, m.what).not.toMatch(/\n/);
        expect(m1, m.what).toMatch(/maps\.npy|ids\.txt/);
      } else {
        expect(r.value.ids.length, m.what).toBe(4);
        expect(r.value.heatmaps.length, m.what).toBe(4 * 16);
        expect(r.value.heatmaps.every((v) => v >= 0 && v <= 1), m.what).toBe(true);
      }
    }
    expect(refused).toBeGreaterThan(counts().npy / 2);
  });

  it('folders of heatmap PNGs', async () => {
    for (const m of pngFolderMutants()) {
      const folder = await fresh('maps');
      await mkdir(folder);
      for (const [name, bytes] of Object.entries(m.value)) await writeFile(join(folder, name), bytes);
      const r = await bounded(readHeatmapSet(folder, { size: SIZE }), m.what);
      expect(r, m.what).not.toBe('hung');
      if (r === 'hung') continue;
      const images = Object.keys(m.value).filter((n) => /\.(png|jpe?g)$/i.test(n));
      if ('error' in r) {
        expectRefusal(r.error, folder, m.what);
        expect(images.length, `${m.what}: a folder with a good map was refused`).toBeLessThanOrEqual(1);
      } else {
        // Each image file is read or skipped by name: none vanishes.
        expect([...r.value.ids, ...r.value.skipped.map((s) => s.id)].sort(), m.what).toEqual(images.sort());
        for (const s of r.value.skipped) expect(s.reason, m.what).not.toMatch(/\n/);
      }
    }
  });

  it('predictions.csv and truth.csv', async () => {
    const known = new Set(ids);
    for (const [name, mutants, read, columns] of [
      ['predictions.csv', predictionMutants(), (p: string) => readPredictions(p, known), ['id', 'predicted', 'confidence']],
      ['truth.csv', truthMutants(), (p: string) => readTruth(p, known, CLASSES), ['id', 'class']],
    ] as const) {
      let refused = 0;
      for (const m of mutants) {
        const path = await fresh(name);
        await writeFile(path, m.value);
        const r = await bounded<Map<string, unknown>>(read(path), `${name} ${m.what}`);
        expect(r, m.what).not.toBe('hung');
        if (r === 'hung') continue;
        if ('error' in r) {
          refused++;
          expectRefusal(r.error, path, `${name} ${m.what}`);
        } else {
          // One entry per row: a second row for an id must not silently replace the first.
          expect(r.value.size, `${name} ${m.what}`).toBe(rowCount(m.value, [...columns]));
        }
      }
      expect(refused, name).toBeGreaterThan(mutants.length / 2);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the CLI on a sample of them: exit 0 or 2, one line naming the file, in time', () => {
  let detector: string;
  beforeAll(async () => {
    const ex = await fresh('explanations.jsonl');
    await writeFile(ex, jsonl(validLines));
    detector = join(dir, 'det');
    const t = await runCli(['train', '--explanations', ex, '--out', detector, '--net', 'mlp', '--input', 'heatmap', '--n-epochs', '1', '--ae-n-epochs', '0', '--batch-size', '4']);
    expect(t.code, t.err).toBe(0);
  }, 60_000);

  const apexpLines = (err: string) => err.split('\n').filter((l) => l.startsWith('apexp:'));

  async function expectRun(argv: string[], file: string, what: string): Promise<number> {
    const r = await runCli(argv, { timeoutMs: 20_000 });
    expect(r.code, what).not.toBe('hung');
    expect([0, 2], `${what}: ${r.err}`).toContain(r.code);
    if (r.code === 2) {
      const lines = apexpLines(r.err);
      expect(lines, what).toHaveLength(1);
      expect(lines[0], what).toContain(basename(file));
    }
    return r.code as number;
  }

  it('apexp score on every 4th heatmap mutant (jsonl, .npy, PNG folders)', async () => {
    const codes: number[] = [];
    for (const m of jsonlMutants().filter((_, i) => i % 4 === 0)) {
      const path = await fresh('explanations.jsonl');
      await writeFile(path, m.value);
      codes.push(await expectRun(['score', '--detector', detector, '--explanations', path, '--out', `${path}.csv`], path, `jsonl ${m.what}`));
    }
    for (const m of npyMutants().filter((_, i) => i % 4 === 0)) {
      const path = await fresh('maps.npy');
      if (m.value.npy) await writeFile(path, m.value.npy);
      if (m.value.ids !== null) await writeFile(join(path, '..', 'ids.txt'), m.value.ids);
      const r = await runCli(['score', '--detector', detector, '--explanations', path, '--size', '4', '--out', `${path}.csv`], { timeoutMs: 20_000 });
      expect([0, 2], `npy ${m.what}: ${r.err}`).toContain(r.code);
      if (r.code === 2) expect(apexpLines(r.err), m.what).toEqual([expect.stringMatching(/maps\.npy|ids\.txt/)]);
      codes.push(r.code as number);
    }
    for (const m of pngFolderMutants().filter((_, i) => i % 4 === 0)) {
      const folder = await fresh('maps');
      await mkdir(folder);
      for (const [name, bytes] of Object.entries(m.value)) await writeFile(join(folder, name), bytes);
      codes.push(await expectRun(['score', '--detector', detector, '--explanations', folder, '--size', '4', '--out', `${folder}.csv`], folder, `png ${m.what}`));
    }
    expect(codes).toContain(0);
    expect(codes).toContain(2);
  }, 300_000);

  it('apexp audit --heatmaps with every 3rd predictions.csv and truth.csv mutant', async () => {
    const maps = join(dir, 'audit-maps');
    await mkdir(maps, { recursive: true });
    for (const id of ids) await writeFile(join(maps, id), png);
    const AUDIT = ['--train-steps', '2', '--ae-steps', '0', '--ensemble', '1', '--batch-size', '4', '--update-steps', '1'];
    const base = await fresh('x');
    await writeFile(join(base, '..', 'predictions.csv'), PRED);
    await writeFile(join(base, '..', 'truth.csv'), TRUTH);
    const codes: number[] = [];
    for (const [name, mutants] of [
      ['predictions.csv', predictionMutants()],
      ['truth.csv', truthMutants()],
    ] as const) {
      for (const m of mutants.filter((_, i) => i % 3 === 0)) {
        const d = join(await fresh('x'), '..');
        await cp(join(base, '..', 'predictions.csv'), join(d, 'predictions.csv'));
        await cp(join(base, '..', 'truth.csv'), join(d, 'truth.csv'));
        await writeFile(join(d, name), m.value);
        codes.push(await expectRun(['audit', '--heatmaps', maps, '--predictions', join(d, 'predictions.csv'), '--truth', join(d, 'truth.csv'), '--out', join(d, 'out'), ...AUDIT], name, `${name} ${m.what}`));
      }
    }
    expect(codes).toContain(2);
  }, 300_000);
});
