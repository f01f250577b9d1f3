import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { defaultConfig } from '../core/deepsad/config';
import { loadDetector } from '../core/deepsad/serialize';
import { trainDeepSad } from '../core/deepsad/train';
import type { DeepSadDetector } from '../core/deepsad/types';
import { loadDetectorDir, saveDetectorDir } from './detector-dir';
import { CliError } from './errors';

let root = '';
let det: DeepSadDetector;
const n = 24;
const x = Float32Array.from({ length: n * 32 * 32 }, (_, i) => (Math.sin(i * 0.37) + 1) / 2);

beforeAll(async () => {
  await tf.setBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'apexp-detdir-'));
  const cfg = { ...defaultConfig('heatmap_LeNet', [32, 32, 1]), nEpochs: 1, aeNEpochs: 1, batchSize: 8, aeBatchSize: 8 };
  det = await trainDeepSad({ x, n, semiTargets: new Int8Array(n) }, cfg);
});

afterAll(async () => {
  det.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('saveDetectorDir / loadDetectorDir', () => {
  it('round-trips to identical scores, and replaces an earlier detector atomically', async () => {
    const dir = join(root, 'nested', 'det');
    await saveDetectorDir(dir, await det.toBundle());
    expect((await readdir(dir)).sort()).toEqual(['detector.json', 'weights.bin']);
    const json = JSON.parse(await readFile(join(dir, 'detector.json'), 'utf8'));
    expect(json).toMatchObject({ format: 'apexp-deepsad', version: 1, config: { net: 'heatmap_LeNet' } });
    const loaded = loadDetector(await loadDetectorDir(dir));
    expect(Array.from(await loaded.score(x, n))).toEqual(Array.from(await det.score(x, n)));
    loaded.dispose();
    // saving again over it (a detector object this time) leaves exactly one detector and no temp dirs
    await saveDetectorDir(dir, det);
    expect((await readdir(join(root, 'nested'))).sort()).toEqual(['det']);
  });

  it('refuses to overwrite a directory that is not a detector', async () => {
    const dir = join(root, 'photos');
    await mkdir(dir);
    await writeFile(join(dir, 'cat.jpg'), 'x');
    await expect(saveDetectorDir(dir, det)).rejects.toThrow(/is not empty and holds no detector.json/);
    expect(await readdir(dir)).toEqual(['cat.jpg']);
  });

  it('gives one-line CliErrors for a missing dir or file, bad JSON, another format or version, short weights', async () => {
    const dir = join(root, 'bad');
    await saveDetectorDir(dir, det);
    const expectCli = async (re: RegExp) => {
      const err = await loadDetectorDir(dir).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(CliError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    };
    await expect(loadDetectorDir(join(root, 'nope'))).rejects.toThrow(/detector directory .*nope does not exist/);
    const good = await readFile(join(dir, 'detector.json'), 'utf8');
    await writeFile(join(dir, 'detector.json'), '{ not json');
    await expectCli(/detector.json is not valid JSON/);
    await writeFile(join(dir, 'detector.json'), good.replace('"version": 1', '"version": 7'));
    await expectCli(/detector version 7 is not supported by this apexp, expected 1/);
    await writeFile(join(dir, 'detector.json'), good.replace('"apexp-deepsad"', '"keras"'));
    await expectCli(/format is "keras", expected "apexp-deepsad"/);
    await writeFile(join(dir, 'detector.json'), good);
    await writeFile(join(dir, 'weights.bin'), new Uint8Array(12));
    await expectCli(/weights.bin has 12 bytes/);
    await rm(join(dir, 'weights.bin'));
    await expectCli(/weights.bin is missing/);
    await rm(join(dir, 'detector.json'));
    await expectCli(/detector.json is missing: .* is not a detector directory/);
  });
});
