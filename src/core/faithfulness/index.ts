// The faithfulness (deletion) baseline detector.
export { deletionScores, relevanceRanks, DELETION_FRACTIONS } from './deletion';
export { gaussianBlur, gaussianTaps, deletionSigma } from './blur';
