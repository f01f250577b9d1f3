import { MetadataError } from './errors';

/**
 * How pixel values (0–255) become model inputs: `unit` x/255 ∈ [0,1]; `signed` x/127.5 − 1 ∈ [−1,1];
 * `imagenet` (x/255 − mean)/std with the ImageNet RGB mean [0.485, 0.456, 0.406] and std
 * [0.229, 0.224, 0.225]; `none` raw 0–255.
 */
export type Normalization = 'unit' | 'signed' | 'imagenet' | 'none';

/** Every accepted {@link Normalization}, for option validation. */
export const NORMALIZATIONS: readonly Normalization[] = ['unit', 'signed', 'imagenet', 'none'];

/**
 * The optional `metadata.json` beside a model.json. Teachable Machine writes `labels` and `imageSize`;
 * APEXP also reads `classNames`, `inputSize` ([h, w] or a number) and `normalization` (a Teachable Machine
 * image export, `packageName: "@teachablemachine/image"`, defaults to `signed`). Other fields are kept.
 */
export interface ClassifierMetadata {
  /** Class names in output order (`labels` is the Teachable Machine spelling; `classNames` wins when both exist). */
  classNames?: string[];
  /** Input size [height, width] in pixels, used when the model's input has unknown spatial dimensions. */
  inputSize?: [number, number];
  normalization?: Normalization;
  /** Every field of the file as read. */
  raw: Record<string, unknown>;
}

function stringArray(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new MetadataError(`metadata.json: "${field}" must be an array of strings`);
  return v as string[];
}

function size(v: unknown, field: string): [number, number] {
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;
  if (ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  throw new MetadataError(`metadata.json: "${field}" must be a positive integer or [height, width]`);
}

/**
 * Parses a metadata.json object (already `JSON.parse`d).
 * @throws MetadataError when it is not an object or a known field has the wrong type.
 */
export function parseMetadata(json: unknown): ClassifierMetadata {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new MetadataError('metadata.json must hold a JSON object');
  const raw = json as Record<string, unknown>;
  const out: ClassifierMetadata = { raw };
  if (raw.classNames !== undefined) out.classNames = stringArray(raw.classNames, 'classNames');
  else if (raw.labels !== undefined) out.classNames = stringArray(raw.labels, 'labels');
  const sz = raw.inputSize ?? raw.imageSize;
  if (sz !== undefined) out.inputSize = size(sz, raw.inputSize !== undefined ? 'inputSize' : 'imageSize');
  if (raw.normalization !== undefined) {
    const n = raw.normalization;
    if (typeof n !== 'string' || !(['unit', 'signed', 'imagenet', 'none'] as string[]).includes(n)) {
      throw new MetadataError(`metadata.json: "normalization" must be one of unit, signed, imagenet, none (got ${JSON.stringify(n)})`);
    }
    out.normalization = n as Normalization;
  } else if (typeof raw.packageName === 'string' && raw.packageName.startsWith('@teachablemachine/image')) {
    // Teachable Machine image models take x/127.5 − 1 (its library normalises that way) and say so only by package.
    out.normalization = 'signed';
  }
  return out;
}
