import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonPaths, withValue } from '../../core/fuzz/mutants';
import { runCli, saveModelDir, tinyClassifier, writeImages } from './cli-fixtures';

/** Runs the CLI in-process with a time bound (cli-fixtures.ts). */
const run = (...argv: string[]) => runCli(argv, { timeoutMs: 10_000 });

/** The `apexp:` lines of a run (the one-line errors). */
const errorLines = (err: string) => err.trim().split('\n').filter((l) => l.startsWith('apexp:'));

let dir: string;
let model: string;
let images: string;
let topology: Record<string, unknown>;
let weights: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apexp-fuzz-'));
  model = await saveModelDir(tinyClassifier(), join(dir, 'model'), { labels: ['left', 'right'] });
  images = join(dir, 'images');
  await writeImages(images, 3);
  topology = JSON.parse(await readFile(model, 'utf8'));
  weights = new Uint8Array(await readFile(join(dir, 'model', 'weights.bin')));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The shared seeded mutator's helpers (src/core/fuzz/mutants.ts): paths down to a depth (arrays: their first two entries), and a copy with one value replaced.
const paths = (x: unknown, depth: number) => jsonPaths(x, depth);
const mutate = withValue;

let case_ = 0;
/** A model directory holding `json` as model.json and `bin` as weights.bin (absent when null). */
async function modelDir(json: unknown, bin: Uint8Array | null): Promise<string> {
  const d = join(dir, `m${case_++}`);
  await mkdir(d, { recursive: true });
  await writeFile(join(d, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
  if (bin) await writeFile(join(d, 'weights.bin'), bin);
  return d;
}

describe('the CLI on fuzzed inputs: every run ends in time, exit 0 or 2, and a refusal is one line naming the file', () => {
  it('mutated model.json and weight files (≥ 200 cases)', async () => {
    const values: unknown[] = [undefined, null, 'x', -1, 1e308, [], {}, 'z'.repeat(50_000)];
    const cases: { json: unknown; bin: Uint8Array | null; what: string }[] = [];
    for (const path of paths(topology, 5)) for (const v of values) cases.push({ json: mutate(topology, path, v), bin: weights, what: `model.json ${path.join('.')} = ${String(v).slice(0, 12)}` });
    for (const cut of [0, 1, 7, weights.length >> 1, weights.length - 1]) cases.push({ json: topology, bin: weights.slice(0, cut), what: `weights cut at ${cut}` });
    const padded = new Uint8Array(weights.length + 13);
    padded.set(weights);
    cases.push({ json: topology, bin: padded, what: 'weights padded' });
    for (const fill of [NaN, Infinity, -Infinity]) cases.push({ json: topology, bin: new Uint8Array(new Float32Array(weights.length / 4).fill(fill).buffer), what: `weights all ${fill}` });
    cases.push({ json: topology, bin: null, what: 'weights.bin absent' });
    cases.push({ json: mutate(topology, ['weightsManifest', 0, 'paths'], ['nowhere.bin']), bin: weights, what: 'manifest names an absent file' });
    cases.push({ json: '{"modelTopology": ', bin: weights, what: 'model.json cut' }, { json: '', bin: weights, what: 'model.json empty' }, { json: '{"__proto__": {"x": 1}}', bin: weights, what: '__proto__' });
    expect(cases.length).toBeGreaterThanOrEqual(200);
    let refused = 0;
    for (const c of cases) {
      const d = await modelDir(c.json, c.bin);
      const out = join(d, 'out.jsonl');
      const r = await run('explain', '--model', d, '--images', images, '--out', out);
      expect(r.code, c.what).not.toBe('hung');
      expect([0, 2], `${c.what}: ${r.err}`).toContain(r.code);
      if (r.code !== 0) {
        refused++;
        const lines = errorLines(r.err);
        expect(lines, c.what).toHaveLength(1);
        expect(lines[0], c.what).not.toMatch(/internal error/);
        expect(lines[0], c.what).toMatch(/model\.json|weights|nowhere\.bin|m\d+/);
      }
    }
    expect(refused).toBeGreaterThan(cases.length / 2);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  }, 300_000);

  it('broken images are skipped by name and the rest is explained', async () => {
    const set = join(dir, 'bad-images');
    await cp(images, set, { recursive: true });
    const png = await readFile(join(images, 'img-000.png'));
    await writeFile(join(set, 'cut.png'), png.subarray(0, png.length >> 1));
    await writeFile(join(set, 'empty.png'), new Uint8Array());
    await writeFile(join(set, 'text.jpg'), 'not a jpeg');
    // A PNG header that claims 100,000 × 100,000 pixels: refused by the decoder's pixel limit, not allocated.
    const huge = Buffer.from(png);
    huge.writeUInt32BE(100_000, 16);
    huge.writeUInt32BE(100_000, 20);
    await writeFile(join(set, 'huge.png'), huge);
    const out = join(dir, 'bad-images.jsonl');
    const r = await run('explain', '--model', model, '--images', set, '--out', out);
    expect(r.code).toBe(0);
    for (const f of ['cut.png', 'empty.png', 'text.jpg', 'huge.png']) expect(r.err).toMatch(new RegExp(`skipping ${f.replace('.', '\\.')}`));
    expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(3);
    // nothing decodable at all: one line, exit 2
    const none = join(dir, 'none');
    await mkdir(none);
    await writeFile(join(none, 'a.png'), 'x');
    const r2 = await run('explain', '--model', model, '--images', none, '--out', join(dir, 'none.jsonl'));
    expect(r2.code).toBe(2);
    expect(errorLines(r2.err)).toEqual([expect.stringMatching(/none of the 1 image file\(s\) could be decoded/)]);
  });

  it('labels.csv with bad rows, wrong types and prototype-pollution ids', async () => {
    const ex = join(dir, 'ex.jsonl');
    expect((await run('explain', '--model', model, '--images', images, '--out', ex)).code).toBe(0);
    const bad = [
      'id,label\nimg-000.png,maybe\n',
      'id,label\nimg-000.png\n',
      'id,label\n__proto__,normal\n',
      'id,label\nconstructor,anomalous\n',
      'label,id\nnormal\n',
      'id\nimg-000.png\n',
      '',
      'id,label\n"img-000.png,normal\n',
      'id,label\nimg-000.png,1\n',
    ];
    for (const [i, text] of bad.entries()) {
      const f = join(dir, `labels-${i}.csv`);
      await writeFile(f, text);
      const r = await run('train', '--explanations', ex, '--labels', f, '--out', join(dir, `det-${i}`), '--input', 'heatmap', '--n-epochs', '1', '--ae-n-epochs', '0');
      expect(r.code, text).toBe(2);
      const lines = errorLines(r.err);
      expect(lines, text).toHaveLength(1);
      expect(lines[0], text).toMatch(new RegExp(`labels-${i}\\.csv`));
    }
    expect(({} as Record<string, unknown>).normal).toBeUndefined();
  });
});
