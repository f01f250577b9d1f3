/**
 * COCO detection JSON (`instances_*.json`, what FiftyOne, CVAT, Roboflow and Label Studio export) to an
 * AnnotationSet. Every entry is checked (valibot) on its own, so a malformed one is named by its index and id.
 */
import * as v from 'valibot';
import { AnnotationError, type AnnotatedImage, type AnnotatedObject, type AnnotationSet } from './types';

const Id = v.union([v.pipe(v.number(), v.integer()), v.pipe(v.string(), v.minLength(1))]);
const Finite = v.pipe(v.number(), v.finite());

const TopSchema = v.object({
  images: v.array(v.unknown()),
  annotations: v.array(v.unknown()),
  categories: v.array(v.unknown()),
});

const ImageSchema = v.object({
  id: Id,
  file_name: v.pipe(v.string(), v.minLength(1)),
  width: v.optional(v.pipe(Finite, v.minValue(0))),
  height: v.optional(v.pipe(Finite, v.minValue(0))),
});

const CategorySchema = v.object({ id: Id, name: v.pipe(v.string(), v.minLength(1)) });

const AnnotationSchema = v.object({
  id: Id,
  image_id: Id,
  category_id: Id,
  bbox: v.pipe(v.array(Finite, 'must be an array of numbers'), v.length(4, 'must be [x, y, width, height]')),
});

/** The first issue of a failed parse as `field: message` ("bbox: must be [x, y, width, height]"). */
function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const i = issues[0];
  const path = i.path?.map((p) => String(p.key)).join('.') ?? '';
  const missing = i.received === 'undefined' && path;
  return missing ? `missing ${path}` : `${path ? `${path}: ` : ''}${i.message}`;
}

function idOf(entry: unknown): string {
  const id = entry && typeof entry === 'object' ? (entry as { id?: unknown }).id : undefined;
  return typeof id === 'number' || typeof id === 'string' ? ` (id ${id})` : '';
}

function entry<T>(schema: v.GenericSchema<unknown, T>, value: unknown, file: string, where: string): T {
  const r = v.safeParse(schema, value);
  if (!r.success) throw new AnnotationError('malformed-annotation', `${file}: ${where}${idOf(value)}: ${firstIssue(r.issues)}`);
  return r.output;
}

/**
 * Reads a parsed COCO JSON object.
 * @param json the parsed file (JSON.parse of its text)
 * @param file its name, for messages
 * @throws AnnotationError naming the file and the entry (`annotations[3] (id 17): missing bbox`) for a
 *   missing or wrong field, a box with a negative or zero width or height, an unknown image_id or category_id,
 *   or duplicate ids
 */
export function parseCoco(json: unknown, file: string): AnnotationSet {
  const top = v.safeParse(TopSchema, json);
  if (!top.success) throw new AnnotationError('bad-annotation-file', `${file}: not COCO detection JSON (${firstIssue(top.issues)})`);
  const images = new Map<string, AnnotatedImage>();
  top.output.images.forEach((raw, i) => {
    const im = entry(ImageSchema, raw, file, `images[${i}]`);
    if (images.has(String(im.id))) throw new AnnotationError('malformed-annotation', `${file}: images[${i}] (id ${im.id}): duplicate image id`);
    images.set(String(im.id), { file: im.file_name, ...(im.width ? { width: im.width } : {}), ...(im.height ? { height: im.height } : {}) });
  });
  const categories = new Map<string, string>();
  top.output.categories.forEach((raw, i) => {
    const c = entry(CategorySchema, raw, file, `categories[${i}]`);
    categories.set(String(c.id), c.name);
  });
  const seen = new Set<string>();
  const objects: AnnotatedObject[] = top.output.annotations.map((raw, i) => {
    const a = entry(AnnotationSchema, raw, file, `annotations[${i}]`);
    const where = `${file}: annotations[${i}] (id ${a.id})`;
    if (seen.has(String(a.id))) throw new AnnotationError('malformed-annotation', `${where}: duplicate annotation id`);
    seen.add(String(a.id));
    const image = images.get(String(a.image_id));
    if (!image) throw new AnnotationError('malformed-annotation', `${where}: unknown image_id ${JSON.stringify(a.image_id)}`);
    const category = categories.get(String(a.category_id));
    if (category === undefined) throw new AnnotationError('malformed-annotation', `${where}: unknown category_id ${JSON.stringify(a.category_id)}`);
    const [x, y, w, h] = a.bbox;
    if (!(w > 0) || !(h > 0)) throw new AnnotationError('malformed-annotation', `${where}: bbox [${a.bbox.join(', ')}] has a ${w < 0 || h < 0 ? 'negative' : 'zero'} ${w <= 0 ? 'width' : 'height'}`);
    return { image: image.file, annotationId: String(a.id), category, box: { x0: x, y0: y, x1: x + w, y1: y + h }, source: `${file}: annotations[${i}] (id ${a.id})` };
  });
  return { format: 'coco', images: [...images.values()], objects };
}
