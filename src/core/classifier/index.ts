// The classifier API: load a tfjs image classifier, inspect it, turn images into its input.
export type { Classifier, ClassifierSplit } from './types';
export type { ClassifierMetadata, Normalization } from './metadata';
export { NORMALIZATIONS, parseMetadata } from './metadata';
export type { LoadClassifierOptions } from './load';
export { loadClassifier, checkArtifacts, isGraphArtifacts } from './load';
export { wrapLayersModel } from './layers-classifier';
export { wrapGraphModel } from './graph-classifier';
export type { ResizeMode } from './preprocess';
export { toInputTensor } from './preprocess';
export type { ClassifierErrorCode } from './errors';
export { ClassifierError, LayerNotFoundError, MetadataError, ModelLoadError, ModelShapeError, UnsupportedModelError } from './errors';
export type { ModelFiles, NamedBlob } from './browser-files';
export { browserModelFiles } from './browser-files';
export { checkWeightSpecs, checkWeightsManifest } from './manifest-check';
