/** The public API of the Deep SAD engine, for src/workers and src/cli (core modules import the files directly). */
export type { DeepSadConfig, DeepSadData, DeepSadDetector, DetectorBundle, NetName, SemiTarget, TrainEvent, TrainHooks } from './types';
export { defaultConfig, paperSchedule, validateConfig, NET_NAMES, LENET_SIZES, DEFAULT_MLP_WIDTHS } from './config';
export { DeepSadConfigError, DeepSadDataError, DeepSadDivergedError, DetectorFormatError } from './errors';
export { trainDeepSad, trainDeepSadSets, fineTuneDeepSad, checkData, type FineTuneOptions } from './train';
export { loadDetector, BUNDLE_FORMAT, BUNDLE_VERSION } from './serialize';
export { DeepSadModel, SCORE_BATCH } from './detector';
export { deepSadLoss, squaredDistances, reconstructionLoss, DEEP_SAD_EPS } from './loss';
export { clampCenter, CENTER_EPS } from './center';
