/** Threshold-free and thresholded detection metrics over plain arrays (label 1 = anomalous = positive). */
export { MetricsError, type MetricsErrorCode } from './errors';
export { rocAuc, rocCurve, type RocCurve } from './roc';
export { averagePrecision, prCurve, type PrCurve } from './precision-recall';
export { bestF1Threshold, budgetThreshold, f1AtThreshold, type F1Result } from './threshold';
export { histogram, type Histogram } from './histogram';
export { fractionalRanks } from './ranks';
