/** Why a metric could not be computed. */
export type MetricsErrorCode = 'length-mismatch' | 'empty' | 'bad-label' | 'bad-score' | 'bad-argument' | 'no-positives';

/**
 * Invalid input to a metric (mismatched lengths, a label other than 0/1, a NaN score, …), or a
 * threshold that cannot be chosen (no positive labels). Metrics that are numbers (ROC AUC, AP) do
 * not throw on a single class: they return NaN, as documented on each.
 */
export class MetricsError extends Error {
  override name = 'MetricsError';
  constructor(
    readonly code: MetricsErrorCode,
    message: string,
  ) {
    super(message);
  }
}
