/**
 * Reading a detection dataset's annotations from disk: a COCO .json, one Pascal VOC .xml, or a folder
 * of VOC .xml files. Parsing is core's (src/core/data/annotations); this adds the files and turns every
 * problem into a one-line CliError naming the file.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { AnnotationError, parseCoco, parseVocFiles, type AnnotationSet } from '../core/data/annotations';
import { CliError } from './errors';
import { readText } from './io';

function asCli<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof AnnotationError) throw new CliError(err.message);
    throw err;
  }
}

/**
 * Reads `--annotations`: a `.json` is COCO, a `.xml` is one VOC file, a directory is every `.xml` in it
 * (sorted by name, not walked).
 * @throws CliError naming the file (and the entry, for a malformed one)
 */
export async function readAnnotations(path: string): Promise<AnnotationSet> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new CliError(`--annotations ${path} does not exist`);
  if (st.isDirectory()) {
    const names = (await readdir(path)).filter((n) => extname(n).toLowerCase() === '.xml' && !n.startsWith('.')).sort();
    if (names.length === 0) throw new CliError(`--annotations ${path}: no .xml (Pascal VOC) files in the folder`);
    const files = await Promise.all(names.map(async (n) => ({ name: join(path, n), text: await readText(join(path, n), 'annotation') })));
    return asCli(() => parseVocFiles(files));
  }
  const ext = extname(path).toLowerCase();
  const text = await readText(path, 'annotation');
  if (ext === '.xml') return asCli(() => parseVocFiles([{ name: path, text }]));
  if (ext !== '.json') throw new CliError(`--annotations ${path}: expected a COCO .json, a Pascal VOC .xml or a folder of .xml files`);
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new CliError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  return asCli(() => parseCoco(json, path));
}
