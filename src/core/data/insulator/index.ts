/** The synthetic insulator generator: the public API other modules import. */
export { renderInsulator } from './render';
export { generateInsulatorSet, planInsulatorSet, renderPlanned, tagRate, DEFAULT_TAG_BIAS, TEST_TAG_RATE, INSULATOR_SPLITS } from './dataset';
export type { InsulatorSplit, InsulatorSetOptions, InsulatorSetPlan, TagBias } from './dataset';
export { INSULATOR_CLASSES, FAULTY_CLASSES, DEFAULT_INSULATOR_SIZE, MAX_INSULATOR_SIZE, MIN_INSULATOR_SIZE, InsulatorOptionsError } from './types';
export type { InsulatorClass, InsulatorSample, InsulatorSetItem, RenderOptions } from './types';
