/** Detection datasets (COCO JSON, Pascal VOC XML) read from text and turned into classifier crops. */
export { parseCoco } from './coco';
export { parseVoc, parseVocFiles } from './voc';
export type { VocFile } from './voc';
export { classOf, cropRegion, imageStem, planImageCrops } from './crop-plan';
export type { CropOptions, ImageCropPlan, PlannedCrop } from './crop-plan';
export { AnnotationError } from './types';
export type { AnnotatedImage, AnnotatedObject, AnnotationErrorCode, AnnotationFormat, AnnotationSet } from './types';
