import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkUniqueIds, replaceDir } from './io';

describe('replaceDir', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'apexp-io-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function dirWith(name: string, file: string, text: string): Promise<string> {
    const d = join(root, name);
    await mkdir(d);
    await writeFile(join(d, file), text);
    return d;
  }

  it('moves the new directory into a free target', async () => {
    const tmp = await dirWith('.out.tmp', 'a.txt', 'new');
    await replaceDir(tmp, join(root, 'out'), null);
    expect(await readdir(root)).toEqual(['out']);
    expect(await readFile(join(root, 'out', 'a.txt'), 'utf8')).toBe('new');
  });

  it('replaces a non-empty target, leaving neither the old files nor the aside directory', async () => {
    const target = await dirWith('out', 'old.txt', 'old');
    const tmp = await dirWith('.out.tmp', 'a.txt', 'new');
    await replaceDir(tmp, target, join(root, '.out.old'));
    expect(await readdir(root)).toEqual(['out']);
    expect(await readdir(target)).toEqual(['a.txt']);
    expect(await readFile(join(target, 'a.txt'), 'utf8')).toBe('new');
  });
});

describe('checkUniqueIds', () => {
  it('passes distinct ids and refuses a repeated one, naming the file and both rows', () => {
    expect(() => checkUniqueIds([{ id: 'a' }, { id: 'b' }], 'labels.csv')).not.toThrow();
    expect(() => checkUniqueIds([{ id: 'a' }, { id: 'b' }, { id: 'a' }], 'labels.csv')).toThrow('labels.csv: row 4: id "a" is already on row 2');
  });
});
