/**
 * Pascal VOC XML (one file per image: `filename`, `size`, `object` with `name` and `bndbox`) to an
 * AnnotationSet, with fast-xml-parser (no DOM, so it runs in Node, the browser and a worker).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AnnotationError, type AnnotatedImage, type AnnotatedObject, type AnnotationSet } from './types';

/** One VOC file's text and its name (for messages). */
export interface VocFile {
  name: string;
  text: string;
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true });

const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : x === undefined || x === null || x === '' ? [] : [x]);
const field = (o: unknown, k: string): unknown => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined);

function text(o: unknown, k: string): string | undefined {
  const x = field(o, k);
  return typeof x === 'string' || typeof x === 'number' ? String(x).trim() : undefined;
}

function num(o: unknown, k: string, where: string): number {
  const s = text(o, k);
  if (s === undefined || s === '') throw new AnnotationError('malformed-annotation', `${where}: missing ${k}`);
  const x = Number(s);
  if (!Number.isFinite(x)) throw new AnnotationError('malformed-annotation', `${where}: ${k} ${JSON.stringify(s)} is not a number`);
  return x;
}

/**
 * Reads one VOC annotation file. Coordinates are VOC's 1-based pixel indices with inclusive max (as
 * detectron2 and torchvision read them): x0 = xmin − 1, x1 = xmax.
 * @throws AnnotationError naming the file and the object (`a.xml: object[2] (broken): xmax 10 ≤ xmin 20`)
 */
export function parseVoc(file: VocFile): { image: AnnotatedImage; objects: AnnotatedObject[] } {
  const valid = XMLValidator.validate(file.text);
  if (valid !== true) throw new AnnotationError('bad-annotation-file', `${file.name}: not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  let doc: unknown;
  try {
    doc = parser.parse(file.text);
  } catch (err) {
    // e.g. fast-xml-parser's limits on entity expansion (a "billion laughs" file)
    throw new AnnotationError('bad-annotation-file', `${file.name}: cannot read the XML (${(err as Error).message})`);
  }
  const root = field(doc, 'annotation');
  if (!root || typeof root !== 'object') throw new AnnotationError('bad-annotation-file', `${file.name}: not a Pascal VOC annotation (no <annotation> root)`);
  const filename = text(root, 'filename');
  if (!filename) throw new AnnotationError('malformed-annotation', `${file.name}: missing <filename>`);
  const size = field(root, 'size');
  const width = Number(text(size, 'width') ?? 0);
  const height = Number(text(size, 'height') ?? 0);
  const image: AnnotatedImage = { file: filename, ...(width > 0 ? { width } : {}), ...(height > 0 ? { height } : {}) };
  const objects = list(field(root, 'object')).map((o, i): AnnotatedObject => {
    const name = text(o, 'name');
    const where = `${file.name}: object[${i}]${name ? ` (${name})` : ''}`;
    if (!name) throw new AnnotationError('malformed-annotation', `${where}: missing <name>`);
    const b = field(o, 'bndbox');
    if (!b || typeof b !== 'object') throw new AnnotationError('malformed-annotation', `${where}: missing <bndbox>`);
    const [xmin, ymin, xmax, ymax] = (['xmin', 'ymin', 'xmax', 'ymax'] as const).map((k) => num(b, k, where));
    if (xmax < xmin) throw new AnnotationError('malformed-annotation', `${where}: xmax ${xmax} < xmin ${xmin} (negative width)`);
    if (ymax < ymin) throw new AnnotationError('malformed-annotation', `${where}: ymax ${ymax} < ymin ${ymin} (negative height)`);
    return { image: filename, annotationId: String(i), category: name, box: { x0: xmin - 1, y0: ymin - 1, x1: xmax, y1: ymax }, source: where };
  });
  return { image, objects };
}

/**
 * Reads a set of VOC files (a folder of them) into one AnnotationSet, in the order given.
 * @throws AnnotationError for the first bad file or object, or when two files describe the same image
 */
export function parseVocFiles(files: readonly VocFile[]): AnnotationSet {
  const images: AnnotatedImage[] = [];
  const objects: AnnotatedObject[] = [];
  const owner = new Map<string, string>();
  for (const f of files) {
    const r = parseVoc(f);
    const prev = owner.get(r.image.file);
    if (prev) throw new AnnotationError('malformed-annotation', `${f.name}: <filename> ${r.image.file} is also annotated by ${prev}`);
    owner.set(r.image.file, f.name);
    images.push(r.image);
    objects.push(...r.objects);
  }
  return { format: 'voc', images, objects };
}
