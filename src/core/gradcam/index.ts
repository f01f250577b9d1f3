// Batched Grad-CAM (and the rest of the gradient CAM family) for any Classifier.
export type { CamMethod } from './cam-methods';
export { CAM_METHODS, DEFAULT_CAM_METHOD, isCamMethod } from './cam-methods';
export type { GradCam, GradCamBatch, GradCamOptions } from './grad-cam';
export { createGradCam, GradCamError } from './grad-cam';
// Re-exported for callers that build Grad-CAM inputs from pixels (the worker).
export type { ResizeMode } from '../classifier/preprocess';
export { toInputTensor } from '../classifier/preprocess';
