// Batched Grad-CAM for any Classifier.
export type { GradCam, GradCamBatch, GradCamOptions } from './grad-cam';
export { createGradCam, GradCamError } from './grad-cam';
// Re-exported for callers that build Grad-CAM inputs from pixels (the worker).
export type { ResizeMode } from '../classifier/preprocess';
export { toInputTensor } from '../classifier/preprocess';
