import type { Box } from '../image';

/** The annotation formats `apexp crops` and the app read. */
export type AnnotationFormat = 'coco' | 'voc';

/** One image an annotation file describes. */
export interface AnnotatedImage {
  /** File name as written in the annotation (COCO `file_name`, VOC `filename`), relative to the images folder. */
  file: string;
  /** Width and height in pixels as the annotation states them; absent when it does not (VOC `size` 0 or missing). */
  width?: number;
  height?: number;
}

/** One labelled box (a shell, a string, …) of a detection dataset. */
export interface AnnotatedObject {
  /** The image it lies on (`AnnotatedImage.file`). */
  image: string;
  /** The annotation's id: COCO `id`, or the object's 0-based index in its VOC file. */
  annotationId: string;
  /** The category name as written (COCO `categories[].name`, VOC `object/name`). */
  category: string;
  /** The box in image pixels, x1/y1 exclusive (COCO [x, y, w, h] → x0 = x, x1 = x + w; VOC 1-based xmin → x0 = xmin − 1, x1 = xmax). */
  box: Box;
  /** Where it came from, for messages: `instances.json: annotations[3] (id 17)`. */
  source: string;
}

/** A parsed annotation file (or folder of VOC files). */
export interface AnnotationSet {
  format: AnnotationFormat;
  images: AnnotatedImage[];
  objects: AnnotatedObject[];
}

/** Why an annotation could not be read: the file is not the format, or one entry is malformed. */
export type AnnotationErrorCode = 'bad-annotation-file' | 'malformed-annotation';

/** Thrown by the parsers; the message names the file and, for a malformed entry, the entry. */
export class AnnotationError extends Error {
  override name = 'AnnotationError';
  constructor(
    readonly code: AnnotationErrorCode,
    message: string,
  ) {
    super(message);
  }
}
